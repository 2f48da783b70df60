#include "transforms/rules/PortContext.h"
#include "transforms/rules/CLibraryHeaders.h"
#include "transforms/rules/UncastObjectArguments.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Frontend/CompilerInstance.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"

using namespace clang;

namespace abi3port {

std::string quoted(llvm::StringRef S) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << '"';
  OS.write_escaped(S);
  OS << '"';
  return Out;
}

std::string PortContext::text(CharSourceRange Range) const {
  return Lexer::getSourceText(Range, SM, LO).str();
}

CharSourceRange PortContext::wholeLines(const Stmt *S) const {
  SourceLocation Begin = fileBegin(S->getBeginLoc());
  SourceLocation End = fileEnd(S->getEndLoc());
  if (isa<DeclStmt>(S)) { // its range ends with its ';'
    End = Lexer::getLocForEndOfToken(End, 0, SM, LO);
  } else if (!isa<CompoundStmt, IfStmt>(S) || (isa<IfStmt>(S) && !isa<CompoundStmt>(
                                             cast<IfStmt>(S)->getThen()) &&
                                         !cast<IfStmt>(S)->getElse())) {
    SourceLocation Semi = Lexer::findLocationAfterToken(End, tok::semi, SM, LO, false);
    if (Semi.isValid())
      End = Semi;
    else if (!isa<CompoundStmt>(S))
      return {};
  } else {
    End = Lexer::getLocForEndOfToken(End, 0, SM, LO);
  }
  auto [FID, Offset] = SM.getDecomposedLoc(Begin);
  llvm::StringRef Buffer = SM.getBufferData(FID);
  size_t LineStart = Buffer.take_front(Offset).rfind('\n') + 1;
  if (!Buffer.slice(LineStart, Offset).trim().empty())
    return {};
  unsigned EndOffset = SM.getFileOffset(End);
  size_t NL = Buffer.find('\n', EndOffset);
  if (NL == llvm::StringRef::npos || !Buffer.slice(EndOffset, NL).trim().empty())
    return {};
  SourceLocation FileStart = SM.getLocForStartOfFile(FID);
  return CharSourceRange::getCharRange(FileStart.getLocWithOffset(LineStart),
                                       FileStart.getLocWithOffset(NL + 1));
}

SourceLocation PortContext::helperLocation(const Stmt &User) const {
  const Decl *Top = enclosingFunction(User);
  if (!Top) { // an initialiser at file scope
    DynTypedNodeList Parents = Ctx.getParents(User);
    while (!Parents.empty() && !Top) {
      if (const auto *D = Parents[0].get<Decl>())
        Top = D;
      else if (const auto *S = Parents[0].get<Stmt>())
        Parents = Ctx.getParents(*S);
      else
        break;
    }
  }
  while (Top && !isa<TranslationUnitDecl>(Top->getDeclContext()))
    Top = cast<Decl>(Top->getDeclContext());
  if (!Top)
    return {};
  SourceLocation At = fileBegin(Top->getBeginLoc());
  return At.getLocWithOffset(-int(SM.getSpellingColumnNumber(At) - 1));
}

void PortContext::insertHelperOnce(llvm::StringRef Rule, llvm::StringRef Key, const Stmt &User,
                                   const std::string &Text, llvm::StringRef ForType) {
  SourceLocation At = helperLocation(User);
  if (At.isInvalid())
    return;
  std::string File = canonicalPath(SM.getFilename(At));
  auto [It, New] = HelpersInserted.try_emplace(File + "#" + Key.str());
  if (!New) {
    for (RuleEdit &E : Edits) {
      if (E.Replacement.getFilePath() != std::get<0>(It->second) ||
          E.Replacement.getOffset() != std::get<1>(It->second) ||
          E.Replacement.getReplacementText() != std::get<2>(It->second))
        continue;
      if (!ForType.empty() && !E.AssumesAny.empty()) // one more type the helper serves
        E.AssumesAny.push_back(ForType.str());
      // A user earlier in the file than the first one a rule saw: the
      // helper moves up, before every user.
      unsigned Earlier = SM.getFileOffset(At);
      if (Earlier < E.Replacement.getOffset()) {
        E.Replacement = tooling::Replacement(E.Replacement.getFilePath(), Earlier, 0,
                                             E.Replacement.getReplacementText());
        std::get<1>(It->second) = Earlier;
      }
      break;
    }
    return;
  }
  // Guarded: a header may get the same helper from another file's port.
  std::string Guard = "ABI3PORT_HELPER_";
  for (char C : Key)
    Guard += llvm::isAlnum(C) ? llvm::toUpper(C) : '_';
  auto Change = this->change();
  std::string Helper = "#ifndef " + Guard + "\n#define " + Guard + "\n" +
                       llvm::StringRef(Text).rtrim('\n').str() + "\n#endif\n\n";
  insert(Rule, At, Helper);
  if (Edits.empty() || Edits.back().Replacement.getReplacementText() != Helper)
    return; // not inserted
  It->second = {Edits.back().Replacement.getFilePath().str(), Edits.back().Replacement.getOffset(),
                Helper};
  if (!ForType.empty())
    Edits.back().AssumesAny.push_back(ForType.str());
}

