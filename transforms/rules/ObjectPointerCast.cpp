//===- ObjectPointerCast.cpp - rule `object-pointer-cast` -----------------===//
///
/// Rewrites: an argument of another pointer type passed to a CPython
/// function-like macro that, in the full API, casts it to `PyObject *`
/// (`Py_INCREF`, `Py_TYPE`, `Py_SIZE`, `PyObject_TypeCheck`, ...), where the
/// target's Limited API has only the function (3.11 and later):
/// \code
///   Py_INCREF(self);   ->   Py_INCREF((PyObject *)self);
/// \endcode
/// A compound argument is parenthesised: `Py_TYPE(a ? b : c)` becomes
/// `Py_TYPE((PyObject *)(a ? b : c))`.
///
/// Leaves for manual change: arguments written inside the project's own
/// macros (reported by the edit engine as non-rewritable text).
///
/// Requires: any version (the cast is valid everywhere).
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"
#include "transforms/rules/UncastObjectArguments.h"

using namespace clang;

namespace abi3port {

void objectPointerCast(PortContext &Ctx) {
  for (const ApiReference &Ref : Ctx.references()) {
    if (!Ref.IsMacro || !Ref.Expansion)
      continue;
    const auto *Call = dyn_cast<CallExpr>(Ref.Expansion->IgnoreParenImpCasts());
    if (!Call)
      continue;
    for (const Expr *Arg : uncastObjectArguments(*Call, Ctx.Knowledge.surface(), Ctx.SM,
                                                 Ctx.LO, Ctx.Files)) {
      CharSourceRange Range = CharSourceRange::getTokenRange(
          Ctx.SM.getSpellingLoc(Arg->getBeginLoc()), Ctx.SM.getSpellingLoc(Arg->getEndLoc()));
      bool Simple = isa<DeclRefExpr, MemberExpr, CallExpr, ParenExpr, ArraySubscriptExpr>(
          Arg->IgnoreImpCasts());
      if (Simple)
        Ctx.insert("object-pointer-cast", Range.getBegin(), "(PyObject *)");
      else
        Ctx.replace("object-pointer-cast", Range, "(PyObject *)(" + Ctx.text(Range) + ")");
    }
  }
}

} // namespace abi3port
