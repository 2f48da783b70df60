/*
 * counter.c -- the Counter type of the twofile extension.
 */
#include "twofile.h"
#include <structmember.h>

static PyObject *
Counter_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    CounterObject *self = (CounterObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->value = 0;
    self->step = 1;
    self->limit = 0;
    self->has_limit = 0;
    return (PyObject *)self;
}

static int
Counter_init(CounterObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"start", "step", "limit", NULL};
    long long start = 0, step = 1;
    PyObject *limit = Py_None;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|LLO:Counter", kwlist,
                                     &start, &step, &limit))
        return -1;
    if (step == 0) {
        PyErr_SetString(PyExc_ValueError, "Counter step must not be zero");
        return -1;
    }
    self->value = start;
    self->step = step;
    self->has_limit = limit != Py_None;
    if (self->has_limit) {
        self->limit = PyLong_AsLongLong(limit);
        if (self->limit == -1 && PyErr_Occurred())
            return -1;
    }
    return 0;
}

static void
Counter_dealloc(CounterObject *self)
{
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Counter_repr(CounterObject *self)
{
    return PyUnicode_FromFormat("%s(value=%lld, step=%lld)",
                                Py_TYPE(self)->tp_name, self->value, self->step);
}

static PyObject *
Counter_iternext(CounterObject *self)
{
    PyObject *result;

    if (self->has_limit &&
        (self->step > 0 ? self->value >= self->limit : self->value <= self->limit))
        return NULL;
    result = PyLong_FromLongLong(self->value);
    if (result != NULL)
        self->value += self->step;
    return result;
}

static PyObject *
Counter_increment(CounterObject *self, PyObject *args)
{
    long long times = 1;

    if (!PyArg_ParseTuple(args, "|L:increment", &times))
        return NULL;
    if (times < 0) {
        PyErr_SetString(PyExc_ValueError, "increment() count must not be negative");
        return NULL;
    }
    self->value += times * self->step;
    return PyLong_FromLongLong(self->value);
}

static PyObject *
Counter_reset(CounterObject *self, PyObject *Py_UNUSED(ignored))
{
    self->value = 0;
    Py_RETURN_NONE;
}

static PyMethodDef Counter_methods[] = {
    {"increment", (PyCFunction)Counter_increment, METH_VARARGS,
     "increment(times=1) -> new value"},
    {"reset", (PyCFunction)Counter_reset, METH_NOARGS, "Set the value back to zero."},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef Counter_members[] = {
    {"value", T_LONGLONG, offsetof(CounterObject, value), 0, "current value"},
    {"step", T_LONGLONG, offsetof(CounterObject, step), READONLY, "increment step"},
    {NULL}
};

PyTypeObject Counter_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    "twofile.Counter",                          /* tp_name */
    sizeof(CounterObject),                      /* tp_basicsize */
    0,                                          /* tp_itemsize */
    (destructor)Counter_dealloc,                /* tp_dealloc */
    0,                                          /* tp_vectorcall_offset */
    0,                                          /* tp_getattr */
    0,                                          /* tp_setattr */
    0,                                          /* tp_as_async */
    (reprfunc)Counter_repr,                     /* tp_repr */
    0,                                          /* tp_as_number */
    0,                                          /* tp_as_sequence */
    0,                                          /* tp_as_mapping */
    0,                                          /* tp_hash */
    0,                                          /* tp_call */
    0,                                          /* tp_str */
    0,                                          /* tp_getattro */
    0,                                          /* tp_setattro */
    0,                                          /* tp_as_buffer */
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,   /* tp_flags */
    "Counter(start=0, step=1, limit=None)\n\n"
    "An iterator counting from start in steps.",   /* tp_doc */
    0,                                          /* tp_traverse */
    0,                                          /* tp_clear */
    0,                                          /* tp_richcompare */
    0,                                          /* tp_weaklistoffset */
    PyObject_SelfIter,                          /* tp_iter */
    (iternextfunc)Counter_iternext,             /* tp_iternext */
    Counter_methods,                            /* tp_methods */
    Counter_members,                            /* tp_members */
    0,                                          /* tp_getset */
    0,                                          /* tp_base */
    0,                                          /* tp_dict */
    0,                                          /* tp_descr_get */
    0,                                          /* tp_descr_set */
    0,                                          /* tp_dictoffset */
    (initproc)Counter_init,                     /* tp_init */
    0,                                          /* tp_alloc */
    Counter_new,                                /* tp_new */
};
