/*
 * awaitable -- native awaitables and async iterators (tp_as_async).
 *
 *   Ready(value, yields=0)   awaitable producing `value`, optionally
 *                            yielding to the event loop `yields` times first
 *   ARange(start, stop[, step])  async iterator over a range of ints
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    PyObject *value;
    Py_ssize_t yields;
} ReadyObject;

/* Iterator returned by __await__: yields None `remaining` times, then
   finishes with StopIteration(result), or StopAsyncIteration if result
   is NULL. */
typedef struct {
    PyObject_HEAD
    PyObject *result;
    Py_ssize_t remaining;
    int done;
} AwaitIterObject;

typedef struct {
    PyObject_HEAD
    long current;
    long stop;
    long step;
} ARangeObject;

static PyTypeObject Ready_Type;
static PyTypeObject AwaitIter_Type;
static PyTypeObject ARange_Type;

/* ---- AwaitIter ---------------------------------------------------------- */

static PyObject *
await_iter_create(PyObject *result, Py_ssize_t yields)
{
    AwaitIterObject *it = PyObject_New(AwaitIterObject, &AwaitIter_Type);
    if (it == NULL)
        return NULL;
    Py_XINCREF(result);
    it->result = result;
    it->remaining = yields;
    it->done = 0;
    return (PyObject *)it;
}

static void
AwaitIter_dealloc(AwaitIterObject *it)
{
    Py_XDECREF(it->result);
    Py_TYPE(it)->tp_free((PyObject *)it);
}

static PyObject *
AwaitIter_next(AwaitIterObject *it)
{
    PyObject *exc;

    if (it->done)
        return NULL;
    if (it->remaining > 0) {
        it->remaining--;
        Py_RETURN_NONE;     /* a bare yield: asyncio just reschedules us */
    }
    it->done = 1;
    if (it->result == NULL) {
        PyErr_SetNone(PyExc_StopAsyncIteration);
        return NULL;
    }
    /* Wrap the value explicitly so tuples and exceptions survive. */
    exc = PyObject_CallOneArg(PyExc_StopIteration, it->result);
    if (exc == NULL)
        return NULL;
    PyErr_SetObject(PyExc_StopIteration, exc);
    Py_DECREF(exc);
    return NULL;
}

/* The iterator is itself awaitable, so __anext__ can return it directly. */
static PyObject *
AwaitIter_await(AwaitIterObject *it)
{
    Py_INCREF(it);
    return (PyObject *)it;
}

static PyAsyncMethods AwaitIter_as_async = {
    .am_await = (unaryfunc)AwaitIter_await,
};

static PyTypeObject AwaitIter_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "awaitable._AwaitIter",
    .tp_basicsize = sizeof(AwaitIterObject),
    .tp_dealloc = (destructor)AwaitIter_dealloc,
    .tp_as_async = &AwaitIter_as_async,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)AwaitIter_next,
};

/* ---- Ready -------------------------------------------------------------- */

static PyObject *
Ready_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"value", "yields", NULL};
    PyObject *value;
    Py_ssize_t yields = 0;
    ReadyObject *self;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|n:Ready", kwlist, &value, &yields))
        return NULL;
    if (yields < 0) {
        PyErr_SetString(PyExc_ValueError, "yields must be >= 0");
        return NULL;
    }
    self = (ReadyObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    Py_INCREF(value);
    self->value = value;
    self->yields = yields;
    return (PyObject *)self;
}

static void
Ready_dealloc(ReadyObject *self)
{
    Py_XDECREF(self->value);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Ready_await(ReadyObject *self)
{
    return await_iter_create(self->value, self->yields);
}

static PyObject *
Ready_repr(ReadyObject *self)
{
    return PyUnicode_FromFormat("%s(%R)", Py_TYPE(self)->tp_name, self->value);
}

static PyAsyncMethods Ready_as_async = {
    .am_await = (unaryfunc)Ready_await,
};

static PyMemberDef Ready_members[] = {
    {"value", T_OBJECT_EX, offsetof(ReadyObject, value), READONLY, "the result"},
    {"yields", T_PYSSIZET, offsetof(ReadyObject, yields), READONLY,
     "times to yield to the event loop before completing"},
    {NULL}
};

static PyTypeObject Ready_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "awaitable.Ready",
    .tp_basicsize = sizeof(ReadyObject),
    .tp_dealloc = (destructor)Ready_dealloc,
    .tp_as_async = &Ready_as_async,
    .tp_repr = (reprfunc)Ready_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Ready(value, yields=0)\n\nAn awaitable that completes with value.",
    .tp_members = Ready_members,
    .tp_new = Ready_new,
};

