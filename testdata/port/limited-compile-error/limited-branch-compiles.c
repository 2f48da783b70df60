// Must not fire: the code only the limited build compiles is fine, and the
// full build's is the author's business: Py_LIMITED_API is defined.
// ARGS: --target 3.11
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *first(PyObject *t) {
#ifdef Py_LIMITED_API
    return PyTuple_GetItem(t, 0);
#else
    return PySequence_GetItem(t, 0);
#endif
}
