// ARGS: --target 3.11
#include <Python.h>
#define Py_LIMITED_API 0x030B0000
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: Py_LIMITED_API is defined after <Python.h>{{.*}} [limited-api-macro]
