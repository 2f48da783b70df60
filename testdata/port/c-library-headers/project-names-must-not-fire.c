// The project declares the names itself: no include is added for them.
// ARGS: --target 3.11 --state global
#define Py_LIMITED_API 0x030B0000
#include <Python.h>

#define ESRCH 3
#define EOF (-1)
char *strdup(const char *s);

static int
check(const char *s)
{
    char *copy = strdup(s);
    PyMem_Free(copy);
    return ESRCH + EOF;
}
