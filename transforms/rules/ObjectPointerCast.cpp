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
/// Runs after the rules that rewrite whole expressions (type-name-in-message,
/// type-slot-access, module-add-object-ref): they emit these casts in the
/// text they write, and this rule leaves their text alone.
///
/// Leaves for manual change: calls written inside the project's own macros.
///
/// Requires: any version (the cast is valid everywhere).
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"
#include "transforms/rules/UncastObjectArguments.h"

#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace abi3port {

namespace {

class UncastArguments : public RecursiveASTVisitor<UncastArguments> {
public:
  explicit UncastArguments(PortContext &Ctx) : Ctx(Ctx) {}

  bool VisitCallExpr(CallExpr *Call) {
    // `Py_INCREF(x)` written inside one of the project's own macros.
    bool InUserMacro =
        Ctx.SM.getImmediateExpansionRange(Call->getCallee()->getBeginLoc()).getBegin().isMacroID();
    for (const Expr *Arg : uncastObjectArguments(*Call, Ctx.Knowledge.surface(), Ctx.SM,
                                                 Ctx.LO, Ctx.Files))
      castArgument(Arg, InUserMacro);
    return true;
  }

private:
  void castArgument(const Expr *Arg, bool InUserMacro) {
    SourceLocation Begin = Ctx.SM.getSpellingLoc(Arg->getBeginLoc());
    SourceLocation End = Ctx.SM.getSpellingLoc(Arg->getEndLoc());
    CharSourceRange Range = CharSourceRange::getTokenRange(Begin, End);
    if (InUserMacro) {
      Ctx.manual("object-pointer-cast", Range,
                 "an argument that needs a (PyObject *) cast is written inside a macro of "
                 "this project; add the cast there",
                 PythonVersion{3, 2});
      return;
    }
    if (Ctx.isClaimed(Begin))
      return; // another rule rewrote this text whole, casts included
    if (isSimpleObjectExpression(Arg))
      Ctx.insert("object-pointer-cast", Begin, "(PyObject *)");
    else
      // Composed: `&Foo_Type` reads as the converted type (`Foo_Type`, or
      // `state->Foo_Type` with module state).
      Ctx.replaceComposed("object-pointer-cast", Range,
                          "(PyObject *)(" + Ctx.rewrittenText(Arg) + ")");
  }

  PortContext &Ctx;
};

} // namespace

void objectPointerCast(PortContext &Ctx) {
  {
    UncastArguments Visitor(Ctx);
    traverseParsedDecls(Visitor, Ctx.Ctx);
  }
}

} // namespace abi3port
