/*
 * textops -- string helpers using the full (non-limited) unicode API:
 * PyUnicode_READ_CHAR, PyUnicode_GET_LENGTH, PyUnicode_AsUTF8, weakref
 * macros and direct access to tp_name.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

static PyObject *TextError;

/* Interned method names, created once at import time. */
static PyObject *str_join;
static PyObject *str_strip;
static PyObject *str_lower;

static int
check_str(PyObject *obj)
{
    if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "expected str, not %.200s",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    return 0;
}

/* count_char(s, ch) -> number of occurrences of the single character ch */
static PyObject *
textops_count_char(PyObject *module, PyObject *args)
{
    PyObject *s, *ch;
    Py_ssize_t i, len, count = 0;
    Py_UCS4 target;

    if (!PyArg_ParseTuple(args, "UU:count_char", &s, &ch))
        return NULL;
    if (PyUnicode_GET_LENGTH(ch) != 1) {
        PyErr_Format(PyExc_ValueError,
                     "count_char() expected a single character, got a string of length %zd",
                     PyUnicode_GET_LENGTH(ch));
        return NULL;
    }
    target = PyUnicode_READ_CHAR(ch, 0);
    len = PyUnicode_GET_LENGTH(s);
    for (i = 0; i < len; i++) {
        if (PyUnicode_READ_CHAR(s, i) == target)
            count++;
    }
    return PyLong_FromSsize_t(count);
}

/* is_palindrome(s) -> bool */
static PyObject *
textops_is_palindrome(PyObject *module, PyObject *arg)
{
    Py_ssize_t i, j;

    if (check_str(arg) < 0)
        return NULL;
    for (i = 0, j = PyUnicode_GET_LENGTH(arg) - 1; i < j; i++, j--) {
        if (PyUnicode_READ_CHAR(arg, i) != PyUnicode_READ_CHAR(arg, j))
            Py_RETURN_FALSE;
    }
    Py_RETURN_TRUE;
}

/* split_words(s) -> list of whitespace separated words */
static PyObject *
textops_split_words(PyObject *module, PyObject *arg)
{
    PyObject *result;
    Py_ssize_t i = 0, len;

    if (check_str(arg) < 0)
        return NULL;
    result = PyList_New(0);
    if (result == NULL)
        return NULL;
    len = PyUnicode_GET_LENGTH(arg);
    while (i < len) {
        Py_ssize_t start;
        PyObject *word;
        int rc;

        while (i < len && Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(arg, i)))
            i++;
        if (i == len)
            break;
        start = i;
        while (i < len && !Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(arg, i)))
            i++;
        word = PyUnicode_Substring(arg, start, i);
        if (word == NULL)
            goto error;
        rc = PyList_Append(result, word);
        Py_DECREF(word);
        if (rc < 0)
            goto error;
    }
    return result;

error:
    Py_DECREF(result);
    return NULL;
}

/* fnv1a(s) -> 32-bit FNV-1a hash of the UTF-8 encoding of s */
static PyObject *
textops_fnv1a(PyObject *module, PyObject *arg)
{
    const char *utf8;
    const unsigned char *p;
    unsigned long hash = 2166136261UL;

    if (check_str(arg) < 0)
        return NULL;
    utf8 = PyUnicode_AsUTF8(arg);
    if (utf8 == NULL)
        return NULL;
    for (p = (const unsigned char *)utf8; *p; p++) {
        hash ^= *p;
        hash = (hash * 16777619UL) & 0xffffffffUL;
    }
    return PyLong_FromUnsignedLong(hash);
}

/* ascii_upper(s) -> upper-cased copy; raises TextError for non-ASCII input */
static PyObject *
textops_ascii_upper(PyObject *module, PyObject *arg)
{
    const char *utf8;
    char *buf;
    size_t i, len;
    PyObject *result;

    if (check_str(arg) < 0)
        return NULL;
    utf8 = PyUnicode_AsUTF8(arg);
    if (utf8 == NULL)
        return NULL;
    len = strlen(utf8);
    buf = PyMem_Malloc(len + 1);
    if (buf == NULL)
        return PyErr_NoMemory();
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)utf8[i];
        if (c >= 0x80) {
            PyMem_Free(buf);
            PyErr_Format(TextError, "non-ASCII character at byte offset %zu", i);
            return NULL;
        }
        buf[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : (char)c;
    }
    buf[len] = '\0';
    result = PyUnicode_FromStringAndSize(buf, (Py_ssize_t)len);
    PyMem_Free(buf);
    return result;
}

