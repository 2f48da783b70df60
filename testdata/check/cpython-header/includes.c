// Implementation headers are outside the Limited API.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>
#include <cpython/longintrepr.h>
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: 'cpython/longintrepr.h' is a CPython implementation header{{.*}} [cpython-header]
#include <stdio.h>
#include <structmember.h>
