// A rename spelled in the body of a project macro is made on that token, once:
// every expansion then gets the checked call.
// ARGS: --target 3.11
#include <Python.h>

#define Bytes_AS_STRING PyBytes_AS_STRING
// CHECK-FIXES: #define Bytes_AS_STRING PyBytes_AsString
#define FIRST(t) PyTuple_GET_ITEM(t, 0)
// CHECK-FIXES: #define FIRST(t) PyTuple_GetItem(t, 0)

static char first_byte(PyObject *b) {
    return Bytes_AS_STRING(b)[0];
}

static char second_byte(PyObject *b) {
    return Bytes_AS_STRING(b)[1];
}

static PyObject *head(PyObject *t) {
    return FIRST(t);
}

/* Must not fire: a setter in a macro is not a rename. */
#define PUT(t, v) PyTuple_SET_ITEM(t, 0, v)
static PyObject *one(PyObject *v) {
    PyObject *t = PyTuple_New(1);
    if (t != NULL)
        PUT(t, v);
// CHECK-MANUAL: [[@LINE-1]] PyTuple_SET_ITEM is used inside a macro of this project
    return t;
}
