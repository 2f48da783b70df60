// A global used where no module is in reach: a callback whose address is
// taken, and a function other files may call. Module state would leave
// 'Cache' undeclared there, so the self-verification ports with process
// globals and says why.
// ARGS: --target 3.11 --state module
#include <Python.h>

static PyObject *Cache;
// CHECK-MANUAL: [[@LINE-1]] not rewritten: module state would make the full-API build worse {{.*}}use of undeclared identifier 'Cache'
// CHECK-MANUAL: [[@LINE-2]] process-global 'Cache' is shared by every module object

static int
visit_cache(void *arg)
{
    return Cache != NULL;
}

int (*cache_hook)(void *) = visit_cache;

PyObject *
cache_get(void)
{
    return Cache;
}

static PyObject *
get(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(Cache);
// CHECK-FIXES: return Py_NewRef(Cache);
}

static PyMethodDef methods[] = {{"get", get, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "cache", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_cache(void)
{
    PyObject *m = PyModule_Create(&def);
// CHECK-MANUAL: [[@LINE-1]] single-phase initialisation with PyModule_Create
    if (m == NULL)
        return NULL;
    Cache = PyDict_New();
// CHECK-FIXES: Cache = PyDict_New();
    if (Cache == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
