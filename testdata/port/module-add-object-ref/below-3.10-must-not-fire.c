// ARGS: --target 3.9
// CHECK-IGNORE: module-global-state
// CHECK-IGNORE: single-phase-init
#define Py_LIMITED_API 0x03090000
#include <Python.h>

static PyObject *Error;

static int add(PyObject *m) {
    Py_INCREF(Error);
    if (PyModule_AddObject(m, "Error", Error) < 0) {
        Py_DECREF(Error);
        return -1;
    }
    return 0;
}