const FunctionDecl *PortContext::moduleEntryFunction() const {
  const FunctionDecl *Init = nullptr;
  for (const Decl *D : parsedDecls(Ctx)) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (FD && FD->getName().starts_with("PyInit_") && FD->doesThisDeclarationHaveABody() &&
        Files.isUser(fileBegin(FD->getLocation())))
      Init = FD;
  }
  return Init;
}

const FunctionDecl *PortContext::forwardedInit(const FunctionDecl &Entry) const {
  const auto *Body = dyn_cast<CompoundStmt>(Entry.getBody());
  if (!Body || Body->size() != 1)
    return nullptr;
  const auto *Return = dyn_cast<ReturnStmt>(Body->body_front());
  const auto *Call = Return && Return->getRetValue()
                         ? dyn_cast<CallExpr>(Return->getRetValue()->IgnoreParenImpCasts())
                         : nullptr;
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
  if (!Def || Call->getNumArgs() != 0 || Def->getNumParams() != 0 ||
      Def->getStorageClass() != SC_Static || Def->getPreviousDecl() ||
      Def->getLocation().isMacroID() || !Files.isUser(Def->getLocation()) ||
      SM.getFileID(Def->getLocation()) != SM.getFileID(fileBegin(Entry.getLocation())) ||
      !Def->getReturnType()->isPointerType())
    return nullptr;
  // Called from the entry only: it may become the exec function.
  struct References : RecursiveASTVisitor<References> {
    const FunctionDecl *Target;
    unsigned Count = 0;
    bool VisitDeclRefExpr(DeclRefExpr *D) {
      Count += D->getDecl()->getCanonicalDecl() == Target->getCanonicalDecl();
      return true;
    }
  } Refs{{}, Def};
  for (const Decl *D : parsedDecls(Ctx))
    Refs.TraverseDecl(const_cast<Decl *>(D));
  return Refs.Count == 1 ? Def : nullptr;
}

const FunctionDecl *PortContext::moduleInitFunction() const {
  if (!InitFunction) { // once: forwardedInit walks the unit
    const FunctionDecl *Entry = moduleEntryFunction();
    const FunctionDecl *Forwarded = Entry ? forwardedInit(*Entry) : nullptr;
    InitFunction = Forwarded ? Forwarded : Entry;
  }
  return *InitFunction;
}

const VarDecl *PortContext::argumentVariable(const ApiReference &Ref, size_t Index) const {
  if (!Ref.Expansion || Index >= Ref.Args.size())
    return nullptr;
  SourceLocation ArgBegin = Ref.Args[Index].getBegin();
  const VarDecl *Found = nullptr;
  struct Finder : RecursiveASTVisitor<Finder> {
    const SourceManager &SM;
    SourceLocation Want;
    const VarDecl *&Out;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (!Out && SM.getSpellingLoc(E->getLocation()) == Want)
        Out = dyn_cast<VarDecl>(E->getDecl());
      return true;
    }
  } F{{}, SM, ArgBegin, Found};
  F.TraverseStmt(const_cast<Expr *>(Ref.Expansion));
  if (Found && (Ref.Args[Index].getBegin() != Ref.Args[Index].getEnd()))
    return nullptr; // more than one token: not a plain variable
  return Found;
}

