// Each context reaches the state its own way: a module function through its
// module, a method and a slot through the defining type (subclasses too),
// tp_new through its type argument, a binary slot through either operand, a
// static helper through a parameter added for it, and the init function
// (which becomes the exec function) through its module.
// ARGS: --target 3.11 --state module
#include <Python.h>

typedef struct { PyObject_HEAD long v; } NumObject;

static PyTypeObject Num_Type;
static PyObject *NumError;
// CHECK-FIXES: typedef struct {
// CHECK-FIXES: PyTypeObject *Num_Type;
// CHECK-FIXES: PyObject *NumError;
// CHECK-FIXES: } module_state;

static PyObject *
make_num(long v)
// CHECK-FIXES: make_num(module_state *state, long v)
{
    NumObject *n = PyObject_New(NumObject, &Num_Type);
// CHECK-FIXES: NumObject *n = PyObject_New(NumObject, state->Num_Type);
    if (n != NULL)
        n->v = v;
    return (PyObject *)n;
}

static PyObject *
Num_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
// CHECK-FIXES: module_state *state = module_state_from_type((PyTypeObject *)type);
    return make_num(0);
// CHECK-FIXES: return make_num(state, 0);
}

static PyObject *
Num_add(PyObject *a, PyObject *b)
{
// CHECK-FIXES: module_state *state = module_state_from_operands((PyObject *)a, (PyObject *)b);
// CHECK-FIXES: if (state == NULL)
// CHECK-FIXES: return NULL;
    if (!PyObject_TypeCheck(a, &Num_Type) || !PyObject_TypeCheck(b, &Num_Type))
// CHECK-FIXES: if (!PyObject_TypeCheck(a, state->Num_Type) || !PyObject_TypeCheck(b, state->Num_Type))
        Py_RETURN_NOTIMPLEMENTED;
    return make_num(((NumObject *)a)->v + ((NumObject *)b)->v);
}

static PyObject *
Num_check(NumObject *self, PyObject *arg)
{
// CHECK-FIXES: module_state *state = module_state_from_type(Py_TYPE((PyObject *)self));
    if (self->v < 0) {
        PyErr_SetString(NumError, "negative");
// CHECK-FIXES: PyErr_SetString(state->NumError, "negative");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef Num_methods[] = {
    {"check", (PyCFunction)Num_check, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyNumberMethods Num_as_number = {.nb_add = Num_add};

static PyTypeObject Num_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "num.Num",
    .tp_basicsize = sizeof(NumObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_as_number = &Num_as_number,
    .tp_methods = Num_methods,
    .tp_new = Num_new,
};

static PyObject *
num_zero(PyObject *module, PyObject *Py_UNUSED(ignored))
{
// CHECK-FIXES: module_state *state = get_module_state(module);
    return make_num(0);
// CHECK-FIXES: return make_num(state, 0);
}

static PyMethodDef num_methods[] = {
    {"zero", num_zero, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef num_module = {PyModuleDef_HEAD_INIT, "num", NULL, -1, num_methods};
// CHECK-FIXES: static int
// CHECK-FIXES: num_traverse(PyObject *module, visitproc visit, void *arg)
// CHECK-FIXES: Py_VISIT(state->Num_Type);
// CHECK-FIXES: Py_VISIT(state->NumError);
// CHECK-FIXES: num_clear(PyObject *module)
// CHECK-FIXES: Py_CLEAR(state->Num_Type);
// CHECK-FIXES: Py_CLEAR(state->NumError);
// CHECK-FIXES: static PyModuleDef_Slot num_slots[] = {
// CHECK-FIXES: {Py_mod_exec, (void *)num_exec},
// CHECK-FIXES: static struct PyModuleDef num_module = {
// CHECK-FIXES: sizeof(module_state),
// CHECK-FIXES: num_methods,
// CHECK-FIXES: num_slots,
// CHECK-FIXES: num_traverse,
// CHECK-FIXES: num_clear,
// CHECK-FIXES: num_free,
// CHECK-FIXES: };
// CHECK-FIXES: module_state_from_type(PyTypeObject *type)
// CHECK-FIXES: mro = state == NULL ? PyObject_GetAttrString((PyObject *)type, "__mro__") : NULL;

PyMODINIT_FUNC
PyInit_num(void)
// CHECK-FIXES: static int
// CHECK-FIXES: num_exec(PyObject *m)
{
    PyObject *m;

    if (PyType_Ready(&Num_Type) < 0)
        return NULL;
    m = PyModule_Create(&num_module);
    if (m == NULL)
        return NULL;
// CHECK-FIXES: module_state *state = get_module_state(m);
// CHECK-FIXES: state->Num_Type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &Num_Type_spec, NULL);
// CHECK-FIXES: if (state->Num_Type == NULL)
// CHECK-FIXES: return -1;
    NumError = PyErr_NewException("num.Error", NULL, NULL);
// CHECK-FIXES: state->NumError = PyErr_NewException("num.Error", NULL, NULL);
    if (NumError == NULL || PyModule_AddObjectRef(m, "Error", NumError) < 0) {
        Py_DECREF(m);
        return NULL;
    }
// CHECK-FIXES: if (state->NumError == NULL || PyModule_AddObjectRef(m, "Error", state->NumError) < 0) {
// CHECK-FIXES: return -1;
// CHECK-FIXES: }
    if (PyModule_AddObjectRef(m, "Num", (PyObject *)&Num_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
// CHECK-FIXES: if (PyModule_AddObjectRef(m, "Num", (PyObject *)state->Num_Type) < 0) {
    return m;
// CHECK-FIXES: return 0;
}
// CHECK-FIXES: PyMODINIT_FUNC
// CHECK-FIXES: PyInit_num(void)
// CHECK-FIXES: return PyModuleDef_Init(&num_module);
