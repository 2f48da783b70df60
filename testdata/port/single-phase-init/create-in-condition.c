// `if ((m = PyModule_Create(&def)) == NULL) return NULL;` goes whole; code
// the preprocessor skipped inside the init function is reported, since its
// returns are not converted.
// ARGS: --target 3.11 --state module
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *Answer;
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "cond", "doc", -1, NULL};
// CHECK-FIXES: static PyModuleDef_Slot cond_slots[] = {
// CHECK-FIXES: static struct PyModuleDef def = {
// CHECK-FIXES: "cond",
// CHECK-FIXES: "doc",
// CHECK-FIXES: sizeof(module_state),
// CHECK-FIXES: NULL,
// CHECK-FIXES: cond_slots,

PyMODINIT_FUNC
PyInit_cond(void)
{
    PyObject *m;

    if ((m = PyModule_Create(&def)) == NULL)
        return NULL;
#ifdef ABI3PORT_NOT_DEFINED
    if (PyModule_AddIntConstant(m, "EXTRA", 1) < 0)
        return NULL;
#endif
// CHECK-MANUAL: [[@LINE-4]] code the preprocessor skipped here is not converted
    Answer = PyLong_FromLong(42);
    if (Answer == NULL || PyModule_AddObjectRef(m, "ANSWER", Answer) < 0)
        return NULL;
    return m;
}
// CHECK-FIXES: static int
// CHECK-FIXES: cond_exec(PyObject *m)
// CHECK-FIXES: {
// CHECK-FIXES: module_state *state = get_module_state(m);
// CHECK-FIXES: #ifdef ABI3PORT_NOT_DEFINED
// CHECK-FIXES: state->Answer = PyLong_FromLong(42);
// CHECK-FIXES: if (state->Answer == NULL || PyModule_AddObjectRef(m, "ANSWER", state->Answer) < 0)
// CHECK-FIXES: return -1;
// CHECK-FIXES: return 0;
