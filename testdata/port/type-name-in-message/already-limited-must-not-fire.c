// Messages that do not read tp_name are left alone.
// ARGS: --target 3.11
#define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *need_str(PyObject *self, PyObject *arg) {
    PyErr_Format(PyExc_TypeError, "expected str, not %R", (PyObject *)Py_TYPE(arg));
    return NULL;
}
