// Accessor macros outside the Limited API, with their checked replacements.
// ARGS: --target 3.8
// CHECK-IGNORE: limited-api-macro
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *first(PyObject *list) {
    PyObject *item = PyList_GET_ITEM(list, 0);
// CHECK-MESSAGES: :[[@LINE-1]]:22: warning: 'PyList_GET_ITEM' (macro) is not in the Limited API for 3.8; use PyList_GetItem (3.2){{.*}} [{{checked-calls|non-limited-api}}]
    Py_ssize_t n = PyTuple_GET_SIZE(list) + PyBytes_GET_SIZE(list);
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'PyTuple_GET_SIZE' (macro){{.*}}
// CHECK-MESSAGES: :[[@LINE-2]]:45: warning: 'PyBytes_GET_SIZE' (macro){{.*}}
    const char *s = PyUnicode_AsUTF8(item);
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'PyUnicode_AsUTF8' (function) is not in the Limited API for 3.8; use PyUnicode_AsUTF8AndSize(o, NULL) (3.10){{.*}} [non-limited-api]
    (void)s;
    (void)n;
    return item;
}
