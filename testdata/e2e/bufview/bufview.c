/*
 * bufview -- a resizable, writable byte buffer exporting the buffer
 * protocol, plus helpers that consume arbitrary buffer objects.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    char *data;
    Py_ssize_t size;
    Py_ssize_t exports;     /* number of live Py_buffer views */
} ByteBufObject;

static PyTypeObject ByteBuf_Type;

/* Allocate at least one byte so that data is never NULL. */
static int
bytebuf_allocate(ByteBufObject *self, Py_ssize_t size)
{
    char *data = PyMem_Realloc(self->data, size > 0 ? (size_t)size : 1);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (size > self->size)
        memset(data + self->size, 0, (size_t)(size - self->size));
    self->data = data;
    self->size = size;
    return 0;
}

static PyObject *
ByteBuf_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"init", NULL};
    PyObject *init = NULL;
    ByteBufObject *self;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:ByteBuf", kwlist, &init))
        return NULL;

    self = (ByteBufObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->data = NULL;
    self->size = 0;
    self->exports = 0;

    if (init == NULL) {
        if (bytebuf_allocate(self, 0) < 0)
            goto error;
    }
    else if (Py_TYPE(init) == &ByteBuf_Type) {
        /* Fast path: copying another ByteBuf. */
        ByteBufObject *other = (ByteBufObject *)init;
        if (bytebuf_allocate(self, other->size) < 0)
            goto error;
        memcpy(self->data, other->data, (size_t)other->size);
    }
    else if (PyLong_Check(init)) {
        Py_ssize_t size = PyLong_AsSsize_t(init);
        if (size == -1 && PyErr_Occurred())
            goto error;
        if (size < 0) {
            PyErr_SetString(PyExc_ValueError, "negative buffer size");
            goto error;
        }
        if (bytebuf_allocate(self, size) < 0)
            goto error;
    }
    else {
        Py_buffer view;
        int rc;

        if (PyObject_GetBuffer(init, &view, PyBUF_SIMPLE) < 0)
            goto error;
        rc = bytebuf_allocate(self, view.len);
        if (rc == 0)
            memcpy(self->data, view.buf, (size_t)view.len);
        PyBuffer_Release(&view);
        if (rc < 0)
            goto error;
    }
    return (PyObject *)self;

error:
    Py_DECREF(self);
    return NULL;
}

