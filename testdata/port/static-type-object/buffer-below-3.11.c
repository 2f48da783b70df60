// Buffer slots need 3.11: the type stays, reported with that version.
// ARGS: --target 3.10
// CHECK-IGNORE: single-phase-init
// CHECK-IGNORE: module-global-state
// CHECK-IGNORE: non-limited-api
// CHECK-IGNORE: type-slot-access
#include <Python.h>

typedef struct { PyObject_HEAD char data[4]; } BufObject;

static int Buf_getbuffer(BufObject *self, Py_buffer *view, int flags) {
    return PyBuffer_FillInfo(view, (PyObject *)self, self->data, 4, 0, flags);
}

static PyBufferProcs Buf_as_buffer = {(getbufferproc)Buf_getbuffer, NULL};
// CHECK-MANUAL: [[@LINE-1]] static PyBufferProcs 'Buf_as_buffer': define the type

static PyTypeObject Buf_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "buf.Buf",
    .tp_basicsize = sizeof(BufObject),
    .tp_as_buffer = &Buf_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};
// CHECK-MANUAL: [[@LINE-8]] static PyTypeObject 'Buf_Type' cannot be converted automatically: buffer slots (tp_as_buffer) need 3.11

static struct PyModuleDef buf_module = {PyModuleDef_HEAD_INIT, "buf", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_buf(void) { return PyModule_Create(&buf_module); }
