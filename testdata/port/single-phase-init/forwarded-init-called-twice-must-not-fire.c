// The function the init returns is called elsewhere too (or is not static):
// it cannot become the exec function, so the port keeps single-phase init
// and says where the module is created.
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
// CHECK-FIXES-NOT: PyModuleDef_Init
#include <Python.h>

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "twice", NULL, -1, NULL};

static PyObject *make(void) {
    PyObject *m = PyModule_Create(&def);
// CHECK-MANUAL: [[@LINE-1]] single-phase initialisation with PyModule_Create
    if (m == NULL)
        return NULL;
    return m;
}

PyObject *make_again(void) { return make(); }

PyMODINIT_FUNC PyInit_twice(void) { return make(); }
// CHECK-MANUAL: [[@LINE-1]] --state module was not applied (the port keeps process globals, as --state global): the module is created in 'make', not in the init function itself
