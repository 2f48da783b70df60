// Below 3.13 PyWeakref_GetRef does not exist: PyWeakref_GetObject, no helper.
// ARGS: --target 3.11
// CHECK-IGNORE: module-global-state
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *deref(PyObject *self, PyObject *ref) {
    PyObject *obj = PyWeakref_GET_OBJECT(ref);
// CHECK-FIXES: PyObject *obj = PyWeakref_GetObject(ref);
    Py_INCREF(obj);
    return obj;
}
