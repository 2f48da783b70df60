// Module state: a built-in base (&PyUnicode_Type, set in the initialiser) is
// passed as it is, never as a module state member; a converted base is.
// ARGS: --target 3.11 --state module
#include <Python.h>

static PyTypeObject Str_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bb.Str",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_base = &PyUnicode_Type,
};

static PyTypeObject SubStr_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bb.SubStr",
    .tp_base = &Str_Type,
};

static struct PyModuleDef bb_module = {PyModuleDef_HEAD_INIT, "bb", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_bb(void) {
    if (PyType_Ready(&Str_Type) < 0)
        return NULL;
    if (PyType_Ready(&SubStr_Type) < 0)
        return NULL;
    return PyModule_Create(&bb_module);
}
// CHECK-FIXES: PyObject *abi3port_bases = PyTuple_Pack(1, (PyObject *)&PyUnicode_Type);
// CHECK-FIXES: state->Str_Type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &Str_Type_spec, abi3port_bases);
// CHECK-FIXES: PyObject *abi3port_bases = PyTuple_Pack(1, (PyObject *)state->Str_Type);
// CHECK-FIXES-NOT: PyObject *abi3port_bases = PyTuple_Pack(1, (PyObject *)state->PyUnicode_Type);
// CHECK-FIXES-NOT: PyTypeObject *PyUnicode_Type;
