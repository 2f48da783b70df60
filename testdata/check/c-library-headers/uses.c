// Names that only Python.h's includes of <string.h>, <stdlib.h>, <stdio.h>
// and <errno.h> provide: under the Limited API for 3.11 they are gone.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>

#define COPY(dst, src) memcpy(dst, src, sizeof(src))
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'memcpy' (function) comes from <string.h>{{.*}}include <string.h> (clang 16+ and gcc 14+ reject the implicit declaration) (fixable) [c-library-headers]

static int
copy(char *dst, const char *src)
{
    char buf[8] = "";
    size_t n = strlen(src);
// CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'strlen' (function) comes from <string.h>{{.*}} (fixable) [c-library-headers]
    char *tmp = malloc(n + 1);
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'malloc' (function) comes from <stdlib.h>{{.*}} (fixable) [c-library-headers]
    if (tmp == NULL)
        return -1;
    COPY(buf, "abc");
    snprintf(tmp, n + 1, "%s", src);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'snprintf' (function) comes from <stdio.h>, which <Python.h> does not include under the Limited API for 3.11; include <stdio.h>{{.*}} [c-library-headers]
    if (errno == ESRCH || n == (size_t)EOF)
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'errno' (macro) comes from <errno.h>{{.*}}; include <errno.h> (fixable) [c-library-headers]
// CHECK-MESSAGES: :[[@LINE-2]]:18: warning: 'ESRCH' (macro) comes from <errno.h>{{.*}} [c-library-headers]
// CHECK-MESSAGES: :[[@LINE-3]]:40: warning: 'EOF' (macro) comes from <stdio.h>{{.*}} [c-library-headers]
        return -1;
#ifdef EWOULDBLOCK
// CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'EWOULDBLOCK' (macro) comes from <errno.h>{{.*}}; this test would silently change meaning; include <errno.h> (fixable) [c-library-headers]
    dst[0] = buf[0];
#endif
#ifndef Py_LIMITED_API
    // Code only the full API compiles still counts: the include is harmless.
    dst[1] = (char)atoi(src);
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'atoi' (function) comes from <stdlib.h>{{.*}} [c-library-headers]
#endif
    free(tmp);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'free' (function) comes from <stdlib.h>{{.*}} [c-library-headers]
    // Provided by headers Python.h still includes: no finding. pid_t and
    // SEEK_SET come first through <stdlib.h> and <stdio.h>, but <unistd.h>
    // defines them too (behind guards that made its copies no-ops here).
    pid_t pid = 0;
    return n > INT_MAX || isdigit((unsigned char)src[0]) || pid == SEEK_SET;
}

static PyMethodDef methods[] = {{NULL}};
