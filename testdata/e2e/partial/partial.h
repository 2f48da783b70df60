#ifndef PARTIAL_H
#define PARTIAL_H
#include <Python.h>

extern PyTypeObject Bare_Type;  /* stays static: its tp_name has no dot */
extern PyTypeObject Conv_Type;  /* becomes a heap type */

#endif
