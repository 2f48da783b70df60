// ARGS: --target 3.11
#define Py_LIMITED_API 0x03080000
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: Py_LIMITED_API is 0x03080000 but the target is 3.11 (0x030B0000) (fixable) [limited-api-macro]
#include <Python.h>