/* ---- ARange ------------------------------------------------------------- */

static PyObject *
ARange_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    long start, stop, step = 1;
    ARangeObject *self;

    if (kwds != NULL && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError, "ARange() takes no keyword arguments");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "ll|l:ARange", &start, &stop, &step))
        return NULL;
    if (step == 0) {
        PyErr_SetString(PyExc_ValueError, "ARange() arg 3 must not be zero");
        return NULL;
    }
    self = (ARangeObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->current = start;
    self->stop = stop;
    self->step = step;
    return (PyObject *)self;
}

static void
ARange_dealloc(ARangeObject *self)
{
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
ARange_aiter(ARangeObject *self)
{
    Py_INCREF(self);
    return (PyObject *)self;
}

static PyObject *
ARange_anext(ARangeObject *self)
{
    PyObject *value, *it;
    int exhausted = self->step > 0 ? self->current >= self->stop
                                   : self->current <= self->stop;

    if (exhausted)
        return await_iter_create(NULL, 0);
    value = PyLong_FromLong(self->current);
    if (value == NULL)
        return NULL;
    self->current += self->step;
    it = await_iter_create(value, 0);
    Py_DECREF(value);
    return it;
}

static PyAsyncMethods ARange_as_async = {
    0,                          /* am_await */
    (unaryfunc)ARange_aiter,    /* am_aiter */
    (unaryfunc)ARange_anext,    /* am_anext */
    0,                          /* am_send */
};

static PyTypeObject ARange_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "awaitable.ARange",
    .tp_basicsize = sizeof(ARangeObject),
    .tp_dealloc = (destructor)ARange_dealloc,
    .tp_as_async = &ARange_as_async,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "ARange(start, stop[, step])\n\nAsynchronous iterator over a range.",
    .tp_new = ARange_new,
};

/* ---- module ------------------------------------------------------------- */

/* result_of(ready) -> value without awaiting (exact Ready instances only) */
static PyObject *
awaitable_result_of(PyObject *module, PyObject *obj)
{
    if (Py_TYPE(obj) != &Ready_Type) {
        PyErr_Format(PyExc_TypeError, "result_of() expected %s, not %.200s",
                     Ready_Type.tp_name, Py_TYPE(obj)->tp_name);
        return NULL;
    }
    Py_INCREF(((ReadyObject *)obj)->value);
    return ((ReadyObject *)obj)->value;
}

static PyMethodDef awaitable_methods[] = {
    {"result_of", awaitable_result_of, METH_O,
     "Return the value of an exact Ready instance without awaiting it."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef awaitable_module = {
    PyModuleDef_HEAD_INIT,
    "awaitable",
    "Native awaitables and async iterators.",
    -1,
    awaitable_methods,
};

static int
add_type(PyObject *m, const char *name, PyTypeObject *type)
{
    if (PyType_Ready(type) < 0)
        return -1;
    Py_INCREF(type);
    if (PyModule_AddObject(m, name, (PyObject *)type) < 0) {
        Py_DECREF(type);
        return -1;
    }
    return 0;
}

PyMODINIT_FUNC
PyInit_awaitable(void)
{
    PyObject *m;

    if (PyType_Ready(&AwaitIter_Type) < 0)
        return NULL;
    m = PyModule_Create(&awaitable_module);
    if (m == NULL)
        return NULL;
    if (add_type(m, "Ready", &Ready_Type) < 0 || add_type(m, "ARange", &ARange_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
