// A declaration list whose names all move goes whole; an array of objects
// stays process-wide (reported), which rules out a per-interpreter GIL claim.
// ARGS: --target 3.12 --state module
// CHECK-IGNORE: non-limited-api
#include <Python.h>

static PyObject *ErrorA, *ErrorB;
static PyObject *recent[4];
// CHECK-MANUAL: [[@LINE-1]] 'recent' stays process-global: an array of objects is not moved
// CHECK-FIXES: PyObject *ErrorA;
// CHECK-FIXES: PyObject *ErrorB;
// CHECK-FIXES: } module_state;
// CHECK-FIXES: static PyObject *recent[4];

static PyObject *
fail(PyObject *module, PyObject *arg)
{
    recent[0] = arg;
    PyErr_SetObject(PyObject_IsTrue(arg) ? ErrorA : ErrorB, arg);
// CHECK-FIXES: PyErr_SetObject(PyObject_IsTrue(arg) ? state->ErrorA : state->ErrorB, arg);
    return NULL;
}

static PyMethodDef methods[] = {{"fail", fail, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "la", NULL, -1, methods};
// CHECK-FIXES: {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},

PyMODINIT_FUNC
PyInit_la(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    ErrorA = PyErr_NewException("la.A", NULL, NULL);
    ErrorB = PyErr_NewException("la.B", NULL, NULL);
    if (ErrorA == NULL || ErrorB == NULL)
        return NULL;
    return m;
}
// CHECK-FIXES: state->ErrorA = PyErr_NewException("la.A", NULL, NULL);
