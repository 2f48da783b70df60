// The object argument is an assignment whose value comes from a project
// macro: its text cannot be compared with the Py_INCREF before or the
// Py_XDECREF after, so nothing is rewritten and no statement is removed.
// ARGS: --target 3.11 --state global
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

#define Int_FromLong(x) PyLong_FromLong(x)

static int add_constants(PyObject *module) {
    PyObject *tmp;
    if (0 > PyModule_AddIntConstant(module, "version", 3))
    { return -1; }
// CHECK-FIXES: if (0 > PyModule_AddIntConstant(module, "version", 3))

    if (0 > PyModule_AddObject(module,
        "threadsafety", tmp = Int_FromLong(2)))
// CHECK-MANUAL: [[@LINE-2]] PyModule_AddObject steals a reference only on success
    {
        Py_XDECREF(tmp);
// CHECK-FIXES: Py_XDECREF(tmp);
        return -1;
    }
    return 0;
}
