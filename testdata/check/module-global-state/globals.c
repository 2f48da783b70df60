// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static PyObject *Error;
// CHECK-MESSAGES: :[[@LINE-1]]:18: warning: process-global 'Error' is shared{{.*}} [module-global-state]
PyObject *cache[4];
// CHECK-MESSAGES: :[[@LINE-1]]:11: warning: process-global 'cache'{{.*}} [module-global-state]

/* Must not fire: C data, locals, statics inside functions, declarations. */
static int counter;
static const char *name = "m";
extern PyObject *DeclaredElsewhere;

static PyObject *f(PyObject *self, PyObject *arg) {
    static PyObject *local_cache;
    PyObject *tmp = arg;
    (void)local_cache;
    return tmp;
}
