#include "transforms/rules/UncastObjectArguments.h"

#include "clang/AST/Decl.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace abi3port {

std::vector<const Expr *> uncastObjectArguments(const CallExpr &Call,
                                                const LimitedSurface &Surface,
                                                const SourceManager &SM,
                                                const LangOptions &LO,
                                                const FileClassifier &Files) {
  std::vector<const Expr *> Out;
  const FunctionDecl *Callee = Call.getDirectCallee();
  SourceLocation CalleeLoc = Call.getCallee()->getBeginLoc();
  if (!Callee || !Callee->getIdentifier() || !CalleeLoc.isMacroID() ||
      !Files.isPython(Callee->getLocation()))
    return Out;
  llvm::StringRef Name = Callee->getName();
  if (Surface.Macros.contains(Name) || !Surface.Names.contains(Name) ||
      Lexer::getImmediateMacroName(CalleeLoc, SM, LO) != Name ||
      !Files.isUser(SM.getSpellingLoc(SM.getImmediateExpansionRange(CalleeLoc).getBegin())))
    return Out;
  for (const Expr *Arg : Call.arguments()) {
    const auto *Cast = dyn_cast<CStyleCastExpr>(Arg->IgnoreParens());
    if (!Cast || !Cast->getBeginLoc().isMacroID())
      continue;
    const Expr *UserArg = Cast->getSubExpr()->IgnoreParenImpCasts();
    QualType T = UserArg->getType();
    if (!T->isPointerType() || T->isVoidPointerType())
      continue;
    const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
    if (RD && RD->getName() == "_object")
      continue;
    if (!Files.isUser(SM.getSpellingLoc(UserArg->getBeginLoc())))
      continue;
    Out.push_back(UserArg);
  }
  return Out;
}

} // namespace abi3port
