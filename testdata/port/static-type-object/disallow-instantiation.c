// Only a type that could not be instantiated (no tp_new of its own, and none
// to inherit: no base or `object`) gets Py_TPFLAGS_DISALLOW_INSTANTIATION. A
// built-in base, a base set in code before PyType_Ready, or a project base
// with a tp_new keeps the heap type instantiable, as the static type was.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
#include <Python.h>

static PyTypeObject NoNew_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "di.NoNew",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
};
// CHECK-FIXES: "di.NoNew",
// CHECK-FIXES: Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,

static PyTypeObject ObjectBase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "di.ObjectBase",
    .tp_base = &PyBaseObject_Type,
};
// CHECK-FIXES: "di.ObjectBase",
// CHECK-FIXES: Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,

static PyTypeObject Str_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "di.Str",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VERSION_TAG,
    .tp_base = &PyUnicode_Type,
};
// CHECK-FIXES: "di.Str",
// CHECK-FIXES: Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VERSION_TAG | Py_TPFLAGS_IMMUTABLETYPE,
// CHECK-FIXES-NOT: Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VERSION_TAG | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,

static PyTypeObject List_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "di.List",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_VERSION_TAG,
};
// CHECK-FIXES: "di.List",
// CHECK-FIXES: Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_VERSION_TAG | Py_TPFLAGS_IMMUTABLETYPE,
// CHECK-FIXES-NOT: Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_VERSION_TAG | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,

static PyTypeObject Made_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "di.Made",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};

static PyTypeObject MadeSub_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "di.MadeSub",
    .tp_flags = Py_TPFLAGS_HAVE_VERSION_TAG,
    .tp_base = &Made_Type,
};
// CHECK-FIXES: "di.MadeSub",
// CHECK-FIXES: Py_TPFLAGS_HAVE_VERSION_TAG | Py_TPFLAGS_IMMUTABLETYPE,
// CHECK-FIXES-NOT: Py_TPFLAGS_HAVE_VERSION_TAG | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,

static struct PyModuleDef di_module = {PyModuleDef_HEAD_INIT, "di", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_di(void) {
    List_Type.tp_base = &PyList_Type;
    if (PyType_Ready(&NoNew_Type) < 0 || PyType_Ready(&ObjectBase_Type) < 0)
        return NULL;
    if (PyType_Ready(&Str_Type) < 0 || PyType_Ready(&List_Type) < 0)
        return NULL;
    if (PyType_Ready(&Made_Type) < 0 || PyType_Ready(&MadeSub_Type) < 0)
        return NULL;
    return PyModule_Create(&di_module);
}
