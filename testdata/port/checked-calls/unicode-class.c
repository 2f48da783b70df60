// Py_UNICODE_IS*(ch): the str method, through a helper generated once.
// ARGS: --target 3.11
#include <Python.h>

static Py_ssize_t leading_spaces(PyObject *s) {
    Py_ssize_t i = 0, n = PyUnicode_GET_LENGTH(s);
    while (i < n && Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(s, i)))
        i++;
// CHECK-FIXES: static int
// CHECK-FIXES: abi3port_unicode_is(Py_UCS4 ch, const char *method)
// CHECK-FIXES: while (i < n && abi3port_unicode_is(PyUnicode_ReadChar(s, i), "isspace"))
    return i;
}
