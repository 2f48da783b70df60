/* A project header that includes Python.h. */
#include <Python.h>

static inline int from_header(const char *s) { return s[0] == 'a'; }
