// A dealloc also called directly: releasing the heap type there would be
// wrong for the other caller, so the type is a manual site.
// ARGS: --target 3.11
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: module-global-state
// CHECK-IGNORE: type-slot-access
#include <Python.h>

typedef struct { PyObject_HEAD } NodeObject;

static void Node_dealloc(NodeObject *self) { PyObject_Free(self); }

static void destroy(NodeObject *n) { Node_dealloc(n); }

static PyTypeObject Node_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "node.Node",
    .tp_basicsize = sizeof(NodeObject),
    .tp_dealloc = (destructor)Node_dealloc,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-7]] static PyTypeObject 'Node_Type' cannot be converted automatically: its slot function 'Node_dealloc' is also used as something else

static struct PyModuleDef node_module = {PyModuleDef_HEAD_INIT, "node", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_node(void) { return PyModule_Create(&node_module); }
