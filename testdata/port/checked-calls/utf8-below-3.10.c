// Below 3.10 PyUnicode_AsUTF8 has no Limited API form: a manual site, and
// no Py_LIMITED_API definition while it remains.
// ARGS: --target 3.8
#include <Python.h>

static const char *name(PyObject *s) {
    return PyUnicode_AsUTF8(s);
// CHECK-MANUAL: [[@LINE-1]] PyUnicode_AsUTF8 is not in the Limited API; PyUnicode_AsUTF8AndSize is from 3.10
}
