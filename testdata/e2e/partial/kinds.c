/* Types defined here, readied in partial.c. */
#include "partial.h"

PyTypeObject Bare_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "Bare",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A type whose module is builtins.",
    .tp_new = PyType_GenericNew,
};

PyTypeObject Conv_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "partial.Conv",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A plain type.",
    .tp_new = PyType_GenericNew,
};
