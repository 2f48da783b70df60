// cxxbox: a C++ extension with a static type (positional initialiser), a
// module exception and a module-level function that checks the type.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string>

typedef struct {
    PyObject_HEAD
    long value;
} BoxObject;

static PyObject *BoxError;

static PyObject *
Box_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static const char *kwlist[] = {"value", NULL};
    long value = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|l:Box", const_cast<char **>(kwlist), &value))
        return NULL;
    if (value < 0) {
        PyErr_Format(BoxError, "Box value must not be negative, got %ld", value);
        return NULL;
    }
    BoxObject *self = reinterpret_cast<BoxObject *>(type->tp_alloc(type, 0));
    if (self != NULL)
        self->value = value;
    return reinterpret_cast<PyObject *>(self);
}

static void
Box_dealloc(BoxObject *self)
{
    Py_TYPE(self)->tp_free(reinterpret_cast<PyObject *>(self));
}

static PyObject *
Box_repr(BoxObject *self)
{
    std::string text = "Box(" + std::to_string(self->value) + ")";
    return PyUnicode_FromStringAndSize(text.data(), static_cast<Py_ssize_t>(text.size()));
}

static PyObject *
Box_get(BoxObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(self->value);
}

static PyObject *
Box_take(BoxObject *self, PyObject *arg)
{
    long amount = PyLong_AsLong(arg);
    if (amount == -1 && PyErr_Occurred())
        return NULL;
    if (amount > self->value) {
        PyErr_Format(BoxError, "cannot take %ld from a box holding %ld", amount, self->value);
        return NULL;
    }
    self->value -= amount;
    return PyLong_FromLong(self->value);
}

static PyMethodDef Box_methods[] = {
    {"get", reinterpret_cast<PyCFunction>(Box_get), METH_NOARGS, "The value held."},
    {"take", reinterpret_cast<PyCFunction>(Box_take), METH_O, "Take from the value."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Box_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    "cxxbox.Box",                             /* tp_name */
    sizeof(BoxObject),                        /* tp_basicsize */
    0,                                        /* tp_itemsize */
    reinterpret_cast<destructor>(Box_dealloc), /* tp_dealloc */
    0,                                        /* tp_vectorcall_offset */
    0,                                        /* tp_getattr */
    0,                                        /* tp_setattr */
    0,                                        /* tp_as_async */
    reinterpret_cast<reprfunc>(Box_repr),     /* tp_repr */
    0, 0, 0, 0, 0, 0, 0, 0, 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, /* tp_flags */
    "Box(value=0): holds a non-negative integer.", /* tp_doc */
    0, 0, 0, 0, 0, 0,
    Box_methods,                              /* tp_methods */
    0, 0, 0, 0, 0, 0, 0, 0, 0,
    Box_new,                                  /* tp_new */
};

static PyObject *
cxxbox_total(PyObject *module, PyObject *boxes)
{
    PyObject *iter = PyObject_GetIter(boxes);
    if (iter == NULL)
        return NULL;
    long total = 0;
    PyObject *item;
    while ((item = PyIter_Next(iter)) != NULL) {
        if (!PyObject_TypeCheck(item, &Box_Type)) {
            Py_DECREF(item);
            Py_DECREF(iter);
            PyErr_SetString(PyExc_TypeError, "total() expects Box objects");
            return NULL;
        }
        total += reinterpret_cast<BoxObject *>(item)->value;
        Py_DECREF(item);
    }
    Py_DECREF(iter);
    if (PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(total);
}

static PyMethodDef cxxbox_methods[] = {
    {"total", cxxbox_total, METH_O, "Sum of the values of an iterable of boxes."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef cxxbox_module = {
    PyModuleDef_HEAD_INIT,
    "cxxbox",
    "A box type written in C++.",
    -1,
    cxxbox_methods,
};

PyMODINIT_FUNC
PyInit_cxxbox(void)
{
    PyObject *m;

    if (PyType_Ready(&Box_Type) < 0)
        return NULL;
    m = PyModule_Create(&cxxbox_module);
    if (m == NULL)
        return NULL;
    BoxError = PyErr_NewException("cxxbox.Error", PyExc_ValueError, NULL);
    if (BoxError == NULL)
        goto fail;
    Py_INCREF(BoxError);
    if (PyModule_AddObject(m, "Error", BoxError) < 0) {
        Py_DECREF(BoxError);
        goto fail;
    }
    Py_INCREF(&Box_Type);
    if (PyModule_AddObject(m, "Box", reinterpret_cast<PyObject *>(&Box_Type)) < 0) {
        Py_DECREF(&Box_Type);
        goto fail;
    }
    return m;

fail:
    Py_DECREF(m);
    return NULL;
}
