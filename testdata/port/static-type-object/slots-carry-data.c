// Types whose slots carry something other than their slot function stay
// static: a method table stored in tp_traverse, and a type whose address
// goes to code that rewrites its fields at run time (a project function, or
// a capsule API's function pointer). Passing a type to CPython's functions
// and inline helpers (Py_IS_TYPE, Py_SET_TYPE) does not count.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: type-slot-access
#include <Python.h>

static PyMethodDef Old_methods[] = {{NULL, NULL, 0, NULL}};

static PyTypeObject Old_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sd.Old",
    .tp_traverse = (traverseproc)Old_methods,
};
// CHECK-MANUAL: [[@LINE-5]] static PyTypeObject 'Old_Type' cannot be converted automatically: tp_traverse holds something other than a slot function

static PyTypeObject Exported_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sd.Exported",
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-5]] static PyTypeObject 'Exported_Type' cannot be converted automatically: its address is passed to 'export_type', which assigns the type's fields at run time

static PyTypeObject Imported_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sd.Imported",
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-5]] static PyTypeObject 'Imported_Type' cannot be converted automatically: its address is passed through a function pointer

static PyTypeObject Fine_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sd.Fine",
    .tp_new = PyType_GenericNew,
};
// CHECK-FIXES: static PyTypeObject *Fine_Type;

static int export_type(PyTypeObject *type)
{
    type->tp_flags |= Py_TPFLAGS_BASETYPE;
    return PyType_Ready(type);
}

static struct { int (*export_)(PyTypeObject *); } *capi;

static int is_fine(PyObject *o) { return Py_IS_TYPE(o, &Fine_Type) || PyObject_TypeCheck(o, &Fine_Type); }

static struct PyModuleDef sd_module = {PyModuleDef_HEAD_INIT, "sd", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_sd(void) {
    if (PyType_Ready(&Old_Type) < 0 || export_type(&Exported_Type) < 0)
        return NULL;
    if (capi && capi->export_(&Imported_Type) < 0)
        return NULL;
    Py_SET_TYPE(&Fine_Type, &PyType_Type);
    if (PyType_Ready(&Fine_Type) < 0)
        return NULL;
    (void)is_fine;
    return PyModule_Create(&sd_module);
}
// CHECK-FIXES: Py_SET_TYPE((PyObject *)(Fine_Type), &PyType_Type);
