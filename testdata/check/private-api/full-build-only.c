// Code the limited build never compiles (#ifndef Py_LIMITED_API, or an #if
// that is false once Py_LIMITED_API is defined) is reported, but as code of
// the full build only: it does not block the Limited API build.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static int sign(PyObject *v) {
#ifndef Py_LIMITED_API
    return _PyLong_Sign(v);
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: '_PyLong_Sign' is a private CPython API{{.*}}; compiled only without Py_LIMITED_API (full-build-only.c:9 '#ifndef Py_LIMITED_API'), so it does not block the Limited API build [private-api]
#else
    return PyObject_RichCompareBool(v, Py_False, Py_GT);
#endif
}

static int sign2(PyObject *v) {
#if !defined(Py_LIMITED_API) || PY_VERSION_HEX < 0x030B0000
    return _PyLong_Sign(v);
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: '_PyLong_Sign' is a private CPython API{{.*}}; compiled only without Py_LIMITED_API (full-build-only.c:18 '#if !defined(Py_LIMITED_API) || PY_VERSION_HEX < 0x030B0000'), so it does not block the Limited API build [private-api]
#else
    return 0;
#endif
}

// Must fire as a blocker: the same call where both builds compile it, and
// in an #if that stays true under Py_LIMITED_API=3.11.
static int sign3(PyObject *v) {
    return _PyLong_Sign(v);
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: '_PyLong_Sign' is a private CPython API: no stability promise, not in the Limited API; replace it with public calls [private-api]
}

static int sign4(PyObject *v) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API >= 0x030B0000
    return _PyLong_Sign(v);
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: '_PyLong_Sign' is a private CPython API: no stability promise, not in the Limited API; replace it with public calls [private-api]
#else
    return 0;
#endif
}
