// Fields of structs that are opaque in the Limited API.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static PyObject *peek(PyObject *o) {
    PyListObject *l = (PyListObject *)o;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'PyListObject' (type) is not in the Limited API for 3.11 [non-limited-api]
// CHECK-MESSAGES: :[[@LINE-2]]:24: warning: 'PyListObject' (type){{.*}} [non-limited-api]
    return l->ob_item[0];
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'PyListObject.ob_item' is not accessible in the Limited API for 3.11: the struct is opaque; use the accessor functions [opaque-struct-field]
}

static Py_ssize_t refs(PyObject *o) {
    // Must not fire: PyObject's ob_refcnt and ob_type are part of the ABI.
    return o->ob_refcnt + (o->ob_type != NULL);
}
