// Below 3.11 the Limited API's Python.h still includes every header.
// ARGS: --target 3.10
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static int
check(char *d, const char *s)
{
    memcpy(d, s, strlen(s));
    free(malloc(1));
    snprintf(d, 2, "%d", EOF);
    return errno == ESRCH;
}