bool PortContext::namesVariable(const Expr &E,
                                llvm::function_ref<bool(const VarDecl &)> Matches) const {
  struct Finder : RecursiveASTVisitor<Finder> {
    llvm::function_ref<bool(const VarDecl &)> Matches;
    bool Found = false;
    bool VisitDeclRefExpr(DeclRefExpr *D) {
      if (const auto *V = dyn_cast<VarDecl>(D->getDecl()))
        Found |= Matches(*V);
      return !Found;
    }
  } F{{}, Matches};
  F.TraverseStmt(const_cast<Expr *>(&E));
  return F.Found;
}

PortContext::InitSite PortContext::initSite(const FunctionDecl &Init,
                                            std::function<bool(const Stmt *)> Gone) const {
  const auto *Body = cast<CompoundStmt>(Init.getBody());
  SourceLocation At = fileBegin(Body->getLBracLoc()).getLocWithOffset(1);
  for (const Stmt *S : Body->body()) {
    if (!isa<DeclStmt>(S))
      break;
    if (Gone && Gone(S))
      continue;
    // A DeclStmt's range ends with its ';'.
    SourceLocation End = Lexer::getLocForEndOfToken(fileEnd(S->getEndLoc()), 0, SM, LO);
    if (End.isValid())
      At = End;
  }
  InitSite Site;
  Site.File = canonicalPath(SM.getFilename(At));
  Site.Offset = SM.getFileOffset(At);
  Site.Indent = Body->body_empty() ? "    " : indentation(Body->body_front()->getBeginLoc());
  // `{ return PyModule_Create(&def); }` on one line: the code goes on lines
  // of its own, and what followed it on the next.
  llvm::StringRef Rest = SM.getBufferData(SM.getFileID(At)).drop_front(Site.Offset);
  Rest = Rest.take_until([](char C) { return C == '\n'; });
  if (!Rest.trim().empty()) {
    Site.ContinuesLine = true;
    Site.Indent = indentation(At) + "    ";
  }
  return Site;
}

std::string PortContext::typeObjectText(const MemberExpr *ME) {
  std::string Text = rewrittenText(ME->getBase());
  return ME->isArrow() ? Text : addressOfText(Text);
}

bool PortContext::removeDeclarator(llvm::StringRef Rule, const VarDecl *V) {
  SourceLocation NameLoc = V->getLocation();
  if (NameLoc.isMacroID() || V->hasInit() || !Files.isUser(NameLoc))
    return false;
  auto [FID, NameOffset] = SM.getDecomposedLoc(NameLoc);
  llvm::StringRef Buffer = SM.getBufferData(FID);
  unsigned NameEnd = NameOffset + V->getName().size();
  auto IsBlank = [](char C) { return C == ' ' || C == '\t'; };
  unsigned Start = NameOffset; // the declarator's first '*'
  while (Start > 0 && (Buffer[Start - 1] == '*' || IsBlank(Buffer[Start - 1])))
    --Start;
  while (Start < NameOffset && IsBlank(Buffer[Start]))
    ++Start;
  size_t After = Buffer.find_first_not_of(" \t", NameEnd);
  if (After == llvm::StringRef::npos)
    return false;
  unsigned Begin, End;
  if (Buffer[After] == ',') { // `*a, *b`: from `*a` to `*b`
    Begin = Start;
    End = Buffer.find_first_not_of(" \t", After + 1);
  } else if (Buffer[After] == ';') { // `*a, *b;`: from the comma to `b`'s end
    size_t Comma = Buffer.take_front(Start).rtrim(" \t").size();
    if (Comma == 0 || Buffer[Comma - 1] != ',')
      return false;
    Begin = Comma - 1;
    End = NameEnd;
  } else {
    return false;
  }
  SourceLocation FileStart = SM.getLocForStartOfFile(FID);
  replace(Rule, CharSourceRange::getCharRange(FileStart.getLocWithOffset(Begin),
                                              FileStart.getLocWithOffset(End)),
          "");
  return true;
}