/* join(sep, iterable) -> sep.join(iterable) via the cached method name */
static PyObject *
textops_join(PyObject *module, PyObject *args)
{
    PyObject *sep, *iterable;

    if (!PyArg_UnpackTuple(args, "join", 2, 2, &sep, &iterable))
        return NULL;
    if (check_str(sep) < 0)
        return NULL;
    return PyObject_CallMethodOneArg(sep, str_join, iterable);
}

/* normalize(s) -> s.strip().lower() */
static PyObject *
textops_normalize(PyObject *module, PyObject *arg)
{
    PyObject *stripped, *result;

    if (check_str(arg) < 0)
        return NULL;
    stripped = PyObject_CallMethodNoArgs(arg, str_strip);
    if (stripped == NULL)
        return NULL;
    result = PyObject_CallMethodNoArgs(stripped, str_lower);
    Py_DECREF(stripped);
    return result;
}

/* describe(obj) -> "typename(repr)" */
static PyObject *
textops_describe(PyObject *module, PyObject *obj)
{
    return PyUnicode_FromFormat("%s(%R)", Py_TYPE(obj)->tp_name, obj);
}

/* deref(weakref) -> referent, or None if it is dead */
static PyObject *
textops_deref(PyObject *module, PyObject *ref)
{
    PyObject *obj;

    if (!PyWeakref_Check(ref)) {
        PyErr_Format(PyExc_TypeError, "deref() expected a weak reference, not %.200s",
                     Py_TYPE(ref)->tp_name);
        return NULL;
    }
    obj = PyWeakref_GET_OBJECT(ref);
    Py_INCREF(obj);
    return obj;
}

/* max_char(s) -> the largest code point of s (0 for ""), read through the
   string's kind and data as CPython's own loops do. */
static PyObject *
textops_max_char(PyObject *module, PyObject *arg)
{
    Py_ssize_t i, len;
    Py_UCS4 best = 0;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "max_char() argument must be str");
        return NULL;
    }
    if (PyUnicode_READY(arg) < 0)
        return NULL;
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    len = PyUnicode_GET_LENGTH(arg);
    for (i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch > best)
            best = ch;
    }
    return PyLong_FromUnsignedLong(best);
}

static PyMethodDef textops_methods[] = {
    {"max_char", textops_max_char, METH_O, "max_char(s) -> largest code point"},
    {"count_char", textops_count_char, METH_VARARGS,
     "count_char(s, ch) -> number of occurrences of ch in s"},
    {"is_palindrome", textops_is_palindrome, METH_O,
     "is_palindrome(s) -> True if s reads the same backwards"},
    {"split_words", textops_split_words, METH_O,
     "split_words(s) -> list of whitespace separated words"},
    {"fnv1a", textops_fnv1a, METH_O,
     "fnv1a(s) -> 32-bit FNV-1a hash of the UTF-8 encoded string"},
    {"ascii_upper", textops_ascii_upper, METH_O,
     "ascii_upper(s) -> upper-cased copy of an ASCII string"},
    {"join", textops_join, METH_VARARGS, "join(sep, iterable) -> str"},
    {"normalize", textops_normalize, METH_O, "normalize(s) -> s.strip().lower()"},
    {"describe", textops_describe, METH_O, "describe(obj) -> 'typename(repr)'"},
    {"deref", textops_deref, METH_O, "deref(ref) -> referent of a weakref or None"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef textops_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "textops",
    .m_doc = "Text helpers.",
    .m_size = -1,
    .m_methods = textops_methods,
};

PyMODINIT_FUNC
PyInit_textops(void)
{
    PyObject *m;

    if (str_join == NULL) {
        str_join = PyUnicode_InternFromString("join");
        str_strip = PyUnicode_InternFromString("strip");
        str_lower = PyUnicode_InternFromString("lower");
        if (str_join == NULL || str_strip == NULL || str_lower == NULL) {
            Py_CLEAR(str_join);
            Py_CLEAR(str_strip);
            Py_CLEAR(str_lower);
            return NULL;
        }
    }

    m = PyModule_Create(&textops_module);
    if (m == NULL)
        return NULL;

    TextError = PyErr_NewExceptionWithDoc("textops.TextError",
                                          "Raised for text that cannot be processed.",
                                          NULL, NULL);
    if (TextError == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(TextError);
    if (PyModule_AddObject(m, "TextError", TextError) < 0) {
        Py_DECREF(TextError);
        Py_CLEAR(TextError);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
