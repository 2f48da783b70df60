// Without the module's PyInit_* among the files, a converted type would
// never be created: nothing is converted, and the report says why.
// ARGS: --target 3.11 --state global
#include <Python.h>

typedef struct { PyObject_HEAD } LoneObject;

PyTypeObject Lone_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lone.Lone",
    .tp_basicsize = sizeof(LoneObject),
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: 1 static type 'Lone_Type' was not converted: none of the files given defines the module's PyInit_* function
// CHECK-MANUAL: [[@LINE-7]] static PyTypeObject 'Lone_Type': define the type with PyType_Spec
