// Setters are rewritten only into provably fresh containers.
// ARGS: --target 3.11
#include <Python.h>

static PyObject *pair(PyObject *a, PyObject *b) {
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return NULL;
    Py_INCREF(a);
    PyTuple_SET_ITEM(t, 0, a);
// CHECK-FIXES: PyTuple_SetItem(t, 0, a);
    Py_INCREF(b);
    PyTuple_SET_ITEM(t, 1, b);
// CHECK-FIXES: PyTuple_SetItem(t, 1, b);
    return t;
}

static PyObject *rows(Py_ssize_t n) {
    PyObject *result = PyList_New(n);
    if (!result)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = PyTuple_New(1);
        if (row == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyTuple_SET_ITEM(row, 0, PyLong_FromSsize_t(i));
// CHECK-FIXES: PyTuple_SetItem(row, 0, PyLong_FromSsize_t(i));
        PyList_SET_ITEM(result, i, row);
// CHECK-FIXES: PyList_SetItem(result, i, row);
    }
    return result;
}

static void overwrite(PyObject *list, PyObject *item) {
    /* Must not fire: the list is not fresh, the old item would be released. */
    PyList_SET_ITEM(list, 0, item);
// CHECK-MANUAL: [[@LINE-1]] PyList_SET_ITEM on 'list', which is not provably fresh
}

static PyObject *shared(PyObject *x) {
    PyObject *t = PyTuple_New(1);
    if (t == NULL)
        return NULL;
    PyObject *keep = PyObject_Repr(t);   /* t escapes before the store */
    Py_INCREF(x);
    PyTuple_SET_ITEM(t, 0, x);
// CHECK-MANUAL: [[@LINE-1]] PyTuple_SET_ITEM on 't', which is not provably fresh
    Py_XDECREF(keep);
    return t;
}
