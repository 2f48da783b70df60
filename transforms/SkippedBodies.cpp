#include "transforms/SkippedBodies.h"
#include "transforms/ClangSetup.h"
#include "transforms/SourceMapping.h"
#include "transforms/api/SurfaceCache.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/ExternalPreprocessorSource.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Sema/IdentifierResolver.h"
#include "clang/Sema/Sema.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

using namespace clang;

namespace abi3port {
namespace {

/// What one name means: a hash of its declarations and macros (where each
/// is, their definitions, what their bodies' names mean), and the latest
/// point of F's text at which one of them becomes visible there.
struct Meaning {
  uint64_t Hash = 0;
  unsigned VisibleFrom = 0; ///< offset in F; Never for one after F
  static constexpr unsigned Never = ~0u;
};

/// Describes what names mean in one parse (see the header).
class MeaningDescriber {
public:
  MeaningDescriber(CompilerInstance &CI, const FileClassifier &Files,
                   const std::set<std::string> &Skipped, const InactiveRanges &Inactive)
      : PP(CI.getPreprocessor()), SM(CI.getSourceManager()), Resolver(CI.getSema().IdResolver),
        Files(Files), Skipped(Skipped), Inactive(Inactive) {
    if (std::string Dir = cacheDirectory(); !Dir.empty())
      CacheDir = canonicalPath(Dir);
  }

  /// The fingerprint of file F: its inactive blocks, and every distinct
  /// identifier of its active text with what it means. A name all of whose
  /// declarations and macros are visible before its first use in F means
  /// the same at every use; otherwise where each becomes visible counts.
  std::string fingerprintOf(FileID F) {
    Memo.clear();
    Start = SM.getLocForStartOfFile(F);
    This = F;
    std::optional<llvm::MemoryBufferRef> Buffer = SM.getBufferOrNone(F);
    if (!Buffer)
      return "unreadable";
    std::string All;
    std::vector<std::pair<unsigned, unsigned>> Blocks;
    if (auto It = Inactive.find(F.getHashValue()); It != Inactive.end())
      Blocks = It->second;
    llvm::sort(Blocks);
    for (auto [Begin, End] : Blocks)
      All += "inactive " + std::to_string(Begin) + "-" + std::to_string(End) + "\n";
    llvm::DenseMap<IdentifierInfo *, unsigned> FirstUse;
    Lexer Raw(Start, PP.getLangOpts(), Buffer->getBufferStart(), Buffer->getBufferStart(),
              Buffer->getBufferEnd());
    Token Tok;
    size_t Block = 0;
    for (Raw.LexFromRawLexer(Tok); Tok.isNot(tok::eof); Raw.LexFromRawLexer(Tok)) {
      if (Tok.isNot(tok::raw_identifier))
        continue;
      unsigned Offset = SM.getFileOffset(Tok.getLocation());
      while (Block < Blocks.size() && Blocks[Block].second <= Offset)
        ++Block;
      if (Block < Blocks.size() && Blocks[Block].first <= Offset)
        continue; // the preprocessor skipped it
      FirstUse.try_emplace(PP.getIdentifierInfo(Tok.getRawIdentifier()), Offset);
    }
    std::set<std::string> Lines;
    for (auto [II, Use] : FirstUse) {
      Meaning M = meaning(II, 0);
      std::string Line = II->getName().str() + "=" + llvm::utohexstr(M.Hash);
      if (M.VisibleFrom > Use)
        Line += "@" + std::to_string(M.VisibleFrom) + ">" + std::to_string(Use);
      Lines.insert(Line);
    }
    for (const std::string &L : Lines)
      All += L + "\n";
    return llvm::utohexstr(llvm::xxh3_64bits(All));
  }

private:
  Meaning meaning(IdentifierInfo *II, unsigned Depth) {
    if (auto It = Memo.find(II); It != Memo.end())
      return It->second;
    if (Depth > 16)
      return {1, 0}; // deeper than any real macro chain: the same in both parses
    Memo[II] = {0, Meaning::Never}; // a cycle of macros
    if (II->isOutOfDate() && PP.getExternalSource())
      PP.getExternalSource()->updateOutOfDateIdentifier(*II);
    Meaning M;
    std::string Text;
    // Every redeclaration: an earlier one (a prototype before F) changes
    // what F's own declaration of the name means. A builtin is declared
    // where its first use is, maybe in a skipped body: its meaning is the
    // compiler's, wherever that is.
    for (auto It = Resolver.begin(DeclarationName(II)); It != Resolver.end(); ++It)
      for (const Decl *R : (*It)->redecls())
        if (!isImplicitBuiltin(R))
          Text += "d" + std::to_string(R->getKind()) + where(R->getLocation(), false, M) + ";";
    if (II->hadMacroDefinition())
      Text += macros(II, Depth, M);
    M.Hash = llvm::xxh3_64bits(Text);
    Memo[II] = M;
    return M;
  }

