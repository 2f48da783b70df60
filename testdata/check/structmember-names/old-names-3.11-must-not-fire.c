// Below 3.12 structmember.h is the only spelling: no finding.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>
#include "structmember.h"

typedef struct { PyObject_HEAD double x; } P;

static PyMemberDef members[] = {
    {"x", T_DOUBLE, offsetof(P, x), READONLY, NULL},
    {NULL}};
