// The subtype whose dealloc ends in the base's stays static (its tp_name is
// not a literal): the base's dealloc serves it, so the base stays static too.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>

typedef struct { PyObject_HEAD PyObject *x; } BaseObject;

static void Base_dealloc(BaseObject *self) { Py_CLEAR(self->x); PyObject_Free(self); }
static void Sub_dealloc(BaseObject *self) { Base_dealloc(self); }

static const char sub_name[] = "chs.Sub";

static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "chs.Base",
    .tp_basicsize = sizeof(BaseObject),
    .tp_dealloc = (destructor)Base_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-8]] static PyTypeObject 'Base_Type' cannot be converted automatically: its slot function 'Base_dealloc' also serves a type that stays static

static PyTypeObject Sub_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = sub_name,
    .tp_basicsize = sizeof(BaseObject),
    .tp_dealloc = (destructor)Sub_dealloc,
    .tp_base = &Base_Type,
};
// CHECK-MANUAL: [[@LINE-7]] static PyTypeObject 'Sub_Type' cannot be converted automatically: tp_name is not a string literal

static struct PyModuleDef chs_module = {PyModuleDef_HEAD_INIT, "chs", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_chs(void) {
    if (PyType_Ready(&Base_Type) < 0)
        return NULL;
    if (PyType_Ready(&Sub_Type) < 0)
        return NULL;
    return PyModule_Create(&chs_module);
}
