// A function whose body is on its own line, `{ return f(); }`, gets the
// state on a line of its own, and the body follows one level deeper.
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *ErrorObj;
static PyObject *raise_error(const char *msg) { PyErr_SetString(ErrorObj, msg); return NULL; }
// CHECK-FIXES: static PyObject *raise_error(module_state *state, const char *msg) { PyErr_SetString(state->ErrorObj, msg); return NULL; }

static PyObject *fail(PyObject *module, PyObject *arg) { return raise_error("failed"); }
// CHECK-FIXES: static PyObject *fail(PyObject *module, PyObject *arg) {
// CHECK-FIXES:     module_state *state = get_module_state(module);
// CHECK-FIXES:     return raise_error(state, "failed"); }

static PyMethodDef methods[] = {{"fail", fail, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "olb", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_olb(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    ErrorObj = PyErr_NewException("olb.Error", NULL, NULL);
    if (PyModule_AddObjectRef(m, "Error", ErrorObj) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
