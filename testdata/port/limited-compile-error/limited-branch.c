// Code only the limited build compiles is verified too: a non-limited call in
// #ifdef Py_LIMITED_API, a name the limited headers do not declare at the
// target in the #else of #ifndef Py_LIMITED_API. Py_LIMITED_API is not
// defined, and the compiler's message is reported.
// ARGS: --target 3.8
#include <Python.h>

static PyObject *first(PyObject *t) {
#ifdef Py_LIMITED_API
    return PyTuple_GET_ITEM(t, 0);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.8 and no other finding covers it: call to undeclared function 'PyTuple_GET_ITEM'
// CHECK-MANUAL: [[@LINE-2]] does not compile with Py_LIMITED_API=3.8 and no other finding covers it: incompatible integer to pointer conversion
#else
    return PyTuple_GetItem(t, 0);
#endif
}

static const char *utf8(PyObject *s) {
#ifndef Py_LIMITED_API
    return PyUnicode_AsUTF8AndSize(s, NULL);
// CHECK-MANUAL: [[@LINE-1]] 'PyUnicode_AsUTF8AndSize' (function) is not in the Limited API for 3.8; it is from 3.10; compiled only without Py_LIMITED_API ('#ifndef Py_LIMITED_API'), so it does not block the Limited API build [non-limited-api]
#else
    return PyUnicode_AsUTF8(s);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.8 and no other finding covers it: call to undeclared function 'PyUnicode_AsUTF8'
// CHECK-MANUAL: [[@LINE-2]] does not compile with Py_LIMITED_API=3.8 and no other finding covers it: incompatible integer to pointer conversion
#endif
}
