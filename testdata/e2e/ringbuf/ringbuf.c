/*
 * ringbuf -- a fixed capacity ring buffer of Python objects.
 *
 * RingBuffer participates in cyclic GC, supports weak references and an
 * instance __dict__, the mapping protocol for indexing and an iterator
 * type that cannot be created from Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stddef.h>

static PyObject *RingBufError;

typedef struct {
    PyObject_HEAD
    PyObject **items;       /* array of `capacity` slots */
    Py_ssize_t capacity;
    Py_ssize_t start;       /* slot of the oldest item */
    Py_ssize_t size;
    unsigned long version;  /* bumped on every structural change */
    PyObject *dict;
    PyObject *weakreflist;
} RingBufferObject;

typedef struct {
    PyObject_HEAD
    RingBufferObject *rb;   /* NULL once exhausted */
    Py_ssize_t index;
    unsigned long version;
} RingBufferIterObject;

static PyTypeObject RingBuffer_Type;
static PyTypeObject RingBufferIter_Type;

#define SLOT(rb, i) ((rb)->items[((rb)->start + (i)) % (rb)->capacity])

/* ---- RingBuffer --------------------------------------------------------- */

static PyObject *
RingBuffer_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"capacity", NULL};
    RingBufferObject *self;
    Py_ssize_t capacity;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "n:RingBuffer", kwlist, &capacity))
        return NULL;
    if (capacity <= 0) {
        PyErr_Format(PyExc_ValueError, "capacity must be positive, not %zd", capacity);
        return NULL;
    }
    self = PyObject_GC_New(RingBufferObject, type);
    if (self == NULL)
        return NULL;
    self->capacity = capacity;
    self->start = 0;
    self->size = 0;
    self->version = 0;
    self->dict = NULL;
    self->weakreflist = NULL;
    self->items = PyMem_New(PyObject *, capacity);
    if (self->items == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    PyObject_GC_Track(self);
    return (PyObject *)self;
}

static int
RingBuffer_traverse(RingBufferObject *self, visitproc visit, void *arg)
{
    Py_ssize_t i;

    for (i = 0; i < self->size; i++)
        Py_VISIT(SLOT(self, i));
    Py_VISIT(self->dict);
    return 0;
}

static int
RingBuffer_clear(RingBufferObject *self)
{
    /* Detach the items first so that re-entrant code sees an empty buffer. */
    while (self->size > 0) {
        PyObject *item = SLOT(self, 0);
        self->start = (self->start + 1) % self->capacity;
        self->size--;
        Py_DECREF(item);
    }
    self->version++;
    Py_CLEAR(self->dict);
    return 0;
}

static void
RingBuffer_dealloc(RingBufferObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_TRASHCAN_BEGIN(self, RingBuffer_dealloc)
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    if (self->items != NULL) {
        RingBuffer_clear(self);
        PyMem_Free(self->items);
    }
    Py_XDECREF(self->dict);
    Py_TYPE(self)->tp_free((PyObject *)self);
    Py_TRASHCAN_END
}

static PyObject *
RingBuffer_repr(RingBufferObject *self)
{
    return PyUnicode_FromFormat("<%s size=%zd capacity=%zd>",
                                Py_TYPE(self)->tp_name, self->size, self->capacity);
}

static PyObject *
RingBuffer_append(RingBufferObject *self, PyObject *item)
{
    PyObject *evicted = NULL;

    Py_INCREF(item);
    if (self->size == self->capacity) {
        evicted = SLOT(self, 0);
        SLOT(self, 0) = item;
        self->start = (self->start + 1) % self->capacity;
    }
    else {
        SLOT(self, self->size) = item;
        self->size++;
    }
    self->version++;
    if (evicted == NULL)
        Py_RETURN_NONE;
    return evicted;   /* ownership passes to the caller */
}

static PyObject *
RingBuffer_pop(RingBufferObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *item;

    if (self->size == 0) {
        PyErr_SetString(RingBufError, "pop from empty RingBuffer");
        return NULL;
    }
    item = SLOT(self, 0);
    self->start = (self->start + 1) % self->capacity;
    self->size--;
    self->version++;
    return item;
}

static PyObject *
RingBuffer_clear_method(RingBufferObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *dict = self->dict;

    /* clear() only drops the items; keep the instance dict. */
    self->dict = NULL;
    RingBuffer_clear(self);
    self->dict = dict;
    Py_RETURN_NONE;
}

