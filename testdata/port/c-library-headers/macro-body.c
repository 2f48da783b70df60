// A use inside the project's own macro counts where the macro is written.
// ARGS: --target 3.13 --state global
#include <Python.h>
// CHECK-FIXES: #include <Python.h>
// CHECK-FIXES: #include <ctype.h>
// CHECK-FIXES: #include <unistd.h>
// CHECK-FIXES: #define IS_DIGIT(c) isdigit((unsigned char)(c))

#define IS_DIGIT(c) isdigit((unsigned char)(c))

static int
check(const char *src)
{
    return IS_DIGIT(src[0]) ? (int)getpid() : 0;
}
