// ARGS: --target 3.13
#include <Python.h>

static int check(PyObject *o) {
    PyErr_Format(PyExc_TypeError, "not %.200s", Py_TYPE(o)->tp_name);
// CHECK-FIXES: PyErr_Format(PyExc_TypeError, "not %T", (PyObject *)(o));
    return -1;
}
