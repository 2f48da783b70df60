// The same constructs at 3.11, where they are limited: no finding.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static PyObject *fast(PyObject *self, PyObject *const *args, Py_ssize_t n) {
    Py_RETURN_NONE;
}

static int getbuf(PyObject *self, Py_buffer *view, int flags) {
    return 0;
}

static PyMethodDef methods[] = {
    {"fast", (PyCFunction)(void (*)(void))fast, METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL}};
