// ARGS: --target 3.10
#define Py_LIMITED_API 0x030A0000
#include <Python.h>

typedef struct { PyObject_HEAD int v; } ThingObject;

static PyObject *keep(ThingObject *self) {
    Py_INCREF(self);
    return (PyObject *)self;
}
