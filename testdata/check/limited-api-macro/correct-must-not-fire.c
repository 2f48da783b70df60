// ARGS: --target 3.11
#define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *f(PyObject *self, PyObject *arg) { return PyList_GetItem(arg, 0); }
