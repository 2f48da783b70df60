#include "transforms/rules/PortContext.h"
#include "transforms/rules/UncastObjectArguments.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"

using namespace clang;

namespace abi3port {

std::string PortContext::text(CharSourceRange Range) const {
  return Lexer::getSourceText(Range, SM, LO).str();
}

const FunctionDecl *PortContext::enclosingFunction(const Stmt &S) const {
  DynTypedNodeList Parents = Ctx.getParents(S);
  while (!Parents.empty()) {
    if (const auto *FD = Parents[0].get<FunctionDecl>())
      return FD;
    if (const auto *St = Parents[0].get<Stmt>())
      Parents = Ctx.getParents(*St);
    else if (const auto *D = Parents[0].get<Decl>())
      Parents = Ctx.getParents(*D);
    else
      break;
  }
  return nullptr;
}

bool PortContext::editable(CharSourceRange Range) const {
  return Range.isValid() && Range.getBegin().isFileID() && Range.getEnd().isFileID() &&
         Files.isUser(Range.getBegin()) &&
         SM.getFileID(Range.getBegin()) == SM.getFileID(Range.getEnd());
}

void PortContext::replace(llvm::StringRef Rule, CharSourceRange Range, llvm::StringRef Text) {
  if (!editable(Range)) {
    manual(Rule, Range, "the text to rewrite is not in a user file (inside a macro?)",
           std::nullopt);
    return;
  }
  CharSourceRange Chars = Lexer::makeFileCharRange(Range, SM, LO);
  tooling::Replacement R(SM, Chars, Text, LO);
  std::string File = canonicalPath(R.getFilePath());
  std::string Group =
      CurrentGroup ? File + "#" + Rule.str() + "#" + std::to_string(CurrentGroup) : "";
  Edits.push_back({Rule.str(),
                   tooling::Replacement(File, R.getOffset(), R.getLength(),
                                        R.getReplacementText()),
                   Group});
  if (R.getLength()) {
    Claimed.push_back({R.getOffset(), R.getOffset() + R.getLength()});
    ClaimedFiles.push_back(SM.getFileID(Chars.getBegin()).getHashValue());
  }
}

bool PortContext::isClaimed(SourceLocation Loc) const {
  Loc = SM.getFileLoc(Loc);
  unsigned File = SM.getFileID(Loc).getHashValue(), Offset = SM.getFileOffset(Loc);
  for (size_t I = 0; I < Claimed.size(); ++I)
    if (ClaimedFiles[I] == File && Claimed[I].first <= Offset && Offset < Claimed[I].second)
      return true;
  return false;
}

std::string PortContext::rewrittenText(const Expr *E) {
  CharSourceRange Range = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), SM, LO);
  std::string Text = text(Range);
  if (Range.isInvalid())
    return Text;
  // Text to insert, by offset from the start of the expression's text.
  std::vector<std::pair<unsigned, std::string>> Inserts;
  struct Finder : RecursiveASTVisitor<Finder> {
    PortContext &Ctx;
    std::vector<const Expr *> Args;
    explicit Finder(PortContext &Ctx) : Ctx(Ctx) {}
    bool VisitCallExpr(CallExpr *Call) {
      for (const Expr *A : uncastObjectArguments(*Call, Ctx.Knowledge.surface(), Ctx.SM,
                                                 Ctx.LO, Ctx.Files))
        Args.push_back(A);
      return true;
    }
  } F(*this);
  F.TraverseStmt(const_cast<Expr *>(E));
  unsigned Base = SM.getFileOffset(Range.getBegin());
  for (const Expr *A : F.Args) {
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(A->getSourceRange()), SM, LO);
    if (R.isInvalid() || SM.getFileID(R.getBegin()) != SM.getFileID(Range.getBegin()))
      continue;
    unsigned B = SM.getFileOffset(R.getBegin()) - Base, E = SM.getFileOffset(R.getEnd()) - Base;
    if (isSimpleObjectExpression(A)) {
      Inserts.push_back({B, "(PyObject *)"});
    } else {
      Inserts.push_back({B, "(PyObject *)("});
      Inserts.push_back({E, ")"});
    }
  }
  llvm::sort(Inserts, [](const auto &A, const auto &B) { return A.first < B.first; });
  for (auto It = Inserts.rbegin(); It != Inserts.rend(); ++It)
    if (It->first <= Text.size())
      Text.insert(It->first, It->second);
  return Text;
}

void PortContext::insert(llvm::StringRef Rule, SourceLocation Loc, llvm::StringRef Text) {
  replace(Rule, CharSourceRange::getCharRange(Loc, Loc), Text);
}

Finding &PortContext::manual(llvm::StringRef Rule, CharSourceRange Range, std::string Reason,
                             std::optional<PythonVersion> MinVersion) {
  Finding F;
  F.Pos = positionOf(SM, LO, Range);
  F.Rule = Rule.str();
  F.Message = std::move(Reason);
  F.MinVersion = MinVersion;
  Manual.push_back(std::move(F));
  return Manual.back();
}

