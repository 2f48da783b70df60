// An #if that stays true under Py_LIMITED_API=3.11: the private call is in
// the limited build too, so it blocks, and nothing changes.
// ARGS: --target 3.11
#include <Python.h>

static int sign(PyObject *v) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API >= 0x030B0000
    return _PyLong_Sign(v);
// CHECK-MANUAL: [[@LINE-1]] '_PyLong_Sign' is a private CPython API: no stability promise, not in the Limited API; replace it with public calls [private-api]
#else
    return 0;
#endif
}
