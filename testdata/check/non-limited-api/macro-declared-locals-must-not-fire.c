// A local that a Limited API macro declares in the user's function
// (Py_BEGIN_ALLOW_THREADS declares `_save`), named by the user between
// Py_UNBLOCK_THREADS and Py_BLOCK_THREADS: it is the user's own variable under
// the Limited API too, not an API name: no finding.
// ARGS: --target 3.8
// CHECK-IGNORE: limited-api-macro
// CHECK-IGNORE: single-phase-init
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int work_unlocked(PyThreadState **tstate) {
    (void)tstate;
    return 0;
}

static PyObject *run(PyObject *self, PyObject *args) {
    int res;
    (void)self;
    (void)args;
    Py_BEGIN_ALLOW_THREADS;
    Py_BLOCK_THREADS;
    Py_UNBLOCK_THREADS;
    res = work_unlocked(&_save);
    Py_END_ALLOW_THREADS;
    return PyLong_FromLong(res);
}

static PyMethodDef methods[] = {{"run", run, METH_VARARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "locals", NULL, -1, methods};
PyMODINIT_FUNC PyInit_locals(void) { return PyModule_Create(&def); }
