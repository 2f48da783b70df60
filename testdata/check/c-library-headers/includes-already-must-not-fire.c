// The file includes the headers itself, before or after Python.h, directly
// or through a project header: nothing to add, even where the include is a
// no-op behind include guards.
// ARGS: --target 3.13
// CHECK-IGNORE: limited-api-macro
#include <string.h>
#include <Python.h>
#include <errno.h>
#include "own-includes.h"

static int
check(char *d, const char *s)
{
    memcpy(d, s, strlen(s));
    free(malloc(1));
    snprintf(d, 2, "%d", EOF);
    if (isdigit((unsigned char)s[0]))
        return (int)getpid();
    return errno == ESRCH;
}
