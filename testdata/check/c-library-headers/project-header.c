// The file gets Python.h through a project header: still fixable, the
// include goes after that header's #include (and a use in a header that
// includes Python.h gets it in that header).
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include "brings-python.h"

static int
check(const char *src)
{
    return (int)strlen(src) + from_header(src);
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'strlen' (function) comes from <string.h>{{.*}} (fixable) [c-library-headers]
}
