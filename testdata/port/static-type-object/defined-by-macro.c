// A type written by one of the project's macros is a manual site.
// ARGS: --target 3.11
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: module-global-state
#include <Python.h>

typedef struct { PyObject_HEAD } PlainObject;

#define DEFINE_TYPE(var, name) \
    static PyTypeObject var = { PyVarObject_HEAD_INIT(NULL, 0) .tp_name = name, \
                                .tp_basicsize = sizeof(PlainObject), .tp_new = PyType_GenericNew }

DEFINE_TYPE(Plain_Type, "plain.Plain");
// CHECK-MANUAL: [[@LINE-1]] static PyTypeObject 'Plain_Type' cannot be converted automatically: the type is defined by a macro

static struct PyModuleDef plain_module = {PyModuleDef_HEAD_INIT, "plain", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_plain(void) { return PyModule_Create(&plain_module); }
