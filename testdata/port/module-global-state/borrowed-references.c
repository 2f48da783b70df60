// Module state: a global that holds a borrowed reference is neither visited
// nor released by the state's traverse/clear/free; an owned one is.
// ARGS: --target 3.11 --state module
// CHECK-IGNORE: single-phase-init
#include <Python.h>

static PyObject *Builtins;   /* borrowed: PyEval_GetBuiltins() */
static PyObject *NoneValue;  /* borrowed: Py_None, no reference taken */
static PyObject *Sentinel;   /* owned: a new object */
static PyObject *Kept;       /* owned: borrowed, then Py_INCREF */

static PyObject *
get(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(OOOO)", Builtins, NoneValue, Sentinel, Kept);
}

static PyMethodDef methods[] = {{"get", get, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "borrowed", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_borrowed(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    Builtins = PyEval_GetBuiltins();
    NoneValue = Py_None;
    Sentinel = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
    if (Sentinel == NULL)
        return NULL;
    Kept = PyDict_GetItemString(Builtins, "len");
    Py_XINCREF(Kept);
    return m;
}
// CHECK-FIXES: Py_VISIT(state->Sentinel);
// CHECK-FIXES: Py_VISIT(state->Kept);
// CHECK-FIXES: Py_CLEAR(state->Sentinel);
// CHECK-FIXES: Py_CLEAR(state->Kept);
// CHECK-FIXES-NOT: Py_VISIT(state->Builtins);
// CHECK-FIXES-NOT: Py_VISIT(state->NoneValue);
// CHECK-FIXES-NOT: Py_CLEAR(state->Builtins);
// CHECK-FIXES-NOT: Py_CLEAR(state->NoneValue);
