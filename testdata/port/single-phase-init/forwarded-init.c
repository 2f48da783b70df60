// `PyInit_x(void) { return make(); }` with `make` a static function of the
// file, called from there only: `make`'s body becomes the exec function and
// PyInit_x returns the definition.
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "fwd", NULL, -1, NULL};

static PyObject *
make(void)
{
// CHECK-FIXES: static int
// CHECK-FIXES: fwd_exec(PyObject *m)
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    if (PyModule_AddIntConstant(m, "X", 1) < 0) {
        Py_DECREF(m);
        return NULL;
// CHECK-FIXES: return -1;
    }
    return m;
// CHECK-FIXES: return 0;
}

PyMODINIT_FUNC PyInit_fwd(void) { return make(); }
// CHECK-FIXES: PyMODINIT_FUNC PyInit_fwd(void) { return PyModuleDef_Init(&def); }
