// ARGS: --target 3.11
#include <Python.h>

typedef struct { PyObject_HEAD int v; } ThingObject;

static PyObject *keep(ThingObject *self, int flag) {
    Py_INCREF(self);
// CHECK-FIXES: Py_INCREF((PyObject *)self);
    if (Py_TYPE(flag ? self : self) == NULL)
// CHECK-FIXES: if (Py_TYPE((PyObject *)(flag ? self : self)) == NULL)
        return NULL;
    Py_DECREF(self); /* still a casting macro at 3.11: unchanged */
// CHECK-FIXES: Py_DECREF(self); /* still a casting macro at 3.11: unchanged */
    return (PyObject *)self;
}
