// cxxfuncs -- list/tuple helpers implemented in C++ on top of the full
// CPython C API (accessor macros inside STL-based algorithms).
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <map>
#include <new>
#include <vector>

static PyObject *CxxError;

// zip_lists(a, b) -> list of (a[i], b[i]) tuples; both arguments must be lists
// of the same length.
static PyObject *
cxxfuncs_zip_lists(PyObject *module, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "O!O!:zip_lists", &PyList_Type, &a, &PyList_Type, &b))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(a);
    if (PyList_GET_SIZE(b) != n) {
        PyErr_Format(CxxError, "zip_lists() lengths differ: %zd != %zd",
                     n, PyList_GET_SIZE(b));
        return NULL;
    }
    PyObject *result = PyList_New(n);
    if (result == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyTuple_New(2);
        if (pair == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyObject *x = PyList_GET_ITEM(a, i);
        PyObject *y = PyList_GET_ITEM(b, i);
        Py_INCREF(x);
        Py_INCREF(y);
        PyTuple_SET_ITEM(pair, 0, x);
        PyTuple_SET_ITEM(pair, 1, y);
        PyList_SET_ITEM(result, i, pair);
    }
    return result;
}

// sorted_floats(list) -> tuple of the values sorted ascending
static PyObject *
cxxfuncs_sorted_floats(PyObject *module, PyObject *arg)
{
    if (!PyList_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "sorted_floats() argument must be list, not %.200s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    std::vector<double> values;
    try {
        values.reserve(static_cast<size_t>(PyList_GET_SIZE(arg)));
    }
    catch (const std::bad_alloc &) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(arg); i++) {
        PyObject *item = PyList_GET_ITEM(arg, i);
        double v;
        if (PyFloat_Check(item)) {
            v = PyFloat_AS_DOUBLE(item);
        }
        else {
            v = PyFloat_AsDouble(item);
            if (v == -1.0 && PyErr_Occurred())
                return NULL;
        }
        values.push_back(v);
    }
    std::sort(values.begin(), values.end());

    PyObject *result = PyTuple_New(static_cast<Py_ssize_t>(values.size()));
    if (result == NULL)
        return NULL;
    for (size_t i = 0; i < values.size(); i++) {
        PyObject *f = PyFloat_FromDouble(values[i]);
        if (f == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyTuple_SET_ITEM(result, static_cast<Py_ssize_t>(i), f);
    }
    return result;
}

// histogram(seq_of_ints) -> dict {value: count}, keys in ascending order
static PyObject *
cxxfuncs_histogram(PyObject *module, PyObject *arg)
{
    PyObject *seq = PySequence_Fast(arg, "histogram() argument must be iterable");
    if (seq == NULL)
        return NULL;

    std::map<long long, Py_ssize_t> counts;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyLong_Check(item)) {
            PyErr_Format(CxxError, "histogram() item %zd is '%.200s', not int",
                         i, Py_TYPE(item)->tp_name);
            Py_DECREF(seq);
            return NULL;
        }
        long long v = PyLong_AsLongLong(item);
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(seq);
            return NULL;
        }
        try {
            counts[v]++;
        }
        catch (const std::bad_alloc &) {
            Py_DECREF(seq);
            return PyErr_NoMemory();
        }
    }
    Py_DECREF(seq);

    PyObject *result = PyDict_New();
    if (result == NULL)
        return NULL;
    for (const auto &entry : counts) {
        PyObject *key = PyLong_FromLongLong(entry.first);
        PyObject *value = key ? PyLong_FromSsize_t(entry.second) : NULL;
        int rc = value ? PyDict_SetItem(result, key, value) : -1;
        Py_XDECREF(key);
        Py_XDECREF(value);
        if (rc < 0) {
            Py_DECREF(result);
            return NULL;
        }
    }
    return result;
}

// swap_pairs(tuple_of_pairs) -> tuple with every (a, b) replaced by (b, a)
static PyObject *
cxxfuncs_swap_pairs(PyObject *module, PyObject *arg)
{
    if (!PyTuple_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "swap_pairs() argument must be tuple, not %.200s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(arg);
    PyObject *result = PyTuple_New(n);
    if (result == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyTuple_GET_ITEM(arg, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_Format(CxxError, "swap_pairs() item %zd is not a 2-tuple", i);
            Py_DECREF(result);
            return NULL;
        }
        PyObject *swapped = PyTuple_Pack(2, PyTuple_GET_ITEM(pair, 1),
                                         PyTuple_GET_ITEM(pair, 0));
        if (swapped == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyTuple_SET_ITEM(result, i, swapped);
    }
    return result;
}

static PyMethodDef cxxfuncs_methods[] = {
    {"zip_lists", cxxfuncs_zip_lists, METH_VARARGS, "zip_lists(a, b) -> list of pairs"},
    {"sorted_floats", cxxfuncs_sorted_floats, METH_O, "sorted_floats(list) -> tuple"},
    {"histogram", cxxfuncs_histogram, METH_O, "histogram(ints) -> {value: count}"},
    {"swap_pairs", cxxfuncs_swap_pairs, METH_O, "swap_pairs(pairs) -> swapped pairs"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef cxxfuncs_module = {
    PyModuleDef_HEAD_INIT,
    "cxxfuncs",
    "List and tuple helpers written in C++.",
    -1,
    cxxfuncs_methods,
};

PyMODINIT_FUNC
PyInit_cxxfuncs(void)
{
    PyObject *m = PyModule_Create(&cxxfuncs_module);
    if (m == NULL)
        return NULL;
    CxxError = PyErr_NewException("cxxfuncs.Error", NULL, NULL);
    if (CxxError == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(CxxError);
    if (PyModule_AddObject(m, "Error", CxxError) < 0) {
        Py_DECREF(CxxError);
        Py_CLEAR(CxxError);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
