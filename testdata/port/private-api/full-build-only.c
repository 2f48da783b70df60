// Private calls in code the limited build never compiles block nothing: the
// file gets Py_LIMITED_API, and the report still names them.
// ARGS: --target 3.11
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static int sign(PyObject *v) {
#ifndef Py_LIMITED_API
    return _PyLong_Sign(v);
// CHECK-MANUAL: [[@LINE-1]] '_PyLong_Sign' is a private CPython API{{.*}}; compiled only without Py_LIMITED_API ('#ifndef Py_LIMITED_API'), so it does not block the Limited API build [private-api]
#else
    return PyObject_RichCompareBool(v, Py_False, Py_GT);
#endif
}

static int sign2(PyObject *v) {
#if !defined(Py_LIMITED_API) || PY_VERSION_HEX < 0x030B0000
    return _PyLong_Sign(v);
// CHECK-MANUAL: [[@LINE-1]] '_PyLong_Sign' is a private CPython API{{.*}}; compiled only without Py_LIMITED_API ('#if !defined(Py_LIMITED_API) || PY_VERSION_HEX < 0x030B0000'), so it does not block
#else
    return 0;
#endif
}
