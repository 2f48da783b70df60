// C++ with the standard headers it needs: nothing to add.
// ARGS: --target 3.11 --state global
#define Py_LIMITED_API 0x030B0000
#include <Python.h>
#include <cerrno>
#include <cstring>

static int check(char *d, const char *s) {
    std::memcpy(d, s, std::strlen(s));
    memcpy(d, s, 1);
    return errno == ESRCH;
}
