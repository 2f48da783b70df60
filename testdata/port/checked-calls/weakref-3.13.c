// PyWeakref_GetObject is deprecated from 3.13 and gone from the 3.15
// headers: at 3.13 the borrowed reference comes from PyWeakref_GetRef.
// ARGS: --target 3.13
// CHECK-IGNORE: module-global-state
#include <Python.h>

static PyObject *deref(PyObject *self, PyObject *ref) {
    PyObject *obj = PyWeakref_GET_OBJECT(ref);
// CHECK-FIXES: abi3port_weakref_object(PyObject *ref)
// CHECK-FIXES: int found = PyWeakref_GetRef(ref, &obj);
// CHECK-FIXES: return found < 0 ? NULL : Py_None;
// CHECK-FIXES: PyObject *obj = abi3port_weakref_object(ref);
    Py_INCREF(obj);
    return obj;
}

static PyObject *alive(PyObject *self, PyObject *ref) {
    return PyBool_FromLong(PyWeakref_GET_OBJECT(ref) != Py_None);
// CHECK-FIXES: return PyBool_FromLong(abi3port_weakref_object(ref) != Py_None);
}
