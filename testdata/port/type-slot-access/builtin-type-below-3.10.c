// Below 3.10 PyType_GetSlot rejects CPython's own static types, even when
// every type of the file becomes a heap type: the read stays (reported).
// ARGS: --target 3.9 --state global
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: static-type-object
#include <Python.h>

typedef struct { PyObject_HEAD } PlainObject;

static PyObject *plain_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    return PyBaseObject_Type.tp_new(type, args, kwds);
// CHECK-MANUAL: [[@LINE-1]] PyType_GetSlot(&PyBaseObject_Type, Py_tp_new) accepts static types, such as CPython's own, only from 3.10
// CHECK-FIXES-NOT: PyType_GetSlot(&PyBaseObject_Type
}

static void plain_dealloc(PyObject *self) {
    PyTypeObject *tp = Py_TYPE(self);
    tp->tp_free(self);
// CHECK-FIXES: ((freefunc)PyType_GetSlot(tp, Py_tp_free))(self);
    Py_DECREF(tp);
}

static PyTypeObject Plain_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bt.Plain",
    .tp_basicsize = sizeof(PlainObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = plain_new,
    .tp_dealloc = plain_dealloc,
};

static struct PyModuleDef bt_module = {PyModuleDef_HEAD_INIT, "bt", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_bt(void) {
    if (PyType_Ready(&Plain_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&bt_module);
    if (m && PyModule_AddObjectRef(m, "Plain", (PyObject *)&Plain_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
