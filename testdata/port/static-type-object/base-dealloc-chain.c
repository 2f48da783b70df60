// A subtype's dealloc that ends in its base's: the base's dealloc releases
// the type (whichever type the object has), the subtype's does not release
// it again; the traverse likewise visits the type once.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: type-slot-access
#include <Python.h>

typedef struct { PyObject_HEAD PyObject *x; } BaseObject;
typedef struct { BaseObject base; PyObject *y; } SubObject;

static int Base_traverse(BaseObject *self, visitproc visit, void *arg) { Py_VISIT(self->x); return 0; }
// CHECK-FIXES: static int Base_traverse(BaseObject *self, visitproc visit, void *arg) {
// CHECK-FIXES: Py_VISIT(Py_TYPE((PyObject *)self)); Py_VISIT(self->x); return 0; }
static void Base_dealloc(BaseObject *self) { PyObject_GC_UnTrack(self); Py_CLEAR(self->x); PyObject_GC_Del(self); }
// CHECK-FIXES: static void Base_dealloc(BaseObject *self) { PyTypeObject *abi3port_type = Py_TYPE((PyObject *)self); PyObject_GC_UnTrack(self); Py_CLEAR(self->x); PyObject_GC_Del(self); Py_DECREF(abi3port_type); }

static int
Sub_traverse(SubObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->y);
    return Base_traverse((BaseObject *)self, visit, arg);
}

static void
Sub_dealloc(SubObject *self)
{
    Py_CLEAR(self->y);
    Base_dealloc((BaseObject *)self);
}
// CHECK-FIXES-NOT: PyTypeObject *abi3port_type = Py_TYPE((PyObject *)self);
// CHECK-FIXES-NOT: Py_DECREF(abi3port_type);
// CHECK-FIXES-NOT: Py_VISIT(Py_TYPE((PyObject *)self));

static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "chain.Base",
    .tp_basicsize = sizeof(BaseObject),
    .tp_dealloc = (destructor)Base_dealloc,
    .tp_traverse = (traverseproc)Base_traverse,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
};

static PyTypeObject Sub_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "chain.Sub",
    .tp_basicsize = sizeof(SubObject),
    .tp_dealloc = (destructor)Sub_dealloc,
    .tp_traverse = (traverseproc)Sub_traverse,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_base = &Base_Type,
};
// CHECK-FIXES: {Py_tp_dealloc, (void *)Base_dealloc},
// CHECK-FIXES: {Py_tp_dealloc, (void *)Sub_dealloc},

static struct PyModuleDef chain_module = {PyModuleDef_HEAD_INIT, "chain", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_chain(void) {
    if (PyType_Ready(&Base_Type) < 0)
        return NULL;
    if (PyType_Ready(&Sub_Type) < 0)
        return NULL;
    return PyModule_Create(&chain_module);
}
