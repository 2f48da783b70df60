// `Py_CLEAR(m); return m;` returns NULL through the module variable: `return m`
// cannot be read as success, so module state is not applied, the port keeps
// process globals, and the report says why.
// ARGS: --target 3.11 --state module
// CHECK-IGNORE: module-global-state
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *Error;
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "fb", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_fb(void)
{
    PyObject *m = PyModule_Create(&def);
// CHECK-MANUAL: [[@LINE-1]] single-phase initialisation with PyModule_Create
    Error = PyErr_NewException("fb.Error", NULL, NULL);
    if (m != NULL && (Error == NULL || PyModule_AddObjectRef(m, "Error", Error) < 0))
        Py_CLEAR(m);
// CHECK-MANUAL: [[@LINE-1]] --state module was not applied {{.*}}the module variable is assigned again
    return m;
}