static PyObject *
RingBuffer_get_full(RingBufferObject *self, void *closure)
{
    return PyBool_FromLong(self->size == self->capacity);
}

static PyMethodDef RingBuffer_methods[] = {
    {"append", (PyCFunction)RingBuffer_append, METH_O,
     "Append an item; returns the evicted oldest item when full, else None."},
    {"pop", (PyCFunction)RingBuffer_pop, METH_NOARGS, "Remove and return the oldest item."},
    {"clear", (PyCFunction)RingBuffer_clear_method, METH_NOARGS, "Remove all items."},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef RingBuffer_members[] = {
    {"capacity", T_PYSSIZET, offsetof(RingBufferObject, capacity), READONLY,
     "maximum number of items"},
    {NULL}
};

static PyGetSetDef RingBuffer_getset[] = {
    {"full", (getter)RingBuffer_get_full, NULL, "True if the buffer is full", NULL},
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {NULL}
};

/* mapping protocol */

static Py_ssize_t
RingBuffer_length(RingBufferObject *self)
{
    return self->size;
}

/* Convert key to a valid position, or return -1 with an exception set. */
static Py_ssize_t
RingBuffer_position(RingBufferObject *self, PyObject *key)
{
    Py_ssize_t i;

    if (!PyIndex_Check(key)) {
        PyErr_Format(PyExc_TypeError, "RingBuffer indices must be integers, not %.200s",
                     Py_TYPE(key)->tp_name);
        return -1;
    }
    i = PyNumber_AsSsize_t(key, PyExc_IndexError);
    if (i == -1 && PyErr_Occurred())
        return -1;
    if (i < 0)
        i += self->size;
    if (i < 0 || i >= self->size) {
        PyErr_SetString(PyExc_IndexError, "RingBuffer index out of range");
        return -1;
    }
    return i;
}

static PyObject *
RingBuffer_subscript(RingBufferObject *self, PyObject *key)
{
    PyObject *item;
    Py_ssize_t i = RingBuffer_position(self, key);

    if (i < 0)
        return NULL;
    item = SLOT(self, i);
    Py_INCREF(item);
    return item;
}

static int
RingBuffer_ass_subscript(RingBufferObject *self, PyObject *key, PyObject *value)
{
    Py_ssize_t i;

    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "RingBuffer does not support item deletion");
        return -1;
    }
    i = RingBuffer_position(self, key);
    if (i < 0)
        return -1;
    Py_INCREF(value);
    Py_SETREF(SLOT(self, i), value);
    return 0;
}

static int
RingBuffer_contains(RingBufferObject *self, PyObject *value)
{
    Py_ssize_t i;

    for (i = 0; i < self->size; i++) {
        PyObject *item = SLOT(self, i);
        int cmp;

        Py_INCREF(item);
        cmp = PyObject_RichCompareBool(item, value, Py_EQ);
        Py_DECREF(item);
        if (cmp != 0)
            return cmp;
    }
    return 0;
}

static PyMappingMethods RingBuffer_as_mapping = {
    (lenfunc)RingBuffer_length,
    (binaryfunc)RingBuffer_subscript,
    (objobjargproc)RingBuffer_ass_subscript,
};

static PySequenceMethods RingBuffer_as_sequence = {
    .sq_contains = (objobjproc)RingBuffer_contains,
};

static PyObject *
RingBuffer_iter(RingBufferObject *self)
{
    RingBufferIterObject *it;

    it = PyObject_GC_New(RingBufferIterObject, &RingBufferIter_Type);
    if (it == NULL)
        return NULL;
    Py_INCREF(self);
    it->rb = self;
    it->index = 0;
    it->version = self->version;
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

static PyTypeObject RingBuffer_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ringbuf.RingBuffer",
    .tp_basicsize = sizeof(RingBufferObject),
    .tp_dealloc = (destructor)RingBuffer_dealloc,
    .tp_repr = (reprfunc)RingBuffer_repr,
    .tp_as_sequence = &RingBuffer_as_sequence,
    .tp_as_mapping = &RingBuffer_as_mapping,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "RingBuffer(capacity)\n\nFixed size FIFO that evicts the oldest item.",
    .tp_traverse = (traverseproc)RingBuffer_traverse,
    .tp_clear = (inquiry)RingBuffer_clear,
    .tp_weaklistoffset = offsetof(RingBufferObject, weakreflist),
    .tp_iter = (getiterfunc)RingBuffer_iter,
    .tp_methods = RingBuffer_methods,
    .tp_members = RingBuffer_members,
    .tp_getset = RingBuffer_getset,
    .tp_dictoffset = offsetof(RingBufferObject, dict),
    .tp_new = RingBuffer_new,
    .tp_free = PyObject_GC_Del,
};

