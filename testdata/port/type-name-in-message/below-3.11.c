// ARGS: --target 3.8
// CHECK-FIXES: #define Py_LIMITED_API 0x03080000
#include <Python.h>

static int check(PyObject *o) {
    PyErr_Format(PyExc_TypeError, "not %s", Py_TYPE(o)->tp_name);
// CHECK-FIXES: PyObject *abi3port_type_name_0 = abi3port_type_name(Py_TYPE(o));
// CHECK-FIXES: PyErr_Format(PyExc_TypeError, "not %U", abi3port_type_name_0);
    return -1;
}
