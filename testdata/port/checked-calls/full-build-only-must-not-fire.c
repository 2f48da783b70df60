// Code only the full build compiles (`#ifndef Py_LIMITED_API`) is the
// author's full-API path: the rules that only modernise code leave it as
// written; the same call outside is rewritten.
// ARGS: --target 3.11
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *first_fast(PyObject *list) {
#ifndef Py_LIMITED_API
    return Py_NewRef(PyList_GET_ITEM(list, 0));
// CHECK-FIXES: return Py_NewRef(PyList_GET_ITEM(list, 0));
// CHECK-MANUAL: [[@LINE-2]] 'PyList_GET_ITEM' (macro) is not in the Limited API for 3.11
#else
    return Py_NewRef(PyList_GetItem(list, 0));
#endif
}

static PyObject *first(PyObject *list) {
    return Py_NewRef(PyList_GET_ITEM(list, 0));
// CHECK-FIXES: return Py_NewRef(PyList_GetItem(list, 0));
}
