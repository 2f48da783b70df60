// The static base gets a field in code before PyType_Ready: a subtype
// created at the top of the init function would inherit from a base not yet
// set up, so the subtype stays static.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: type-slot-access
#include <Python.h>
#include <stddef.h>

typedef struct { PyObject_HEAD Py_ssize_t call; } BaseObject;

static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sc.Base",
    .tp_basicsize = sizeof(BaseObject),
    .tp_vectorcall_offset = offsetof(BaseObject, call),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
};
// CHECK-MANUAL: [[@LINE-7]] static PyTypeObject 'Base_Type' cannot be converted automatically: vectorcall

static PyTypeObject Sub_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sc.Sub",
    .tp_base = &Base_Type,
};
// CHECK-MANUAL: [[@LINE-5]] static PyTypeObject 'Sub_Type' cannot be converted automatically: its base 'Base_Type' stays static and is set up in code before it is readied

static struct PyModuleDef sc_module = {PyModuleDef_HEAD_INIT, "sc", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_sc(void) {
    Base_Type.tp_new = PyType_GenericNew;
    if (PyType_Ready(&Base_Type) < 0)
        return NULL;
    if (PyType_Ready(&Sub_Type) < 0)
        return NULL;
    return PyModule_Create(&sc_module);
}
