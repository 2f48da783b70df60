// A C library name used in a macro of a header another package installed
// (reached through -I, so a "user" header to the compiler): that header is
// never edited; the use counts where the project expands the macro, and the
// include goes into the project's file.
// ARGS: --target 3.11 --state global
#include <Python.h>
#include "site-packages/fakepkg/fakepkg.h"
// CHECK-FIXES: #define Py_LIMITED_API 0x030B0000
// CHECK-FIXES: #include <Python.h>
// CHECK-FIXES: #include <stdlib.h>
// CHECK-FIXES: #include "site-packages/fakepkg/fakepkg.h"

static unsigned long
oid(const char *text)
{
    return fakepkg_atooid(text);
}
