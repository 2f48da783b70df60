// C statics set up only by the init function are per module in meaning: they
// move, and a non-zero initialiser runs in the exec function. C data written
// elsewhere stays (see c-data-and-3.12.c).
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>
#include <stdlib.h>

static long chunk = 64;
static int verbose;
// CHECK-FIXES: typedef struct {
// CHECK-FIXES: long chunk;
// CHECK-FIXES: int verbose;
// CHECK-FIXES: } module_state;

static PyObject *
settings(PyObject *module, PyObject *Py_UNUSED(ignored))
{
// CHECK-FIXES: module_state *state = get_module_state(module);
    return Py_BuildValue("(li)", chunk, verbose);
// CHECK-FIXES: return Py_BuildValue("(li)", state->chunk, state->verbose);
}

static PyMethodDef methods[] = {{"settings", settings, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "cd", NULL, -1, methods};
// CHECK-FIXES: static struct PyModuleDef def = {
// CHECK-FIXES: sizeof(module_state),
// CHECK-FIXES: NULL,
// CHECK-FIXES: NULL,
// CHECK-FIXES: NULL,
// CHECK-FIXES: };

PyMODINIT_FUNC
PyInit_cd(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    verbose = getenv("CD_VERBOSE") != NULL;
    if (verbose)
        chunk *= 2;
    return m;
}
// CHECK-FIXES: cd_exec(PyObject *m)
// CHECK-FIXES: module_state *state = get_module_state(m);
// CHECK-FIXES: state->chunk = 64;
// CHECK-FIXES: state->verbose = getenv("CD_VERBOSE") != NULL;
// CHECK-FIXES: if (state->verbose)
// CHECK-FIXES: state->chunk *= 2;
// CHECK-FIXES: return 0;
