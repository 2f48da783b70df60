// Py_TYPE(x)->tp_name passed to a format call.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static PyObject *need_str(PyObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "expected str, not %.200s", Py_TYPE(arg)->tp_name);
// CHECK-MESSAGES: :[[@LINE-1]]:67: warning: Py_TYPE(x)->tp_name reads the type struct{{.*}} [type-name-in-message]
        return NULL;
    }
    return PyUnicode_FromFormat("<%s>", Py_TYPE(arg)->tp_name);
// CHECK-MESSAGES: :[[@LINE-1]]:41: warning: Py_TYPE(x)->tp_name{{.*}} [type-name-in-message]
}

static const char *name_outside_message(PyObject *arg) {
    return Py_TYPE(arg)->tp_name;
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: direct access to PyTypeObject.tp_name{{.*}} [type-slot-access]
}

static PyObject *already_limited(PyObject *self, PyObject *arg) {
    // Must not fire: %R of the type object is the Limited API way.
    PyErr_Format(PyExc_TypeError, "expected str, not %R", (PyObject *)Py_TYPE(arg));
    return NULL;
}
