// Run-time assignments before PyType_Ready (bug class 4.b): a constant folds
// into the spec (flags with `|=`), a base known only at run time goes into
// the bases tuple, a slot known only at run time gets a NULL entry that the
// creation code fills in just before the call, and what a heap type
// inherits anyway (`tp_new = PyBaseObject_Type.tp_new` on a base `object`)
// is dropped. The file-scope slot array never holds a non-constant value.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>

typedef struct { PyObject_HEAD int x; } PlainObject;

static PyObject *plain_repr(PyObject *self) { return PyUnicode_FromString("plain"); }
static reprfunc pick_repr(void) { return plain_repr; }

static PyTypeObject Plain_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rt.Plain",
    .tp_basicsize = sizeof(PlainObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
};
// CHECK-FIXES: static PyType_Slot Plain_Type_slots[] = {
// CHECK-FIXES: {Py_tp_repr, NULL}, /* set when the type is created */
// CHECK-FIXES: {0, NULL},
// CHECK-FIXES: Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE,
// CHECK-FIXES-NOT: Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,

static PyTypeObject Error_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rt.Error",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
};
// CHECK-FIXES: static PyType_Slot Error_Type_slots[] = {
// CHECK-FIXES: {0, NULL},

static PyTypeObject Tuple_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rt.Tuple",
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_base = &PyTuple_Type,
};
// CHECK-FIXES: static PyType_Slot Tuple_Type_slots[] = {
// CHECK-FIXES: {Py_tp_iter, NULL}, /* set when the type is created */
// CHECK-FIXES: {Py_tp_new, NULL}, /* set when the type is created */
// CHECK-FIXES: {0, NULL},

static struct PyModuleDef rt_module = {PyModuleDef_HEAD_INIT, "rt", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_rt(void) {
    PyObject *m;
    Plain_Type.tp_new = PyBaseObject_Type.tp_new;
    Plain_Type.tp_flags |= Py_TPFLAGS_BASETYPE;
    Plain_Type.tp_repr = pick_repr();
    Error_Type.tp_base = (PyTypeObject *)PyExc_ValueError;
    Tuple_Type.tp_new = PyBaseObject_Type.tp_new;
    Tuple_Type.tp_iter = PyTuple_Type.tp_iter;
    if (PyType_Ready(&Plain_Type) < 0 || PyType_Ready(&Error_Type) < 0)
        return NULL;
    if (PyType_Ready(&Tuple_Type) < 0)
        return NULL;
    m = PyModule_Create(&rt_module);
    return m;
}
// CHECK-FIXES: PyObject *m;
// CHECK-FIXES: Plain_Type_spec.slots[0].pfunc = (void *)(pick_repr()); /* Py_tp_repr */
// CHECK-FIXES: Plain_Type = (PyTypeObject *)PyType_FromSpec(&Plain_Type_spec);
// CHECK-FIXES: PyObject *abi3port_bases = PyTuple_Pack(1, (PyObject *)(PyTypeObject *)PyExc_ValueError);
// CHECK-FIXES: Error_Type = (PyTypeObject *)PyType_FromSpecWithBases(&Error_Type_spec, abi3port_bases);
// CHECK-FIXES: Tuple_Type_spec.slots[0].pfunc = (void *)(((getiterfunc)PyType_GetSlot(&PyTuple_Type, Py_tp_iter))); /* Py_tp_iter */
// CHECK-FIXES: Tuple_Type_spec.slots[1].pfunc = (void *)(((newfunc)PyType_GetSlot(&PyBaseObject_Type, Py_tp_new))); /* Py_tp_new */
// CHECK-FIXES: PyObject *abi3port_bases = PyTuple_Pack(1, (PyObject *)&PyTuple_Type);
// CHECK-FIXES: m = PyModule_Create(&rt_module);
// CHECK-FIXES-NOT: Plain_Type.tp_new = PyBaseObject_Type.tp_new;
// CHECK-FIXES-NOT: Error_Type.tp_base = (PyTypeObject *)PyExc_ValueError;
