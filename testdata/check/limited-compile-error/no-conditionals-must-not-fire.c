// No conditional on the Limited API: nothing but the full build's findings
// (and no second parse, see PreprocessorSidesTest).
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

#if PY_VERSION_HEX >= 0x030B0000
static PyObject *name(PyObject *o) { return PyObject_Str(o); }
#else
static PyObject *name(PyObject *o) { return PyObject_Repr(o); }
#endif
