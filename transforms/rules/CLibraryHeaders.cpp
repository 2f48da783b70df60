//===- CLibraryHeaders.cpp - rule `c-library-headers` ---------------------===//
///
/// Rewrites: a file that uses a C library name it got only through
/// Python.h's include of a header the Limited API at the target no longer
/// includes (api/StandardHeaders.h: <errno.h>, <stdio.h>, <stdlib.h>,
/// <string.h> from 3.11, also <ctype.h>, <unistd.h> from 3.13, <string.h>
/// again included from 3.15) gets that include, once, right after the line
/// that brings Python.h. The includes are harmless under the full API.
/// \code
///   #include <Python.h>          ->  #include <Python.h>
///   ... memcpy(d, s, n); errno        #include <errno.h>
///                                     #include <string.h>
/// \endcode
/// What counts as a use: a function, variable, enumerator or type the user's
/// text names, and a macro it expands or tests (`#ifdef EWOULDBLOCK`, which
/// would silently change meaning), when the declaration (or the macro
/// definition) is in a system file that only such a header brings. The
/// decision reads the include graph: every `#include` directive the
/// preprocessor processed, include-guarded no-ops too; with a precompiled
/// preamble (Preamble.h), the graph of the headers inside it comes from
/// preprocessing the preamble's text again (once per configuration; cached). A file is provided when it is
/// reachable from the user's files without the dropped includes and without
/// the cpython/ and internal/ headers (the full API's only). Names the
/// project declares or defines itself, or that a CPython header declares,
/// never count.
///
/// Where the include goes: in the file whose text uses the name (a project
/// header too: it is then self-contained for every file that includes it),
/// after its own `#include <Python.h>` (`"Python.h"`), else after its first
/// `#include` of a project header that brings Python.h; a file with neither
/// (a project header included after Python.h) gets it at its first line
/// after the leading comments. A use in `#ifndef Py_LIMITED_API` code counts too: the include
/// is harmless.
///
/// In a project header, `port` counts only what the header includes itself
/// (directly, through its own includes, or through Python.h's remaining
/// includes), not what a main file includes before it: the header gets the
/// same includes from every translation unit (no conflicting insertions) and
/// becomes self-contained. `check` reports what fails in the unit at hand.
///
/// A macro or one-line typedef that a provided system header also defines
/// (`pid_t` in <unistd.h>, `SEEK_SET`), where its guard made it a no-op,
/// is provided: the definitions are read from the header's text.
///
/// Leaves for manual change: nothing but a use whose anchoring `#include`
/// line is continued with a backslash (reported, not fixable).
///
/// Requires: nothing (an #include); fires from target 3.11.
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/CLibraryHeaders.h"
#include "transforms/ParsedDecls.h"
#include "transforms/api/StandardHeaders.h"
#include "transforms/api/SurfaceCache.h"
#include "transforms/rules/Rules.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Sema/IdentifierResolver.h"
#include "clang/Sema/Sema.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/Path.h"
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

using namespace clang;

namespace abi3port {

namespace {

constexpr llvm::StringLiteral Rule = "c-library-headers";

/// One `#include` directive: who includes what, as spelled.
struct IncludeEdge {
  std::string From, To; ///< canonical paths ("<probe>" for the probe's buffer)
  std::string Spelled;  ///< "string.h"
};

/// Records the include edges of a preprocessing run.
class EdgeRecorder : public PPCallbacks {
public:
  EdgeRecorder(const SourceManager &SM, std::vector<IncludeEdge> &Out) : SM(SM), Out(Out) {}
  void InclusionDirective(SourceLocation HashLoc, const Token &, llvm::StringRef FileName, bool,
                          CharSourceRange, OptionalFileEntryRef File, llvm::StringRef,
                          llvm::StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    if (!File)
      return;
    OptionalFileEntryRef From = SM.getFileEntryRefForID(SM.getFileID(HashLoc));
    Out.push_back({From ? canonicalPath(From->getName()) : "<probe>",
                   canonicalPath(File->getName()), FileName.str()});
  }

private:
  const SourceManager &SM;
  std::vector<IncludeEdge> &Out;
};

class ProbeAction : public PreprocessOnlyAction {
public:
  explicit ProbeAction(std::vector<IncludeEdge> &Out) : Out(Out) {}
  bool BeginSourceFileAction(CompilerInstance &CI) override {
    CI.getPreprocessor().addPPCallbacks(
        std::make_unique<EdgeRecorder>(CI.getSourceManager(), Out));
    return true;
  }

private:
  std::vector<IncludeEdge> &Out;
};

/// The file that keeps the edges of one configuration between runs.
std::string edgeCachePath(llvm::StringRef Key) {
  std::string Dir = cacheDirectory();
  if (Dir.empty())
    return "";
  llvm::SHA256 Hash;
  Hash.update(Key);
  Hash.update(LLVM_VERSION_STRING);
  return Dir + "/include-edges-" + llvm::toHex(Hash.final(), /*LowerCase=*/true) + ".txt";
}

/// `path<TAB>size<TAB>mtime`: what a cached edge's target was.
std::string fileStamp(const std::string &Path) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Path, Status))
    return "";
  return std::to_string(Status.getSize()) + "\t" +
         std::to_string(Status.getLastModificationTime().time_since_epoch().count());
}

