// PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED) in the init, here under
// Py_GIL_DISABLED: CPython reads a multi-phase module's Py_mod_gil slot before
// its exec function runs, so the slot must say it too. The call stays (it
// agrees with the slot) and its skipped code is not reported.
// ARGS: --target 3.11 --state module
// CHECK-IGNORE: module-global-state
// CHECK-FIXES: #ifdef Py_GIL_DISABLED
// CHECK-FIXES: {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES: #endif
// CHECK-FIXES: {0, NULL},
#include <Python.h>

static PyObject *hello(PyObject *module, PyObject *unused) { return PyLong_FromLong(1); }
static PyMethodDef methods[] = {{"hello", hello, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "gil311", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_gil311(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
#ifdef Py_GIL_DISABLED
    PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
#endif
    return m;
}
