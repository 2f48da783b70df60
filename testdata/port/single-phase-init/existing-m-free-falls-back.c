// A definition that already sets m_free: the port would have to merge the
// author's free function with the state's, and cannot yet prove that it
// touches only what moves into the state (a multi-phase module calls it once
// per module object). The module keeps its globals, and the report says why.
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
// CHECK-FIXES-NOT: PyModuleDef_Init
#include <Python.h>

static PyObject *cache;
// CHECK-MANUAL: [[@LINE-1]] process-global 'cache' is shared
static void mf_free(void *module) { Py_CLEAR(cache); }
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "mf", NULL, -1, NULL, NULL, NULL, NULL,
                                 mf_free};
// CHECK-MANUAL: [[@LINE-1]] --state module was not applied (the port keeps process globals, as --state global): the module definition already sets m_free

PyMODINIT_FUNC
PyInit_mf(void)
{
    PyObject *m = PyModule_Create(&def);
// CHECK-MANUAL: [[@LINE-1]] single-phase initialisation
    if (m == NULL)
        return NULL;
    cache = PyDict_New();
    if (cache == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
