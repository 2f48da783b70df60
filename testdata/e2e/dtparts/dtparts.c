/*
 * dtparts -- splits and builds dates with the datetime C API (<datetime.h>),
 * written against the full C API.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>

static PyObject *DtError;

/* parts(obj) -> tuple of the C fields of a date, datetime, time or timedelta. */
static PyObject *
dtparts_parts(PyObject *module, PyObject *obj)
{
    if (PyDateTime_Check(obj))
        return Py_BuildValue("(siiiiiii)", "datetime", PyDateTime_GET_YEAR(obj),
                             PyDateTime_GET_MONTH(obj), PyDateTime_GET_DAY(obj),
                             PyDateTime_DATE_GET_HOUR(obj), PyDateTime_DATE_GET_MINUTE(obj),
                             PyDateTime_DATE_GET_SECOND(obj),
                             PyDateTime_DATE_GET_MICROSECOND(obj));
    if (PyDate_Check(obj))
        return Py_BuildValue("(siii)", "date", PyDateTime_GET_YEAR(obj),
                             PyDateTime_GET_MONTH(obj), PyDateTime_GET_DAY(obj));
    if (PyTime_Check(obj))
        return Py_BuildValue("(siiii)", "time", PyDateTime_TIME_GET_HOUR(obj),
                             PyDateTime_TIME_GET_MINUTE(obj), PyDateTime_TIME_GET_SECOND(obj),
                             PyDateTime_TIME_GET_MICROSECOND(obj));
    if (PyDelta_Check(obj))
        return Py_BuildValue("(siii)", "timedelta", PyDateTime_DELTA_GET_DAYS(obj),
                             PyDateTime_DELTA_GET_SECONDS(obj),
                             PyDateTime_DELTA_GET_MICROSECONDS(obj));
    PyErr_SetString(DtError, "parts() needs a date, datetime, time or timedelta");
    return NULL;
}

/* exact(obj) -> which exact datetime type obj has, or None. */
static PyObject *
dtparts_exact(PyObject *module, PyObject *obj)
{
    if (PyDateTime_CheckExact(obj))
        return PyUnicode_FromString("datetime");
    if (PyDate_CheckExact(obj))
        return PyUnicode_FromString("date");
    if (PyTZInfo_Check(obj))
        return PyUnicode_FromString("tzinfo");
    if (PyObject_TypeCheck(obj, PyDateTimeAPI->DeltaType))
        return PyUnicode_FromString("timedelta-like");
    Py_RETURN_NONE;
}

/* build(y, m, d[, h, mi, s, us]) -> date or naive datetime. */
static PyObject *
dtparts_build(PyObject *module, PyObject *args)
{
    int y, m, d, h = -1, mi = 0, s = 0, us = 0;
    if (!PyArg_ParseTuple(args, "iii|iiii", &y, &m, &d, &h, &mi, &s, &us))
        return NULL;
    if (h < 0)
        return PyDate_FromDate(y, m, d);
    return PyDateTime_FromDateAndTime(y, m, d, h, mi, s, us);
}

/* at_utc(y, m, d) -> aware datetime at midnight UTC. */
static PyObject *
dtparts_at_utc(PyObject *module, PyObject *args)
{
    int y, m, d;
    if (!PyArg_ParseTuple(args, "iii", &y, &m, &d))
        return NULL;
    return PyDateTimeAPI->DateTime_FromDateAndTime(y, m, d, 0, 0, 0, 0, PyDateTime_TimeZone_UTC,
                                                   PyDateTimeAPI->DateTimeType);
}

/* span(days, seconds, us) -> timedelta; clock(h, m, s, us) -> time. */
static PyObject *
dtparts_span(PyObject *module, PyObject *args)
{
    int d, s, us;
    if (!PyArg_ParseTuple(args, "iii", &d, &s, &us))
        return NULL;
    return PyDelta_FromDSU(d, s, us);
}

static PyObject *
dtparts_clock(PyObject *module, PyObject *args)
{
    int h, m, s, us;
    if (!PyArg_ParseTuple(args, "iiii", &h, &m, &s, &us))
        return NULL;
    return PyTime_FromTime(h, m, s, us);
}

/* from_timestamp(ts[, tz]) -> datetime.fromtimestamp(ts[, tz]). */
static PyObject *
dtparts_from_timestamp(PyObject *module, PyObject *args)
{
    return PyDateTime_FromTimestamp(args);
}

/* utc() -> datetime.timezone.utc */
static PyObject *
dtparts_utc(PyObject *module, PyObject *unused)
{
    Py_INCREF(PyDateTime_TimeZone_UTC);
    return PyDateTime_TimeZone_UTC;
}

static PyMethodDef dtparts_methods[] = {
    {"parts", dtparts_parts, METH_O, "The fields of a datetime object."},
    {"exact", dtparts_exact, METH_O, "The exact datetime type of an object."},
    {"build", dtparts_build, METH_VARARGS, "A date or a naive datetime."},
    {"at_utc", dtparts_at_utc, METH_VARARGS, "Midnight UTC of a day."},
    {"span", dtparts_span, METH_VARARGS, "A timedelta from days, seconds, microseconds."},
    {"clock", dtparts_clock, METH_VARARGS, "A time from hours, minutes, seconds, microseconds."},
    {"from_timestamp", dtparts_from_timestamp, METH_VARARGS, "datetime.fromtimestamp."},
    {"utc", dtparts_utc, METH_NOARGS, "datetime.timezone.utc."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef dtparts_module = {
    PyModuleDef_HEAD_INIT,
    "dtparts",
    "Parts of dates, through the datetime C API.",
    -1,
    dtparts_methods,
};

PyMODINIT_FUNC
PyInit_dtparts(void)
{
    PyObject *m;

    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL)
        return NULL;

    m = PyModule_Create(&dtparts_module);
    if (m == NULL)
        return NULL;

    DtError = PyErr_NewException("dtparts.Error", PyExc_TypeError, NULL);
    if (DtError == NULL)
        goto fail;
    Py_INCREF(DtError);
    if (PyModule_AddObject(m, "Error", DtError) < 0) {
        Py_DECREF(DtError);
        goto fail;
    }
    return m;

fail:
    Py_XDECREF(DtError);
    Py_DECREF(m);
    return NULL;
}