std::string PortContext::indentation(SourceLocation Loc) const {
  auto [FID, Offset] = SM.getDecomposedLoc(fileBegin(Loc));
  llvm::StringRef Buffer = SM.getBufferData(FID);
  size_t LineStart = Buffer.take_front(Offset).rfind('\n') + 1;
  return Buffer.substr(LineStart).take_while([](char C) { return C == ' ' || C == '\t'; }).str();
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
  if (const StringifiedArgument *S = stringifiedAt(Stringified, SM, Chars)) {
    manual(Rule, Range,
           "the text is in an argument that the macro '" + S->Macro +
               "' also turns into a string (#): rewriting it would change that string; "
               "rewrite it by hand",
           std::nullopt);
    if (!Group.empty())
      RefusedGroups.insert(Group);
    return;
  }
  RuleEdit Edit{Rule.str(),
                tooling::Replacement(File, R.getOffset(), R.getLength(), R.getReplacementText()),
                Group, PendingAssumptions};
  PendingAssumptions.clear();
  if (Group.empty() && foldIntoEnclosingEdit(Edit, text(Chars)))
    return;
  Edits.push_back(std::move(Edit));
  if (R.getLength()) {
    Claimed.push_back({R.getOffset(), R.getOffset() + R.getLength()});
    ClaimedFiles.push_back(SM.getFileID(Chars.getBegin()).getHashValue());
  }
}

std::vector<RuleEdit> PortContext::takeEdits() {
  llvm::erase_if(Edits, [&](const RuleEdit &E) { return RefusedGroups.count(E.Group) > 0; });
  return std::move(Edits);
}

bool PortContext::foldIntoEnclosingEdit(const RuleEdit &Edit, llvm::StringRef Original) {
  const tooling::Replacement &N = Edit.Replacement;
  if (!N.getLength() || Original.empty())
    return false;
  for (RuleEdit &Outer : Edits) {
    const tooling::Replacement &O = Outer.Replacement;
    bool Encloses = O.getFilePath() == N.getFilePath() && O.getLength() > N.getLength() &&
                    O.getOffset() <= N.getOffset() &&
                    N.getOffset() + N.getLength() <= O.getOffset() + O.getLength();
    if (!Encloses)
      continue;
    llvm::StringRef Text = O.getReplacementText();
    // Occurrences that are whole tokens: `x` is not the x of `max`.
    auto Word = [](char C) { return llvm::isAlnum(C) || C == '_'; };
    std::vector<size_t> Found;
    for (size_t At = Text.find(Original); At != llvm::StringRef::npos;
         At = Text.find(Original, At + 1)) {
      bool Before = At > 0 && Word(Text[At - 1]) && Word(Original.front());
      size_t End = At + Original.size();
      bool After = End < Text.size() && Word(Text[End]) && Word(Original.back());
      if (!Before && !After)
        Found.push_back(At);
    }
    if (Found.size() != 1)
      return false; // not quoted exactly once: the edits conflict, as before
    size_t At = Found.front();
    std::string Folded =
        (Text.take_front(At) + N.getReplacementText() + Text.drop_front(At + Original.size())).str();
    Outer.Replacement = tooling::Replacement(O.getFilePath(), O.getOffset(), O.getLength(), Folded);
    Outer.Assumes.insert(Outer.Assumes.end(), Edit.Assumes.begin(), Edit.Assumes.end());
    Outer.Replaced.push_back(Edit);
    return true;
  }
  return false;
}

void PortContext::markConverted(const VarDecl *Var, bool Assumed) {
  Converted[Var->getCanonicalDecl()] = Assumed;
}

std::optional<std::string> PortContext::movedSpelling(const DeclRefExpr &Ref,
                                                      bool AsStruct) const {
  const auto *V = dyn_cast<VarDecl>(Ref.getDecl());
  if (!V || !isMoved(V))
    return std::nullopt;
  const FunctionDecl *F = enclosingFunction(Ref);
  auto It = F ? StateVariables.find(F->getCanonicalDecl()) : StateVariables.end();
  if (It == StateVariables.end() || It->second.empty())
    return std::nullopt;
  std::string Member = It->second + "->" + V->getName().str();
  return AsStruct ? "(*" + Member + ")" : Member;
}

bool PortContext::isConverted(const VarDecl *Var) const {
  return Converted.count(Var->getCanonicalDecl()) > 0;
}

