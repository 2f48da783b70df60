// The trashcan pair goes under #ifndef Py_LIMITED_API; the report says what
// the Limited API build loses.
// ARGS: --target 3.11
// CHECK-IGNORE: static-type-object
// CHECK-IGNORE: module-global-state
#include <Python.h>

typedef struct {
    PyObject_HEAD
    PyObject *next;
} Node;

static void
Node_dealloc(Node *self)
// CHECK-MANUAL: [[@LINE-1]] 'Node_dealloc' keeps its trashcan guard only in the full-API build
{
    PyObject_GC_UnTrack(self);
// CHECK-FIXES: #ifndef Py_LIMITED_API
    Py_TRASHCAN_BEGIN(self, Node_dealloc)
// CHECK-FIXES: #endif
    Py_CLEAR(self->next);
    Py_TYPE(self)->tp_free((PyObject *)self);
// CHECK-FIXES: #ifndef Py_LIMITED_API
    Py_TRASHCAN_END
// CHECK-FIXES: #endif
}

static void
Leaf_dealloc(PyObject *self)
{
    /* Must not fire: END shares its line with other code. */
    Py_TRASHCAN_BEGIN(self, Leaf_dealloc)
    Py_TYPE(self)->tp_free(self); Py_TRASHCAN_END
// CHECK-MANUAL: [[@LINE-2]] the trashcan macros are not in the Limited API and they share their lines with other code
// CHECK-MANUAL: [[@LINE-2]] 'Py_TRASHCAN_END' (macro) is not in the Limited API
// CHECK-IGNORE: non-limited-api
}
