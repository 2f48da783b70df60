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
/// A call written in an argument of one of the project's macros
/// (`LOG("%zd", Py_REFCNT(self))`) is text of the file, and is cast there, once
/// however often the macro substitutes the argument (PortContext refuses the
/// edit when the macro also stringifies it).
///
/// Leaves for manual change: calls written in the body of the project's own
/// macros.
///
/// Requires: any version (the cast is valid everywhere).
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"
#include "transforms/rules/UncastObjectArguments.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace abi3port {

namespace {

class UncastArguments : public RecursiveASTVisitor<UncastArguments> {
public:
  explicit UncastArguments(PortContext &Ctx) : Ctx(Ctx) {}

  bool VisitCallExpr(CallExpr *Call) {
    // `Py_INCREF(x)` written inside one of the project's own macros' bodies.
    // The callee's token comes from the CPython macro's body, passed on as
    // macro arguments when the call is itself in an argument (pre-expanded);
    // the invocation is where that body was expanded.
    SourceLocation Body = Call->getCallee()->getBeginLoc();
    while (Body.isMacroID() && Ctx.SM.isMacroArgExpansion(Body))
      Body = Ctx.SM.getImmediateSpellingLoc(Body);
    SourceLocation Written = Ctx.SM.getImmediateExpansionRange(Body).getBegin();
    bool InUserMacro = Written.isMacroID() && !writtenInMacroArguments(Written);
    for (const Expr *Arg : uncastObjectArguments(*Call, Ctx.Knowledge.surface(), Ctx.SM,
                                                 Ctx.LO, Ctx.Files))
      castArgument(Arg, InUserMacro);
    return true;
  }

private:
  /// `Loc` reaches a user file through macro arguments only: the text is
  /// the file's, in an argument of a (project) macro's invocation.
  bool writtenInMacroArguments(SourceLocation Loc) const {
    while (Loc.isMacroID()) {
      if (!Ctx.SM.isMacroArgExpansion(Loc))
        return false;
      Loc = Ctx.SM.getImmediateSpellingLoc(Loc);
    }
    return Ctx.Files.isUser(Loc);
  }

  void castArgument(const Expr *Arg, bool InUserMacro) {
    SourceLocation Begin = Ctx.SM.getSpellingLoc(Arg->getBeginLoc());
    SourceLocation End = Ctx.SM.getSpellingLoc(Arg->getEndLoc());
    CharSourceRange Range = CharSourceRange::getTokenRange(Begin, End);
    if (!Cast.insert(Begin.getRawEncoding()).second)
      return; // the same text, substituted again by a project macro
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
  llvm::DenseSet<unsigned> Cast; ///< spelling locations already cast or reported
};

} // namespace

void objectPointerCast(PortContext &Ctx) {
  {
    UncastArguments Visitor(Ctx);
    traverseParsedDecls(Visitor, Ctx.Ctx);
  }
}

} // namespace abi3port
