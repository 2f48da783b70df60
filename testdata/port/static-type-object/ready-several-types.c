// One statement readies a converted type and one that stays static (buffer
// slots below 3.11): the statement stays, so the static type is still
// readied (PyType_Ready on the created heap type does nothing). A statement
// that readies only the static type stays too; one that readies only the
// converted type goes.
// ARGS: --target 3.10 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>
#include <stddef.h>

typedef struct { PyObject_HEAD } PlainObject;

static PyTypeObject Conv_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rs.Conv",
    .tp_basicsize = sizeof(PlainObject),
    .tp_new = PyType_GenericNew,
};

typedef struct { PyObject_HEAD Py_ssize_t call; } CallObject;

static PyTypeObject Buf_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rs.Buf",
    .tp_basicsize = sizeof(CallObject),
    .tp_vectorcall_offset = offsetof(CallObject, call),
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-7]] static PyTypeObject 'Buf_Type' cannot be converted automatically: vectorcall

static struct PyModuleDef rs_module = {PyModuleDef_HEAD_INIT, "rs", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_rs(void) {
    if (PyType_Ready(&Conv_Type) < 0 || PyType_Ready(&Buf_Type) < 0)
        return NULL;
    if (PyType_Ready(&Buf_Type) < 0)
        return NULL;
    if (PyType_Ready(&Conv_Type) != 0)
        return NULL;
    return PyModule_Create(&rs_module);
}
// CHECK-FIXES: Conv_Type = (PyTypeObject *)PyType_FromSpec(&Conv_Type_spec);
// CHECK-FIXES: if (PyType_Ready(Conv_Type) < 0 || PyType_Ready(&Buf_Type) < 0)
// CHECK-FIXES: if (PyType_Ready(&Buf_Type) < 0)
// CHECK-FIXES-NOT: if (PyType_Ready(&Conv_Type) != 0)
// CHECK-FIXES-NOT: if (PyType_Ready(Conv_Type) != 0)
