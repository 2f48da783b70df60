// Below 3.10 a non-instantiable type gets a tp_new that raises CPython's
// TypeError; a type that inherits a tp_new (here str's) gets none.
// ARGS: --target 3.8 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>

static PyTypeObject NoNew_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dl.NoNew",
};
// CHECK-FIXES: NoNew_Type_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
// CHECK-FIXES: PyErr_SetString(PyExc_TypeError, "cannot create 'dl.NoNew' instances");
// CHECK-FIXES: {Py_tp_new, (void *)NoNew_Type_new},

static PyTypeObject Str_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dl.Str",
    .tp_base = &PyUnicode_Type,
};
// CHECK-FIXES-NOT: Str_Type_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
// CHECK-FIXES-NOT: {Py_tp_new, (void *)Str_Type_new},

static struct PyModuleDef dl_module = {PyModuleDef_HEAD_INIT, "dl", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_dl(void) {
    if (PyType_Ready(&NoNew_Type) < 0)
        return NULL;
    if (PyType_Ready(&Str_Type) < 0)
        return NULL;
    return PyModule_Create(&dl_module);
}
