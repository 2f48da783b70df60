// ARGS: --target 3.10
#define PY_SSIZE_T_CLEAN
#include <Python.h>
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: Py_LIMITED_API is not defined; add '#define Py_LIMITED_API 0x030A0000' before the first #include <Python.h> (fixable) [limited-api-macro]
