// A dealloc that calls another type's dealloc on another object (a member)
// does not end in it: that call is a use of Inner_dealloc other than as a
// slot, so Inner_Type stays static, as before; Wrap_dealloc keeps the
// release of its own type.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>

typedef struct { PyObject_HEAD } InnerObject;
typedef struct { PyObject_HEAD InnerObject *inner; } WrapObject;

static void Inner_dealloc(InnerObject *self) { PyObject_Free(self); }

static void
Wrap_dealloc(WrapObject *self)
{
    Inner_dealloc(self->inner);
    PyObject_Free(self);
}
// CHECK-FIXES: Wrap_dealloc(WrapObject *self)
// CHECK-FIXES: {
// CHECK-FIXES: PyTypeObject *abi3port_type = Py_TYPE((PyObject *)self);
// CHECK-FIXES: Inner_dealloc(self->inner);
// CHECK-FIXES: PyObject_Free(self);
// CHECK-FIXES: Py_DECREF(abi3port_type);

static PyTypeObject Inner_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "oo.Inner",
    .tp_basicsize = sizeof(InnerObject),
    .tp_dealloc = (destructor)Inner_dealloc,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Inner_Type' cannot be converted automatically: its slot function 'Inner_dealloc' is also used as something else

static PyTypeObject Wrap_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "oo.Wrap",
    .tp_basicsize = sizeof(WrapObject),
    .tp_dealloc = (destructor)Wrap_dealloc,
};
// CHECK-FIXES: {Py_tp_dealloc, (void *)Wrap_dealloc},

static struct PyModuleDef oo_module = {PyModuleDef_HEAD_INIT, "oo", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_oo(void) {
    if (PyType_Ready(&Inner_Type) < 0)
        return NULL;
    if (PyType_Ready(&Wrap_Type) < 0)
        return NULL;
    return PyModule_Create(&oo_module);
}
