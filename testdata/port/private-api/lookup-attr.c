// _PyObject_LookupAttr through a helper made of Limited API calls.
// ARGS: --target 3.11
#include <Python.h>

static int has_name(PyObject *obj, PyObject *name) {
    PyObject *value;
    int rc = _PyObject_LookupAttr(obj, name, &value);
// CHECK-FIXES: abi3port_lookup_attr(PyObject *obj, PyObject *name, PyObject **result)
// CHECK-FIXES: int rc = abi3port_lookup_attr(obj, name, &value);
    Py_XDECREF(value);
    return rc;
}