  static bool isImplicitBuiltin(const Decl *D) {
    const auto *F = llvm::dyn_cast<FunctionDecl>(D);
    return F && F->isImplicit() && F->getBuiltinID() != 0;
  }

  std::string macros(IdentifierInfo *II, unsigned Depth, Meaning &M) {
    MacroDirective *MD = PP.getLocalMacroDirectiveHistory(II);
    if (!MD)
      return "m?;";
    std::vector<MacroDirective *> History; // oldest first
    for (; MD; MD = MD->getPrevious())
      History.insert(History.begin(), MD);
    if (std::optional<std::string> Same = oneDefinition(History, Depth, M))
      return *Same;
    std::string Text;
    for (MacroDirective *D : History) {
      Text += "m" + std::to_string(D->getKind()) + where(D->getLocation(), true, M);
      if (auto *Def = llvm::dyn_cast<DefMacroDirective>(D))
        Text += definition(*Def->getInfo(), Depth, M);
      Text += ";";
    }
    return Text;
  }

  /// A header that guards `#undef NULL` / `#define NULL ...` and is included
  /// again and again gives one macro the same definition many times, with
  /// gaps no code can see (an `#undef` right before the `#define` of the
  /// same inclusion). Such a history means its first definition, from there
  /// on; the number of inclusions does not count.
  std::optional<std::string> oneDefinition(const std::vector<MacroDirective *> &History,
                                           unsigned Depth, Meaning &M) {
    if (History.empty() || !llvm::isa<DefMacroDirective>(History.front()))
      return std::nullopt;
    for (size_t I = 0; I < History.size(); ++I) {
      if (llvm::isa<DefMacroDirective>(History[I]))
        continue;
      bool Hidden = llvm::isa<UndefMacroDirective>(History[I]) && I + 1 < History.size() &&
                    llvm::isa<DefMacroDirective>(History[I + 1]) &&
                    SM.getFileID(History[I]->getLocation()) ==
                        SM.getFileID(History[I + 1]->getLocation());
      if (!Hidden)
        return std::nullopt;
    }
    const MacroInfo *First = llvm::cast<DefMacroDirective>(History.front())->getInfo();
    for (MacroDirective *D : History)
      if (auto *Def = llvm::dyn_cast<DefMacroDirective>(D))
        if (!Def->getInfo()->isIdenticalTo(*First, PP, /*Syntactically=*/true))
          return std::nullopt;
    std::string Text = "m=" + where(History.front()->getLocation(), true, M);
    return Text + definition(*First, Depth, M) + ";";
  }

