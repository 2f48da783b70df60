// A module already initialised in phases, with its state in module state:
// nothing to do.
// ARGS: --target 3.11 --state module
#define Py_LIMITED_API 0x030B0000
#include <Python.h>

typedef struct { PyObject *error; } state_t;

static int
exec_module(PyObject *m)
{
    state_t *st = (state_t *)PyModule_GetState(m);
    st->error = PyErr_NewException("done.Error", NULL, NULL);
    if (st->error == NULL)
        return -1;
    return PyModule_AddObjectRef(m, "Error", st->error);
}

static int
traverse(PyObject *m, visitproc visit, void *arg)
{
    Py_VISIT(((state_t *)PyModule_GetState(m))->error);
    return 0;
}

static int
clear(PyObject *m)
{
    Py_CLEAR(((state_t *)PyModule_GetState(m))->error);
    return 0;
}

static PyModuleDef_Slot slots[] = {{Py_mod_exec, (void *)exec_module}, {0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "done", NULL, sizeof(state_t), NULL,
                                 slots, traverse, clear, NULL};

PyMODINIT_FUNC
PyInit_done(void)
{
    return PyModuleDef_Init(&def);
}
