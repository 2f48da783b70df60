// Names the Limited API has at 3.8, including ones the manifest lists late
// (inline helpers) or not at all (Py_TPFLAGS_IMMUTABLETYPE): no finding.
// ARGS: --target 3.8
// CHECK-IGNORE: limited-api-macro
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *ok(PyObject *self, PyObject *args) {
    PyObject *list;
    if (!PyArg_ParseTuple(args, "O", &list))
        return NULL;
    PyObject *item = PyList_GetItem(list, 0);
    if (item == NULL)
        return NULL;
    Py_INCREF(item);
    Py_XDECREF(NULL);
    unsigned long flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE;
    (void)flags;
    (void)Py_SIZE(list);
    (void)Py_TYPE(list);
    (void)Py_REFCNT(list);
    if (Py_IsNone(item)) {}
    Py_RETURN_NONE;
}

/* A name in a comment: PyList_GET_ITEM(list, 0) */
static const char *text = "PyList_GET_ITEM";

static PyMethodDef methods[] = {{"ok", ok, METH_VARARGS, NULL}, {NULL, NULL, 0, NULL}};
