// `PyObject *PyInit_x(void)` without PyMODINIT_FUNC (it links in C with the
// default visibility): converted, and the new PyInit_x is declared the same
// way, so it links as the original did.
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "pod", NULL, -1, NULL};

PyObject *
PyInit_pod(void)
{
// CHECK-FIXES: static int
// CHECK-FIXES: pod_exec(PyObject *m)
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    if (PyModule_AddIntConstant(m, "X", 1) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
// CHECK-FIXES: PyObject *
// CHECK-FIXES: PyInit_pod(void)
// CHECK-FIXES: return PyModuleDef_Init(&def);
// CHECK-FIXES-NOT: PyMODINIT_FUNC
