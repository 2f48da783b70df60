// PySequence_Fast_ITEMS read only as items[i]: the getter on the sequence.
// ARGS: --target 3.11
#include <Python.h>

static double total(PyObject *arg) {
    PyObject *seq, **items;
// CHECK-FIXES: PyObject *seq;
    double sum = 0;
    seq = PySequence_Fast(arg, "need a sequence");
    if (seq == NULL)
        return -1.0;
    items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++)
        sum += PyFloat_AsDouble(items[i]);
// CHECK-FIXES: for (Py_ssize_t i = 0; i < PySequence_Size(seq); i++)
// CHECK-FIXES: sum += PyFloat_AsDouble((PyList_Check(seq) ? PyList_GetItem(seq, i) : PyTuple_GetItem(seq, i)));
    Py_DECREF(seq);
    return sum;
}
