// Names the project declares or defines itself are the project's: a
// redeclaration of a C library function in a project header, a macro the
// project defines, a function of its own.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>
#include "own-names.h"

#define EOF (-1)

static int
check(const char *s)
{
    char *copy = strdup(s);
    int n = my_strlen(copy) + ESRCH;
    PyMem_Free(copy);
    return n == EOF;
}
