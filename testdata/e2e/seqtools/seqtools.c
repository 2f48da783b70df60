/*
 * seqtools -- small helpers over built-in sequences, written against the
 * full CPython C API (accessor macros, PySequence_Fast, ...).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define SEQTOOLS_VERSION "1.2"
#define MAX_CHUNK 4096
#define Bytes_AS_STRING PyBytes_AS_STRING /* a compat alias, as projects keep */

static PyObject *SeqError;

/* fsum(iterable) -> float: sum of an iterable of real numbers. */
static PyObject *
seqtools_fsum(PyObject *module, PyObject *arg)
{
    PyObject *seq;
    Py_ssize_t i, n;
    double total = 0.0;

    seq = PySequence_Fast(arg, "fsum() argument must be iterable");
    if (seq == NULL)
        return NULL;

    n = PySequence_Fast_GET_SIZE(seq);
    for (i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        double value;

        if (PyFloat_CheckExact(item)) {
            value = PyFloat_AS_DOUBLE(item);
        }
        else {
            value = PyFloat_AsDouble(item);
            if (value == -1.0 && PyErr_Occurred())
                goto error;
        }
        total += value;
    }
    Py_DECREF(seq);
    return PyFloat_FromDouble(total);

error:
    Py_DECREF(seq);
    return NULL;
}

