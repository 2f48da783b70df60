// The 3.15 headers include <string.h> again: for a 3.15 target only what
// they still drop counts.
// ARGS: --target 3.15
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static int
check(const char *s)
{
    if (strlen(s) == 0)
        abort();
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'abort' (function) comes from <stdlib.h>{{.*}} [c-library-headers]
    return 0;
}
