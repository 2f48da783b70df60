// CRLF lines stay CRLF.
// ARGS: --target 3.11 --state global
#include <Python.h>
// CHECK-FIXES: #include <Python.h>
// CHECK-FIXES: #include <string.h>
// CHECK-FIXES: static int

static int
check(const char *s)
{
    return (int)strlen(s);
}
