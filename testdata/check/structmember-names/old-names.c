// At 3.12 the Py_T_* names replace structmember.h.
// ARGS: --target 3.12
// CHECK-IGNORE: limited-api-macro
#include <Python.h>
#include "structmember.h"
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: 'structmember.h' is deprecated at 3.12{{.*}} [structmember-names]

typedef struct { PyObject_HEAD double x; } P;

static PyMemberDef members[] = {
    {"x", T_DOUBLE, offsetof(P, x), READONLY, NULL},
// CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'T_DOUBLE' is deprecated at 3.12; use Py_T_DOUBLE [structmember-names]
// CHECK-MESSAGES: :[[@LINE-2]]:37: warning: 'READONLY' is deprecated at 3.12; use Py_READONLY [structmember-names]
    {NULL}};
