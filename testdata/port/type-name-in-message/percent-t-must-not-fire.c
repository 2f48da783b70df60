// A port already written for 3.13: %T, %N and PyType_GetName keep what the
// author chose; nothing reads tp_name, so nothing changes.
// ARGS: --target 3.13
#define Py_LIMITED_API 0x030D0000
#include <Python.h>

static PyObject *need_str(PyObject *self, PyObject *arg) {
    PyErr_Format(PyExc_TypeError, "expected str, not %T", arg);
    return NULL;
}

static PyObject *name_of(PyObject *self, PyObject *arg) {
    PyErr_Format(PyExc_TypeError, "expected str, not %N", (PyObject *)Py_TYPE(arg));
    return PyType_GetName(Py_TYPE(arg));
}
