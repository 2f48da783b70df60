/* The module: readies the types of kinds.c, and has a subtype of a base that
   stays static. */
#include "partial.h"
#include <datetime.h>

static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "Base",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A static base.",
    .tp_new = PyType_GenericNew,
};

static PyTypeObject Derived_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "partial.Derived",
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A subtype of the static base.",
    .tp_base = &Base_Type,
};

/* zone(delta) -> a fixed-offset timezone, from a datetime C API call that no
   rewrite covers: its PyDateTimeAPI must still be set in the ported build. */
static PyObject *
partial_zone(PyObject *module, PyObject *delta)
{
    if (!PyDelta_Check(delta)) {
        PyErr_SetString(PyExc_TypeError, "zone() needs a timedelta");
        return NULL;
    }
    return PyTimeZone_FromOffsetAndName(delta, NULL);
}

/* describe(*args) -> "PyTuple_GET_SIZE(args) = N": the project's macro turns
   its argument into that text too, so the port must leave it as written. */
#define DESCRIBE(e) describe_value(#e, (Py_ssize_t)(e))

static PyObject *
describe_value(const char *text, Py_ssize_t value)
{
    return PyUnicode_FromFormat("%s = %zd", text, value);
}

static PyObject *
partial_describe(PyObject *module, PyObject *args)
{
    return DESCRIBE(PyTuple_GET_SIZE(args));
}

/* alive(obj) -> "alive: 1": a casting macro in a project macro's arguments. */
typedef struct { PyObject_HEAD } AnyObject;
#define FORMAT_INTO(buf, fmt, ...) PyOS_snprintf(buf, sizeof(buf), fmt, __VA_ARGS__)

static PyObject *
partial_alive(PyObject *module, PyObject *obj)
{
    char buf[32];
    AnyObject *any = (AnyObject *)obj;
    FORMAT_INTO(buf, "alive: %d", (int)(Py_REFCNT(any) > 0));
    return PyUnicode_FromString(buf);
}

static PyMethodDef partial_methods[] = {
    {"zone", partial_zone, METH_O, "A fixed-offset timezone."},
    {"describe", partial_describe, METH_VARARGS, "The size of the arguments, described."},
    {"alive", partial_alive, METH_O, "Whether the object has references."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef partial_module = {
    PyModuleDef_HEAD_INIT, "partial", "A port that stays partial.", -1, partial_methods,
};

PyMODINIT_FUNC
PyInit_partial(void)
{
    PyObject *m;

    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL)
        return NULL;
    if (PyType_Ready(&Bare_Type) < 0 || PyType_Ready(&Conv_Type) < 0)
        return NULL;
    if (PyType_Ready(&Bare_Type) < 0)
        return NULL;
    if (PyType_Ready(&Conv_Type) < 0)
        return NULL;
    if (PyType_Ready(&Derived_Type) < 0)
        return NULL;
    m = PyModule_Create(&partial_module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "Bare", (PyObject *)&Bare_Type) < 0 ||
        PyModule_AddObjectRef(m, "Conv", (PyObject *)&Conv_Type) < 0 ||
        PyModule_AddObjectRef(m, "Base", (PyObject *)&Base_Type) < 0 ||
        PyModule_AddObjectRef(m, "Derived", (PyObject *)&Derived_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