/* ---- RingBufferIter ----------------------------------------------------- */

static void
RingBufferIter_dealloc(RingBufferIterObject *it)
{
    PyObject_GC_UnTrack(it);
    Py_XDECREF(it->rb);
    PyObject_GC_Del(it);
}

static int
RingBufferIter_traverse(RingBufferIterObject *it, visitproc visit, void *arg)
{
    Py_VISIT(it->rb);
    return 0;
}

static PyObject *
RingBufferIter_next(RingBufferIterObject *it)
{
    RingBufferObject *rb = it->rb;
    PyObject *item;

    if (rb == NULL)
        return NULL;
    if (rb->version != it->version) {
        PyErr_SetString(PyExc_RuntimeError, "RingBuffer mutated during iteration");
        Py_CLEAR(it->rb);
        return NULL;
    }
    if (it->index >= rb->size) {
        Py_CLEAR(it->rb);
        return NULL;
    }
    item = SLOT(rb, it->index);
    it->index++;
    Py_INCREF(item);
    return item;
}

static PyObject *
RingBufferIter_length_hint(RingBufferIterObject *it, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t n = 0;

    if (it->rb != NULL && it->rb->version == it->version)
        n = it->rb->size - it->index;
    return PyLong_FromSsize_t(n);
}

static PyMethodDef RingBufferIter_methods[] = {
    {"__length_hint__", (PyCFunction)RingBufferIter_length_hint, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject RingBufferIter_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    "ringbuf.RingBufferIter",                   /* tp_name */
    sizeof(RingBufferIterObject),               /* tp_basicsize */
    0,                                          /* tp_itemsize */
    (destructor)RingBufferIter_dealloc,         /* tp_dealloc */
    0,                                          /* tp_vectorcall_offset */
    0,                                          /* tp_getattr */
    0,                                          /* tp_setattr */
    0,                                          /* tp_as_async */
    0,                                          /* tp_repr */
    0,                                          /* tp_as_number */
    0,                                          /* tp_as_sequence */
    0,                                          /* tp_as_mapping */
    0,                                          /* tp_hash */
    0,                                          /* tp_call */
    0,                                          /* tp_str */
    PyObject_GenericGetAttr,                    /* tp_getattro */
    0,                                          /* tp_setattro */
    0,                                          /* tp_as_buffer */
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,    /* tp_flags */
    0,                                          /* tp_doc */
    (traverseproc)RingBufferIter_traverse,      /* tp_traverse */
    0,                                          /* tp_clear */
    0,                                          /* tp_richcompare */
    0,                                          /* tp_weaklistoffset */
    PyObject_SelfIter,                          /* tp_iter */
    (iternextfunc)RingBufferIter_next,          /* tp_iternext */
    RingBufferIter_methods,                     /* tp_methods */
    /* remaining slots are zero: in particular tp_new is NULL, so the
       iterator cannot be instantiated from Python */
};

/* ---- module ------------------------------------------------------------- */

static struct PyModuleDef ringbuf_module = {
    PyModuleDef_HEAD_INIT,
    "ringbuf",
    "Fixed capacity ring buffers.",
    -1,
    NULL,
};

PyMODINIT_FUNC
PyInit_ringbuf(void)
{
    PyObject *m;

    if (PyType_Ready(&RingBuffer_Type) < 0)
        return NULL;
    if (PyType_Ready(&RingBufferIter_Type) < 0)
        return NULL;

    m = PyModule_Create(&ringbuf_module);
    if (m == NULL)
        return NULL;

    RingBufError = PyErr_NewException("ringbuf.Error", NULL, NULL);
    if (RingBufError == NULL)
        goto error;
    Py_INCREF(RingBufError);
    if (PyModule_AddObject(m, "Error", RingBufError) < 0) {
        Py_DECREF(RingBufError);
        goto error;
    }

    Py_INCREF(&RingBuffer_Type);
    if (PyModule_AddObject(m, "RingBuffer", (PyObject *)&RingBuffer_Type) < 0) {
        Py_DECREF(&RingBuffer_Type);
        goto error;
    }
    return m;

error:
    Py_CLEAR(RingBufError);
    Py_DECREF(m);
    return NULL;
}
