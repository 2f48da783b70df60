// Slot functions written `(destructor)&f` are the project's functions, and
// `(destructor)0` / `(reprfunc)0` are no slot at all: both types convert.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>

typedef struct { PyObject_HEAD PyObject *x; } AmpObject;

static void Amp_dealloc(AmpObject *self) { Py_XDECREF(self->x); PyObject_Free(self); }
// CHECK-FIXES: static void Amp_dealloc(AmpObject *self) { PyTypeObject *abi3port_type = Py_TYPE((PyObject *)self); Py_XDECREF(self->x); PyObject_Free(self); Py_DECREF(abi3port_type); }

static PyObject *Amp_repr(AmpObject *self) { (void)self; return PyUnicode_FromString("amp"); }

static PyTypeObject Amp_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "amp.Amp",
    .tp_basicsize = sizeof(AmpObject),
    .tp_dealloc = (destructor)&Amp_dealloc,
    .tp_repr = (reprfunc)&Amp_repr,
    .tp_str = (reprfunc)0,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};
// CHECK-FIXES: static PyTypeObject *Amp_Type;
// CHECK-FIXES: {Py_tp_dealloc, (void *)Amp_dealloc},
// CHECK-FIXES: {Py_tp_repr, (void *)Amp_repr},
// CHECK-FIXES: {Py_tp_new, (void *)PyType_GenericNew},
// CHECK-FIXES-NOT: {Py_tp_str, (void *)(reprfunc)0},

static PyTypeObject Null_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "amp.Null",
    .tp_dealloc = (destructor)0,
    .tp_new = PyType_GenericNew,
};
// CHECK-FIXES: static PyTypeObject *Null_Type;
// CHECK-FIXES: static PyType_Slot Null_Type_slots[] = {
// CHECK-FIXES: {Py_tp_new, (void *)PyType_GenericNew},
// CHECK-FIXES-NOT: {Py_tp_dealloc, (void *)(destructor)0},

static struct PyModuleDef amp_module = {PyModuleDef_HEAD_INIT, "amp", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_amp(void) {
    if (PyType_Ready(&Amp_Type) < 0)
        return NULL;
    if (PyType_Ready(&Null_Type) < 0)
        return NULL;
    return PyModule_Create(&amp_module);
}
// CHECK-FIXES: Amp_Type = (PyTypeObject *)PyType_FromSpec(&Amp_Type_spec);
// CHECK-FIXES: Null_Type = (PyTypeObject *)PyType_FromSpec(&Null_Type_spec);
// CHECK-FIXES-NOT: if (PyType_Ready(&Amp_Type) < 0)