void PortContext::replaceComposed(llvm::StringRef Rule, CharSourceRange Range,
                                  llvm::StringRef Text) {
  CharSourceRange Chars = Lexer::makeFileCharRange(Range, SM, LO);
  std::vector<RuleEdit> Inner;
  if (Chars.isValid()) {
    std::string File = canonicalPath(SM.getFilename(Chars.getBegin()));
    unsigned B = SM.getFileOffset(Chars.getBegin()), E = SM.getFileOffset(Chars.getEnd());
    auto Inside = [&](const RuleEdit &Edit) {
      const tooling::Replacement &R = Edit.Replacement;
      return R.getFilePath() == File && R.getOffset() >= B &&
             R.getOffset() + R.getLength() <= E && !(R.getLength() == 0 && R.getOffset() == B);
    };
    for (const RuleEdit &Edit : Edits)
      if (Inside(Edit))
        Inner.push_back(Edit);
    llvm::erase_if(Edits, Inside);
  }
  size_t Before = Edits.size();
  replace(Rule, Range, Text);
  if (Edits.size() > Before)
    Edits.back().Replaced = std::move(Inner);
  else // not written: what it would have replaced stays
    Edits.insert(Edits.end(), Inner.begin(), Inner.end());
}

bool PortContext::isClaimed(SourceLocation Loc) const {
  Loc = SM.getFileLoc(Loc);
  unsigned File = SM.getFileID(Loc).getHashValue(), Offset = SM.getFileOffset(Loc);
  for (size_t I = 0; I < Claimed.size(); ++I)
    if (ClaimedFiles[I] == File && Claimed[I].first <= Offset && Offset < Claimed[I].second)
      return true;
  return false;
}

namespace {

/// Everything inside an expression that rewrittenText must adjust.
struct RewriteSites : RecursiveASTVisitor<RewriteSites> {
  PortContext &Ctx;
  std::vector<const Expr *> UncastArgs;
  std::vector<const DeclRefExpr *> TypeRefs;
  explicit RewriteSites(PortContext &Ctx) : Ctx(Ctx) {}
  bool VisitCallExpr(CallExpr *Call) {
    for (const Expr *A :
         uncastObjectArguments(*Call, Ctx.Knowledge.surface(), Ctx.SM, Ctx.LO, Ctx.Files))
      UncastArgs.push_back(A);
    return true;
  }
  std::vector<const DeclRefExpr *> MovedRefs;
  bool VisitDeclRefExpr(DeclRefExpr *D) {
    const auto *V = dyn_cast<VarDecl>(D->getDecl());
    if (V && Ctx.isConverted(V))
      TypeRefs.push_back(D);
    else if (V && Ctx.isMoved(V))
      MovedRefs.push_back(D);
    return true;
  }
};

/// A small text edit relative to the start of an expression's text.
struct TextEdit {
  unsigned Offset, Erase;
  std::string Insert;
};

} // namespace

std::string PortContext::rewrittenRange(CharSourceRange Range) {
  Range = Lexer::makeFileCharRange(Range, SM, LO);
  std::string Text = text(Range);
  if (Range.isInvalid())
    return Text;
  std::string FileName = canonicalPath(SM.getFilename(Range.getBegin()));
  unsigned Base = SM.getFileOffset(Range.getBegin()), End = SM.getFileOffset(Range.getEnd());
  std::vector<const tooling::Replacement *> Inside;
  for (const RuleEdit &Done : Edits) {
    const tooling::Replacement &R = Done.Replacement;
    if (R.getFilePath() == FileName && R.getOffset() >= Base &&
        R.getOffset() + R.getLength() <= End)
      Inside.push_back(&R);
  }
  llvm::sort(Inside, [](auto *A, auto *B) { return A->getOffset() > B->getOffset(); });
  for (const tooling::Replacement *R : Inside)
    Text.replace(R->getOffset() - Base, R->getLength(), R->getReplacementText().str());
  return Text;
}

