// A slot read written as a macro's argument is rewritten where it is
// spelled, together with the macro's own rewrite (one pass, so a second
// port changes nothing); one spelled in a project macro's body is not.
// ARGS: --target 3.11
#include <Python.h>

#define BASES_OF(t) ((t)->tp_bases)

static PyObject *first_base(PyTypeObject *self) {
    return PyTuple_GET_ITEM(self->tp_bases, 0);
// CHECK-FIXES: return PyTuple_GetItem(((PyObject *)PyType_GetSlot(self, Py_tp_bases)), 0);
}

static Py_ssize_t base_count(PyTypeObject *self) {
    return PyTuple_Size(BASES_OF(self));
// CHECK-MANUAL: [[@LINE-1]] direct access to PyTypeObject.tp_bases
// CHECK-FIXES: return PyTuple_Size(BASES_OF(self));
}

static PyObject *base_of_first(PyObject *bases) {
    return (PyObject *)((PyTypeObject *)PyTuple_GET_ITEM(bases, 0))->tp_base;
// CHECK-FIXES: return (PyObject *)((PyTypeObject *)PyType_GetSlot(((PyTypeObject *)PyTuple_GetItem(bases, 0)), Py_tp_base));
}
