/*
 * vector2d -- an immutable-ish 2D vector type implemented as a static
 * PyTypeObject with number, sequence, comparison and pickling support.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>

typedef struct {
    PyObject_HEAD
    double x;
    double y;
} VectorObject;

static PyTypeObject Vector_Type;

#define Vector_Check(op) PyObject_TypeCheck(op, &Vector_Type)

static PyObject *str_x;
static PyObject *str_y;

static PyObject *
vector_from_doubles(PyTypeObject *type, double x, double y)
{
    VectorObject *self = (VectorObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->x = x;
    self->y = y;
    return (PyObject *)self;
}

/* Convert a Python real number to a double.  Returns 0 and leaves
   *out untouched if the object is not a number (no exception set). */
static int
as_scalar(PyObject *obj, double *out)
{
    if (PyFloat_Check(obj)) {
        *out = PyFloat_AS_DOUBLE(obj);
        return 1;
    }
    if (PyLong_Check(obj)) {
        *out = PyLong_AsDouble(obj);
        return (*out == -1.0 && PyErr_Occurred()) ? -1 : 1;
    }
    return 0;
}

static PyObject *
Vector_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return vector_from_doubles(type, 0.0, 0.0);
}

static int
Vector_init(VectorObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"x", "y", NULL};
    double x = 0.0, y = 0.0;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|dd:Vector", kwlist, &x, &y))
        return -1;
    self->x = x;
    self->y = y;
    return 0;
}

static void
Vector_dealloc(VectorObject *self)
{
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Vector_repr(VectorObject *self)
{
    PyObject *x, *y, *result = NULL;

    x = PyFloat_FromDouble(self->x);
    y = PyFloat_FromDouble(self->y);
    if (x != NULL && y != NULL)
        result = PyUnicode_FromFormat("%s(%R, %R)", Py_TYPE(self)->tp_name, x, y);
    Py_XDECREF(x);
    Py_XDECREF(y);
    return result;
}

static Py_hash_t
Vector_hash(VectorObject *self)
{
    Py_hash_t h;
    PyObject *t = Py_BuildValue("(dd)", self->x, self->y);
    if (t == NULL)
        return -1;
    h = PyObject_Hash(t);
    Py_DECREF(t);
    return h;
}

static PyObject *
Vector_richcompare(PyObject *a, PyObject *b, int op)
{
    VectorObject *va, *vb;
    int equal;

    if (!Vector_Check(a) || !Vector_Check(b) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    va = (VectorObject *)a;
    vb = (VectorObject *)b;
    equal = va->x == vb->x && va->y == vb->y;
    return PyBool_FromLong(op == Py_EQ ? equal : !equal);
}

/* ---- number protocol ---------------------------------------------------- */

static PyObject *
Vector_add(PyObject *a, PyObject *b)
{
    if (!Vector_Check(a) || !Vector_Check(b))
        Py_RETURN_NOTIMPLEMENTED;
    return vector_from_doubles(&Vector_Type,
                               ((VectorObject *)a)->x + ((VectorObject *)b)->x,
                               ((VectorObject *)a)->y + ((VectorObject *)b)->y);
}

static PyObject *
Vector_sub(PyObject *a, PyObject *b)
{
    if (!Vector_Check(a) || !Vector_Check(b))
        Py_RETURN_NOTIMPLEMENTED;
    return vector_from_doubles(&Vector_Type,
                               ((VectorObject *)a)->x - ((VectorObject *)b)->x,
                               ((VectorObject *)a)->y - ((VectorObject *)b)->y);
}

static PyObject *
Vector_mul(PyObject *a, PyObject *b)
{
    VectorObject *v;
    PyObject *scalar;
    double k;
    int rc;

    if (Vector_Check(a) && !Vector_Check(b)) {
        v = (VectorObject *)a;
        scalar = b;
    }
    else if (Vector_Check(b) && !Vector_Check(a)) {
        v = (VectorObject *)b;
        scalar = a;
    }
    else {
        Py_RETURN_NOTIMPLEMENTED;
    }
    rc = as_scalar(scalar, &k);
    if (rc < 0)
        return NULL;
    if (rc == 0)
        Py_RETURN_NOTIMPLEMENTED;
    return vector_from_doubles(&Vector_Type, v->x * k, v->y * k);
}

static PyObject *
Vector_true_divide(PyObject *a, PyObject *b)
{
    double k;
    int rc;

    if (!Vector_Check(a))
        Py_RETURN_NOTIMPLEMENTED;
    rc = as_scalar(b, &k);
    if (rc < 0)
        return NULL;
    if (rc == 0)
        Py_RETURN_NOTIMPLEMENTED;
    if (k == 0.0) {
        PyErr_SetString(PyExc_ZeroDivisionError, "vector division by zero");
        return NULL;
    }
    return vector_from_doubles(&Vector_Type,
                               ((VectorObject *)a)->x / k, ((VectorObject *)a)->y / k);
}

static PyObject *
Vector_neg(VectorObject *self)
{
    return vector_from_doubles(&Vector_Type, -self->x, -self->y);
}

static PyObject *
Vector_abs(VectorObject *self)
{
    return PyFloat_FromDouble(hypot(self->x, self->y));
}

static int
Vector_bool(VectorObject *self)
{
    return self->x != 0.0 || self->y != 0.0;
}

static PyNumberMethods Vector_as_number = {
    .nb_add = Vector_add,
    .nb_subtract = Vector_sub,
    .nb_multiply = Vector_mul,
    .nb_negative = (unaryfunc)Vector_neg,
    .nb_absolute = (unaryfunc)Vector_abs,
    .nb_bool = (inquiry)Vector_bool,
    .nb_true_divide = Vector_true_divide,
};

/* ---- sequence protocol: v[0] is x, v[1] is y ---------------------------- */

static Py_ssize_t
Vector_length(PyObject *self)
{
    return 2;
}

static PyObject *
Vector_item(VectorObject *self, Py_ssize_t i)
{
    if (i == 0)
        return PyFloat_FromDouble(self->x);
    if (i == 1)
        return PyFloat_FromDouble(self->y);
    PyErr_SetString(PyExc_IndexError, "Vector index out of range");
    return NULL;
}

static PySequenceMethods Vector_as_sequence = {
    .sq_length = Vector_length,
    .sq_item = (ssizeargfunc)Vector_item,
};

/* ---- attributes --------------------------------------------------------- */

static PyObject *
Vector_get_coord(VectorObject *self, void *closure)
{
    return PyFloat_FromDouble(closure == NULL ? self->x : self->y);
}

static int
Vector_set_coord(VectorObject *self, PyObject *value, void *closure)
{
    double v;

    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "cannot delete the %s coordinate",
                     closure == NULL ? "x" : "y");
        return -1;
    }
    v = PyFloat_AsDouble(value);
    if (v == -1.0 && PyErr_Occurred())
        return -1;
    if (closure == NULL)
        self->x = v;
    else
        self->y = v;
    return 0;
}

