// Getters become checked calls; the arguments stay as written.
// ARGS: --target 3.11
// CHECK-IGNORE: module-global-state
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *first_and_size(PyObject *self, PyObject *args) {
    PyObject *list = PyTuple_GET_ITEM(args, 0);
// CHECK-FIXES: PyObject *list = PyTuple_GetItem(args, 0);
    Py_ssize_t n = PyList_GET_SIZE(list) + PyTuple_GET_SIZE(args);
// CHECK-FIXES: Py_ssize_t n = PyList_Size(list) + PyTuple_Size(args);
    double d = PyFloat_AS_DOUBLE(PyList_GET_ITEM(list, 0));
// CHECK-FIXES: double d = PyFloat_AsDouble(PyList_GetItem(list, 0));
    const char *s = PyBytes_AS_STRING(PyList_GET_ITEM(list, 1));
// CHECK-FIXES: const char *s = PyBytes_AsString(PyList_GetItem(list, 1));
    Py_ssize_t k = PyUnicode_GET_LENGTH(PyList_GET_ITEM(list, 2));
// CHECK-FIXES: Py_ssize_t k = PyUnicode_GetLength(PyList_GetItem(list, 2));
    const char *u = PyUnicode_AsUTF8(PyList_GET_ITEM(list, 2));
// CHECK-FIXES: const char *u = PyUnicode_AsUTF8AndSize(PyList_GetItem(list, 2), NULL);
    PyObject *r = PyObject_CallOneArg(list, args);
// CHECK-FIXES: PyObject *r = PyObject_CallFunctionObjArgs(list, args, NULL);
    Py_ssize_t m = PySet_GET_SIZE(PyList_GET_ITEM(list, 3));
// CHECK-FIXES: Py_ssize_t m = PySet_Size(PyList_GetItem(list, 3));
    (void)s; (void)u; (void)k; (void)d; (void)m;
    return r ? r : PyLong_FromSsize_t(n);
}

/* Struct sequences: CPython's functions are the macros. */
static PyObject *first_field(PyObject *record) {
    return PyStructSequence_GET_ITEM(record, 0);
// CHECK-FIXES: return PyStructSequence_GetItem(record, 0);
}

static void set_first_field(PyObject *record, PyObject *value) {
    PyStructSequence_SET_ITEM(record, 0, value);
// CHECK-FIXES: PyStructSequence_SetItem(record, 0, value);
}
