/*
 * bundled -- an extension that compiles a C library into itself: adler.c
 * is #included after Python.h. The Hasher type and the functions wrap it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "adler.c"

static PyObject *BundledError;

typedef struct {
    PyObject_HEAD
    adler_state state;
    PyObject *name;
} HasherObject;

static int
Hasher_init(HasherObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"name", NULL};
    PyObject *name = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|U:Hasher", kwlist, &name))
        return -1;
    adler_init(&self->state);
    if (name == NULL)
        name = PyUnicode_FromString("adler32");
    else
        Py_INCREF(name);
    if (name == NULL)
        return -1;
    Py_XSETREF(self->name, name);
    return 0;
}

static void
Hasher_dealloc(HasherObject *self)
{
    Py_XDECREF(self->name);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Hasher_update(HasherObject *self, PyObject *arg)
{
    char *data;
    Py_ssize_t n;
    if (PyBytes_AsStringAndSize(arg, &data, &n) < 0)
        return NULL;
    adler_update(&self->state, (const unsigned char *)data, (size_t)n);
    Py_RETURN_NONE;
}

static PyObject *
Hasher_digest(HasherObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromUnsignedLong(adler_value(&self->state));
}

static PyObject *
Hasher_length(HasherObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromUnsignedLongLong(self->state.length);
}

static PyObject *
Hasher_repr(HasherObject *self)
{
    return PyUnicode_FromFormat("<%s %R at %lu bytes>", Py_TYPE(self)->tp_name, self->name,
                                (unsigned long)self->state.length);
}

static PyMethodDef Hasher_methods[] = {
    {"update", (PyCFunction)Hasher_update, METH_O, "Add bytes."},
    {"digest", (PyCFunction)Hasher_digest, METH_NOARGS, "The checksum so far."},
    {NULL}
};

static PyGetSetDef Hasher_getset[] = {
    {"length", (getter)Hasher_length, NULL, "Bytes hashed.", NULL},
    {NULL}
};

static PyTypeObject HasherType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bundled.Hasher",
    .tp_basicsize = sizeof(HasherObject),
    .tp_dealloc = (destructor)Hasher_dealloc,
    .tp_repr = (reprfunc)Hasher_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An Adler-32 checksum, updated piece by piece.",
    .tp_methods = Hasher_methods,
    .tp_getset = Hasher_getset,
    .tp_init = (initproc)Hasher_init,
    .tp_new = PyType_GenericNew,
};

static PyObject *
adler32(PyObject *module, PyObject *arg)
{
    char *data;
    Py_ssize_t n;
    adler_state s;
    if (PyBytes_AsStringAndSize(arg, &data, &n) < 0)
        return NULL;
    adler_init(&s);
    adler_update(&s, (const unsigned char *)data, (size_t)n);
    return PyLong_FromUnsignedLong(adler_value(&s));
}

static PyObject *
rotated(PyObject *module, PyObject *args)
{
    const char *data;
    Py_ssize_t n, k;
    if (!PyArg_ParseTuple(args, "y#n:rotated", &data, &n, &k))
        return NULL;
    if (k < 0) {
        PyErr_SetString(BundledError, "rotation must not be negative");
        return NULL;
    }
    return PyLong_FromUnsignedLong(adler_rotated((const unsigned char *)data, (size_t)n, (size_t)k));
}

static PyObject *
first_item_checksum(PyObject *module, PyObject *list)
{
    PyObject *item;
    if (!PyList_Check(list) || PyList_GET_SIZE(list) == 0) {
        PyErr_SetString(BundledError, "expected a non-empty list");
        return NULL;
    }
    item = PyList_GET_ITEM(list, 0);
    return adler32(module, item);
}

static PyMethodDef bundled_methods[] = {
    {"adler32", adler32, METH_O, "Adler-32 of bytes."},
    {"rotated", rotated, METH_VARARGS, "Adler-32 of bytes rotated left by k."},
    {"first_item_checksum", first_item_checksum, METH_O, "Adler-32 of list[0]."},
    {NULL}
};

static struct PyModuleDef bundledmodule = {
    PyModuleDef_HEAD_INIT, "bundled", "A C library compiled into an extension.", -1,
    bundled_methods
};

PyMODINIT_FUNC
PyInit_bundled(void)
{
    PyObject *m;
    if (PyType_Ready(&HasherType) < 0)
        return NULL;
    m = PyModule_Create(&bundledmodule);
    if (m == NULL)
        return NULL;
    BundledError = PyErr_NewException("bundled.BundledError", NULL, NULL);
    if (BundledError == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(BundledError);
    if (PyModule_AddObject(m, "BundledError", BundledError) < 0) {
        Py_DECREF(BundledError);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&HasherType);
    if (PyModule_AddObject(m, "Hasher", (PyObject *)&HasherType) < 0) {
        Py_DECREF(&HasherType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
