// A static variable inside a function, written at run time, is process-wide
// state the port leaves (reported); `static char *kwlist[]`, never written,
// is not state.
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *
cached(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"key", NULL};
    static PyObject *cache = NULL;
// CHECK-MANUAL: [[@LINE-1]] 'cache' stays process-global: a static variable inside a function
    PyObject *key;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O", kwlist, &key))
        return NULL;
    if (cache == NULL && (cache = PyDict_New()) == NULL)
        return NULL;
    return Py_NewRef(cache);
}

static PyMethodDef methods[] = {
    {"cached", (PyCFunction)(void (*)(void))cached, METH_VARARGS | METH_KEYWORDS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "sl", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_sl(void)
{
    return PyModule_Create(&def);
}
// CHECK-FIXES: sl_exec(PyObject *module)
// CHECK-FIXES: return 0;
