// The #else of #ifndef Py_LIMITED_API is what the limited build compiles: a
// name its headers do not declare at the target is reported with the
// compiler's message.
// ARGS: --target 3.8
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static const char *utf8(PyObject *s) {
#ifndef Py_LIMITED_API
    return PyUnicode_AsUTF8(s);
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'PyUnicode_AsUTF8' (function) is not in the Limited API for 3.8{{.*}}; compiled only without Py_LIMITED_API (else-branch.c:9 '#ifndef Py_LIMITED_API'), so it does not block the Limited API build [non-limited-api]
#else
    return PyUnicode_AsUTF8(s);
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: does not compile with Py_LIMITED_API=3.8: call to undeclared function 'PyUnicode_AsUTF8'{{.*}}; in code compiled only with Py_LIMITED_API (else-branch.c:12 '#else' of else-branch.c:9 '#ifndef Py_LIMITED_API') [limited-compile-error]
#endif
}

// Must not fire: the limited branch compiles.
static PyObject *name(PyObject *o) {
#ifndef Py_LIMITED_API
    return PyUnicode_FromString(Py_TYPE(o)->tp_name);
// CHECK-MESSAGES: :[[@LINE-1]]:33: warning: direct access to PyTypeObject.tp_name{{.*}}; compiled only without Py_LIMITED_API (else-branch.c:20 '#ifndef Py_LIMITED_API'), so it does not block the Limited API build [type-slot-access]
#else
    return PyObject_GetAttrString((PyObject *)Py_TYPE(o), "__name__");
#endif
}
