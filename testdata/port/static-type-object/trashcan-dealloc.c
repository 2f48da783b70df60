// A dealloc with the trashcan guard releases the heap type inside the guard:
// a deferred dealloc skips the body and runs it again later.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: module-global-state
// CHECK-IGNORE: trashcan
#include <Python.h>

typedef struct {
    PyObject_HEAD
    PyObject *next;
} NodeObject;

static void
Node_dealloc(NodeObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_TRASHCAN_BEGIN(self, Node_dealloc)
    Py_CLEAR(self->next);
    Py_TYPE(self)->tp_free((PyObject *)self);
// CHECK-FIXES: ((freefunc)PyType_GetSlot(Py_TYPE((PyObject *)self), Py_tp_free))((PyObject *)self);
// CHECK-FIXES: Py_DECREF(abi3port_type);
// CHECK-FIXES: #ifndef Py_LIMITED_API
    Py_TRASHCAN_END
// CHECK-FIXES: #endif
}

static int
Node_traverse(NodeObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->next);
    return 0;
}

static PyTypeObject Node_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "nodes.Node",
    .tp_basicsize = sizeof(NodeObject),
    .tp_dealloc = (destructor)Node_dealloc,
    .tp_traverse = (traverseproc)Node_traverse,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
};
// CHECK-FIXES: static PyType_Spec Node_Type_spec = {

static struct PyModuleDef nodes_module = {PyModuleDef_HEAD_INIT, "nodes", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_nodes(void)
{
    PyObject *m;
    if (PyType_Ready(&Node_Type) < 0)
        return NULL;
    m = PyModule_Create(&nodes_module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&Node_Type);
    if (PyModule_AddObject(m, "Node", (PyObject *)&Node_Type) < 0) {
        Py_DECREF(&Node_Type);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
