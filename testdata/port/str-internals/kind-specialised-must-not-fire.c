// Code specialised on the kind keeps the representation: manual.
// ARGS: --target 3.11
// CHECK-IGNORE: non-limited-api
#include <Python.h>

static int all_latin1(PyObject *s) {
    int kind = PyUnicode_KIND(s);
// CHECK-MANUAL: [[@LINE-1]] kind-specialised code on 's': 'kind' is used other than as PyUnicode_READ's first argument
    const void *data = PyUnicode_DATA(s);
    if (kind == PyUnicode_1BYTE_KIND)
        return 1;
    return PyUnicode_READ(kind, data, 0) < 256;
}

static Py_UCS4 first_of_other(PyObject *s, PyObject *t) {
    int kind = PyUnicode_KIND(s);
// CHECK-MANUAL: [[@LINE-1]] kind-specialised code on 's': 's' is assigned in the function
    const void *data = PyUnicode_DATA(s);
    s = t;
    return PyUnicode_READ(kind, data, 0);
}