  /// A macro's definition: its parameters and body, and what the body's
  /// names mean (visible where the macro is used, so they count for it).
  std::string definition(const MacroInfo &MI, unsigned Depth, Meaning &M) {
    std::string Text = MI.isFunctionLike() ? "(" : "";
    for (const IdentifierInfo *Param : MI.params())
      Text += Param->getName().str() + ",";
    if (MI.isVariadic())
      Text += "...";
    Text += MI.isFunctionLike() ? ")" : "";
    for (const Token &T : MI.tokens()) {
      Text += (T.hasLeadingSpace() ? " " : "") + PP.getSpelling(T);
      if (IdentifierInfo *Body = T.getIdentifierInfo()) {
        Meaning Inner = meaning(Body, Depth + 1);
        Text += "{" + llvm::utohexstr(Inner.Hash) + "}";
        M.VisibleFrom = std::max(M.VisibleFrom, Inner.VisibleFrom);
      }
    }
    return Text;
  }

  /// Where a declaration or directive is: stable files (headers outside the
  /// project, skipped files) by path and offset, other project files by path
  /// only (edits move their text). Updates where in F it becomes visible.
  std::string where(SourceLocation Loc, bool Macro, Meaning &M) {
    if (Loc.isInvalid())
      return "@builtin";
    SourceLocation At = SM.getExpansionLoc(Loc);
    FileID G = SM.getFileID(At);
    M.VisibleFrom = std::max(M.VisibleFrom, visibleFrom(At));
    std::string Text = "@" + pathOf(G);
    if (G == This || !Files.isUser(At) || Skipped.count(pathOf(G)))
      Text += ":" + std::to_string(SM.getFileOffset(At));
    else if (!Macro)
      Text += ":project"; // its position may move; that it exists here is what counts
    return Text;
  }

  /// The offset in F from which something at `At` is visible: 0 before F,
  /// the `#include` of F that leads to it, or Never after F.
  unsigned visibleFrom(SourceLocation At) {
    for (SourceLocation L = At; L.isValid(); L = SM.getIncludeLoc(SM.getFileID(L)))
      if (SM.getFileID(L) == This)
        return SM.getFileOffset(L);
    return SM.isBeforeInTranslationUnit(At, Start) ? 0 : Meaning::Never;
  }

  /// A file's path; the precompiled preamble's text (Preamble.h), whose
  /// name is its cache key (the flags: the limited parse's differs), by
  /// what it is, as its text is the project's leading directives.
  const std::string &pathOf(FileID G) {
    auto [It, Fresh] = Paths.try_emplace(G.getHashValue());
    if (Fresh) {
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(G))
        It->second = isPreambleText(FE->getName()) ? "<preamble>" : canonicalPath(FE->getName());
      else
        It->second = "<" + SM.getBufferName(SM.getLocForStartOfFile(G)).str() + ">";
    }
    return It->second;
  }

  bool isPreambleText(llvm::StringRef Path) const {
    llvm::StringRef Name = llvm::sys::path::filename(Path);
    return !CacheDir.empty() && Name.starts_with("preamble-") &&
           (Name.ends_with(".h") || Name.ends_with(".hpp")) &&
           canonicalPath(llvm::sys::path::parent_path(Path)) == CacheDir;
  }

  Preprocessor &PP;
  const SourceManager &SM;
  IdentifierResolver &Resolver;
  const FileClassifier &Files;
  const std::set<std::string> &Skipped;
  const InactiveRanges &Inactive;
  std::string CacheDir; ///< where the preamble texts are
  SourceLocation Start;
  FileID This;
  llvm::DenseMap<const IdentifierInfo *, Meaning> Memo;
  llvm::DenseMap<unsigned, std::string> Paths;
};

/// Records the blocks the preprocessor skipped, per file.
class InactiveRecorder : public PPCallbacks {
public:
  InactiveRecorder(const SourceManager &SM, InactiveRanges &Out) : SM(SM), Out(Out) {}
  void SourceRangeSkipped(SourceRange Range, SourceLocation EndifLoc) override {
    auto [File, Begin] = SM.getDecomposedLoc(Range.getBegin());
    auto [EndFile, End] = SM.getDecomposedLoc(EndifLoc);
    if (File == EndFile)
      Out[File.getHashValue()].push_back({Begin, End});
  }

private:
  const SourceManager &SM;
  InactiveRanges &Out;
};

/// Skips the bodies of the chosen files; fingerprints them at the end.
class SkippingConsumer : public ASTConsumer {
public:
  SkippingConsumer(CompilerInstance &CI, const std::set<std::string> &Paths,
                   const std::string &IncludeDir, MeaningFingerprints &Out)
      : CI(CI), SM(CI.getSourceManager()), Files(SM, IncludeDir), Paths(Paths), Out(Out),
        Inactive(recordInactiveBlocks(CI.getPreprocessor())) {}