/* mean(sequence) -> float, raises seqtools.Error on an empty sequence. */
static PyObject *
seqtools_mean(PyObject *module, PyObject *arg)
{
    PyObject *seq, **items;
    Py_ssize_t i, n;
    double total = 0.0;

    seq = PySequence_Fast(arg, "mean() argument must be iterable");
    if (seq == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    if (n == 0) {
        Py_DECREF(seq);
        PyErr_SetString(SeqError, "mean() of empty sequence");
        return NULL;
    }
    items = PySequence_Fast_ITEMS(seq);
    for (i = 0; i < n; i++) {
        double value = PyFloat_AsDouble(items[i]);
        if (value == -1.0 && PyErr_Occurred()) {
            Py_DECREF(seq);
            return NULL;
        }
        total += value;
    }
    Py_DECREF(seq);
    return PyFloat_FromDouble(total / (double)n);
}

/* reverse_tuple(tuple) -> tuple */
static PyObject *
seqtools_reverse_tuple(PyObject *module, PyObject *arg)
{
    PyObject *result;
    Py_ssize_t i, n;

    if (!PyTuple_Check(arg)) {
        PyErr_Format(PyExc_TypeError,
                     "reverse_tuple() argument must be tuple, not %.200s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    n = PyTuple_GET_SIZE(arg);
    result = PyTuple_New(n);
    if (result == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(arg, n - 1 - i);
        Py_INCREF(item);
        PyTuple_SET_ITEM(result, i, item);
    }
    return result;
}

/* pairwise(iterable) -> list of (a, b) tuples of consecutive items */
static PyObject *
seqtools_pairwise(PyObject *module, PyObject *arg)
{
    PyObject *seq, *result = NULL, **items;
    Py_ssize_t i, n;

    seq = PySequence_Fast(arg, "pairwise() argument must be iterable");
    if (seq == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    items = PySequence_Fast_ITEMS(seq);

    result = PyList_New(n < 2 ? 0 : n - 1);
    if (result == NULL)
        goto error;
    for (i = 0; i + 1 < n; i++) {
        PyObject *pair = PyTuple_New(2);
        if (pair == NULL)
            goto error;
        Py_INCREF(items[i]);
        PyTuple_SET_ITEM(pair, 0, items[i]);
        Py_INCREF(items[i + 1]);
        PyTuple_SET_ITEM(pair, 1, items[i + 1]);
        PyList_SET_ITEM(result, i, pair);
    }
    Py_DECREF(seq);
    return result;

error:
    Py_XDECREF(result);
    Py_DECREF(seq);
    return NULL;
}

/* Helper: count the items of all lists/tuples in `list`.
   Returns 0 on success and -1 with an exception set on failure. */
static int
count_nested(PyObject *list, Py_ssize_t *total)
{
    Py_ssize_t i, n = PyList_GET_SIZE(list);

    *total = 0;
    for (i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(list, i);
        if (PyList_Check(item)) {
            *total += PyList_GET_SIZE(item);
        }
        else if (PyTuple_Check(item)) {
            *total += PyTuple_GET_SIZE(item);
        }
        else {
            PyErr_Format(SeqError,
                         "flatten(): item %zd is not a list or tuple "
                         "(got '%.200s')", i, Py_TYPE(item)->tp_name);
            return -1;
        }
    }
    return 0;
}

/* flatten(list_of_sequences) -> list */
static PyObject *
seqtools_flatten(PyObject *module, PyObject *arg)
{
    PyObject *result;
    Py_ssize_t i, j, n, total, pos = 0;

    if (!PyList_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "flatten() argument must be list, not %.200s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    if (count_nested(arg, &total) < 0)
        return NULL;

    result = PyList_New(total);
    if (result == NULL)
        return NULL;

    n = PyList_GET_SIZE(arg);
    for (i = 0; i < n; i++) {
        PyObject *inner = PyList_GET_ITEM(arg, i);
        if (PyList_Check(inner)) {
            for (j = 0; j < PyList_GET_SIZE(inner); j++) {
                PyObject *item = PyList_GET_ITEM(inner, j);
                Py_INCREF(item);
                PyList_SET_ITEM(result, pos++, item);
            }
        }
        else {
            for (j = 0; j < PyTuple_GET_SIZE(inner); j++) {
                PyObject *item = PyTuple_GET_ITEM(inner, j);
                Py_INCREF(item);
                PyList_SET_ITEM(result, pos++, item);
            }
        }
    }
    return result;
}

/* chunk(iterable, size) -> list of tuples of at most `size` items */
static PyObject *
seqtools_chunk(PyObject *module, PyObject *args)
{
    PyObject *iterable, *seq, *result = NULL;
    Py_ssize_t size, n, start, nchunks, k;

    if (!PyArg_ParseTuple(args, "On:chunk", &iterable, &size))
        return NULL;
    if (size <= 0 || size > MAX_CHUNK) {
        PyErr_Format(PyExc_ValueError, "chunk size must be in 1..%d, got %zd",
                     MAX_CHUNK, size);
        return NULL;
    }
    seq = PySequence_Fast(iterable, "chunk() argument must be iterable");
    if (seq == NULL)
        return NULL;

    n = PySequence_Fast_GET_SIZE(seq);
    nchunks = (n + size - 1) / size;
    result = PyList_New(nchunks);
    if (result == NULL)
        goto error;

    for (k = 0, start = 0; k < nchunks; k++, start += size) {
        Py_ssize_t j, len = Py_MIN(size, n - start);
        PyObject *tup = PyTuple_New(len);
        if (tup == NULL)
            goto error;
        for (j = 0; j < len; j++) {
            PyObject *item = PySequence_Fast_GET_ITEM(seq, start + j);
            Py_INCREF(item);
            PyTuple_SET_ITEM(tup, j, item);
        }
        PyList_SET_ITEM(result, k, tup);
    }
    Py_DECREF(seq);
    return result;

error:
    Py_XDECREF(result);
    Py_DECREF(seq);
    return NULL;
}

/* checksum(bytes_or_bytearray) -> int (Adler-32) */
static PyObject *
seqtools_checksum(PyObject *module, PyObject *arg)
{
    const unsigned char *data;
    Py_ssize_t i, len;
    unsigned long a = 1, b = 0;

    if (PyBytes_Check(arg)) {
        data = (const unsigned char *)PyBytes_AS_STRING(arg);
        len = PyBytes_GET_SIZE(arg);
    }
    else if (PyByteArray_Check(arg)) {
        data = (const unsigned char *)PyByteArray_AS_STRING(arg);
        len = PyByteArray_GET_SIZE(arg);
    }
    else {
        return PyErr_Format(PyExc_TypeError,
                            "checksum() expects bytes or bytearray, not '%.200s'",
                            Py_TYPE(arg)->tp_name);
    }
    for (i = 0; i < len; i++) {
        a = (a + data[i]) % 65521;
        b = (b + a) % 65521;
    }
    return PyLong_FromUnsignedLong((b << 16) | a);
}

/* dict_size(dict) -> int */
static PyObject *
seqtools_dict_size(PyObject *module, PyObject *arg)
{
    if (!PyDict_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "dict_size() argument must be dict, not '%.200s'",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    return PyLong_FromSsize_t(PyDict_GET_SIZE(arg));
}

/* set_size(set or frozenset) -> int */
static PyObject *
seqtools_set_size(PyObject *module, PyObject *arg)
{
    if (!PyAnySet_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "set_size() argument must be a set");
        return NULL;
    }
    return PyLong_FromSsize_t(PySet_GET_SIZE(arg));
}

/* packed(iterable of ints) -> bytes: each int as one byte, 0 skipped. The
   buffer is allocated for the worst case and shrunk with _PyBytes_Resize. */
static PyObject *
seqtools_packed(PyObject *module, PyObject *arg)
{
    PyObject *seq = PySequence_Fast(arg, "packed() argument must be iterable");
    PyObject *out;
    Py_ssize_t n, i, used = 0;
    if (seq == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    out = PyBytes_FromStringAndSize(NULL, n);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        long v = PyLong_AsLong(PySequence_Fast_GET_ITEM(seq, i));
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(seq);
            Py_DECREF(out);
            return NULL;
        }
        if (v != 0)
            Bytes_AS_STRING(out)[used++] = (char)(v & 0xff);
    }
    Py_DECREF(seq);
    if (_PyBytes_Resize(&out, used) < 0)
        return NULL;
    return out;
}

typedef struct {
    PyObject *items;
} Slots;

/* swap_first(list, value) -> the old first item: the list's reference to it
   moves to the caller, so the store must not release it. */
static PyObject *
seqtools_swap_first(PyObject *module, PyObject *args)
{
    Slots slots;
    PyObject *value, *old;
    if (!PyArg_ParseTuple(args, "O!O", &PyList_Type, &slots.items, &value))
        return NULL;
    if (PyList_GET_SIZE(slots.items) == 0) {
        PyErr_SetString(PyExc_IndexError, "swap_first() of an empty list");
        return NULL;
    }
    old = PyList_GET_ITEM(slots.items, 0);
    Py_INCREF(value);
    PyList_SET_ITEM(slots.items, 0, value);
    return old;
}

static PyMethodDef seqtools_methods[] = {
    {"packed", seqtools_packed, METH_O, "Pack non-zero ints into bytes."},
    {"swap_first", seqtools_swap_first, METH_VARARGS, "Replace the first item, return the old one."},
    {"fsum", seqtools_fsum, METH_O, "Sum an iterable of real numbers."},
    {"mean", seqtools_mean, METH_O, "Arithmetic mean of a sequence."},
    {"reverse_tuple", seqtools_reverse_tuple, METH_O, "Return a reversed copy of a tuple."},
    {"pairwise", seqtools_pairwise, METH_O, "List of consecutive pairs."},
    {"flatten", seqtools_flatten, METH_O, "Flatten one level of a list of lists/tuples."},
    {"chunk", seqtools_chunk, METH_VARARGS, "Split an iterable into tuples of a given size."},
    {"checksum", seqtools_checksum, METH_O, "Adler-32 checksum of bytes or bytearray."},
    {"dict_size", seqtools_dict_size, METH_O, "Number of items in a dict."},
    {"set_size", seqtools_set_size, METH_O, "Number of items in a set or frozenset."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef seqtools_module = {
    PyModuleDef_HEAD_INIT,
    "seqtools",
    "Helpers over built-in sequences.",
    -1,
    seqtools_methods,
};

PyMODINIT_FUNC
PyInit_seqtools(void)
{
    PyObject *m, *value;

    m = PyModule_Create(&seqtools_module);
    if (m == NULL)
        return NULL;

    SeqError = PyErr_NewException("seqtools.Error", PyExc_ValueError, NULL);
    if (SeqError == NULL)
        goto fail;
    Py_INCREF(SeqError);
    if (PyModule_AddObject(m, "Error", SeqError) < 0) {
        Py_DECREF(SeqError);
        goto fail;
    }

    value = PyLong_FromLong(MAX_CHUNK);
    if (value == NULL)
        goto fail;
    if (PyModule_AddObject(m, "MAX_CHUNK", value) < 0) {
        Py_DECREF(value);
        goto fail;
    }
    if (PyModule_AddStringConstant(m, "__version__", SEQTOOLS_VERSION) < 0)
        goto fail;
    return m;

fail:
    Py_CLEAR(SeqError);
    Py_DECREF(m);
    return NULL;
}
