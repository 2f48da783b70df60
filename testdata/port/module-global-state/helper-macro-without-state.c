// The macro that calls the helper is also expanded in a function with no
// path to the module state: no edit of its body can serve both, so the
// module keeps its globals, and the report says why.
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *ErrorObj;
// CHECK-MANUAL: [[@LINE-1]] process-global 'ErrorObj' is shared
static PyObject *raise_error(const char *msg) { PyErr_SetString(ErrorObj, msg); return NULL; }
#define FAIL(msg) return raise_error(msg)
// CHECK-FIXES-NOT: module_state

static PyObject *need_int(PyObject *module, PyObject *arg) {
    if (!PyLong_Check(arg))
        FAIL("not an int");
// CHECK-MANUAL: [[@LINE-1]] --state module was not applied (the port keeps process globals, as --state global): 'raise_error' would take the module state, but the macro that calls it is also expanded in 'on_event', which has no state named 'state'
    return Py_NewRef(arg);
}

/* Called by a library with its own data: no module in reach. */
static PyObject *on_event(void *data) {
    FAIL("from a callback");
}
PyObject *(*event_callback)(void *) = on_event;

static PyMethodDef methods[] = {
    {"need_int", need_int, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "hcs", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_hcs(void)
{
    PyObject *m = PyModule_Create(&def);
// CHECK-MANUAL: [[@LINE-1]] single-phase initialisation
    if (m == NULL)
        return NULL;
    ErrorObj = PyErr_NewException("hcs.Error", NULL, NULL);
    if (PyModule_AddObjectRef(m, "Error", ErrorObj) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
