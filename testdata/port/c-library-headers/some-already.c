// Only what is missing: <string.h> is included already.
// ARGS: --target 3.11 --state global
#include "Python.h"
#include <string.h>
// CHECK-FIXES: #include "Python.h"
// CHECK-FIXES: #include <errno.h>
// CHECK-FIXES: #include <string.h>
// CHECK-FIXES: static int

static int
check(char *dst, const char *src)
{
    memcpy(dst, src, strlen(src));
    return errno;
}
