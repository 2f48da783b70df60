// METH_FASTCALL and Py_buffer are in the Limited API only from 3.10 / 3.11.
// ARGS: --target 3.8
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static PyObject *fast(PyObject *self, PyObject *const *args, Py_ssize_t n) {
    Py_RETURN_NONE;
}

static int getbuf(PyObject *self, Py_buffer *view, int flags) {
// CHECK-MESSAGES: :[[@LINE-1]]:35: warning: 'Py_buffer' (type) is not in the Limited API for 3.8; it is from 3.11 [non-limited-api]
    return 0;
}

static PyMethodDef methods[] = {
    {"fast", (PyCFunction)(void (*)(void))fast, METH_FASTCALL, NULL},
// CHECK-MESSAGES: :[[@LINE-1]]:49: warning: 'METH_FASTCALL' (macro) is not in the Limited API for 3.8; it is from 3.10 [non-limited-api]
    {NULL, NULL, 0, NULL}};
