// ARGS: --target 3.11
#define Py_LIMITED_API 0x03080000
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
#include <Python.h>
