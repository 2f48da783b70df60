// Below 3.11 the Limited API's Python.h still includes every header.
// ARGS: --target 3.10 --state global
#define Py_LIMITED_API 0x030A0000
#include <Python.h>

static int
check(char *d, const char *s)
{
    memcpy(d, s, strlen(s));
    free(malloc(1));
    return errno == ESRCH;
}
