// A slot assigned under a condition cannot become a spec slot, which is
// unconditional: the type stays static. One assigned at the top of the init
// function folds into the spec.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>

typedef struct { PyObject_HEAD } PlainObject;

static PyObject *plain_iter(PyObject *self) { return Py_NewRef(self); }

static PyTypeObject Maybe_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cs.Maybe",
    .tp_basicsize = sizeof(PlainObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Maybe_Type' cannot be converted automatically: Maybe_Type.tp_new is set inside a nested block
// CHECK-FIXES: static PyTypeObject Maybe_Type = {

static PyTypeObject Always_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cs.Always",
    .tp_basicsize = sizeof(PlainObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
};
// CHECK-FIXES: {Py_tp_iter, (void *)plain_iter},

static struct PyModuleDef cs_module = {PyModuleDef_HEAD_INIT, "cs", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_cs(void) {
    if (getenv("CS_INSTANTIABLE") != NULL) {
        Maybe_Type.tp_new = PyType_GenericNew;
// CHECK-MANUAL: [[@LINE-1]] write to PyTypeObject.tp_new
    }
    Always_Type.tp_iter = plain_iter;
// CHECK-FIXES-NOT: Always_Type.tp_iter = plain_iter;
    if (PyType_Ready(&Maybe_Type) < 0 || PyType_Ready(&Always_Type) < 0)
        return NULL;
    return PyModule_Create(&cs_module);
}
