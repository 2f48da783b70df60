// A tp_name without a dot: the static type's __module__ is 'builtins'; a heap
// type made from such a spec has no __module__ and PyType_FromSpec warns
// (DeprecationWarning, an error under -W error). It stays static. A dotted
// name converts.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>

static PyTypeObject Bare_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "Bare",
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-5]] static PyTypeObject 'Bare_Type' cannot be converted automatically: tp_name 'Bare' has no module part

static PyTypeObject Dotted_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "nd.Dotted",
    .tp_new = PyType_GenericNew,
};
// CHECK-FIXES: static PyTypeObject *Dotted_Type;

static struct PyModuleDef nd_module = {PyModuleDef_HEAD_INIT, "nd", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_nd(void) {
    if (PyType_Ready(&Bare_Type) < 0)
        return NULL;
    if (PyType_Ready(&Dotted_Type) < 0)
        return NULL;
    return PyModule_Create(&nd_module);
}
// CHECK-FIXES: if (PyType_Ready(&Bare_Type) < 0)