std::string PortContext::rewrittenText(const Expr *E) {
  CharSourceRange Range = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), SM, LO);
  std::string Text = text(Range);
  if (Range.isInvalid())
    return Text;
  RewriteSites Sites(*this);
  Sites.TraverseStmt(const_cast<Expr *>(E));
  FileID File = SM.getFileID(Range.getBegin());
  unsigned Base = SM.getFileOffset(Range.getBegin());
  auto Offset = [&](SourceLocation Loc) -> std::optional<unsigned> {
    Loc = SM.getFileLoc(Loc);
    if (SM.getFileID(Loc) != File || SM.getFileOffset(Loc) < Base)
      return std::nullopt;
    return SM.getFileOffset(Loc) - Base;
  };
  std::vector<TextEdit> Edits;
  // Edits earlier rules made inside the expression (renamed accessors...).
  std::string FileName = canonicalPath(SM.getFilename(Range.getBegin()));
  unsigned End = SM.getFileOffset(Range.getEnd());
  for (const RuleEdit &Done : this->Edits) {
    const tooling::Replacement &R = Done.Replacement;
    if (R.getFilePath() == FileName && R.getOffset() >= Base && R.getOffset() + R.getLength() <= End &&
        !(R.getLength() == 0 && (R.getOffset() == Base)))
      Edits.push_back({unsigned(R.getOffset() - Base), R.getLength(), R.getReplacementText().str()});
  }
  for (const Expr *A : Sites.UncastArgs) {
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(A->getSourceRange()), SM, LO);
    std::optional<unsigned> B = Offset(R.getBegin()), End = Offset(R.getEnd());
    if (!B || !End)
      continue;
    if (isSimpleObjectExpression(A)) {
      Edits.push_back({*B, 0, "(PyObject *)"});
    } else {
      Edits.push_back({*B, 0, "(PyObject *)("});
      Edits.push_back({*End, 0, ")"});
    }
  }
  for (const DeclRefExpr *D : Sites.TypeRefs) {
    std::optional<unsigned> At = Offset(D->getLocation());
    if (!At)
      continue;
    const auto *V = cast<VarDecl>(D->getDecl());
    PendingAssumptions.push_back(V->getName().str()); // valid only if it is created
    DynTypedNodeList Parents = Ctx.getParents(*D);
    const auto *U = Parents.empty() ? nullptr : Parents[0].get<UnaryOperator>();
    std::optional<unsigned> Amp = U && U->getOpcode() == UO_AddrOf ? Offset(U->getBeginLoc())
                                                                   : std::nullopt;
    unsigned NameLength = V->getName().size();
    std::optional<std::string> Moved = movedSpelling(*D, /*AsStruct=*/!Amp);
    if (Amp) { // &X -> X, or state->X
      Edits.push_back({*Amp, *At - *Amp + (Moved ? NameLength : 0), Moved ? *Moved : ""});
    } else if (Moved) { // X -> (*state->X)
      Edits.push_back({*At, NameLength, *Moved});
    } else {   // X -> (*X)
      Edits.push_back({*At, 0, "(*"});
      Edits.push_back({*At + NameLength, 0, ")"});
    }
  }
  for (const DeclRefExpr *D : Sites.MovedRefs) { // X -> state->X
    std::optional<unsigned> At = Offset(D->getLocation());
    std::optional<std::string> Moved = movedSpelling(*D, false);
    if (At && Moved)
      Edits.push_back({*At, unsigned(D->getDecl()->getName().size()), *Moved});
  }
  llvm::stable_sort(Edits, [](const TextEdit &A, const TextEdit &B) { return A.Offset < B.Offset; });
  for (auto It = Edits.rbegin(); It != Edits.rend(); ++It) {
    if (It->Offset + It->Erase > Text.size())
      continue;
    Text.replace(It->Offset, It->Erase, It->Insert);
  }
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

ApiReferenceCollector::ApiReferenceCollector(CompilerInstance &CI, const FileClassifier &Files) {
  Preprocessor &PP = CI.getPreprocessor();
  auto Callbacks = std::make_unique<Impl>(PP, Files);
  P = Callbacks.get();
  PP.addPPCallbacks(std::move(Callbacks));
  CLibrary = attachCLibraryHeaderRecorder(CI, Files);
  Stringified = &attachStringifiedArgumentRecorder(PP, Files);
}

CollectedReferences ApiReferenceCollector::collect(ASTContext &Ctx) {
  std::vector<ApiReference> Refs = std::move(P->Refs);
  ExpansionFinder Finder(Ctx, P->Files, Refs);
  traverseParsedDecls(Finder, Ctx);
  Refs.insert(Refs.end(), Finder.Calls.begin(), Finder.Calls.end());
  return {std::move(Refs), std::move(Stringified->Found), CLibrary};
}

} // namespace abi3port
