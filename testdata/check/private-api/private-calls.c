// Private _Py names the user spells are reported; the ones public macros
// expand to (Py_None is &_Py_NoneStruct) are not.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static PyObject *sign(PyObject *self, PyObject *v) {
    int s = _PyLong_Sign(v);
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: '_PyLong_Sign' is a private CPython API{{.*}} [private-api]
    if (s == 0) {
        Py_INCREF(Py_None);
        return Py_None;
    }
    return PyLong_FromLong(s);
}
