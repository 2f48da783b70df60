// Already ported code: nothing changes.
// ARGS: --target 3.11
#define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *first(PyObject *list) {
    PyObject *item = PyList_GetItem(list, 0);
    Py_XINCREF(item);
    return item;
}