/// Edges read back from the cache, if every target is as it was.
std::optional<std::vector<IncludeEdge>> loadEdges(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (Path.empty() || !Buffer)
    return std::nullopt;
  std::vector<IncludeEdge> Edges;
  llvm::SmallVector<llvm::StringRef> Lines, Fields;
  (*Buffer)->getBuffer().split(Lines, '\n', -1, false);
  for (llvm::StringRef Line : Lines) {
    Fields.clear();
    Line.split(Fields, '\t');
    if (Fields.size() != 5 || fileStamp(Fields[1].str()) != (Fields[3] + "\t" + Fields[4]).str())
      return std::nullopt;
    Edges.push_back({Fields[0].str(), Fields[1].str(), Fields[2].str()});
  }
  return Edges;
}

void storeEdges(const std::string &Path, const std::vector<IncludeEdge> &Edges) {
  if (Path.empty() || llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path)))
    return;
  std::string Text;
  for (const IncludeEdge &E : Edges)
    Text += E.From + "\t" + E.To + "\t" + E.Spelled + "\t" + fileStamp(E.To) + "\n";
  writeCacheFile(Path, Text);
}

/// The text the precompiled preamble was built from (Preamble.h: the
/// header beside the PCH), or nullopt without one.
std::optional<std::string> preambleSource(Preprocessor &PP) {
  llvm::StringRef Pch = PP.getPreprocessorOpts().ImplicitPCHInclude;
  if (Pch.empty())
    return std::nullopt;
  for (llvm::StringRef Ext : {".h", ".hpp"}) {
    llvm::SmallString<256> Header(Pch);
    llvm::sys::path::replace_extension(Header, Ext);
    if (auto Buffer = llvm::MemoryBuffer::getFile(Header))
      return (*Buffer)->getBuffer().str();
  }
  return std::nullopt;
}

/// The include edges of `Prefix` (the text of the precompiled preamble)
/// preprocessed as `PP` is configured, without the precompiled preamble,
/// whose directives the main parse never sees.
/// Cached per configuration for the life of the process.
std::shared_ptr<const std::vector<IncludeEdge>> probeEdges(Preprocessor &PP,
                                                           llvm::StringRef Prefix) {
  const PreprocessorOptions &PPOpts = PP.getPreprocessorOpts();
  const HeaderSearchOptions &HSOpts = PP.getHeaderSearchInfo().getHeaderSearchOpts();
  const LangOptions &LO = PP.getLangOpts();
  std::string Key = Prefix.str() + "\n#lang " + std::to_string(int(LO.LangStd)) +
                    (LO.CPlusPlus ? "c++" : "c") + "\n#triple " +
                    PP.getTargetInfo().getTriple().str() + "\n#sysroot " + HSOpts.Sysroot +
                    "\n#resource " + HSOpts.ResourceDir;
  for (const auto &[Macro, Undef] : PPOpts.Macros)
    Key += (Undef ? "\n-U" : "\n-D") + Macro;
  for (const auto &Entry : HSOpts.UserEntries)
    Key += "\n-I" + std::to_string(int(Entry.Group)) + Entry.Path;

  static std::mutex Mutex;
  static std::map<std::string, std::shared_ptr<const std::vector<IncludeEdge>>> Cache;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Cache.find(Key);
    if (It != Cache.end())
      return It->second;
  }
  std::string CachePath = edgeCachePath(Key);
  if (std::optional<std::vector<IncludeEdge>> Cached = loadEdges(CachePath)) {
    std::lock_guard<std::mutex> Lock(Mutex);
    return Cache
        .emplace(Key, std::make_shared<const std::vector<IncludeEdge>>(std::move(*Cached)))
        .first->second;
  }
  auto Edges = std::make_shared<std::vector<IncludeEdge>>();
  auto Invocation = std::make_shared<CompilerInvocation>();
  Invocation->getLangOpts() = LO;
  Invocation->getTargetOpts() = PP.getTargetInfo().getTargetOpts();
  Invocation->getHeaderSearchOpts() = HSOpts;
  Invocation->getPreprocessorOpts() = PPOpts;
  PreprocessorOptions &Opts = Invocation->getPreprocessorOpts();
  Opts.ImplicitPCHInclude.clear();
  Opts.Includes.clear();
  Opts.MacroIncludes.clear();
  Opts.DetailedRecord = false;
  std::unique_ptr<llvm::MemoryBuffer> Buffer =
      llvm::MemoryBuffer::getMemBufferCopy(Prefix.str() + "\n", "<probe>");
  Invocation->getFrontendOpts().Inputs = {FrontendInputFile(
      Buffer->getMemBufferRef(), InputKind(LO.CPlusPlus ? Language::CXX : Language::C))};
  CompilerInstance Probe;
  Probe.setInvocation(std::move(Invocation));
  Probe.createDiagnostics(new IgnoringDiagConsumer(), /*ShouldOwnClient=*/true);
  Probe.setFileManager(&PP.getFileManager());
  ProbeAction Action(*Edges);
  if (!Probe.ExecuteAction(Action))
    Edges->clear();
  else
    storeEdges(CachePath, *Edges);
  std::lock_guard<std::mutex> Lock(Mutex);
  return Cache.emplace(Key, std::move(Edges)).first->second;
}

} // namespace

