// From 3.13 the headers also stop including <ctype.h> and <unistd.h>.
// ARGS: --target 3.13
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

static int
check(const char *s)
{
    if (isdigit((unsigned char)s[0]))
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'isdigit' {{.*}}comes from <ctype.h>, which <Python.h> does not include under the Limited API for 3.13; include <ctype.h> (fixable) [c-library-headers]
        return (int)getpid();
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'getpid' (function) comes from <unistd.h>{{.*}} [c-library-headers]
    return (int)strlen(s);
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'strlen' (function) comes from <string.h>{{.*}} [c-library-headers]
}