static void
ByteBuf_dealloc(ByteBufObject *self)
{
    PyMem_Free(self->data);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
ByteBuf_repr(ByteBufObject *self)
{
    return PyUnicode_FromFormat("%s(size=%zd)", Py_TYPE(self)->tp_name, self->size);
}

/* ---- buffer protocol ---------------------------------------------------- */

static int
ByteBuf_getbuffer(ByteBufObject *self, Py_buffer *view, int flags)
{
    if (PyBuffer_FillInfo(view, (PyObject *)self, self->data, self->size, 0, flags) < 0)
        return -1;
    self->exports++;
    return 0;
}

static void
ByteBuf_releasebuffer(ByteBufObject *self, Py_buffer *view)
{
    self->exports--;
}

static PyBufferProcs ByteBuf_as_buffer = {
    (getbufferproc)ByteBuf_getbuffer,
    (releasebufferproc)ByteBuf_releasebuffer,
};

static Py_ssize_t
ByteBuf_length(ByteBufObject *self)
{
    return self->size;
}

static PySequenceMethods ByteBuf_as_sequence = {
    .sq_length = (lenfunc)ByteBuf_length,
};

/* ---- methods ------------------------------------------------------------ */

static PyObject *
ByteBuf_resize(ByteBufObject *self, PyObject *arg)
{
    Py_ssize_t size = PyLong_AsSsize_t(arg);

    if (size == -1 && PyErr_Occurred())
        return NULL;
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "negative buffer size");
        return NULL;
    }
    if (self->exports > 0) {
        PyErr_Format(PyExc_BufferError,
                     "cannot resize ByteBuf while it is exported (%zd exports)",
                     self->exports);
        return NULL;
    }
    if (bytebuf_allocate(self, size) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
ByteBuf_fill(ByteBufObject *self, PyObject *args)
{
    int value;

    if (!PyArg_ParseTuple(args, "i:fill", &value))
        return NULL;
    if (value < 0 || value > 255) {
        PyErr_SetString(PyExc_ValueError, "fill value must be in range(0, 256)");
        return NULL;
    }
    memset(self->data, value, (size_t)self->size);
    Py_RETURN_NONE;
}

static PyObject *
ByteBuf_tobytes(ByteBufObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyBytes_FromStringAndSize(self->data, self->size);
}

static PyMethodDef ByteBuf_methods[] = {
    {"resize", (PyCFunction)ByteBuf_resize, METH_O,
     "resize(n): grow (zero filled) or shrink the buffer."},
    {"fill", (PyCFunction)ByteBuf_fill, METH_VARARGS, "fill(byte): set every byte."},
    {"tobytes", (PyCFunction)ByteBuf_tobytes, METH_NOARGS, "Return a bytes copy."},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef ByteBuf_members[] = {
    {"exports", T_PYSSIZET, offsetof(ByteBufObject, exports), READONLY,
     "number of active buffer exports"},
    {NULL}
};

static PyTypeObject ByteBuf_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bufview.ByteBuf",
    .tp_basicsize = sizeof(ByteBufObject),
    .tp_dealloc = (destructor)ByteBuf_dealloc,
    .tp_repr = (reprfunc)ByteBuf_repr,
    .tp_as_sequence = &ByteBuf_as_sequence,
    .tp_as_buffer = &ByteBuf_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,     /* deliberately not subclassable */
    .tp_doc = "ByteBuf(init=0)\n\nA resizable byte buffer; init is a size or bytes-like object.",
    .tp_methods = ByteBuf_methods,
    .tp_members = ByteBuf_members,
    .tp_new = ByteBuf_new,
};

/* ---- module functions --------------------------------------------------- */

/* xor_inplace(buffer, key): XOR every byte of a writable buffer with key. */
static PyObject *
bufview_xor_inplace(PyObject *module, PyObject *args)
{
    PyObject *obj;
    Py_buffer view;
    unsigned char key;
    Py_ssize_t i;

    if (!PyArg_ParseTuple(args, "Ob:xor_inplace", &obj, &key))
        return NULL;
    if (PyObject_GetBuffer(obj, &view, PyBUF_WRITABLE) < 0)
        return NULL;
    for (i = 0; i < view.len; i++)
        ((unsigned char *)view.buf)[i] ^= key;
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

/* byte_sum(buffer) -> int: sum of all bytes of any contiguous buffer. */
static PyObject *
bufview_byte_sum(PyObject *module, PyObject *obj)
{
    Py_buffer view;
    unsigned long long total = 0;
    Py_ssize_t i;

    if (!PyObject_CheckBuffer(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "byte_sum() argument must support the buffer protocol, not %.200s",
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    for (i = 0; i < view.len; i++)
        total += ((const unsigned char *)view.buf)[i];
    PyBuffer_Release(&view);
    return PyLong_FromUnsignedLongLong(total);
}

static PyMethodDef bufview_methods[] = {
    {"xor_inplace", bufview_xor_inplace, METH_VARARGS,
     "xor_inplace(buffer, key): XOR a writable buffer in place."},
    {"byte_sum", bufview_byte_sum, METH_O, "byte_sum(buffer) -> sum of the bytes."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef bufview_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "bufview",
    .m_doc = "Byte buffers and buffer protocol helpers.",
    .m_size = -1,
    .m_methods = bufview_methods,
};

PyMODINIT_FUNC
PyInit_bufview(void)
{
    PyObject *m;

    if (PyType_Ready(&ByteBuf_Type) < 0)
        return NULL;
    m = PyModule_Create(&bufview_module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&ByteBuf_Type);
    if (PyModule_AddObject(m, "ByteBuf", (PyObject *)&ByteBuf_Type) < 0) {
        Py_DECREF(&ByteBuf_Type);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
