// An init function whose name a macro builds (`PyInit_##name`): the port
// cannot write the new PyInit_ beside it, so the module keeps single-phase
// init and the report says why.
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
// CHECK-FIXES-NOT: PyModuleDef_Init
#include <Python.h>

#define MOD_INIT(name) PyMODINIT_FUNC PyInit_##name(void)

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "mn", NULL, -1, NULL};

MOD_INIT(mn)
{
// CHECK-MANUAL: [[@LINE-2]] --state module was not applied (the port keeps process globals, as --state global): the init function's name comes from a macro
    return PyModule_Create(&def);
// CHECK-MANUAL: [[@LINE-1]] single-phase initialisation
}