static PyObject *
Vector_get_length(VectorObject *self, void *closure)
{
    return PyFloat_FromDouble(hypot(self->x, self->y));
}

static PyGetSetDef Vector_getset[] = {
    {"x", (getter)Vector_get_coord, (setter)Vector_set_coord, "x coordinate", NULL},
    {"y", (getter)Vector_get_coord, (setter)Vector_set_coord, "y coordinate", (void *)1},
    {"length", (getter)Vector_get_length, NULL, "Euclidean length (read-only)", NULL},
    {NULL}
};

static PyMemberDef Vector_members[] = {
    {"real", T_DOUBLE, offsetof(VectorObject, x), READONLY, "alias of x (read-only)"},
    {"imag", T_DOUBLE, offsetof(VectorObject, y), READONLY, "alias of y (read-only)"},
    {NULL}
};

/* ---- methods ------------------------------------------------------------ */

static PyObject *
Vector_dot(VectorObject *self, PyObject *other)
{
    if (!Vector_Check(other)) {
        PyErr_Format(PyExc_TypeError, "dot() argument must be %s, not %.200s",
                     Vector_Type.tp_name, Py_TYPE(other)->tp_name);
        return NULL;
    }
    return PyFloat_FromDouble(self->x * ((VectorObject *)other)->x +
                              self->y * ((VectorObject *)other)->y);
}

static PyObject *
Vector_normalized(VectorObject *self, PyObject *Py_UNUSED(ignored))
{
    double len = hypot(self->x, self->y);
    if (len == 0.0) {
        PyErr_SetString(PyExc_ValueError, "cannot normalize a zero vector");
        return NULL;
    }
    return vector_from_doubles(&Vector_Type, self->x / len, self->y / len);
}

