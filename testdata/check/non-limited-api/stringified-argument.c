// A site in a macro argument that the macro also turns into a string is not
// fixable: port leaves it (the string would change). The same call outside
// the macro is.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>
#include <stdio.h>

#define SHOW(e) (printf("%s = %zd\n", #e, (Py_ssize_t)(e)), (e))

static Py_ssize_t size(PyObject *t) {
    Py_ssize_t n = SHOW(PyTuple_GET_SIZE(t));
// CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'PyTuple_GET_SIZE' (macro) is not in the Limited API for 3.11; use PyTuple_Size (3.2): returns -1 with an exception for a non-tuple [checked-calls]
    return n + PyTuple_GET_SIZE(t);
// CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'PyTuple_GET_SIZE' (macro){{.*}} (fixable) [checked-calls]
}
