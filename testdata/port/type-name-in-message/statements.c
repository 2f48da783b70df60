// ARGS: --target 3.11 --state global
// CHECK-IGNORE: static-type-object
#include <Python.h>

static int check(PyObject *o) {
    if (!PyLong_Check(o)) {
        PyErr_Format(PyExc_TypeError, "expected int, not %.100s", Py_TYPE(o)->tp_name);
// CHECK-FIXES: PyObject *abi3port_type_name_0 = abi3port_type_name(Py_TYPE(o));
// CHECK-FIXES: if (abi3port_type_name_0 != NULL)
// CHECK-FIXES: PyErr_Format(PyExc_TypeError, "expected int, not %.100U", abi3port_type_name_0);
// CHECK-FIXES: Py_XDECREF(abi3port_type_name_0);
        return -1;
    }
    return 0;
}

static PyObject *describe(PyObject *self, PyObject *o) {
    return PyUnicode_FromFormat("<%s %R>", Py_TYPE(o)->tp_name, o);
// CHECK-FIXES: PyObject *abi3port_message = NULL;
// CHECK-FIXES: abi3port_message = PyUnicode_FromFormat("<%U %R>", abi3port_type_name_0, o);
// CHECK-FIXES: return abi3port_message;
}

static PyObject *fail(PyObject *o) {
    if (o == NULL)
        return PyErr_Format(PyExc_ValueError, "bad %s", Py_TYPE(o)->tp_name);
// CHECK-FIXES: PyErr_Format(PyExc_ValueError, "bad %U", abi3port_type_name_0);
// CHECK-FIXES: return NULL;
    return NULL;
}

static const char *value_used(PyObject *o) {
    PyObject *s = PyUnicode_FromFormat("%s", Py_TYPE(o)->tp_name) ;
// CHECK-MANUAL: [[@LINE-1]] Py_TYPE(x)->tp_name in a message: the call's value is used inside an expression
    Py_XDECREF(s);
    return NULL;
}

static PyTypeObject Known_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "m.Known",
};

static PyObject *assigned(PyObject *o) {
    PyObject *result;
    result = PyUnicode_FromFormat("%s(%R)", Py_TYPE(o)->tp_name, o);
// CHECK-FIXES: result = NULL;
// CHECK-FIXES: if (abi3port_type_name_0 != NULL)
// CHECK-FIXES: result = PyUnicode_FromFormat("%U(%R)", abi3port_type_name_0, o);
    return result;
}

static PyObject *known(PyObject *o) {
    return PyErr_Format(PyExc_TypeError, "need %s", Known_Type.tp_name);
// The literal would leave 'Known_Type' unused (a new -Wunused-variable
// warning): the self-verification takes the rewrite back.
// CHECK-FIXES: return PyErr_Format(PyExc_TypeError, "need %s", Known_Type.tp_name);
// CHECK-MANUAL: [[@LINE-4]] not rewritten: this rewrite would make the full-API build worse {{.*}}unused variable 'Known_Type'
// CHECK-MANUAL: [[@LINE-5]] Py_TYPE(x)->tp_name reads the type struct
}
