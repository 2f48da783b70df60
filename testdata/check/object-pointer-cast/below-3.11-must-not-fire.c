// Below 3.11 the limited macros still cast: no finding.
// ARGS: --target 3.10
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

typedef struct { PyObject_HEAD int v; } ThingObject;

static PyObject *keep(ThingObject *self) {
    Py_INCREF(self);
    return (PyObject *)self;
}
