// The headers the file got only through Python.h are included right after
// it, once each, sorted; Py_LIMITED_API can then be defined.
// ARGS: --target 3.11 --state global
#include <Python.h>
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
// CHECK-FIXES: #include <Python.h>
// CHECK-FIXES: #include <errno.h>
// CHECK-FIXES: #include <stdio.h>
// CHECK-FIXES: #include <stdlib.h>
// CHECK-FIXES: #include <string.h>
// CHECK-FIXES: static int

static int
copy(char *dst, const char *src)
{
    size_t n = strlen(src);
    char *tmp = malloc(n + 1);
    if (tmp == NULL)
        return -1;
    memcpy(tmp, src, n + 1);
    snprintf(dst, 4, "%d", EOF);
    free(tmp);
    return errno == ESRCH ? -1 : 0;
}
