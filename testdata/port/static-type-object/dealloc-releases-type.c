// A dealloc that already releases its type (Py_DECREF(Py_TYPE(self)), or
// through a variable holding it) gets no second Py_DECREF; one that does
// not gets it.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: type-slot-access
#include <Python.h>

typedef struct { PyObject_HEAD PyObject *x; } BoxObject;

static void Direct_dealloc(BoxObject *self)
{
    Py_XDECREF(self->x);
    Py_DECREF(Py_TYPE(self));
    PyObject_Free(self);
}

static void ThroughVar_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_Free(self);
    if (PyType_GetFlags(tp) & Py_TPFLAGS_HEAPTYPE)
        Py_DECREF(tp);
}
// CHECK-FIXES-NOT: PyTypeObject *abi3port_type = Py_TYPE((PyObject *)self);
// CHECK-FIXES-NOT: PyTypeObject *abi3port_type = Py_TYPE(self);

static void Plain_dealloc(BoxObject *self) { PyObject_Free(self); }
// CHECK-FIXES: static void Plain_dealloc(BoxObject *self) { PyTypeObject *abi3port_type = Py_TYPE((PyObject *)self); PyObject_Free(self); Py_DECREF(abi3port_type); }

static PyTypeObject Direct_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rel.Direct",
    .tp_basicsize = sizeof(BoxObject),
    .tp_dealloc = (destructor)Direct_dealloc,
    .tp_new = PyType_GenericNew,
};

static PyTypeObject ThroughVar_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rel.ThroughVar",
    .tp_basicsize = sizeof(BoxObject),
    .tp_dealloc = ThroughVar_dealloc,
    .tp_new = PyType_GenericNew,
};

static PyTypeObject Plain_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rel.Plain",
    .tp_basicsize = sizeof(BoxObject),
    .tp_dealloc = (destructor)Plain_dealloc,
    .tp_new = PyType_GenericNew,
};
// CHECK-FIXES: {Py_tp_dealloc, (void *)Direct_dealloc},
// CHECK-FIXES: {Py_tp_dealloc, (void *)ThroughVar_dealloc},
// CHECK-FIXES: {Py_tp_dealloc, (void *)Plain_dealloc},

static struct PyModuleDef rel_module = {PyModuleDef_HEAD_INIT, "rel", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_rel(void) {
    if (PyType_Ready(&Direct_Type) < 0)
        return NULL;
    if (PyType_Ready(&ThroughVar_Type) < 0)
        return NULL;
    if (PyType_Ready(&Plain_Type) < 0)
        return NULL;
    return PyModule_Create(&rel_module);
}
