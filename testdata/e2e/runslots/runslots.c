/* Static types completed at run time by the init function, before
   PyType_Ready, as many extensions do. */
#include <Python.h>

/* Plain: instantiable through tp_new = PyBaseObject_Type.tp_new, made
   subclassable by `tp_flags |= Py_TPFLAGS_BASETYPE`, its repr chosen by a
   call. */
typedef struct {
    PyObject_HEAD
    long hits;
} PlainObject;

static PyObject *
Plain_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<Plain hits=%ld>", ((PlainObject *)self)->hits);
}

static PyObject *
Plain_hit(PyObject *self, PyObject *unused)
{
    (void)unused;
    return PyLong_FromLong(++((PlainObject *)self)->hits);
}

static reprfunc
choose_repr(void)
{
    return Plain_repr;
}

static PyMethodDef Plain_methods[] = {
    {"hit", Plain_hit, METH_NOARGS, "Count a hit."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Plain_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "runslots.Plain",
    .tp_basicsize = sizeof(PlainObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A plain object.",
    .tp_methods = Plain_methods,
};

/* Sub: its base, another type of the module, is set in the init function. */
static PyTypeObject Sub_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "runslots.Sub",
    .tp_basicsize = sizeof(PlainObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A subclass of Plain.",
};

/* Error: an exception whose base, ValueError, is only known at run time. */
static PyTypeObject Error_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "runslots.Error",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A ValueError of this module.",
};

/* Pair: a tuple subclass whose tp_new and tp_repr are copied from the
   built-in types at run time. */
static PyObject *
Pair_first(PyObject *self, PyObject *unused)
{
    (void)unused;
    if (PyTuple_Size(self) < 1) {
        PyErr_SetString(PyExc_IndexError, "empty pair");
        return NULL;
    }
    PyObject *item = PyTuple_GetItem(self, 0);
    Py_XINCREF(item);
    return item;
}

static PyMethodDef Pair_methods[] = {
    {"first", Pair_first, METH_NOARGS, "The first item."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Pair_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "runslots.Pair",
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A tuple with an object's repr.",
    .tp_methods = Pair_methods,
    .tp_base = &PyTuple_Type,
};

static PyObject *
raise_error(PyObject *module, PyObject *arg)
{
    (void)module;
    PyErr_SetObject((PyObject *)&Error_Type, arg);
    return NULL;
}

static PyMethodDef runslots_methods[] = {
    {"raise_error", raise_error, METH_O, "Raise runslots.Error(arg)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef runslots_module = {
    PyModuleDef_HEAD_INIT, "runslots", "Slots set at run time.", -1, runslots_methods,
};

static int
add_type(PyObject *m, const char *name, PyTypeObject *type)
{
    Py_INCREF(type);
    if (PyModule_AddObject(m, name, (PyObject *)type) < 0) {
        Py_DECREF(type);
        return -1;
    }
    return 0;
}

PyMODINIT_FUNC
PyInit_runslots(void)
{
    PyObject *m;

    Plain_Type.tp_new = PyBaseObject_Type.tp_new;
    Plain_Type.tp_flags |= Py_TPFLAGS_BASETYPE;
    Plain_Type.tp_repr = choose_repr();
    Sub_Type.tp_base = &Plain_Type;
    Error_Type.tp_base = (PyTypeObject *)PyExc_ValueError;
    Pair_Type.tp_new = PyTuple_Type.tp_new;
    Pair_Type.tp_repr = PyBaseObject_Type.tp_repr;
    if (PyType_Ready(&Plain_Type) < 0 || PyType_Ready(&Sub_Type) < 0)
        return NULL;
    if (PyType_Ready(&Error_Type) < 0)
        return NULL;
    if (PyType_Ready(&Pair_Type) < 0)
        return NULL;
    m = PyModule_Create(&runslots_module);
    if (m == NULL)
        return NULL;
    if (add_type(m, "Plain", &Plain_Type) < 0 || add_type(m, "Sub", &Sub_Type) < 0 ||
        add_type(m, "Error", &Error_Type) < 0 || add_type(m, "Pair", &Pair_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
