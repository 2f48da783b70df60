// A static type and its sub-structs: each definition is one finding spanning
// the whole initialiser.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

typedef struct { PyObject_HEAD long v; } NumObject;

static PyObject *num_add(PyObject *a, PyObject *b) { Py_RETURN_NOTIMPLEMENTED; }

static PyNumberMethods num_as_number = {
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: static PyNumberMethods 'num_as_number'{{.*}} [static-type-object]
    .nb_add = num_add,
};

static PyTypeObject NumType = {
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: static PyTypeObject 'NumType': define the type with PyType_Spec{{.*}} [static-type-object]
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "num.Num",
    .tp_basicsize = sizeof(NumObject),
    .tp_as_number = &num_as_number,
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

/* Must not fire: a pointer to a type and a heap type spec. */
static PyType_Slot num_slots[] = {{Py_nb_add, num_add}, {0, NULL}};
static PyType_Spec num_spec = {"num.Num2", sizeof(NumObject), 0, Py_TPFLAGS_DEFAULT, num_slots};
extern PyTypeObject OtherType;
