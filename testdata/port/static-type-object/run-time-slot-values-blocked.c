// Run-time values that cannot be computed where the heap type is created (at
// the top of the init function, after its declarations) keep the type
// static, with the reason (bug class 4.b): a local variable, a call made after
// other code ran, a global the code may have set, a value set outside the
// init function or in a nested block, a base computed by a call, flags known
// only at run time. Nothing here may change.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: type-slot-access
// CHECK-IGNORE: module-global-state
#include <Python.h>

static PyObject *plain_repr(PyObject *self) { return PyUnicode_FromString("plain"); }
static reprfunc pick_repr(void) { return plain_repr; }
static PyTypeObject *imported_base;
static int setup(void) { imported_base = &PyList_Type; return 0; }

static PyTypeObject Local_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bl.Local",
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Local_Type' cannot be converted automatically: Local_Type.tp_repr uses the local variable 'repr'; the heap type is created at the top of 'PyInit_bl'

static PyTypeObject Late_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bl.Late",
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Late_Type' cannot be converted automatically: Late_Type.tp_repr is set to the result of a call made after other code of 'PyInit_bl' ran

static PyTypeObject Imported_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bl.Imported",
    .tp_flags = Py_TPFLAGS_DEFAULT,
};
// CHECK-MANUAL: [[@LINE-5]] static PyTypeObject 'Imported_Type' cannot be converted automatically: Imported_Type.tp_base reads the variable 'imported_base', which code before may set

static PyTypeObject Called_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bl.Called",
    .tp_flags = Py_TPFLAGS_DEFAULT,
};
// CHECK-MANUAL: [[@LINE-5]] static PyTypeObject 'Called_Type' cannot be converted automatically: Called_Type.tp_base is set to the result of a call

static PyTypeObject Elsewhere_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bl.Elsewhere",
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Elsewhere_Type' cannot be converted automatically: Elsewhere_Type.tp_repr is set to a value known only at run time outside the module's init function (in 'setup_elsewhere')

static PyTypeObject Nested_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bl.Nested",
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Nested_Type' cannot be converted automatically: Nested_Type.tp_repr is set inside a nested block, which a condition or loop may skip

static PyTypeObject Flags_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bl.Flags",
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Flags_Type' cannot be converted automatically: Flags_Type.tp_flags is set in code to a value known only at run time

static PyTypeObject Xor_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bl.Xor",
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-6]] static PyTypeObject 'Xor_Type' cannot be converted automatically: Xor_Type.tp_flags is updated in code (^=)

static void setup_elsewhere(void) { Elsewhere_Type.tp_repr = pick_repr(); }

static struct PyModuleDef bl_module = {PyModuleDef_HEAD_INIT, "bl", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_bl(int flags) {
    reprfunc repr = pick_repr();
    Local_Type.tp_repr = repr;
    if (setup() < 0)
        return NULL;
    Late_Type.tp_repr = pick_repr();
    Imported_Type.tp_base = imported_base;
    Called_Type.tp_base = (PyTypeObject *)PyExc_ValueError ? &PyList_Type : pick_repr() ? &PyDict_Type : NULL;
    setup_elsewhere();
    if (flags) {
        Nested_Type.tp_repr = pick_repr();
    }
    Flags_Type.tp_flags = flags;
    Xor_Type.tp_flags ^= Py_TPFLAGS_BASETYPE;
    if (PyType_Ready(&Local_Type) < 0 || PyType_Ready(&Late_Type) < 0 ||
        PyType_Ready(&Imported_Type) < 0 || PyType_Ready(&Called_Type) < 0 ||
        PyType_Ready(&Elsewhere_Type) < 0 || PyType_Ready(&Nested_Type) < 0 ||
        PyType_Ready(&Flags_Type) < 0 || PyType_Ready(&Xor_Type) < 0)
        return NULL;
    return PyModule_Create(&bl_module);
}
