// Direct tp_* access on a type object.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static PyObject *make(PyTypeObject *type) {
    PyObject *self = type->tp_alloc(type, 0);
// CHECK-MESSAGES: :[[@LINE-1]]:22: warning: direct access to PyTypeObject.tp_alloc{{.*}}PyType_GetSlot{{.*}} [type-slot-access]
    if (type->tp_flags & Py_TPFLAGS_HAVE_GC) {}
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: direct access to PyTypeObject.tp_flags{{.*}}PyType_GetFlags{{.*}} [type-slot-access]
    return self;
}

static void dealloc(PyObject *self) {
    Py_TYPE(self)->tp_free(self);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: direct access to PyTypeObject.tp_free{{.*}} [type-slot-access]
}

static PyObject *limited_forms(PyObject *self) {
    // Must not fire: the Limited API spellings.
    allocfunc alloc = (allocfunc)PyType_GetSlot(Py_TYPE(self), Py_tp_alloc);
    (void)alloc;
    return PyLong_FromUnsignedLong(PyType_GetFlags(Py_TYPE(self)));
}
