// A type other files can see, without tp_new and tp_base in this file:
// another file may set them before PyType_Ready, so whether it could be
// instantiated is not known here and it stays static. A static one, or one
// with a tp_new, converts.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>

PyTypeObject Visible_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ev.Visible",
};
// CHECK-MANUAL: [[@LINE-4]] static PyTypeObject 'Visible_Type' cannot be converted automatically: it has neither tp_new nor tp_base here and other files can set them

PyTypeObject VisibleNew_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ev.VisibleNew",
    .tp_new = PyType_GenericNew,
};
// CHECK-FIXES: PyTypeObject *VisibleNew_Type;

static PyTypeObject Hidden_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ev.Hidden",
};
// CHECK-FIXES: static PyTypeObject *Hidden_Type;

static struct PyModuleDef ev_module = {PyModuleDef_HEAD_INIT, "ev", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_ev(void) {
    if (PyType_Ready(&Visible_Type) < 0 || PyType_Ready(&VisibleNew_Type) < 0)
        return NULL;
    if (PyType_Ready(&Hidden_Type) < 0)
        return NULL;
    return PyModule_Create(&ev_module);
}
