// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "m", NULL, -1, NULL};

PyMODINIT_FUNC PyInit_m(void) {
    return PyModule_Create(&mod);
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: single-phase initialisation with PyModule_Create{{.*}} [single-phase-init]
}