//===----------------------------------------------------------------------===//
// Recording
//===----------------------------------------------------------------------===//

class CLibraryHeaderRecorder : public PPCallbacks {
public:
  CLibraryHeaderRecorder(CompilerInstance &CI, const FileClassifier &Files)
      : CI(CI), PP(CI.getPreprocessor()), SM(PP.getSourceManager()), Files(Files) {}

  /// A directive of a user file, for placing the include.
  struct UserDirective {
    FileID From;
    unsigned HashOffset, FilenameBegin, FilenameEnd;
    std::string To;
  };
  struct MacroUse {
    std::string Name;
    SourceLocation Loc;
    SourceLocation Definition;
    bool Tested;
  };

  void InclusionDirective(SourceLocation HashLoc, const Token &, llvm::StringRef FileName, bool,
                          CharSourceRange FilenameRange, OptionalFileEntryRef File,
                          llvm::StringRef, llvm::StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    if (!File)
      return;
    FileID FID = SM.getFileID(HashLoc);
    OptionalFileEntryRef From = SM.getFileEntryRefForID(FID);
    if (!From)
      return;
    std::string To = canonicalPath(File->getName());
    Edges.push_back({pathOf(FID), To, FileName.str()});
    if (Files.isUser(HashLoc) && FilenameRange.getBegin().isFileID())
      Directives.push_back({FID, SM.getFileOffset(HashLoc),
                            SM.getFileOffset(FilenameRange.getBegin()),
                            SM.getFileOffset(FilenameRange.getEnd()), To});
  }

  void MacroExpands(const Token &NameTok, const MacroDefinition &MD, SourceRange,
                    const MacroArgs *) override {
    record(NameTok, MD, false);
  }
  void Ifdef(SourceLocation, const Token &NameTok, const MacroDefinition &MD) override {
    record(NameTok, MD, true);
  }
  void Ifndef(SourceLocation, const Token &NameTok, const MacroDefinition &MD) override {
    record(NameTok, MD, true);
  }
  void Elifdef(SourceLocation, const Token &NameTok, const MacroDefinition &MD) override {
    record(NameTok, MD, true);
  }
  void Elifndef(SourceLocation, const Token &NameTok, const MacroDefinition &MD) override {
    record(NameTok, MD, true);
  }
  void Defined(const Token &NameTok, const MacroDefinition &MD, SourceRange) override {
    record(NameTok, MD, true);
  }
  void MacroDefined(const Token &NameTok, const MacroDirective *MD) override {
    SourceLocation Loc = NameTok.getLocation();
    // The bodies of an installed header's macros are not a project header's:
    // port never edits that header (ProtectedFiles.h).
    if (MD->getMacroInfo() && Files.isUser(Loc) && !SM.isInMainFile(Loc) &&
        !Files.isInstalledHeader(Loc))
      HeaderMacros.push_back({MD->getMacroInfo(), SM.getFileID(Loc)});
  }

  std::vector<CLibraryUse> uses(ASTContext &Ctx, PythonVersion Target, bool HeaderView);

private:
  std::vector<CLibraryUse> analyse(ASTContext &Ctx, PythonVersion Target, bool HeaderView);
  const NamedDecl *fileScopeDeclaration(ASTContext &Ctx, const IdentifierInfo *II);
  std::map<std::pair<std::string, bool>, std::vector<CLibraryUse>> Memo;
  /// A reference of the user's text to a declaration (DeclUseFinder).
  struct DeclReference {
    const NamedDecl *Found, *Decl;
    SourceLocation Loc;
    llvm::StringRef Kind;
  };
  /// The references of the unit, walked once for both views.
  std::optional<std::vector<DeclReference>> References;

  void record(const Token &NameTok, const MacroDefinition &MD, bool Tested) {
    const MacroInfo *MI = MD.getMacroInfo();
    if (!MI)
      return;
    SourceLocation Spelled = SM.getSpellingLoc(NameTok.getLocation());
    SourceLocation Def = MI->getDefinitionLoc();
    if (!Files.isUser(Spelled) || Def.isInvalid() || Files.isUser(Def) || Files.isPython(Def))
      return;
    Macros.push_back({NameTok.getIdentifierInfo()->getName().str(), Spelled, Def, Tested});
  }

