//===- PrivateApi.cpp - rule `private-api` --------------------------------===//
///
/// Rewrites: private calls that have a public equivalent, through a helper
/// generated once per file from Limited API calls, or the public call from
/// the version that has one. The calls and helpers are data:
/// api/PrivateHelpers.def.
/// \code
///   _PyObject_LookupAttr(o, name, &v)  ->  abi3port_lookup_attr(o, name, &v)
///                                          (PyObject_GetOptionalAttr from 3.13)
///   _PyBytes_Resize(&b, n)             ->  abi3port_bytes_resize(&b, n)
/// \endcode
/// Leaves for manual change: every other `_Py*` name (reported by the audit
/// with the reason: no stability promise, not in the Limited API); a private
/// name used as a macro or inside a project macro.
///
/// Requires: 3.2 (the helpers use PyObject_GetAttr, PyErr_ExceptionMatches,
/// PyBytes_FromStringAndSize).
///
//===----------------------------------------------------------------------===//
#include "transforms/api/PrivateHelpers.h"
#include "transforms/rules/Rules.h"

using namespace clang;

namespace abi3port {

namespace {

constexpr llvm::StringLiteral Rule = "private-api";

void rewritePrivateCall(PortContext &Ctx, const ApiReference &Ref, const PrivateHelper &Row) {
  if (Row.PublicSince && Ctx.Target >= *Row.PublicSince) {
    Ctx.replace(Rule, Ref.NameRange, Row.PublicName);
    return;
  }
  Ctx.insertHelperOnce(Rule, Row.Helper, *Ref.Expansion, Row.Text);
  Ctx.replace(Rule, Ref.NameRange, Row.Helper);
}

} // namespace

void privateApi(PortContext &Ctx) {
  for (const ApiReference &Ref : Ctx.references()) {
    const PrivateHelper *Row = privateHelper(Ref.Name);
    if (Row && !Ref.IsMacro && !Ref.InsideUserMacro && Ref.Expansion)
      rewritePrivateCall(Ctx, Ref, *Row);
  }
}

} // namespace abi3port