//===----------------------------------------------------------------------===//
// Collecting references
//===----------------------------------------------------------------------===//

struct ApiReferenceCollector::Impl : public PPCallbacks {
  Impl(Preprocessor &PP, const FileClassifier &Files) : PP(PP), Files(Files) {}

  void MacroExpands(const Token &NameTok, const MacroDefinition &MD, SourceRange Range,
                    const MacroArgs *Args) override {
    const MacroInfo *MI = MD.getMacroInfo();
    if (!MI || !MI->isFunctionLike() || !Files.isPython(MI->getDefinitionLoc()))
      return;
    SourceManager &SM = PP.getSourceManager();
    SourceLocation NameLoc = NameTok.getLocation();
    if (!Files.isUser(SM.getSpellingLoc(NameLoc)))
      return;
    ApiReference Ref;
    Ref.Name = NameTok.getIdentifierInfo()->getName().str();
    Ref.IsMacro = true;
    Ref.InsideUserMacro = NameLoc.isMacroID();
    Ref.NameRange = CharSourceRange::getTokenRange(SM.getSpellingLoc(NameLoc));
    Ref.WholeRange = CharSourceRange::getTokenRange(Range);
    if (Args && !Ref.InsideUserMacro)
      for (unsigned I = 0; I < MI->getNumParams(); ++I) {
        const Token *First = Args->getUnexpArgument(I);
        const Token *Last = First;
        for (const Token *T = First; T->isNot(tok::eof); ++T)
          Last = T;
        if (First->is(tok::eof))
          continue;
        Ref.Args.push_back(
            CharSourceRange::getTokenRange(First->getLocation(), Last->getLocation()));
      }
    Refs.push_back(std::move(Ref));
  }

  Preprocessor &PP;
  const FileClassifier &Files;
  std::vector<ApiReference> Refs;
};

namespace {

/// Finds, for each macro reference, the outermost expression spanning
/// exactly its invocation; and adds the calls users spell directly.
class ExpansionFinder : public RecursiveASTVisitor<ExpansionFinder> {
public:
  ExpansionFinder(ASTContext &Ctx, const FileClassifier &Files,
                  std::vector<ApiReference> &Refs)
      : SM(Ctx.getSourceManager()), Files(Files), Refs(Refs) {
    for (size_t I = 0; I < Refs.size(); ++I)
      if (Refs[I].IsMacro && !Refs[I].InsideUserMacro)
        ByBegin[Refs[I].WholeRange.getBegin().getRawEncoding()] = I;
  }

  bool VisitExpr(Expr *E) {
    SourceLocation B = E->getBeginLoc();
    if (!B.isMacroID() || ByBegin.empty())
      return true;
    CharSourceRange Expansion = SM.getExpansionRange(E->getSourceRange());
    auto It = ByBegin.find(Expansion.getBegin().getRawEncoding());
    if (It == ByBegin.end())
      return true;
    ApiReference &Ref = Refs[It->second];
    if (!Ref.Expansion && Expansion.getEnd() == Ref.WholeRange.getEnd())
      Ref.Expansion = E;
    return true;
  }

  bool VisitCallExpr(CallExpr *Call) {
    const auto *Callee = dyn_cast<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts());
    if (!Callee || !Callee->getLocation().isFileID() ||
        !Files.isUser(Callee->getLocation()) ||
        !Files.isPython(Callee->getDecl()->getLocation()))
      return true;
    ApiReference Ref;
    Ref.Name = Callee->getDecl()->getName().str();
    Ref.NameRange = CharSourceRange::getTokenRange(Callee->getLocation());
    Ref.WholeRange = CharSourceRange::getTokenRange(Call->getSourceRange());
    for (const Expr *Arg : Call->arguments())
      Ref.Args.push_back(CharSourceRange::getTokenRange(Arg->getSourceRange()));
    Ref.Expansion = Call;
    Calls.push_back(std::move(Ref));
    return true;
  }

  std::vector<ApiReference> Calls;

private:
  const SourceManager &SM;
  const FileClassifier &Files;
  std::vector<ApiReference> &Refs;
  llvm::DenseMap<unsigned, size_t> ByBegin;
};

} // namespace

ApiReferenceCollector::ApiReferenceCollector(Preprocessor &PP, const FileClassifier &Files) {
  auto Callbacks = std::make_unique<Impl>(PP, Files);
  P = Callbacks.get();
  PP.addPPCallbacks(std::move(Callbacks));
}

std::vector<ApiReference> ApiReferenceCollector::collect(ASTContext &Ctx) {
  std::vector<ApiReference> Refs = std::move(P->Refs);
  ExpansionFinder Finder(Ctx, P->Files, Refs);
  Finder.TraverseDecl(Ctx.getTranslationUnitDecl());
  Refs.insert(Refs.end(), Finder.Calls.begin(), Finder.Calls.end());
  return Refs;
}

} // namespace abi3port
