// Every error of the limited parse outside the reported sites becomes a
// finding, past clang's default limit of 20 errors: here the uses of a
// variable whose type (Py_buffer, 3.11) the 3.10 limited headers lack.
// ARGS: --target 3.10 --state global
#include <Python.h>

static void use(void *p) { (void)p; }

static void touch(void) {
    Py_buffer view;
// CHECK-MANUAL: [[@LINE-1]] 'view' has type Py_buffer, which is opaque in the Limited API for 3.10
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
    use(&view);
// CHECK-MANUAL: [[@LINE-1]] does not compile with Py_LIMITED_API=3.10 and no other finding covers it: use of undeclared identifier 'view'
}
