//===- ModuleAddObjectRef.cpp - rule `module-add-object-ref` --------------===//
///
/// Rewrites: `PyModule_AddObject`, which steals a reference only on success,
/// to `PyModule_AddObjectRef` (3.10), which never steals, in the two shapes
/// that are provably equivalent:
/// \code
///   Py_INCREF(obj);                                 if (PyModule_AddObjectRef(m, "E", obj) < 0) {
///   if (PyModule_AddObject(m, "E", obj) < 0) {  ->      goto fail;
///       Py_DECREF(obj);                             }
///       goto fail;
///   }
///
///   if (PyModule_AddObject(m, "C", value) < 0) {    if (PyModule_AddObjectRef(m, "C", value) < 0) {
///       Py_DECREF(value);                       ->      Py_DECREF(value);
///       goto fail;                                      goto fail;
///   }                                               }
///                                                   Py_DECREF(value);
/// \endcode
///
/// Leaves for manual change (a non-blocking report site: PyModule_AddObject
/// is still in the Limited API): every other shape, where the reference the
/// call may or may not steal cannot be followed.
///
/// Requires: 3.10.
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "module-add-object-ref";

/// The text of an object expression with casts and parentheses removed:
/// `(PyObject *)&Foo` -> `&Foo`.
std::string objectText(PortContext &Ctx, const Expr *E) {
  E = E->IgnoreParenCasts();
  CharSourceRange R = CharSourceRange::getTokenRange(Ctx.SM.getSpellingLoc(E->getBeginLoc()),
                                                     Ctx.SM.getSpellingLoc(E->getEndLoc()));
  return Ctx.text(R);
}

/// `Name(x)` for a refcount macro; returns x's text, or "".
std::string refcountArgument(PortContext &Ctx, const Stmt *S, llvm::StringRef Name) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  const auto *Call = E ? dyn_cast<CallExpr>(E->IgnoreImplicit()) : nullptr;
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || FD->getName() != Name || Call->getNumArgs() < 1)
    return "";
  return objectText(Ctx, Call->getArg(Call->getNumArgs() - 1));
}

bool exits(const Stmt *S) {
  if (const auto *C = dyn_cast<CompoundStmt>(S))
    return !C->body_empty() && exits(C->body_back());
  return isa<ReturnStmt, GotoStmt>(S);
}

void rewrite(PortContext &Ctx, const ApiReference &Ref, const CallExpr *Call) {
  auto Manual = [&](const std::string &Why) {
    Finding &F = Ctx.manual(Rule, Ref.NameRange,
                            "PyModule_AddObject steals a reference only on success; " + Why +
                                ": use PyModule_AddObjectRef (3.10) and release your own "
                                "reference",
                            PythonVersion{3, 10});
    F.Blocker = false;
  };
  // The call must be the condition (maybe `< 0`) of an if whose then-branch
  // starts by releasing the object and then leaves.
  const Stmt *Child = Call;
  DynTypedNodeList Parents = Ctx.Ctx.getParents(*Call);
  while (!Parents.empty() && Parents[0].get<Expr>()) {
    Child = Parents[0].get<Expr>();
    Parents = Ctx.Ctx.getParents(*Child);
  }
  const auto *If = Parents.empty() ? nullptr : Parents[0].get<IfStmt>();
  const auto *Then = If ? dyn_cast<CompoundStmt>(If->getThen()) : nullptr;
  if (!If || If->getCond() != Child || !Then || Then->body_empty() || !exits(Then) ||
      If->getElse())
    return Manual("the call is not 'if (PyModule_AddObject(...) < 0) { Py_DECREF(obj); "
                  "...; return/goto }'");
  std::string Object = objectText(Ctx, Call->getArg(2));
  if (Object.empty()) // spelled partly inside a macro: no text to compare
    return Manual("the object argument is not plain text");
  if (refcountArgument(Ctx, Then->body_front(), "Py_DECREF") != Object)
    return Manual("the failure branch does not start with Py_DECREF(" + Object + ")");
  const auto *Block = Ctx.Ctx.getParents(*If).empty()
                          ? nullptr
                          : Ctx.Ctx.getParents(*If)[0].get<CompoundStmt>();
  const Stmt *Previous = nullptr;
  if (Block)
    for (const Stmt *S : Block->body()) {
      if (S == If)
        break;
      Previous = S;
    }
  if (refcountArgument(Ctx, Previous, "Py_INCREF") == Object) {
    CharSourceRange Incref = Ctx.wholeLines(Previous);
    CharSourceRange Decref = Ctx.wholeLines(Then->body_front());
    if (Incref.isInvalid() || Decref.isInvalid())
      return Manual("the Py_INCREF/Py_DECREF pair shares its lines with other code");
    auto Change = Ctx.change();
    Ctx.replace(Rule, Incref, "");
    Ctx.replace(Rule, Decref, "");
    Ctx.replace(Rule, Ref.NameRange, "PyModule_AddObjectRef");
    return;
  }
  if (!Block || Ctx.wholeLines(If).isInvalid())
    return Manual("the if statement is not alone on its lines in a block");
  const auto *Var = dyn_cast<DeclRefExpr>(Call->getArg(2)->IgnoreParenCasts());
  if (!Var || !isa<VarDecl>(Var->getDecl()) ||
      !cast<VarDecl>(Var->getDecl())->isLocalVarDecl())
    return Manual("'" + Object + "' is neither incremented just before nor a local new reference");
  SourceLocation AfterIf = Lexer::getLocForEndOfToken(Ctx.fileEnd(If->getEndLoc()), 0,
                                                      Ctx.SM, Ctx.LO);
  std::string Indent = Ctx.indentation(If->getBeginLoc());
  auto Change = Ctx.change();
  Ctx.replace(Rule, Ref.NameRange, "PyModule_AddObjectRef");
  Ctx.insert(Rule, AfterIf, "\n" + Indent + "Py_DECREF(" + Object + ");");
}

} // namespace

void moduleAddObjectRef(PortContext &Ctx) {
  if (Ctx.Target < PythonVersion{3, 10})
    return;
  for (const ApiReference &Ref : Ctx.references()) {
    const auto *Call = dyn_cast_or_null<CallExpr>(Ref.Expansion);
    if (Ref.Name != "PyModule_AddObject" || Ref.IsMacro || !Call || Call->getNumArgs() != 3)
      continue;
    rewrite(Ctx, Ref, Call);
  }
}

} // namespace abi3port
