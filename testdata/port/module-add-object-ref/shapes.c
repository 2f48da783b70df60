// ARGS: --target 3.10
// CHECK-IGNORE: module-global-state
// CHECK-IGNORE: single-phase-init
#include <Python.h>

static PyObject *Error;
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "m", NULL, -1, NULL};

PyMODINIT_FUNC PyInit_m(void) {
    PyObject *m = PyModule_Create(&def), *value;
    if (m == NULL)
        return NULL;
    Error = PyErr_NewException("m.Error", NULL, NULL);
    if (Error == NULL)
        goto fail;
    Py_INCREF(Error);
    if (PyModule_AddObject(m, "Error", Error) < 0) {
        Py_DECREF(Error);
        goto fail;
    }
// CHECK-FIXES: if (PyModule_AddObjectRef(m, "Error", Error) < 0) {
// CHECK-FIXES: goto fail;
    value = PyLong_FromLong(42);
    if (value == NULL)
        goto fail;
    if (PyModule_AddObject(m, "ANSWER", value) < 0) {
        Py_DECREF(value);
        goto fail;
    }
// CHECK-FIXES: if (PyModule_AddObjectRef(m, "ANSWER", value) < 0) {
// CHECK-FIXES: Py_DECREF(value);
// CHECK-FIXES: goto fail;
// CHECK-FIXES: }
// CHECK-FIXES: Py_DECREF(value);
    if (PyModule_AddObject(m, "LEAKY", PyLong_FromLong(1)) < 0)
// CHECK-MANUAL: [[@LINE-1]] PyModule_AddObject steals a reference only on success
        goto fail;
    return m;
fail:
    Py_XDECREF(m);
    return NULL;
}