  bool shouldSkipFunctionBody(Decl *D) override {
    if (D->getLocation().isInvalid())
      return false;
    FileID F = SM.getFileID(SM.getExpansionLoc(D->getLocation()));
    auto [It, Fresh] = Skips.try_emplace(F.getHashValue(), false);
    if (Fresh)
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(F))
        It->second = Paths.count(canonicalPath(FE->getName())) > 0;
    return It->second;
  }

  void HandleTranslationUnit(ASTContext &) override {
    Out = fingerprintFiles(CI, Files, Paths, Inactive);
  }

private:
  CompilerInstance &CI;
  const SourceManager &SM;
  FileClassifier Files;
  const std::set<std::string> &Paths;
  MeaningFingerprints &Out;
  const InactiveRanges &Inactive;
  llvm::DenseMap<unsigned, bool> Skips;
};

class SkippingAction : public SyntaxOnlyAction {
public:
  SkippingAction(const std::set<std::string> &Paths, const std::string &IncludeDir,
                 MeaningFingerprints &Out)
      : Paths(Paths), IncludeDir(IncludeDir), Out(Out) {}

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, llvm::StringRef) override {
    CI.getFrontendOpts().SkipFunctionBodies = true;
    return std::make_unique<SkippingConsumer>(CI, Paths, IncludeDir, Out);
  }

private:
  const std::set<std::string> &Paths;
  const std::string &IncludeDir;
  MeaningFingerprints &Out;
};

class SkippingFactory : public QuietActionFactory<SyntaxOnlyAction> {
public:
  SkippingFactory(std::set<std::string> Paths, std::string IncludeDir, MeaningFingerprints &Out)
      : Paths(std::move(Paths)), IncludeDir(std::move(IncludeDir)), Out(Out) {}
  std::unique_ptr<FrontendAction> create() override {
    Out.clear(); // a parse again (without the preamble) starts over
    return std::make_unique<SkippingAction>(Paths, IncludeDir, Out);
  }

private:
  std::set<std::string> Paths;
  std::string IncludeDir;
  MeaningFingerprints &Out;
};

/// Collects what function bodies of the chosen files name.
class BodyNames : public RecursiveASTVisitor<BodyNames> {
public:
  BodyNames(const SourceManager &SM, std::set<std::string> &Out) : SM(SM), Out(Out) {}

  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) { return true; }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const ValueDecl *D = E->getDecl();
    if (!D->getDeclContext()->isFileContext() || D->getLocation().isInvalid())
      return true;
    FileID F = SM.getFileID(SM.getExpansionLoc(D->getLocation()));
    auto [It, Fresh] = Paths.try_emplace(F.getHashValue());
    if (Fresh)
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(F))
        It->second = canonicalPath(FE->getName());
    Out.insert(It->second + "#" + D->getName().str());
    return true;
  }

private:
  const SourceManager &SM;
  std::set<std::string> &Out;
  llvm::DenseMap<unsigned, std::string> Paths;
};

} // namespace

