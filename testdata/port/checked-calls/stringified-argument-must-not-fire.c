// Must not fire: a rename in an argument that a project macro turns into a
// string (#e) would change the string the program prints. The C library's
// assert is the exception: its string is only the message of a failed
// assertion.
// ARGS: --target 3.11
#include <Python.h>
#include <assert.h>
#include <stdio.h>

#define SHOW(e) (printf("%s = %zd\n", #e, (Py_ssize_t)(e)), (e))
#define NAMED(name, e) (printf("%s\n", #name), (e))

static Py_ssize_t size(PyObject *t) {
    Py_ssize_t n = SHOW(PyTuple_GET_SIZE(t));
// CHECK-FIXES: Py_ssize_t n = SHOW(PyTuple_GET_SIZE(t));
// CHECK-MANUAL: [[@LINE-2]] the text is in an argument that the macro 'SHOW' also turns into a string
    n += NAMED(size, PyTuple_GET_SIZE(t));
// CHECK-FIXES: n += NAMED(size, PyTuple_Size(t));
    assert(PyTuple_GET_SIZE(t) == n / 2);
// CHECK-FIXES: assert(PyTuple_Size(t) == n / 2);
    return n;
}
