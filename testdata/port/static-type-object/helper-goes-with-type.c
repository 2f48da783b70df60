// A conversion the verification withdraws takes its helper with it: below
// 3.10 the flags helper serves only the types that are converted.
// ARGS: --target 3.9 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>

typedef struct { PyObject_HEAD int x; } PlainObject;

static PyTypeObject Plain_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "w.Plain",
    .tp_basicsize = sizeof(PlainObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-7]] not rewritten: converting this type would make the full-API build worse
// CHECK-MANUAL: [[@LINE-8]] static PyTypeObject 'Plain_Type': define the type
// CHECK-FIXES-NOT: ABI3PORT_HELPER_HEAP_TYPE_FLAGS

static struct PyModuleDef w_module = {PyModuleDef_HEAD_INIT, "w", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_w(void) {
    /* A local that takes the name of the spec the port would create. */
    PyObject *Plain_Type_spec = NULL;
    if (PyType_Ready(&Plain_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&w_module);
    if (m && PyModule_AddObjectRef(m, "Plain", Plain_Type_spec ? Plain_Type_spec : (PyObject *)&Plain_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