const InactiveRanges &recordInactiveBlocks(Preprocessor &PP) {
  // The ranges live as long as the preprocessor, which owns the recorder.
  struct Owning : InactiveRecorder {
    Owning(const SourceManager &SM, std::unique_ptr<InactiveRanges> R)
        : InactiveRecorder(SM, *R), Ranges(std::move(R)) {}
    std::unique_ptr<InactiveRanges> Ranges;
  };
  auto Ranges = std::make_unique<InactiveRanges>();
  InactiveRanges &Ref = *Ranges;
  PP.addPPCallbacks(std::make_unique<Owning>(PP.getSourceManager(), std::move(Ranges)));
  return Ref;
}

MeaningFingerprints fingerprintFiles(CompilerInstance &CI, const FileClassifier &Files,
                                     const std::set<std::string> &Paths,
                                     const InactiveRanges &Inactive) {
  MeaningFingerprints Out;
  if (!CI.hasSema() || Paths.empty())
    return Out;
  const SourceManager &SM = CI.getSourceManager();
  MeaningDescriber Describer(CI, Files, Paths, Inactive);
  for (const EnteredFileID &E : filesEntered(SM)) {
    OptionalFileEntryRef FE = SM.getFileEntryRefForID(E.File);
    if (!FE)
      continue;
    std::string Path = canonicalPath(FE->getName());
    if (Paths.count(Path))
      Out[Path] += Describer.fingerprintOf(E.File) + ";";
  }
  return Out;
}

std::set<std::string> namedInBodies(ASTContext &Ctx, const std::set<std::string> &Paths) {
  std::set<std::string> Out;
  if (Paths.empty())
    return Out;
  const SourceManager &SM = Ctx.getSourceManager();
  BodyNames Visitor(SM, Out);
  llvm::DenseMap<unsigned, bool> InPaths;
  auto Chosen = [&](SourceLocation Loc) {
    FileID F = SM.getFileID(SM.getExpansionLoc(Loc));
    auto [It, Fresh] = InPaths.try_emplace(F.getHashValue(), false);
    if (Fresh)
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(F))
        It->second = Paths.count(canonicalPath(FE->getName())) > 0;
    return It->second;
  };
  for (Decl *D : Ctx.getTranslationUnitDecl()->noload_decls()) {
    auto *FD = llvm::dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() || D->isFromASTFile() ||
        D->getLocation().isInvalid() || !Chosen(D->getLocation()))
      continue;
    Visitor.TraverseStmt(FD->getBody());
  }
  return Out;
}

bool unusedOnlyBecauseSkipped(llvm::StringRef File, llvm::StringRef Message,
                              const std::set<std::string> &NamedInBodies) {
  bool Unused = Message.ends_with("[-Wunused-function]") ||
                Message.ends_with("[-Wunused-variable]") ||
                Message.ends_with("[-Wunused-const-variable]") ||
                Message.ends_with("[-Wunneeded-internal-declaration]");
  if (!Unused)
    return false;
  size_t Open = Message.find('\'');
  size_t Close = Open == llvm::StringRef::npos ? Open : Message.find('\'', Open + 1);
  if (Close == llvm::StringRef::npos)
    return false;
  return NamedInBodies.count(File.str() + "#" + Message.slice(Open + 1, Close).str()) > 0;
}

std::unique_ptr<tooling::FrontendActionFactory>
skippingBodiesOf(const std::set<std::string> &Paths, std::string PythonIncludeDir,
                 MeaningFingerprints &Out) {
  return std::make_unique<SkippingFactory>(Paths, std::move(PythonIncludeDir), Out);
}

std::string pragmaLines(llvm::StringRef Text) {
  std::string Out;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    llvm::StringRef T = Line.trim();
    bool Directive = false;
    if (T.consume_front("#")) {
      T = T.ltrim();
      Directive = T.starts_with("pragma") || T.starts_with("line");
    }
    if (Directive || Line.contains("_Pragma"))
      Out += Line.trim().str() + "\n";
  }
  return Out;
}

bool bodiesMayBeSkipped(llvm::StringRef Text) { return !Text.contains("__COUNTER__"); }

} // namespace abi3port
