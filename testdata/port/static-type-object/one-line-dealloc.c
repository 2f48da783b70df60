// A dealloc written on one line still releases the type after freeing.
// ARGS: --target 3.11
// CHECK-IGNORE: single-phase-init
#include <Python.h>

typedef struct { PyObject_HEAD } TinyObject;

static void Tiny_dealloc(TinyObject *self) { PyObject_Free(self); }
// CHECK-FIXES: static void Tiny_dealloc(TinyObject *self) { PyTypeObject *abi3port_type = Py_TYPE((PyObject *)self); PyObject_Free(self); Py_DECREF(abi3port_type); }

static PyTypeObject Tiny_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tiny.Tiny",
    .tp_basicsize = sizeof(TinyObject),
    .tp_dealloc = (destructor)Tiny_dealloc,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef tiny_module = {PyModuleDef_HEAD_INIT, "tiny", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_tiny(void) { return PyModule_Create(&tiny_module); }
