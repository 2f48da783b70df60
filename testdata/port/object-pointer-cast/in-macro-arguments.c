// A casting macro called in an argument of the project's own macro: the text
// is the file's, so the cast goes there, once however often the macro
// substitutes it. Not when the macro also stringifies the argument (the
// string would change), nor when the call is in the macro's body.
// ARGS: --target 3.11
#include <Python.h>
#include <stdio.h>

typedef struct { PyObject_HEAD int v; } ThingObject;

#define LOG(fmt, ...) fprintf(stderr, fmt "\n", __VA_ARGS__)
#define GLOG(fmt, args...) fprintf(stderr, fmt "\n", ## args)
#define TWICE(e) ((e) + (e))
#define SHOW(e) (printf("%s\n", #e), (e))
#define REFS(o) Py_REFCNT(o)

static Py_ssize_t refs(ThingObject *self) {
    LOG("refcnt %zd", Py_REFCNT(self));
// CHECK-FIXES: LOG("refcnt %zd", Py_REFCNT((PyObject *)self));
    GLOG("refcnt %zd at %p", Py_REFCNT(self), (void *)self);
// CHECK-FIXES: GLOG("refcnt %zd at %p", Py_REFCNT((PyObject *)self), (void *)self);
    Py_ssize_t n = TWICE(Py_REFCNT(self));
// CHECK-FIXES: Py_ssize_t n = TWICE(Py_REFCNT((PyObject *)self));
    n += SHOW(Py_REFCNT(self));
// CHECK-FIXES: n += SHOW(Py_REFCNT(self));
// CHECK-MANUAL: [[@LINE-2]] the text is in an argument that the macro 'SHOW' also turns into a string
    n += REFS(self);
// CHECK-FIXES: n += REFS(self);
// CHECK-MANUAL: [[@LINE-2]] an argument that needs a (PyObject *) cast is written inside a macro of this project
    return n;
}
