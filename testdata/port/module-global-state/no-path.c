// A global used where no module is in reach stays a manual site at each use:
// a callback whose address is taken, and a function other files may call.
// ARGS: --target 3.11 --state module
#include <Python.h>

static PyObject *Cache;

static int
visit_cache(void *arg)
{
    return Cache != NULL;
// CHECK-MANUAL: [[@LINE-1]] 'Cache' moves into the module state, but 'visit_cache' has no path to its module
}

int (*cache_hook)(void *) = visit_cache;

PyObject *
cache_get(void)
{
    return Cache;
// CHECK-MANUAL: [[@LINE-1]] 'Cache' moves into the module state, but 'cache_get' has no path to its module
}

static PyObject *
get(PyObject *module, PyObject *Py_UNUSED(ignored))
{
// CHECK-FIXES: module_state *state = get_module_state(module);
    return Py_NewRef(Cache);
// CHECK-FIXES: return Py_NewRef(state->Cache);
}

static PyMethodDef methods[] = {{"get", get, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "cache", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_cache(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    Cache = PyDict_New();
// CHECK-FIXES: state->Cache = PyDict_New();
    if (Cache == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
