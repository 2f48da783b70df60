// The datetime C API through the datetime module's objects.
// ARGS: --target 3.11
// CHECK-IGNORE: module-global-state
// CHECK-IGNORE: single-phase-init
#include <Python.h>
#include <datetime.h>

static int ready(void) {
// CHECK-MANUAL: [[@LINE-1]] 17 datetime C API site(s) in this file now go through the datetime module's Python objects
    PyDateTime_IMPORT;
// CHECK-FIXES: ABI3PORT_DATETIME_IMPORT();
    if (!PyDateTimeAPI)
// CHECK-FIXES: if (!abi3port_datetime.module)
        return -1;
    return 0;
}

static PyObject *describe(PyObject *o) {
    if (PyDateTime_Check(o))
// CHECK-FIXES: if (PyObject_TypeCheck((PyObject *)(o), (PyTypeObject *)abi3port_datetime.datetime))
        return PyLong_FromLong(PyDateTime_GET_YEAR(o) * 100 + PyDateTime_DATE_GET_HOUR(o));
// CHECK-FIXES: return PyLong_FromLong(abi3port_datetime_int(abi3port_datetime.date, (PyObject *)(o), "year") * 100 + abi3port_datetime_int(abi3port_datetime.datetime, (PyObject *)(o), "hour"));
    if (PyDate_CheckExact(o))
// CHECK-FIXES: if ((Py_TYPE((PyObject *)(o)) == (PyTypeObject *)abi3port_datetime.date))
        return PyDate_FromDate(2000, 1, 1 + 0 * PyDateTime_GET_MONTH(o));
// CHECK-FIXES: return PyObject_CallFunction(abi3port_datetime.date, "iii", (int)(2000), (int)(1), (int)(1 + 0 * abi3port_datetime_int(abi3port_datetime.date, (PyObject *)(o), "month")));
    if (PyObject_TypeCheck(o, PyDateTimeAPI->DeltaType))
// CHECK-FIXES: if (PyObject_TypeCheck(o, ((PyTypeObject *)abi3port_datetime.delta)))
        return PyDelta_FromDSU(PyDateTime_DELTA_GET_DAYS(o), 0, 0);
    if (PyDelta_Check(o))
        return PyTimeZone_FromOffset(o);
// CHECK-FIXES: return PyObject_CallFunctionObjArgs(abi3port_datetime.timezone, o, NULL);
    Py_INCREF(PyDateTime_TimeZone_UTC);
// CHECK-FIXES: Py_INCREF(abi3port_datetime.utc);
    return PyDateTime_TimeZone_UTC;
}

static PyObject *midnight(int y, int m, int d, PyObject *tz) {
    return PyDateTimeAPI->DateTime_FromDateAndTime(y, m, d, 0, 0, 0, 0, tz,
                                                   PyDateTimeAPI->DateTimeType);
// CHECK-FIXES: return PyObject_CallFunction(abi3port_datetime.datetime, "iiiiiiiO", (int)(y), (int)(m), (int)(d), (int)(0), (int)(0), (int)(0), (int)(0), tz);
}
