// Setters become the checked call only on provably fresh containers; any
// other list store goes through a helper that keeps the macro's behaviour.
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

// CHECK-FIXES: PyObject *old = PyList_GetItem(list, i);
static void overwrite(PyObject *list, PyObject *item) {
    /* Not PyList_SetItem: the list is not fresh, the old item would be released. */
    PyList_SET_ITEM(list, 0, item);
// CHECK-FIXES: abi3port_list_set_item(list, 0, item);
// CHECK-FIXES-NOT: PyList_SetItem(list, 0, item);
}

typedef struct {
    PyObject *items;
} Holder;

static int fill(Holder *h, PyObject *item) {
    h->items = PyList_New(1);
    if (h->items == NULL)
        return -1;
    PyList_SET_ITEM(h->items, 0, item);
// CHECK-FIXES: abi3port_list_set_item(h->items, 0, item);
    return 0;
}

#define STORE_FIRST(l, v) PyList_SET_ITEM(l, 0, v)
static void store_first(PyObject *list, PyObject *v) {
    /* Must not fire: inside a macro of the project. */
    STORE_FIRST(list, v);
// CHECK-MANUAL: [[@LINE-1]] PyList_SET_ITEM is used inside a macro of this project
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

/* A tuple packed on the other branch never reaches the stores. */
static PyObject *prepend(PyObject *args, PyObject *first, int packed) {
    PyObject *t = NULL;
    if (packed) {
        t = PyTuple_Pack(1, first);
    } else {
        t = PyTuple_New(2);
        if (t) {
            Py_INCREF(first);
            PyTuple_SET_ITEM(t, 0, first);
// CHECK-FIXES: PyTuple_SetItem(t, 0, first);
            Py_INCREF(args);
            PyTuple_SET_ITEM(t, 1, args);
// CHECK-FIXES: PyTuple_SetItem(t, 1, args);
        }
    }
    return t;
}

/* Must not fire: in a loop, the packed tuple of one turn reaches the
   stores of the next. */
static PyObject *last_pair(PyObject *a, int n) {
    PyObject *t = NULL;
    for (int i = 0; i < n; i++) {
        if (i % 2) {
            Py_XDECREF(t);
            t = PyTuple_Pack(2, a, a);
        } else {
            if (t == NULL)
                t = PyTuple_New(2);
            Py_INCREF(a);
            PyTuple_SET_ITEM(t, 0, a);
// CHECK-MANUAL: [[@LINE-1]] PyTuple_SET_ITEM on 't', which is not provably fresh
        }
    }
    return t;
}

/* Must not fire: the packed tuple is the one stored into. */
static PyObject *repack(PyObject *a, PyObject *b) {
    PyObject *t = PyTuple_Pack(1, a);
    if (t == NULL)
        return NULL;
    Py_INCREF(b);
    PyTuple_SET_ITEM(t, 0, b);
// CHECK-MANUAL: [[@LINE-1]] PyTuple_SET_ITEM on 't', which is not provably fresh
    return t;
}

/* Must not fire: a backward jump makes a loop. */
static PyObject *retry(PyObject *a, int packed) {
    PyObject *t = NULL;
again:
    if (packed) {
        t = PyTuple_Pack(1, a);
        packed = 0;
        goto again;
    } else {
        t = PyTuple_New(1);
        Py_INCREF(a);
        PyTuple_SET_ITEM(t, 0, a);
// CHECK-MANUAL: [[@LINE-1]] PyTuple_SET_ITEM on 't', which is not provably fresh
    }
    return t;
}