  std::string pathOf(FileID FID) {
    auto [It, Inserted] = Paths.try_emplace(FID.getHashValue());
    if (Inserted)
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID))
        It->second = canonicalPath(FE->getName());
    return It->second;
  }
  std::string pathOf(SourceLocation Loc) {
    return Loc.isValid() ? pathOf(SM.getFileID(SM.getExpansionLoc(Loc))) : "";
  }

  friend class CLibraryAnalysis;
  CompilerInstance &CI;
  Preprocessor &PP;
  const SourceManager &SM;
  const FileClassifier &Files;
  std::vector<IncludeEdge> Edges;
  std::vector<UserDirective> Directives;
  std::vector<MacroUse> Macros;
  /// Macros a project header defines (their bodies, for the port).
  std::vector<std::pair<const MacroInfo *, FileID>> HeaderMacros;
  llvm::DenseMap<unsigned, std::string> Paths;
};

CLibraryHeaderRecorder *attachCLibraryHeaderRecorder(CompilerInstance &CI,
                                                     const FileClassifier &Files) {
  auto Recorder = std::make_unique<CLibraryHeaderRecorder>(CI, Files);
  CLibraryHeaderRecorder *Raw = Recorder.get();
  CI.getPreprocessor().addPPCallbacks(std::move(Recorder));
  return Raw;
}

//===----------------------------------------------------------------------===//
// Analysis
//===----------------------------------------------------------------------===//

/// The include graph of one unit at one target: which files the user's
/// files reach without the dropped includes, and which dropped header
/// brings each other file.
class CLibraryAnalysis {
public:
  /// `HeaderView`: what a project header provides is what it includes
  /// itself (with Python.h), whatever the main file includes before it, so
  /// that the header gets the same includes from every unit (the rule);
  /// otherwise every user file of the unit counts (the audit: exactly what
  /// fails to compile in this unit).
  CLibraryAnalysis(CLibraryHeaderRecorder &R, PythonVersion Target, bool HeaderView)
      : R(R), Dropped(headersDroppedByLimitedApi(Target)), HeaderView(HeaderView) {
    std::vector<const IncludeEdge *> All;
    for (const IncludeEdge &E : R.Edges)
      All.push_back(&E);
    std::shared_ptr<const std::vector<IncludeEdge>> Probe;
    if (std::optional<std::string> Preamble = preambleSource(R.PP)) {
      Probe = probeEdges(R.PP, *Preamble);
      for (const IncludeEdge &E : *Probe)
        All.push_back(&E);
    }
    // Which files reach which, with and without the edges the Limited API
    // at the target does not have.
    std::deque<std::string> Queue = {"<probe>"};
    for (const IncludeEdge *E : All)
      if (isUserPath(E->From))
        Queue.push_back(E->From);
    Queue.push_back(R.pathOf(R.SM.getMainFileID()));
    for (const IncludeEdge *E : All)
      Out[E->From].push_back(E);
    Provided = reach(Queue);
    // Each dropped header's subtree, nearest first.
    for (const IncludeEdge *E : All) {
      if (!R.Files.isPythonPath(E->From) || !llvm::is_contained(Dropped, E->Spelled))
        continue;
      std::deque<std::pair<std::string, unsigned>> Q = {{E->To, 0}};
      std::set<std::string> Seen;
      while (!Q.empty()) {
        auto [F, Depth] = Q.front();
        Q.pop_front();
        if (!Seen.insert(F).second)
          continue;
        auto &Best = Bringer[F];
        if (Best.first.empty() || Depth < Best.second)
          Best = {E->Spelled, Depth};
        for (const IncludeEdge *Next : Out[F])
          Q.push_back({Next->To, Depth + 1});
      }
    }
    // The user files that bring Python.h.
    for (const IncludeEdge *E : All)
      if (llvm::sys::path::filename(E->To) == "Python.h" && R.Files.isPythonPath(E->To))
        PythonH.insert(E->To);
    BringsPython = PythonH;
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const auto &D : R.Directives)
        if (BringsPython.count(D.To) && BringsPython.insert(R.pathOf(D.From)).second)
          Changed = true;
    }
  }

  /// What the Limited API build provides to a use in `UseFile`.
  const std::set<std::string> &providedFor(FileID UseFile) {
    if (!HeaderView || UseFile == R.SM.getMainFileID())
      return Provided;
    std::string Path = R.pathOf(UseFile);
    auto It = ProvidedForHeader.find(Path);
    if (It == ProvidedForHeader.end()) {
      std::deque<std::string> Sources(PythonH.begin(), PythonH.end());
      Sources.push_back("<probe>");
      Sources.push_back(Path);
      It = ProvidedForHeader.emplace(Path, reach(Sources)).first;
    }
    return It->second;
  }

  /// The dropped header a system file came through, if `Provided` lacks it.
  std::optional<std::string> droppedHeaderOf(SourceLocation Loc,
                                             const std::set<std::string> &Provided) {
    if (Loc.isInvalid() || R.Files.isUser(R.SM.getExpansionLoc(Loc)) || R.Files.isPython(Loc))
      return std::nullopt;
    std::string Path = R.pathOf(Loc);
    if (Path.empty() || Provided.count(Path))
      return std::nullopt;
    auto It = Bringer.find(Path);
    if (It == Bringer.end())
      return std::nullopt;
    return It->second.first;
  }

  /// Whether a system file in `Provided` also defines `Name` (a macro, or a
  /// one-line typedef): C library headers guard such definitions
  /// (`# ifndef __pid_t_defined`), so the first header in wins and the
  /// others', skipped, are invisible in the parse (`pid_t` is in
  /// <sys/types.h> through <stdlib.h>, and also in <unistd.h>).
  bool definedElsewhere(llvm::StringRef Name, const std::set<std::string> &Provided) const {
    for (const std::string &Path : Provided)
      if (Path != "<probe>" && !R.Files.isPythonPath(Path) && !UserPaths().count(Path) &&
          definedNames(Path).count(Name.str()))
        return true;
    return false;
  }

  /// Fills the use's insertion point: after the using file's own include
  /// that brings Python.h, else at its first line after leading comments.
  void place(CLibraryUse &U) {
    const SourceManager &SM = R.SM;
    FileID FID = SM.getFileID(U.Loc);
    unsigned Before = SM.getFileOffset(U.Loc);
    const CLibraryHeaderRecorder::UserDirective *Anchor = nullptr;
    for (const auto &D : R.Directives) {
      if (D.From != FID || D.HashOffset >= Before || !BringsPython.count(D.To))
        continue;
      bool IsPythonH = R.Files.isPythonPath(D.To);
      bool AnchorIsPythonH = Anchor && R.Files.isPythonPath(Anchor->To);
      // The file's own #include <Python.h> first, else its first include
      // of a project header that brings it.
      if (!Anchor || (IsPythonH && !AnchorIsPythonH) ||
          (IsPythonH == AnchorIsPythonH && D.HashOffset < Anchor->HashOffset))
        Anchor = &D;
    }
    if (Anchor) {
      setInsertion(U, *Anchor);
      return;
    }
    // A project header included after Python.h: it gets its own includes,
    // after its leading comments (before its include guard).
    llvm::StringRef Buffer = SM.getBufferData(FID);
    size_t At = 0; // the first line after the leading comments
    for (size_t Line = 0; Line < Buffer.size();) {
      size_t End = Buffer.find('\n', Line);
      llvm::StringRef Text = Buffer.slice(Line, End).trim();
      if (Text.empty() || Text.starts_with("//") || Text.starts_with("/*") ||
          Text.starts_with("*")) {
        Line = End == llvm::StringRef::npos ? Buffer.size() : End + 1;
        continue;
      }
      At = Line;
      break;
    }
    size_t NL = Buffer.find('\n');
    if (NL != llvm::StringRef::npos && NL > 0 && Buffer[NL - 1] == '\r')
      U.Newline = "\r\n";
    U.BeforeLine = true;
    U.InsertAt = SM.getLocForStartOfFile(FID).getLocWithOffset(At);
  }

