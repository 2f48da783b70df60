/* Static types written the ways real extensions write them. */
#include <Python.h>
#include <structmember.h>
#include <stddef.h>

/* Amp: slots written `(destructor)&f`, a null slot written `(reprfunc)0`. */
typedef struct {
    PyObject_HEAD
    long value;
} AmpObject;

static void
Amp_dealloc(AmpObject *self)
{
    PyObject_Free(self);
}

static PyObject *
Amp_repr(AmpObject *self)
{
    return PyUnicode_FromFormat("Amp(%ld)", self->value);
}

static int
Amp_init(AmpObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"value", NULL};
    self->value = 0;
    return PyArg_ParseTupleAndKeywords(args, kwds, "|l", kwlist, &self->value) ? 0 : -1;
}

static PyTypeObject Amp_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeforms.Amp",
    .tp_basicsize = sizeof(AmpObject),
    .tp_dealloc = (destructor)&Amp_dealloc,
    .tp_repr = (reprfunc)&Amp_repr,
    .tp_str = (reprfunc)0,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An amplifier.",
    .tp_init = (initproc)&Amp_init,
    .tp_new = PyType_GenericNew,
};

/* Sealed: no tp_new and no base, so Python code cannot instantiate it. */
static PyTypeObject Sealed_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeforms.Sealed",
    .tp_basicsize = sizeof(PyObject),
    .tp_dealloc = (destructor)0,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Not instantiable from Python.",
};

/* Words: a str subclass without a tp_new of its own (it inherits str's). */
static PyObject *
Words_count(PyObject *self, PyObject *unused)
{
    (void)unused;
    PyObject *parts = PyUnicode_Split(self, NULL, -1);
    if (parts == NULL)
        return NULL;
    Py_ssize_t n = PyList_Size(parts);
    Py_DECREF(parts);
    return PyLong_FromSsize_t(n);
}

static PyMethodDef Words_methods[] = {
    {"count_words", Words_count, METH_NOARGS, "Number of words."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Words_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeforms.Words",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A str that counts its words.",
    .tp_methods = Words_methods,
    .tp_base = &PyUnicode_Type,
};

/* Stack: a list subclass whose base is set in the init function. */
static PyObject *
Stack_top(PyObject *self, PyObject *unused)
{
    (void)unused;
    Py_ssize_t n = PyList_Size(self);
    if (n < 0)
        return NULL;
    if (n == 0) {
        PyErr_SetString(PyExc_IndexError, "empty stack");
        return NULL;
    }
    PyObject *item = PyList_GetItem(self, n - 1);
    Py_XINCREF(item);
    return item;
}

static PyMethodDef Stack_methods[] = {
    {"top", Stack_top, METH_NOARGS, "The last item."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Stack_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeforms.Stack",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A list with a top.",
    .tp_methods = Stack_methods,
};

/* Node and Leaf: Leaf's dealloc ends in Node's. */
typedef struct {
    PyObject_HEAD
    PyObject *x;
} NodeObject;

typedef struct {
    NodeObject node;
    PyObject *y;
} LeafObject;

static void
Node_dealloc(NodeObject *self)
{
    Py_CLEAR(self->x);
    PyObject_Free(self);
}

static void
Leaf_dealloc(LeafObject *self)
{
    Py_CLEAR(self->y);
    Node_dealloc((NodeObject *)self);
}

static PyMemberDef Node_members[] = {
    {"x", T_OBJECT, offsetof(NodeObject, x), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyMemberDef Leaf_members[] = {
    {"y", T_OBJECT, offsetof(LeafObject, y), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject Node_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeforms.Node",
    .tp_basicsize = sizeof(NodeObject),
    .tp_dealloc = (destructor)Node_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A node.",
    .tp_members = Node_members,
    .tp_new = PyType_GenericNew,
};

static PyTypeObject Leaf_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeforms.Leaf",
    .tp_basicsize = sizeof(LeafObject),
    .tp_dealloc = (destructor)Leaf_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A leaf.",
    .tp_members = Leaf_members,
    .tp_base = &Node_Type,
};

/* Token: its dealloc releases a heap type itself. */
static void
Token_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_Free(self);
    if (PyType_GetFlags(tp) & Py_TPFLAGS_HEAPTYPE)
        Py_DECREF(tp);
}

static PyTypeObject Token_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeforms.Token",
    .tp_basicsize = sizeof(PyObject),
    .tp_dealloc = Token_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A token.",
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef typeforms_module = {
    PyModuleDef_HEAD_INIT, "typeforms", "Static types in many forms.", -1, NULL,
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
PyInit_typeforms(void)
{
    PyObject *m;

    Stack_Type.tp_base = &PyList_Type;
    if (PyType_Ready(&Amp_Type) < 0 || PyType_Ready(&Sealed_Type) < 0)
        return NULL;
    if (PyType_Ready(&Words_Type) < 0 || PyType_Ready(&Stack_Type) < 0)
        return NULL;
    if (PyType_Ready(&Node_Type) < 0)
        return NULL;
    if (PyType_Ready(&Leaf_Type) < 0)
        return NULL;
    if (PyType_Ready(&Token_Type) < 0)
        return NULL;
    m = PyModule_Create(&typeforms_module);
    if (m == NULL)
        return NULL;
    if (add_type(m, "Amp", &Amp_Type) < 0 || add_type(m, "Sealed", &Sealed_Type) < 0 ||
        add_type(m, "Words", &Words_Type) < 0 || add_type(m, "Stack", &Stack_Type) < 0 ||
        add_type(m, "Node", &Node_Type) < 0 || add_type(m, "Leaf", &Leaf_Type) < 0 ||
        add_type(m, "Token", &Token_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
