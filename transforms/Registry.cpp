#include "transforms/Registry.h"
#include "transforms/rules/Rules.h"

namespace abi3port {

const std::vector<RuleInfo> &allRules() {
  // Sorted as `port` applies them: renames first (they touch only names);
  // then the rules that rewrite whole expressions or statements; then
  // object-pointer-cast, which leaves text those rules claimed alone (they
  // write the casts themselves); c-library-headers, whose includes are
  // deferred until the other rules have claimed what they rewrite whole; the
  // Py_LIMITED_API definition last, once a file has no blocking site left.
  static const std::vector<RuleInfo> Rules = {
      {"static-type-object", "a static PyTypeObject to PyType_Spec + PyType_Slot, created at init",
       {3, 3}, true, staticTypeObject},
      {"module-global-state", "process globals into per-module state (--state module)", {3, 10},
       true, moduleGlobalState},
      {"single-phase-init", "single-phase PyModule_Create init to multi-phase (--state module)",
       {3, 10}, true, singlePhaseInit},
      {"checked-calls", "unchecked accessor macros to checked Limited API calls", {3, 2}, true,
       checkedCalls},
      {"datetime-api", "the datetime C API through the datetime module's objects", {3, 2}, true,
       datetimeApi},
      {"str-internals", "PyUnicode_KIND/DATA/READ loops and PyUnicode_READY to the str API",
       {3, 7}, true, strInternals},
      {"trashcan", "Py_TRASHCAN_BEGIN/END kept for the full-API build only", {3, 2}, true,
       trashcanGuard},
      {"non-limited-api", "a function, macro, type or data outside the target's Limited API", {3, 2}, false},
      {"opaque-struct-field", "a field of a struct that is opaque in the Limited API", {3, 2}, false},
      {"type-slot-access", "direct tp_* access on a type object", {3, 2}, true, typeSlotAccess},
      {"type-name-in-message", "Py_TYPE(x)->tp_name in a format call", {3, 2}, true,
       typeNameInMessage},
      {"module-add-object-ref", "PyModule_AddObject to PyModule_AddObjectRef, references fixed",
       {3, 10}, true, moduleAddObjectRef},
      {"object-pointer-cast", "a non-PyObject pointer passed where 3.11+ takes PyObject *", {3, 2},
       true, objectPointerCast},
      {"private-api", "a private _Py* name with a public equivalent (api/PrivateHelpers.def)", {3, 2}, true,
       privateApi},
      {"c-library-headers", "a C library name only Python.h's includes provide, gone in the Limited API",
       {3, 2}, true, cLibraryHeaders},
      {"cpython-header", "an include of a cpython/ or internal/ header", {3, 2}, false},
      {"structmember-names", "structmember.h names where the target has the Py_T_* forms", {3, 12}, false},
      {"cython-generated", "a Cython-generated C file", {3, 2}, false},
      {"limited-compile-error",
       "an error of the limited-API parse of the port that no other finding covers", {3, 2},
       false},
      {"limited-api-macro", "Py_LIMITED_API missing, wrong, or defined after Python.h", {3, 2}, true},
      {"build-config", "the build (setup.py, pyproject.toml, CMake, meson) made to produce an abi3 wheel", {3, 2}, true},
  };
  return Rules;
}

const RuleInfo *findRule(llvm::StringRef Id) {
  for (const RuleInfo &R : allRules())
    if (R.Id == Id)
      return &R;
  return nullptr;
}

bool portCanFix(llvm::StringRef Id, PythonVersion Target) {
  const RuleInfo *R = findRule(Id);
  return R && R->Rewrites && R->MinVersion <= Target;
}

} // namespace abi3port
