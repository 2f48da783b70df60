// From 3.11 the Limited API's Py_INCREF, Py_TYPE, ... are functions taking
// PyObject *; the full API's macros cast their argument.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

typedef struct { PyObject_HEAD int v; } ThingObject;

static PyObject *keep(ThingObject *self, PyTypeObject *type) {
    Py_INCREF(self);
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: in the Limited API for 3.11 Py_INCREF() takes a PyObject *, and this argument is 'ThingObject *'; cast it with (PyObject *) (fixable) [object-pointer-cast]
    Py_TYPE(type);
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: {{.*}}Py_TYPE() takes a PyObject *, and this argument is 'PyTypeObject *'{{.*}} [object-pointer-cast]
    Py_DECREF(type);           /* Py_DECREF still casts at 3.11: must not fire */
    PyObject *o = (PyObject *)self;
    Py_INCREF(o);              /* already a PyObject *: must not fire */
    Py_INCREF((PyObject *)self); /* already cast: must not fire */
    return o;
}
