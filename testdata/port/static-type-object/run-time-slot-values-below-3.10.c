// Below 3.10, PyType_GetSlot does not read static types: a slot copied from
// a built-in type at run time keeps the type static (check says so too),
// while `tp_new = PyBaseObject_Type.tp_new` on a base `object` needs no read
// (a heap type inherits it) and the type converts, instantiable.
// ARGS: --target 3.9 --state global
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: type-slot-access
#include <Python.h>

static PyTypeObject Plain_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lo.Plain",
    .tp_flags = Py_TPFLAGS_DEFAULT,
};
// CHECK-FIXES: static PyTypeObject *Plain_Type;
// CHECK-FIXES: Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
// CHECK-FIXES-NOT: {Py_tp_new, (void *)Plain_Type_new},

static PyTypeObject Tuple_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lo.Tuple",
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_base = &PyTuple_Type,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Tuple_Type' cannot be converted automatically: Tuple_Type.tp_iter reads PyTypeObject.tp_iter, which PyType_GetSlot reads on static types only from 3.10

static struct PyModuleDef lo_module = {PyModuleDef_HEAD_INIT, "lo", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_lo(void) {
    Plain_Type.tp_new = PyBaseObject_Type.tp_new;
    Tuple_Type.tp_iter = PyTuple_Type.tp_iter;
    if (PyType_Ready(&Plain_Type) < 0)
        return NULL;
    if (PyType_Ready(&Tuple_Type) < 0)
        return NULL;
    return PyModule_Create(&lo_module);
}
// CHECK-FIXES: Plain_Type = (PyTypeObject *)PyType_FromSpec(&Plain_Type_spec);
// CHECK-FIXES-NOT: Plain_Type.tp_new = PyBaseObject_Type.tp_new;
// CHECK-FIXES: Tuple_Type.tp_iter = PyTuple_Type.tp_iter;
