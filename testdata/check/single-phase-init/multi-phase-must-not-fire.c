// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static int exec(PyObject *m) { return 0; }
static PyModuleDef_Slot slots[] = {{Py_mod_exec, exec}, {0, NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "m", NULL, 0, NULL, slots};

PyMODINIT_FUNC PyInit_m(void) { return PyModuleDef_Init(&mod); }
