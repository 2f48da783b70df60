// What the module's objects cannot stand in for stays manual.
// ARGS: --target 3.11
#include <Python.h>
#include <datetime.h>

static int aware(PyObject *value) {
    /* Must not fire: the struct is opaque; no rewrite. */
    return ((PyDateTime_DateTime *)value)->hastzinfo;
// CHECK-MANUAL: [[@LINE-1]] 'PyDateTime_DateTime.hastzinfo' is not accessible in the Limited API
// CHECK-MANUAL: [[@LINE-2]] 'PyDateTime_DateTime' (type) is not in the Limited API
}

static PyObject *as_subclass(PyTypeObject *cls) {
    /* Must not fire: the constructor would run the subclass's __new__. */
    return PyDateTimeAPI->DateTime_FromDateAndTime(2000, 1, 1, 0, 0, 0, 0, Py_None, cls);
// CHECK-MANUAL: [[@LINE-1]] PyDateTimeAPI->DateTime_FromDateAndTime with a type argument other than the exact type
}

static PyObject *raw_delta(void) {
    /* Must not fire: no row (normalize flag). */
    return PyDateTimeAPI->Delta_FromDelta(1, 2, 3, 0, PyDateTimeAPI->DeltaType);
// CHECK-MANUAL: [[@LINE-1]] PyDateTimeAPI->Delta_FromDelta has no rewrite through the datetime module
// CHECK-MANUAL: [[@LINE-2]] 'PyDateTimeAPI' (data) is not in the Limited API
// CHECK-MANUAL: [[@LINE-3]] 'PyDateTime_CAPI.DeltaType' is not accessible
}
