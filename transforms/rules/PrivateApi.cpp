//===- PrivateApi.cpp - rule `private-api` --------------------------------===//
///
/// Rewrites: private calls that have a public equivalent, through a helper
/// generated once per file from Limited API calls.
/// \code
///   _PyObject_LookupAttr(o, name, &v)  ->  abi3port_lookup_attr(o, name, &v)
///                                          (PyObject_GetOptionalAttr from 3.13)
/// \endcode
/// Leaves for manual change: every other `_Py*` name (reported by the audit
/// with the reason: no stability promise, not in the Limited API).
///
/// Requires: 3.2 (the helper uses PyObject_GetAttr and PyErr_ExceptionMatches).
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "private-api";

const char *LookupAttrHelper =
    "/* abi3port: _PyObject_LookupAttr from Limited API calls: 1 and a new\n"
    "   reference when found, 0 and NULL when missing (AttributeError cleared),\n"
    "   -1 and NULL on error. */\n"
    "static int\n"
    "abi3port_lookup_attr(PyObject *obj, PyObject *name, PyObject **result)\n"
    "{\n"
    "    *result = PyObject_GetAttr(obj, name);\n"
    "    if (*result != NULL)\n"
    "        return 1;\n"
    "    if (!PyErr_ExceptionMatches(PyExc_AttributeError))\n"
    "        return -1;\n"
    "    PyErr_Clear();\n"
    "    return 0;\n"
    "}\n\n";

} // namespace

void privateApi(PortContext &Ctx) {
  for (const ApiReference &Ref : Ctx.references()) {
    if (Ref.Name != "_PyObject_LookupAttr" || Ref.IsMacro || !Ref.Expansion)
      continue;
    if (Ctx.Target >= PythonVersion{3, 13}) {
      Ctx.replace(Rule, Ref.NameRange, "PyObject_GetOptionalAttr");
      continue;
    }
    Ctx.insertHelperOnce(Rule, "abi3port_lookup_attr", *Ref.Expansion, LookupAttrHelper);
    Ctx.replace(Rule, Ref.NameRange, "abi3port_lookup_attr");
  }
}

} // namespace abi3port
