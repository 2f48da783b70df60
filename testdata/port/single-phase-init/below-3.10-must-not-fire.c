// Below 3.10 the default is process globals: the Limited API cannot tie a
// heap type to its module (PyType_FromModuleAndSpec, PyType_GetModule: 3.10).
// The init stays single-phase; check's advice remains in the report.
// ARGS: --target 3.9
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: module-global-state
#define Py_LIMITED_API 0x03090000
#include <Python.h>

static PyObject *Error;
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "old", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_old(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    Error = PyErr_NewException("old.Error", NULL, NULL);
    if (Error == NULL || PyModule_AddObject(m, "Error", Error) < 0) {
        Py_XDECREF(Error);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(Error);
    return m;
}
