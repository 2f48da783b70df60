/* Shared declarations for the twofile extension (twofile.c + counter.c). */
#ifndef TWOFILE_H
#define TWOFILE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    long long value;
    long long step;
    long long limit;    /* iteration stops when value reaches limit */
    int has_limit;
} CounterObject;

extern PyTypeObject Counter_Type;

#define Counter_Check(op) PyObject_TypeCheck(op, &Counter_Type)

#endif /* TWOFILE_H */
