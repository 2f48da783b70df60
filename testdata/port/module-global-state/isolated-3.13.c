// Every object moved: a per-interpreter GIL is claimed (3.12); the GIL is
// still declared used (3.13), since thread safety is not something a port
// can prove. The type lookup is PyType_GetModuleByDef from 3.13.
// ARGS: --target 3.13 --state module
// CHECK-IGNORE: non-limited-api
#include <Python.h>

typedef struct { PyObject_HEAD } ItemObject;

static PyObject *
Item_kind(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromString("item");
}

static PyMethodDef Item_methods[] = {{"kind", Item_kind, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};

static PyTypeObject Item_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "items.Item",
    .tp_basicsize = sizeof(ItemObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = Item_methods,
    .tp_new = PyType_GenericNew,
};

static PyObject *
is_item(PyObject *module, PyObject *arg)
{
    return PyBool_FromLong(PyObject_TypeCheck(arg, &Item_Type));
// CHECK-FIXES: return PyBool_FromLong(PyObject_TypeCheck(arg, state->Item_Type));
}

static PyMethodDef methods[] = {{"is_item", is_item, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "items", NULL, -1, methods};
// CHECK-FIXES: {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
// CHECK-FIXES: {Py_mod_gil, Py_MOD_GIL_USED},

PyMODINIT_FUNC
PyInit_items(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL || PyModule_AddType(m, &Item_Type) < 0)
        return NULL;
    return m;
}
// CHECK-FIXES: if (m == NULL || PyModule_AddType(m, state->Item_Type) < 0)
// CHECK-FIXES: return -1;
