// _PyBytes_Resize through a helper made of Limited API calls, with the same
// answers (shared or non-bytes objects fail, *pv released and NULL).
// ARGS: --target 3.11
#include <Python.h>

static PyObject *shrink(const char *data, Py_ssize_t n, Py_ssize_t used) {
    PyObject *out = PyBytes_FromStringAndSize(data, n);
    if (out == NULL)
        return NULL;
// CHECK-FIXES: abi3port_bytes_resize(PyObject **pv, Py_ssize_t newsize)
// CHECK-FIXES: if (size != 0 && Py_REFCNT(old) != 1)
    if (_PyBytes_Resize(&out, used) < 0)
// CHECK-FIXES: if (abi3port_bytes_resize(&out, used) < 0)
        return NULL;
    return out;
}