private:
  /// The names a system header defines with `#define NAME` or a one-line
  /// `typedef ... NAME;`, read once per process.
  static const std::set<std::string> &definedNames(const std::string &Path) {
    static std::mutex Mutex;
    static std::map<std::string, std::unique_ptr<std::set<std::string>>> Cache;
    std::lock_guard<std::mutex> Lock(Mutex);
    std::unique_ptr<std::set<std::string>> &Names = Cache[Path];
    if (Names)
      return *Names;
    Names = std::make_unique<std::set<std::string>>();
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    if (!Buffer)
      return *Names;
    llvm::SmallVector<llvm::StringRef> Lines;
    (*Buffer)->getBuffer().split(Lines, '\n');
    auto IsIdent = [](char C) { return llvm::isAlnum(C) || C == '_'; };
    for (llvm::StringRef Line : Lines) {
      Line = Line.trim();
      if (Line.consume_front("#")) {
        Line = Line.ltrim();
        if (Line.consume_front("define") && !Line.empty() && !IsIdent(Line.front()))
          Names->insert(Line.ltrim().take_while(IsIdent).str());
      } else if (Line.starts_with("typedef ") && Line.ends_with(";")) {
        llvm::StringRef Body = Line.drop_back().rtrim();
        size_t Start = Body.size();
        while (Start > 0 && IsIdent(Body[Start - 1]))
          --Start;
        if (Start < Body.size())
          Names->insert(Body.substr(Start).str());
      }
    }
    return *Names;
  }

  /// The files reachable from `Queue` without the blocked edges.
  std::set<std::string> reach(std::deque<std::string> Queue) const {
    std::set<std::string> Reached;
    while (!Queue.empty()) {
      std::string F = Queue.front();
      Queue.pop_front();
      if (!Reached.insert(F).second)
        continue;
      auto It = Out.find(F);
      if (It != Out.end())
        for (const IncludeEdge *E : It->second)
          if (!blocked(*E))
            Queue.push_back(E->To);
    }
    return Reached;
  }

  bool isUserPath(const std::string &Path) const {
    return Path != "<probe>" && !R.Files.isPythonPath(Path) && UserPaths().count(Path);
  }
  const std::set<std::string> &UserPaths() const {
    if (!UserPathSet) {
      UserPathSet.emplace();
      for (const auto &D : R.Directives)
        UserPathSet->insert(R.pathOf(D.From));
    }
    return *UserPathSet;
  }

  /// An edge the Limited API build does not have: a CPython header's
  /// include of a dropped header, and every include of the full API's
  /// cpython/ and internal/ headers.
  bool blocked(const IncludeEdge &E) const {
    if (!R.Files.isPythonPath(E.From))
      return false;
    if (llvm::StringRef(E.From).contains("/cpython/") ||
        llvm::StringRef(E.From).contains("/internal/"))
      return true;
    return llvm::is_contained(Dropped, E.Spelled) && !R.Files.isPythonPath(E.To);
  }

  void setInsertion(CLibraryUse &U, const CLibraryHeaderRecorder::UserDirective &D) {
    const SourceManager &SM = R.SM;
    llvm::StringRef Buffer = SM.getBufferData(D.From);
    size_t LineStart = Buffer.take_front(D.HashOffset).rfind('\n') + 1;
    size_t NL = Buffer.find('\n', D.FilenameEnd);
    size_t At = NL == llvm::StringRef::npos ? Buffer.size() : NL;
    llvm::StringRef Rest = Buffer.slice(D.FilenameEnd, At);
    size_t Open = Rest.rfind("/*"), Close = Rest.rfind("*/");
    if (Open != llvm::StringRef::npos && (Close == llvm::StringRef::npos || Close < Open))
      At = D.FilenameEnd; // a block comment continues on the next line
    else if (At > D.FilenameEnd && At == NL && Buffer[At - 1] == '\r')
      U.Newline = "\r\n", --At;
    if (Rest.ends_with("\\"))
      return; // a continued directive line: leave it
    U.LinePrefix = Buffer.slice(LineStart, D.FilenameBegin).str();
    U.InsertAt = SM.getLocForStartOfFile(D.From).getLocWithOffset(At);
  }

  CLibraryHeaderRecorder &R;
  std::vector<std::string> Dropped;
  bool HeaderView;
  std::map<std::string, std::vector<const IncludeEdge *>> Out; ///< by includer
  std::set<std::string> Provided;
  std::map<std::string, std::set<std::string>> ProvidedForHeader;
  std::set<std::string> PythonH; ///< paths of Python.h
  std::map<std::string, std::pair<std::string, unsigned>> Bringer; ///< file -> header, depth
  std::set<std::string> BringsPython;
  mutable std::optional<std::set<std::string>> UserPathSet;
};

