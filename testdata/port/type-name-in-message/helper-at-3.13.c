// At 3.13 and later the name still comes from the helper, never from %T:
// %T prints "mod.f.<locals>.Sub" where tp_name is "Sub" (a class defined in
// Python) and drops the precision, so the message would change.
// ARGS: --target 3.13 --state global
// CHECK-IGNORE: static-type-object
#include <Python.h>

static int check(PyObject *o) {
    PyErr_Format(PyExc_TypeError, "not %.200s", Py_TYPE(o)->tp_name);
// CHECK-FIXES: PyObject *abi3port_type_name_0 = abi3port_type_name(Py_TYPE(o));
// CHECK-FIXES: if (abi3port_type_name_0 != NULL)
// CHECK-FIXES: PyErr_Format(PyExc_TypeError, "not %.200U", abi3port_type_name_0);
// CHECK-FIXES: Py_XDECREF(abi3port_type_name_0);
    return -1;
}

static PyObject *repr(PyObject *self) {
    return PyUnicode_FromFormat("%s()", Py_TYPE(self)->tp_name);
// CHECK-FIXES: abi3port_message = PyUnicode_FromFormat("%U()", abi3port_type_name_0);
// CHECK-FIXES: return abi3port_message;
}

static PyTypeObject Known_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "m.Known",
};

static int is_known(PyObject *o) {
    return PyObject_TypeCheck(o, &Known_Type);
}

static int need_known(PyObject *o) {
    PyErr_Format(PyExc_TypeError, "need %s, not %s", Known_Type.tp_name, Py_TYPE(o)->tp_name);
// CHECK-FIXES: PyErr_Format(PyExc_TypeError, "need %s, not %U", "m.Known", abi3port_type_name_0);
    return -1;
}

static PyObject *in_expression(PyObject *o) {
    PyObject *s = PyUnicode_FromFormat("%s", Py_TYPE(o)->tp_name);
// CHECK-MANUAL: [[@LINE-1]] Py_TYPE(x)->tp_name in a message: the call's value is used inside an expression; make the call a statement
    return s;
}
