// A converted subtype of a base that stays static (vectorcall below 3.12):
// the base is readied before the subtype is created (and its own
// PyType_Ready stays).
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>
#include <stddef.h>

typedef struct { PyObject_HEAD Py_ssize_t call; } BaseObject;

static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sb.Base",
    .tp_basicsize = sizeof(BaseObject),
    .tp_vectorcall_offset = offsetof(BaseObject, call),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-8]] static PyTypeObject 'Base_Type' cannot be converted automatically: vectorcall

static PyTypeObject Sub_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sb.Sub",
    .tp_base = &Base_Type,
};
// CHECK-FIXES: static PyTypeObject *Sub_Type;

static struct PyModuleDef sb_module = {PyModuleDef_HEAD_INIT, "sb", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_sb(void) {
    if (PyType_Ready(&Base_Type) < 0)
        return NULL;
    if (PyType_Ready(&Sub_Type) < 0)
        return NULL;
    return PyModule_Create(&sb_module);
}
// CHECK-FIXES: if (PyType_Ready(&Base_Type) < 0)
// CHECK-FIXES: return NULL;
// CHECK-FIXES: PyObject *abi3port_bases = PyTuple_Pack(1, (PyObject *)&Base_Type);
// CHECK-FIXES: Sub_Type = (PyTypeObject *)PyType_FromSpecWithBases(&Sub_Type_spec, abi3port_bases);
// CHECK-FIXES: if (PyType_Ready(&Base_Type) < 0)
// CHECK-FIXES-NOT: if (PyType_Ready(&Sub_Type) < 0)