namespace {

/// Names the user's text gives to declarations.
class DeclUseFinder : public RecursiveASTVisitor<DeclUseFinder> {
public:
  DeclUseFinder(const SourceManager &SM, const FileClassifier &Files,
                std::function<void(const NamedDecl *, const NamedDecl *, SourceLocation,
                                   llvm::StringRef)>
                    Found)
      : SM(SM), Files(Files), Found(std::move(Found)) {}

  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && D->getBeginLoc().isValid() &&
        !Files.isUser(SM.getExpansionLoc(D->getBeginLoc())) &&
        !Files.isUser(SM.getExpansionLoc(D->getLocation())))
      return true; // a declaration of a header: not the user's text
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const ValueDecl *D = E->getDecl();
    const char *Kind = isa<FunctionDecl>(D)       ? "function"
                       : isa<VarDecl>(D)          ? "variable"
                       : isa<EnumConstantDecl>(D) ? "constant"
                                                  : nullptr;
    if (Kind)
      use(E->getFoundDecl(), D, E->getLocation(), Kind);
    return true;
  }
  bool VisitTypedefTypeLoc(TypedefTypeLoc TL) {
    use(TL.getTypedefNameDecl(), TL.getTypedefNameDecl(), TL.getNameLoc(), "type");
    return true;
  }
  bool VisitRecordTypeLoc(RecordTypeLoc TL) {
    use(TL.getDecl(), TL.getDecl(), TL.getNameLoc(), "type");
    return true;
  }
  bool VisitEnumTypeLoc(EnumTypeLoc TL) {
    use(TL.getDecl(), TL.getDecl(), TL.getNameLoc(), "type");
    return true;
  }

private:
  void use(const NamedDecl *FoundDecl, const NamedDecl *D, SourceLocation Loc,
           llvm::StringRef Kind) {
    if (Loc.isInvalid() || !D)
      return;
    SourceLocation Spelled = SM.getSpellingLoc(Loc);
    if (Loc.isMacroID() && Files.isUser(Spelled) && Files.isInstalledHeader(Spelled)) {
      // A macro of a header another package installed, which port never
      // edits (ProtectedFiles.h): the use counts where the project expands it.
      SourceLocation Expanded = SM.getExpansionLoc(Loc);
      if (Files.isUser(Expanded) && !Files.isInstalledHeader(Expanded))
        Spelled = Expanded;
    }
    if (Files.isUser(Spelled))
      Found(FoundDecl, D, Spelled, Kind);
  }

  const SourceManager &SM;
  const FileClassifier &Files;
  std::function<void(const NamedDecl *, const NamedDecl *, SourceLocation, llvm::StringRef)>
      Found;
};

} // namespace

