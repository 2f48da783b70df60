// ARGS: --target 3.10
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define Py_LIMITED_API 0x030A0000
// CHECK-FIXES: #define Py_LIMITED_API 0x030A0000
// CHECK-FIXES: #include <Python.h>
