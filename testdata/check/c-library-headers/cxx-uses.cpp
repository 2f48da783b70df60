// C++ that relied on Python.h for the C library: the same findings as in C.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static int check(char *d, const char *s) {
    memcpy(d, s, 1);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'memcpy' (function) comes from <string.h>{{.*}} [c-library-headers]
    return errno;
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'errno' (macro) comes from <errno.h>{{.*}} [c-library-headers]
}
