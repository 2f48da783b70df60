// Slots whose designators a project macro writes inside the type's
// initialiser (bug class 4.h) have no text of their own for the spec: the
// type stays static, with the macro named. A value that is a whole macro
// invocation (`.tp_doc = WHOLE_DOC`) is text of the file and converts.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>

static PyObject *shared_getattro(PyObject *o, PyObject *n) { return PyObject_GenericGetAttr(o, n); }

#define SHARED_SLOTS .tp_getattro = shared_getattro, .tp_flags = Py_TPFLAGS_DEFAULT,
#define WHOLE_DOC "a documented type"
#define WHOLE_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE)

static PyTypeObject Shared_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ms.Shared",
    SHARED_SLOTS
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Shared_Type' cannot be converted automatically: slot initializers written by the macro SHARED_SLOTS

static PyTypeObject Whole_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ms.Whole",
    .tp_doc = WHOLE_DOC,
    .tp_flags = WHOLE_FLAGS,
    .tp_getattro = shared_getattro,
    .tp_new = PyType_GenericNew,
};
// CHECK-FIXES: {Py_tp_getattro, (void *)shared_getattro},
// CHECK-FIXES: {Py_tp_doc, (void *)WHOLE_DOC},
// CHECK-FIXES: WHOLE_FLAGS | Py_TPFLAGS_IMMUTABLETYPE,

static struct PyModuleDef ms_module = {PyModuleDef_HEAD_INIT, "ms", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_ms(void) {
    if (PyType_Ready(&Shared_Type) < 0)
        return NULL;
    if (PyType_Ready(&Whole_Type) < 0)
        return NULL;
    return PyModule_Create(&ms_module);
}
// CHECK-FIXES: if (PyType_Ready(&Shared_Type) < 0)
// CHECK-FIXES-NOT: if (PyType_Ready(&Whole_Type) < 0)