std::vector<CLibraryUse> CLibraryHeaderRecorder::uses(ASTContext &Ctx, PythonVersion Target,
                                                      bool HeaderView) {
  if (headersDroppedByLimitedApi(Target).empty())
    return {}; // below 3.11: nothing to build, no probe to run
  // The rules run once per state mode on the same AST (Port.cpp).
  auto [It, Fresh] = Memo.try_emplace({Target.str(), HeaderView});
  if (Fresh)
    It->second = analyse(Ctx, Target, HeaderView);
  return It->second;
}

/// What unqualified lookup of `II` at file scope finds at the end of the
/// unit, an ordinary identifier before a tag: the first declaration of
/// Sema's identifier chain that belongs to the translation unit. The chain
/// holds the declarations a precompiled preamble brings once the identifier
/// is read, so no other declaration of the preamble is deserialised (as
/// DeclContext::lookup on the translation unit would, to build its table).
const NamedDecl *CLibraryHeaderRecorder::fileScopeDeclaration(ASTContext &Ctx,
                                                              const IdentifierInfo *II) {
  if (!CI.hasSema()) {
    DeclContext::lookup_result Found = Ctx.getTranslationUnitDecl()->lookup(DeclarationName(II));
    return Found.empty() ? nullptr : Found.front();
  }
  if (II->isOutOfDate() && PP.getExternalSource())
    PP.getExternalSource()->updateOutOfDateIdentifier(*II);
  IdentifierResolver &Chain = CI.getSema().IdResolver;
  const NamedDecl *Tag = nullptr;
  for (auto It = Chain.begin(DeclarationName(II)); It != Chain.end(); ++It) {
    const NamedDecl *D = *It;
    if (!D->getDeclContext()->getRedeclContext()->isTranslationUnit())
      continue;
    if (!(D->getIdentifierNamespace() & Decl::IDNS_Tag))
      return D;
    if (!Tag)
      Tag = D;
  }
  return Tag;
}

std::vector<CLibraryUse> CLibraryHeaderRecorder::analyse(ASTContext &Ctx, PythonVersion Target,
                                                         bool HeaderView) {
  CLibraryAnalysis Analysis(*this, Target, HeaderView);
  std::vector<CLibraryUse> Out;
  std::set<std::pair<unsigned, std::string>> Seen;
  auto Add = [&](llvm::StringRef Name, llvm::StringRef Kind, bool Tested,
                 const std::string &Header, SourceLocation Loc) {
    if (!Seen.insert({Loc.getRawEncoding(), Name.str()}).second)
      return;
    CLibraryUse U;
    U.Name = Name.str();
    U.Kind = Kind.str();
    U.Tested = Tested;
    U.Header = Header;
    U.Loc = Loc;
    Analysis.place(U);
    Out.push_back(std::move(U));
  };

  // The header a use of D needs, if every declaration of D is in a header
  // the Limited API build no longer reaches.
  auto droppedHeaderOfAll = [&](const NamedDecl *D, const std::set<std::string> &Provided)
      -> std::optional<std::string> {
    std::optional<std::string> Header;
    for (const Decl *Redecl : D->redecls()) {
      if (Redecl->getLocation().isInvalid())
        continue; // an implicit builtin declaration
      std::optional<std::string> H = Analysis.droppedHeaderOf(Redecl->getLocation(), Provided);
      if (!H)
        return std::nullopt;
      if (!Header)
        Header = H;
    }
    if (Header && isa<TypedefNameDecl>(D) && Analysis.definedElsewhere(D->getName(), Provided))
      return std::nullopt;
    return Header;
  };
  // Per declaration and set of provided headers (one per file of the uses).
  std::map<std::pair<const NamedDecl *, const std::set<std::string> *>,
           std::optional<std::string>>
      DroppedHeader;
  auto DeclUse = [&](const NamedDecl *FoundDecl, const NamedDecl *D, SourceLocation Loc,
                     llvm::StringRef Kind) {
    // Provided if any declaration is: the project's own, a CPython header's,
    // or in a file the Limited API build still reaches.
    const std::set<std::string> &Provided = Analysis.providedFor(SM.getFileID(Loc));
    if (FoundDecl != D && !Analysis.droppedHeaderOf(FoundDecl->getLocation(), Provided))
      return; // `using std::memcpy` of <cstring>
    auto [Known, Inserted] = DroppedHeader.try_emplace({D, &Provided});
    if (Inserted)
      Known->second = droppedHeaderOfAll(D, Provided);
    if (Known->second)
      Add(D->getName(), Kind, false, *Known->second, Loc);
  };
  if (!References) {
    References.emplace();
    DeclUseFinder Finder(SM, Files,
                         [&](const NamedDecl *Found, const NamedDecl *D, SourceLocation Loc,
                             llvm::StringRef Kind) { References->push_back({Found, D, Loc, Kind}); });
    for (Decl *D : allParsedDecls(Ctx)) // Python-free files too
      Finder.TraverseDecl(D);
  }
  for (const DeclReference &R : *References)
    DeclUse(R.Found, R.Decl, R.Loc, R.Kind);

  auto MacroUse = [&](llvm::StringRef Name, SourceLocation Loc, SourceLocation Definition,
                      bool Tested) {
    const std::set<std::string> &Provided = Analysis.providedFor(SM.getFileID(Loc));
    if (std::optional<std::string> Header = Analysis.droppedHeaderOf(Definition, Provided))
      if (!Analysis.definedElsewhere(Name, Provided))
        Add(Name, "macro", Tested, *Header, Loc);
  };
  for (const auto &M : Macros)
    MacroUse(M.Name, M.Loc, M.Definition, M.Tested);

  // The port also reads the bodies of the macros a project header defines,
  // expanded in this unit or not: another unit may expand them, and the
  // header must get the same includes from every unit.
  if (HeaderView)
    for (const auto &[MI, FID] : HeaderMacros) {
      const Token *Previous = nullptr;
      for (const Token &T : MI->tokens()) {
        bool Member = Previous && Previous->isOneOf(tok::period, tok::arrow);
        Previous = &T;
        const IdentifierInfo *II = T.getIdentifierInfo();
        if (!II || Member || llvm::is_contained(MI->params(), II) ||
            T.getLocation().isMacroID() || !Files.isUser(T.getLocation()))
          continue;
        if (const MacroInfo *Used = PP.getMacroInfo(II)) {
          SourceLocation Def = Used->getDefinitionLoc();
          if (Def.isValid() && !Files.isUser(Def) && !Files.isPython(Def))
            MacroUse(II->getName(), T.getLocation(), Def, false);
          continue;
        }
        if (const NamedDecl *D = fileScopeDeclaration(Ctx, II)) {
          const char *Kind = isa<FunctionDecl>(D) ? "function"
                             : isa<VarDecl>(D)    ? "variable"
                             : isa<EnumConstantDecl>(D) ? "constant"
                             : isa<TypeDecl>(D)         ? "type"
                                                        : nullptr;
          if (Kind)
            DeclUse(D, D, T.getLocation(), Kind);
        }
      }
    }

  llvm::sort(Out, [&](const CLibraryUse &A, const CLibraryUse &B) {
    return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
  });
  return Out;
}

