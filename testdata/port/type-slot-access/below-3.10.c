// Below 3.10 PyType_GetSlot rejects static types: slot reads stay manual;
// tp_flags works at every version.
// ARGS: --target 3.8
#include <Python.h>

static void dealloc(PyObject *self) {
    Py_TYPE(self)->tp_free(self);
// CHECK-MANUAL: [[@LINE-1]] PyType_GetSlot(Py_TYPE(self), Py_tp_free) accepts static types only from 3.10
}

static int has_gc(PyTypeObject *t) {
    return (t->tp_flags & Py_TPFLAGS_HAVE_GC) != 0;
// CHECK-FIXES: return (PyType_GetFlags(t) & Py_TPFLAGS_HAVE_GC) != 0;
}
