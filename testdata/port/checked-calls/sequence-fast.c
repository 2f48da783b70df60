// PySequence_Fast results are lists or tuples.
// ARGS: --target 3.11
// CHECK-IGNORE: module-global-state
#include <Python.h>

static double total(PyObject *arg) {
    PyObject *seq = PySequence_Fast(arg, "need a sequence");
    if (seq == NULL)
        return -1.0;
    double sum = 0;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++)
// CHECK-FIXES: for (Py_ssize_t i = 0; i < PySequence_Size(seq); i++)
        sum += PyFloat_AsDouble(PySequence_Fast_GET_ITEM(seq, i));
// CHECK-FIXES: sum += PyFloat_AsDouble((PyList_Check(seq) ? PyList_GetItem(seq, i) : PyTuple_GetItem(seq, i)));
    PyObject **items = PySequence_Fast_ITEMS(seq);
// CHECK-MANUAL: [[@LINE-1]] PySequence_Fast_ITEMS exposes the item array
    (void)items;
    Py_DECREF(seq);
    return sum;
}
