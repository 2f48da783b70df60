// ARGS: --target 3.10
// CHECK-IGNORE: module-global-state
#include <Python.h>

typedef struct { PyObject_HEAD int v; } ThingObject;

static PyObject *thing_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
    ThingObject *self = (ThingObject *)type->tp_alloc(type, 0);
// CHECK-FIXES: ThingObject *self = (ThingObject *)((allocfunc)PyType_GetSlot(type, Py_tp_alloc))(type, 0);
    if (self != NULL && (type->tp_flags & Py_TPFLAGS_HAVE_GC))
// CHECK-FIXES: if (self != NULL && (PyType_GetFlags(type) & Py_TPFLAGS_HAVE_GC))
        self->v = 1;
    return (PyObject *)self;
}

static void thing_dealloc(PyObject *self) {
    Py_TYPE(self)->tp_free(self);
// CHECK-FIXES: ((freefunc)PyType_GetSlot(Py_TYPE(self), Py_tp_free))(self);
}

static Py_ssize_t size_of(PyTypeObject *type) {
    return type->tp_basicsize;
// CHECK-MANUAL: [[@LINE-1]] PyTypeObject.tp_basicsize has no slot id
}
