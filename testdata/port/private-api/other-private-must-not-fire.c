// Other private calls have no public equivalent here: nothing is rewritten,
// the report names the call.
// ARGS: --target 3.11
#include <Python.h>

static int sign(PyObject *v) {
    return _PyLong_Sign(v);
// CHECK-MANUAL: [[@LINE-1]] '_PyLong_Sign' is a private CPython API
}
