// A helper that gains the state parameter, called in a project macro's
// body: the body is edited once, since every function that expands it
// names the state `state`.
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *ErrorObj;
static PyObject *raise_error(const char *msg) { PyErr_SetString(ErrorObj, msg); return NULL; }
// CHECK-FIXES: static PyObject *raise_error(module_state *state, const char *msg) { PyErr_SetString(state->ErrorObj, msg); return NULL; }
#define FAIL(msg) return raise_error(msg)
// CHECK-FIXES: #define FAIL(msg) return raise_error(state, msg)

static PyObject *need_int(PyObject *module, PyObject *arg) {
    if (!PyLong_Check(arg))
        FAIL("not an int");
    return Py_NewRef(arg);
}

static PyObject *need_str(PyObject *module, PyObject *arg) {
    if (!PyUnicode_Check(arg))
        FAIL("not a str");
    return Py_NewRef(arg);
}

static PyMethodDef methods[] = {
    {"need_int", need_int, METH_O, NULL},
    {"need_str", need_str, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "hcm", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_hcm(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    ErrorObj = PyErr_NewException("hcm.Error", NULL, NULL);
    if (PyModule_AddObjectRef(m, "Error", ErrorObj) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
