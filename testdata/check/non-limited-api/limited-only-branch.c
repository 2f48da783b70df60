// Code only the limited build compiles (#ifdef Py_LIMITED_API, the #else of
// #ifndef Py_LIMITED_API, #ifndef of a macro only the full headers define)
// is audited too.
// ARGS: --target 3.8
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static Py_ssize_t length(PyObject *s) {
#ifdef Py_LIMITED_API
    return PySequence_Fast_GET_SIZE(s);
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'PySequence_Fast_GET_SIZE' (macro) is not in the Limited API for 3.8{{.*}}; in code compiled only with Py_LIMITED_API (limited-only-branch.c:9 '#ifdef Py_LIMITED_API') [{{checked-calls|non-limited-api}}]
#else
    return PySequence_Size(s);
#endif
}

#ifndef _PyArg_UnpackKeywords
static PyObject *fallback(PyObject *o) {
    return PyObject_Str(Py_TYPE(o)->tp_name ? o : o);
// CHECK-MESSAGES: :[[@LINE-1]]:35: warning: does not compile with Py_LIMITED_API=3.8: incomplete definition of type 'PyTypeObject'{{.*}}; in code compiled only with Py_LIMITED_API (limited-only-branch.c:17 '#ifndef _PyArg_UnpackKeywords') [limited-compile-error]
}
#endif

// Must not fire: limited-only code that the limited build compiles.
static PyObject *item(PyObject *t) {
#ifdef Py_LIMITED_API
    return PyTuple_GetItem(t, 0);
#else
    return PyTuple_GET_ITEM(t, 0);
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'PyTuple_GET_ITEM' (macro){{.*}}; compiled only without Py_LIMITED_API (limited-only-branch.c:28 '#else' of limited-only-branch.c:26 '#ifdef Py_LIMITED_API'), so it does not block the Limited API build (fixable) [checked-calls]
#endif
}
