// A converted type's address in an initialiser of static storage (bug class
// 4.o): a table of types, a static singleton object, a type that stays
// static (`.tp_base = &Listed_Type`). Such an initialiser needs a constant
// and the heap type exists only at run time, so the named type stays static,
// with the initialiser named. Must not block: the address taken in a
// function, a static pointer initialised to NULL, a converted subtype's
// `.tp_base = &Base_Type`.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: module-global-state
// CHECK-IGNORE: private-api
#include <Python.h>
#include <stddef.h>

static PyTypeObject Listed_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ci.Listed",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Listed_Type' cannot be converted automatically: it is named in the initializer of 'types' (line {{[0-9]+}}), which needs a constant

static PyTypeObject Marker_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ci.Marker",
    .tp_flags = Py_TPFLAGS_DEFAULT,
};
// CHECK-MANUAL: [[@LINE-5]] static PyTypeObject 'Marker_Type' cannot be converted automatically: it is named in the initializer of 'Marker' (line {{[0-9]+}}), which needs a constant

static PyObject Marker = {_PyObject_EXTRA_INIT 1, &Marker_Type};
static PyTypeObject *types[] = {&Listed_Type, NULL};

typedef struct { PyObject_HEAD Py_ssize_t call; } VectorObject;

static PyTypeObject Kept_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ci.Kept",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Kept_Type' cannot be converted automatically: it is named in the initializer of 'Vector_Type' (line {{[0-9]+}}), a type that stays static, which needs a constant

static PyTypeObject Vector_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ci.Vector",
    .tp_basicsize = sizeof(VectorObject),
    .tp_vectorcall_offset = offsetof(VectorObject, call),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_base = &Kept_Type,
};
// CHECK-MANUAL: [[@LINE-8]] static PyTypeObject 'Vector_Type' cannot be converted automatically: vectorcall

static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ci.Base",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};
// CHECK-FIXES: static PyTypeObject *Base_Type;

static PyTypeObject Sub_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ci.Sub",
    .tp_base = &Base_Type,
};
// CHECK-FIXES: static PyTypeObject *Sub_Type;

static PyTypeObject *last_made = NULL;

static PyObject *make_sub(PyObject *self, PyObject *args) {
    last_made = &Sub_Type;
    return PyObject_CallNoArgs((PyObject *)&Sub_Type);
}
// CHECK-FIXES: last_made = Sub_Type;
// CHECK-FIXES: return PyObject_CallNoArgs((PyObject *)Sub_Type);

static PyMethodDef ci_methods[] = {{"make_sub", make_sub, METH_NOARGS, NULL}, {NULL}};
static struct PyModuleDef ci_module = {PyModuleDef_HEAD_INIT, "ci", NULL, -1, ci_methods};
PyMODINIT_FUNC PyInit_ci(void) {
    if (PyType_Ready(&Listed_Type) < 0 || PyType_Ready(&Marker_Type) < 0)
        return NULL;
    if (PyType_Ready(&Kept_Type) < 0 || PyType_Ready(&Vector_Type) < 0)
        return NULL;
    if (PyType_Ready(&Base_Type) < 0 || PyType_Ready(&Sub_Type) < 0)
        return NULL;
    (void)Marker;
    (void)types;
    return PyModule_Create(&ci_module);
}