std::vector<CLibraryUse> cLibraryUses(CLibraryHeaderRecorder &Recorder, ASTContext &Ctx,
                                      PythonVersion Target, bool HeaderView) {
  return Recorder.uses(Ctx, Target, HeaderView);
}

std::string cLibraryUseMessage(const CLibraryUse &U, PythonVersion Target) {
  std::string Header = "<" + U.Header + ">";
  std::string Message = "'" + U.Name + "' (" + U.Kind + ") comes from " + Header +
                        ", which <Python.h> does not include under the Limited API for " +
                        Target.str() + "; ";
  if (U.Tested)
    return Message + "this test would silently change meaning; include " + Header;
  Message += "include " + Header;
  if (U.Kind == "function")
    Message += " (clang 16+ and gcc 14+ reject the implicit declaration)";
  return Message;
}

//===----------------------------------------------------------------------===//
// The rule
//===----------------------------------------------------------------------===//

void cLibraryHeaders(PortContext &Ctx) {
  if (!Ctx.CLibrary)
    return;
  // Deferred: the uses other rules rewrite whole are theirs by then.
  Ctx.defer([&Ctx] {
    const SourceManager &SM = Ctx.SM;
    std::map<unsigned, std::vector<CLibraryUse>> ByInsertion; // raw location
    for (CLibraryUse &U : cLibraryUses(*Ctx.CLibrary, Ctx.Ctx, Ctx.Target, /*HeaderView=*/true))
      if (U.InsertAt.isValid())
        ByInsertion[U.InsertAt.getRawEncoding()].push_back(std::move(U));
    for (auto &[Raw, Uses] : ByInsertion) {
      std::set<std::string> Headers;
      for (const CLibraryUse &U : Uses)
        Headers.insert(U.Header);
      const CLibraryUse &First = Uses.front();
      std::string Text;
      for (const std::string &H : Headers)
        Text += First.BeforeLine ? "#include <" + H + ">" + First.Newline
                                 : First.Newline + First.LinePrefix + "<" + H + ">";
      auto Change = Ctx.change();
      Ctx.insert(Rule, Uses.front().InsertAt, Text);
      // The driver counts a finding as fixed by an edit of its rule on its
      // text: an edit that leaves the name as it is marks each use.
      for (const CLibraryUse &U : Uses) {
        if (Ctx.isClaimed(U.Loc))
          continue;
        unsigned Length = Lexer::MeasureTokenLength(U.Loc, SM, Ctx.LO);
        CharSourceRange Name =
            CharSourceRange::getCharRange(U.Loc, U.Loc.getLocWithOffset(Length));
        Ctx.replace(Rule, Name, Ctx.text(Name));
      }
    }
  });
}

} // namespace abi3port
