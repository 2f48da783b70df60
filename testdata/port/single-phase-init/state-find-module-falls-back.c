// PyState_FindModule finds single-phase modules only: code that reaches its
// module that way keeps single-phase init (and process globals).
// ARGS: --target 3.11 --state module
// CHECK-IGNORE: module-global-state
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "fm", NULL, -1, NULL};

static PyObject *
self_module(void)
{
    return PyState_FindModule(&def);
// CHECK-MANUAL: [[@LINE-1]] --state module was not applied {{.*}}PyState_FindModule, which works only for single-phase modules
}

PyMODINIT_FUNC
PyInit_fm(void)
{
    PyObject *m = PyModule_Create(&def);
// CHECK-MANUAL: [[@LINE-1]] single-phase initialisation with PyModule_Create
    if (m == NULL || self_module() == NULL)
        return m;
    return m;
}
