// Mutable C data stays process-wide and is reported; the module then cannot
// claim a per-interpreter GIL (3.12: Py_mod_multiple_interpreters).
// ARGS: --target 3.12 --state module
// CHECK-IGNORE: non-limited-api
#include <Python.h>

static long calls;
// CHECK-MANUAL: [[@LINE-1]] 'calls' stays process-global: this C data is written outside the init function
static const char *const greeting = "hello";

static PyObject *
count(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    calls++;
    return PyLong_FromLong(calls);
}

static PyObject *
greet(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromString(greeting);
}

static PyMethodDef methods[] = {
    {"count", count, METH_NOARGS, NULL},
    {"greet", greet, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "counter", NULL, -1, methods};
// CHECK-FIXES: static PyModuleDef_Slot counter_slots[] = {
// CHECK-FIXES: {Py_mod_exec, (void *)counter_exec},
// CHECK-FIXES: {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
// CHECK-FIXES: {0, NULL},
// CHECK-FIXES: 0,

PyMODINIT_FUNC
PyInit_counter(void)
{
    return PyModule_Create(&def);
}
// CHECK-FIXES: counter_exec(PyObject *module)
// CHECK-FIXES: return 0;
// CHECK-FIXES: return PyModuleDef_Init(&def);
