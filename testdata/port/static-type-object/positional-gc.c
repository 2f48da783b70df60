// A positional GC type with dict and weaklist offsets and no tp_new.
// ARGS: --target 3.10
// CHECK-IGNORE: single-phase-init
#include <Python.h>
#include <stddef.h>

typedef struct {
    PyObject_HEAD
    PyObject *item;
    PyObject *dict;
    PyObject *weakrefs;
} BoxObject;

static int
Box_traverse(BoxObject *self, visitproc visit, void *arg)
{
// CHECK-FIXES: Py_VISIT(Py_TYPE((PyObject *)self));
    Py_VISIT(self->item);
    return 0;
}

static void
Box_dealloc(BoxObject *self)
{
// CHECK-FIXES: PyTypeObject *abi3port_type = Py_TYPE((PyObject *)self);
    PyObject_GC_UnTrack(self);
    Py_CLEAR(self->item);
    Py_TYPE(self)->tp_free((PyObject *)self);
// CHECK-FIXES: ((freefunc)PyType_GetSlot(Py_TYPE(self), Py_tp_free))((PyObject *)self);
// CHECK-FIXES: Py_DECREF(abi3port_type);
}

static PyTypeObject Box_Type = {
// CHECK-FIXES: static PyTypeObject *Box_Type;
// CHECK-FIXES: static PyMemberDef Box_Type_members[] = {
// CHECK-FIXES: {"__weaklistoffset__", T_PYSSIZET, offsetof(BoxObject, weakrefs), READONLY, NULL},
// CHECK-FIXES: {"__dictoffset__", T_PYSSIZET, offsetof(BoxObject, dict), READONLY, NULL},
// CHECK-FIXES: static PyType_Slot Box_Type_slots[] = {
// CHECK-FIXES: {Py_tp_dealloc, (void *)Box_dealloc},
// CHECK-FIXES: {Py_tp_traverse, (void *)Box_traverse},
// CHECK-FIXES: {Py_tp_members, Box_Type_members},
// CHECK-FIXES: "box.Box",
// CHECK-FIXES: Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    PyVarObject_HEAD_INIT(NULL, 0)
    "box.Box",                                  /* tp_name */
    sizeof(BoxObject),                          /* tp_basicsize */
    0,                                          /* tp_itemsize */
    (destructor)Box_dealloc,                    /* tp_dealloc */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,    /* tp_flags */
    0,                                          /* tp_doc */
    (traverseproc)Box_traverse,                 /* tp_traverse */
    0, 0,
    offsetof(BoxObject, weakrefs),              /* tp_weaklistoffset */
    0, 0, 0, 0, 0, 0, 0, 0, 0,
    offsetof(BoxObject, dict),                  /* tp_dictoffset */
};

static struct PyModuleDef box_module = {PyModuleDef_HEAD_INIT, "box", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_box(void)
{
    PyObject *m;
// CHECK-FIXES: Box_Type = (PyTypeObject *)PyType_FromSpec(&Box_Type_spec);
// CHECK-FIXES: if (Box_Type == NULL)
    if (PyType_Ready(&Box_Type) < 0)
        return NULL;
    m = PyModule_Create(&box_module);
    if (m != NULL && PyModule_AddObjectRef(m, "Box", (PyObject *)&Box_Type) < 0)
// CHECK-FIXES: if (m != NULL && PyModule_AddObjectRef(m, "Box", (PyObject *)Box_Type) < 0)
        Py_CLEAR(m);
    return m;
}
