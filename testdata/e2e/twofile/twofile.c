/*
 * twofile.c -- module init and functions of the twofile extension; the
 * Counter type itself lives in counter.c.
 */
#include "twofile.h"

/* make_counters(n, start=0, step=1) -> list of n Counters */
static PyObject *
twofile_make_counters(PyObject *module, PyObject *args)
{
    Py_ssize_t n, i;
    long long start = 0, step = 1;
    PyObject *result;

    if (!PyArg_ParseTuple(args, "n|LL:make_counters", &n, &start, &step))
        return NULL;
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "make_counters() count must not be negative");
        return NULL;
    }
    if (step == 0) {
        PyErr_SetString(PyExc_ValueError, "Counter step must not be zero");
        return NULL;
    }
    result = PyList_New(n);
    if (result == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        CounterObject *c = PyObject_New(CounterObject, &Counter_Type);
        if (c == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        c->value = start + i;
        c->step = step;
        c->limit = 0;
        c->has_limit = 0;
        PyList_SET_ITEM(result, i, (PyObject *)c);
    }
    return result;
}

/* total(iterable_of_counters) -> sum of their values */
static PyObject *
twofile_total(PyObject *module, PyObject *iterable)
{
    PyObject *it, *item;
    long long sum = 0;

    it = PyObject_GetIter(iterable);
    if (it == NULL)
        return NULL;
    while ((item = PyIter_Next(it)) != NULL) {
        if (!PyObject_TypeCheck(item, &Counter_Type)) {
            PyErr_Format(PyExc_TypeError, "total() expects %s objects, got '%.200s'",
                         Counter_Type.tp_name, Py_TYPE(item)->tp_name);
            Py_DECREF(item);
            Py_DECREF(it);
            return NULL;
        }
        sum += ((CounterObject *)item)->value;
        Py_DECREF(item);
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return NULL;
    return PyLong_FromLongLong(sum);
}

/* is_counter(obj, exact=False) */
static PyObject *
twofile_is_counter(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"obj", "exact", NULL};
    PyObject *obj;
    int exact = 0;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|p:is_counter", kwlist, &obj, &exact))
        return NULL;
    if (exact)
        return PyBool_FromLong(Py_TYPE(obj) == &Counter_Type);
    return PyBool_FromLong(Counter_Check(obj));
}

static PyMethodDef twofile_methods[] = {
    {"make_counters", twofile_make_counters, METH_VARARGS,
     "make_counters(n, start=0, step=1) -> list of Counter"},
    {"total", twofile_total, METH_O, "total(counters) -> sum of values"},
    {"is_counter", (PyCFunction)(void (*)(void))twofile_is_counter,
     METH_VARARGS | METH_KEYWORDS, "is_counter(obj, exact=False) -> bool"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef twofile_module = {
    PyModuleDef_HEAD_INIT,
    "twofile",
    "Counter type split over two translation units.",
    -1,
    twofile_methods,
};

PyMODINIT_FUNC
PyInit_twofile(void)
{
    PyObject *m;

    if (PyType_Ready(&Counter_Type) < 0)
        return NULL;
    m = PyModule_Create(&twofile_module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&Counter_Type);
    if (PyModule_AddObject(m, "Counter", (PyObject *)&Counter_Type) < 0) {
        Py_DECREF(&Counter_Type);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
