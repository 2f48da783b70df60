// A kind/data pair read only through PyUnicode_READ becomes PyUnicode_ReadChar.
// ARGS: --target 3.11
#include <Python.h>

static Py_ssize_t count_spaces(PyObject *s) {
// CHECK-MANUAL: [[@LINE-1]] 1 PyUnicode_READ on the data of 's' became PyUnicode_ReadChar
    Py_ssize_t n = 0, i, len;
    if (PyUnicode_READY(s) < 0)
// CHECK-FIXES: if ((PyUnicode_GetLength(s) < 0 ? -1 : 0) < 0)
        return -1;
    int kind = PyUnicode_KIND(s);
// CHECK-FIXES-NOT: PyUnicode_KIND(s)
    const void *data = PyUnicode_DATA(s);
// CHECK-FIXES-NOT: PyUnicode_DATA(s)
    len = PyUnicode_GET_LENGTH(s);
    for (i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
// CHECK-FIXES: Py_UCS4 ch = PyUnicode_ReadChar(s, i);
        if (ch == ' ')
            n++;
    }
    return n;
}

static Py_UCS4 last(PyObject *text) {
// CHECK-MANUAL: [[@LINE-1]] 1 PyUnicode_READ on the data of 'text' became PyUnicode_ReadChar
    int kind;
    const void *data;
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    return PyUnicode_READ(kind, data, PyUnicode_GET_LENGTH(text) - 1);
// CHECK-FIXES: return PyUnicode_ReadChar(text, PyUnicode_GetLength(text) - 1);
}