static PyObject *
Vector_from_polar(PyTypeObject *cls, PyObject *args)
{
    double r, theta;

    if (!PyArg_ParseTuple(args, "dd:from_polar", &r, &theta))
        return NULL;
    /* Call the class so that subclasses get their __init__ run. */
    return PyObject_CallFunction((PyObject *)cls, "dd", r * cos(theta), r * sin(theta));
}

/* from_object(obj): build from anything with .x/.y attributes or a pair. */
static PyObject *
Vector_from_object(PyTypeObject *cls, PyObject *obj)
{
    PyObject *x = NULL, *y = NULL, *result = NULL;
    int rc;

    rc = _PyObject_LookupAttr(obj, str_x, &x);
    if (rc < 0)
        return NULL;
    if (rc > 0) {
        if (_PyObject_LookupAttr(obj, str_y, &y) < 0)
            goto done;
        if (y == NULL) {
            PyErr_Format(PyExc_TypeError, "'%.200s' object has 'x' but no 'y' attribute",
                         Py_TYPE(obj)->tp_name);
            goto done;
        }
    }
    else if (PyList_CheckExact(obj) && PyList_GET_SIZE(obj) == 2) {
        /* A list of two: its items, without the sequence protocol. */
        x = PyList_GET_ITEM(obj, 0);
        y = PyList_GET_ITEM(obj, 1);
        Py_INCREF(x);
        Py_INCREF(y);
    }
    else {
        if (!PySequence_Check(obj) || PySequence_Size(obj) != 2) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "cannot convert '%.200s' object to %s",
                         Py_TYPE(obj)->tp_name, cls->tp_name);
            return NULL;
        }
        x = PySequence_GetItem(obj, 0);
        if (x == NULL)
            return NULL;
        y = PySequence_GetItem(obj, 1);
        if (y == NULL)
            goto done;
    }
    result = PyObject_CallFunctionObjArgs((PyObject *)cls, x, y, NULL);
done:
    Py_XDECREF(x);
    Py_XDECREF(y);
    return result;
}

static PyObject *
Vector_reduce(VectorObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(O(dd))", (PyObject *)Py_TYPE(self), self->x, self->y);
}

static PyMethodDef Vector_methods[] = {
    {"dot", (PyCFunction)Vector_dot, METH_O, "Dot product with another vector."},
    {"normalized", (PyCFunction)Vector_normalized, METH_NOARGS,
     "Return a unit vector with the same direction."},
    {"from_polar", (PyCFunction)Vector_from_polar, METH_VARARGS | METH_CLASS,
     "Create a vector from polar coordinates (r, theta)."},
    {"from_object", (PyCFunction)Vector_from_object, METH_O | METH_CLASS,
     "Create a vector from an object with x/y attributes or a 2-sequence."},
    {"__reduce__", (PyCFunction)Vector_reduce, METH_NOARGS, "Pickle support."},
    {NULL, NULL, 0, NULL}
};

PyDoc_STRVAR(Vector_doc,
"Vector(x=0.0, y=0.0)\n\n"
"A two dimensional vector of floats.");

static PyTypeObject Vector_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "vector2d.Vector",
    .tp_basicsize = sizeof(VectorObject),
    .tp_itemsize = 0,
    .tp_dealloc = (destructor)Vector_dealloc,
    .tp_repr = (reprfunc)Vector_repr,
    .tp_as_number = &Vector_as_number,
    .tp_as_sequence = &Vector_as_sequence,
    .tp_hash = (hashfunc)Vector_hash,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = Vector_doc,
    .tp_richcompare = Vector_richcompare,
    .tp_methods = Vector_methods,
    .tp_members = Vector_members,
    .tp_getset = Vector_getset,
    .tp_init = (initproc)Vector_init,
    .tp_new = Vector_new,
};

static PyModuleDef vector2d_module = {
    PyModuleDef_HEAD_INIT,
    "vector2d",
    "Two dimensional vectors.",
    -1,
    NULL,
};

PyMODINIT_FUNC
PyInit_vector2d(void)
{
    PyObject *m;

    if (PyType_Ready(&Vector_Type) < 0)
        return NULL;
    if (str_x == NULL) {
        str_x = PyUnicode_InternFromString("x");
        if (str_x == NULL)
            return NULL;
        str_y = PyUnicode_InternFromString("y");
        if (str_y == NULL)
            return NULL;
    }

    m = PyModule_Create(&vector2d_module);
    if (m == NULL)
        return NULL;

    Py_INCREF(&Vector_Type);
    if (PyModule_AddObject(m, "Vector", (PyObject *)&Vector_Type) < 0) {
        Py_DECREF(&Vector_Type);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
