// C++ with the standard headers it needs: std::memcpy and the C names they
// bring are the file's own includes, not Python.h's.
// ARGS: --target 3.11
// CHECK-IGNORE: limited-api-macro
#include <Python.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

static int check(char *d, const char *s) {
    std::memcpy(d, s, std::strlen(s));
    memcpy(d, s, 1);
    std::free(std::malloc(1));
    std::snprintf(d, 2, "%d", EOF);
    return errno == ESRCH;
}
