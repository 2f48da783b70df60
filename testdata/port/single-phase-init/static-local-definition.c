// A PyModuleDef that is a static variable of PyInit_*: the new PyInit_ (and
// the slots) could not see it, so the port keeps single-phase init and says
// why.
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *hello(PyObject *module, PyObject *unused) { return PyLong_FromLong(1); }
static PyMethodDef methods[] = {{"hello", hello, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};

PyMODINIT_FUNC
PyInit_sld(void)
{
    static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "sld", NULL, -1, methods};
// CHECK-MANUAL: [[@LINE-1]] --state module was not applied (the port keeps process globals, as --state global): the module definition 'def' is a static variable of the init function
// CHECK-FIXES-NOT: PyModuleDef_Init
    return PyModule_Create(&def);
// CHECK-MANUAL: [[@LINE-1]] single-phase initialisation with PyModule_Create
}
