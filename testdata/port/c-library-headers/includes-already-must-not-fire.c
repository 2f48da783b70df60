// Every header is included by the file itself: nothing changes (the file
// already builds under the Limited API).
// ARGS: --target 3.13 --state global
#define Py_LIMITED_API 0x030D0000
#include <errno.h>
#include <Python.h>
#include <ctype.h>
#include <string.h>
#include <unistd.h>

static int
check(char *d, const char *s)
{
    memcpy(d, s, strlen(s));
    if (isdigit((unsigned char)s[0]))
        return (int)getpid();
    return errno == ESRCH;
}
