#include "transforms/Preamble.h"
#include "transforms/ClangSetup.h"
#include "transforms/PreambleHoist.h"
#include "transforms/PreambleScan.h"
#include "transforms/SourceMapping.h"
#include "transforms/api/SurfaceCache.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace abi3port {
namespace {

/// The compile command's arguments without the program, the input file and
/// the output and dependency options.
std::vector<std::string> compileArguments(const clang::tooling::CompileCommand &Command,
                                          const std::string &File) {
  std::vector<std::string> Out;
  const std::vector<std::string> &Args = Command.CommandLine;
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    if (A == "-o" || A == "-MF" || A == "-MT" || A == "-MQ") {
      ++I;
      continue;
    }
    if (A == "-c" || A == "-fsyntax-only" || A == "-E" || A == "-S" || A == "-MD" || A == "-MMD" || A == "-M" || A == "-MM" ||
        A.starts_with("-o") || A == File || A == Command.Filename ||
        llvm::sys::path::filename(A) == llvm::sys::path::filename(File))
      continue;
    Out.push_back(A.str());
  }
  return Out;
}

class IgnoreDiagnostics : public clang::DiagnosticConsumer {
public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override {
    clang::DiagnosticConsumer::HandleDiagnostic(Level, Info);
  }
};

/// The C standard's headers: "each may be included more than once ... with
/// no effect different from being included only once" (C11 7.1.2), whether
/// or not they have a guard (clang's own stddef.h and stdarg.h do not).
bool isStandardHeader(llvm::StringRef Name) {
  static const char *const Names[] = {
      "assert.h",  "complex.h", "ctype.h",    "errno.h",    "fenv.h",     "float.h",
      "inttypes.h", "iso646.h", "limits.h",   "locale.h",   "math.h",     "setjmp.h",
      "signal.h",  "stdalign.h", "stdarg.h",  "stdatomic.h", "stdbool.h", "stddef.h",
      "stdint.h",  "stdio.h",   "stdlib.h",   "stdnoreturn.h", "string.h", "tgmath.h",
      "threads.h", "time.h",    "uchar.h",    "wchar.h",    "wctype.h"};
  if (llvm::is_contained(Names, Name))
    return true;
  // <cstddef>, <cassert>...: the C++ forms of the same headers.
  return Name.starts_with("c") && !Name.contains('.') &&
         llvm::is_contained(Names, (Name.drop_front() + ".h").str());
}

/// Records the headers the preamble includes directly and, once they are
/// parsed, finds the first that the parse loading the PCH would not skip
/// when it includes it again: no include guard, no `#pragma once`, not a
/// standard header.
class GuardCheckingPchAction : public clang::GeneratePCHAction {
public:
  GuardCheckingPchAction(std::optional<size_t> &Unguarded, const SharedPreamble &Preamble)
      : Unguarded(Unguarded), Preamble(Preamble) {}

protected:
  bool BeginSourceFileAction(clang::CompilerInstance &CI) override {
    struct Recorder : clang::PPCallbacks {
      Recorder(const clang::SourceManager &SM, GuardCheckingPchAction &Self)
          : SM(SM), Self(Self) {}
      void InclusionDirective(clang::SourceLocation HashLoc, const clang::Token &,
                              llvm::StringRef Spelled, bool Angled, clang::CharSourceRange,
                              clang::OptionalFileEntryRef File, llvm::StringRef,
                              llvm::StringRef, const clang::Module *, bool,
                              clang::SrcMgr::CharacteristicKind) override {
        if (SM.isInMainFile(HashLoc))
          Self.Included.push_back(
              {File, Angled && isStandardHeader(Spelled), SM.getSpellingLineNumber(HashLoc)});
      }
      const clang::SourceManager &SM;
      GuardCheckingPchAction &Self;
    };
    CI.getPreprocessor().addPPCallbacks(std::make_unique<Recorder>(CI.getSourceManager(), *this));
    return clang::GeneratePCHAction::BeginSourceFileAction(CI);
  }

  void EndSourceFileAction() override {
    clang::HeaderSearch &HS = getCompilerInstance().getPreprocessor().getHeaderSearchInfo();
    for (const Inclusion &I : Included)
      if (!Unguarded && !I.Standard &&
          (!I.File || (!HS.isFileMultipleIncludeGuarded(*I.File) &&
                       !HS.getFileInfo(*I.File).isPragmaOnce)))
        Unguarded = I.Line;
    // Directives moved before project code (PreambleHoist.h) must not change
    // what it means; else the preamble ends where they start.
    if (!Preamble.Hoisted.empty() && (!Unguarded || *Unguarded > Preamble.HoistLine) &&
        !hoistChangesNothing(getCompilerInstance(), Preamble.Hoisted, Preamble.HoistLine))
      Unguarded = Preamble.HoistLine;
    clang::GeneratePCHAction::EndSourceFileAction();
  }

private:
  struct Inclusion {
    clang::OptionalFileEntryRef File;
    bool Standard;
    unsigned Line;
  };
  /// The line of the first unguarded include, or of moved directives that
  /// would change the project code's meaning: the preamble ends before it.
  std::optional<size_t> &Unguarded;
  const SharedPreamble &Preamble;
  std::vector<Inclusion> Included;
};

class GuardCheckingPchFactory : public QuietActionFactory<clang::GeneratePCHAction> {
public:
  GuardCheckingPchFactory(std::optional<size_t> &Unguarded, const SharedPreamble &Preamble)
      : Unguarded(Unguarded), Preamble(Preamble) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<GuardCheckingPchAction>(Unguarded, Preamble);
  }

private:
  std::optional<size_t> &Unguarded;
  const SharedPreamble &Preamble;
};

/// Builds the PCH of `Header`; on failure, `Unguarded` may name the line of
/// the first of its includes that has no guard.
bool buildPch(const std::vector<std::string> &Args, llvm::StringRef Header,
              const SharedPreamble &Preamble, llvm::StringRef Output,
              std::optional<size_t> &Unguarded) {
  std::vector<std::string> Command = {"clang"};
  Command.insert(Command.end(), Args.begin(), Args.end());
  // A unique temporary: concurrent runs may build the same PCH.
  llvm::SmallString<256> Temp;
  int FD = -1;
  if (llvm::sys::fs::createUniqueFile(Output + ".%%%%%%.tmp", FD, Temp))
    return false;
  llvm::sys::Process::SafelyCloseFileDescriptor(FD);
  Command.push_back("-o");
  Command.push_back(std::string(Temp));
  Command.push_back(Header.str());
  auto Files = llvm::makeIntrusiveRefCnt<clang::FileManager>(
      clang::FileSystemOptions(), llvm::vfs::getRealFileSystem());
  Unguarded.reset();
  GuardCheckingPchFactory Action(Unguarded, Preamble);
  clang::tooling::ToolInvocation Invocation(Command, &Action, Files.get(),
                                            std::make_shared<clang::PCHContainerOperations>());
  IgnoreDiagnostics Diagnostics;
  Invocation.setDiagnosticConsumer(&Diagnostics);
  if (!Invocation.run() || Diagnostics.getNumErrors() || Unguarded ||
      !llvm::sys::fs::exists(Temp)) {
    llvm::sys::fs::remove(Temp);
    return false;
  }
  return !llvm::sys::fs::rename(Temp, Output);
}

/// The preamble before line `Line` (1-based) and before the conditional
/// block that holds it, or nullopt when nothing would remain.
std::optional<std::string> truncatedBefore(llvm::StringRef Preamble, size_t Line) {
  size_t Offset = 0, Cut = 0;
  unsigned Depth = 0;
  for (size_t L = 1; Offset < Preamble.size() && L < Line; ++L) {
    size_t End = Preamble.find('\n', Offset);
    End = End == llvm::StringRef::npos ? Preamble.size() : End + 1;
    llvm::StringRef Text = Preamble.slice(Offset, End);
    if (Text.starts_with("#if"))
      ++Depth;
    else if (Text.starts_with("#endif") && Depth)
      --Depth;
    Offset = End;
    if (Depth == 0)
      Cut = Offset;
  }
  if (Cut == 0)
    return std::nullopt;
  return Preamble.take_front(Cut).str();
}

/// An empty file that says the preamble of this key cannot be
/// precompiled, so that no later parse tries again.
void markUnusable(llvm::StringRef Marker) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Marker, EC);
}

/// Keeps the newest `Keep` precompiled preambles (each is a few MB).
void evictOldPreambles(llvm::StringRef Dir, size_t Keep) {
  std::vector<std::pair<llvm::sys::TimePoint<>, std::string>> Pchs;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    llvm::sys::fs::file_status Status;
    if (Name.starts_with("preamble-") && (Name.ends_with(".pch") || Name.ends_with(".none")) &&
        !llvm::sys::fs::status(It->path(), Status))
      Pchs.push_back({Status.getLastModificationTime(), It->path()});
  }
  if (Pchs.size() <= Keep)
    return;
  llvm::sort(Pchs, [](const auto &A, const auto &B) { return A.first > B.first; });
  for (size_t I = Keep; I < Pchs.size(); ++I) {
    llvm::sys::fs::remove(Pchs[I].second);
    if (llvm::StringRef(Pchs[I].second).ends_with(".none"))
      continue;
    llvm::SmallString<256> Header(Pchs[I].second);
    llvm::sys::path::replace_extension(Header, ".h");
    llvm::sys::fs::remove(Header);
    llvm::sys::path::replace_extension(Header, ".hpp");
    llvm::sys::fs::remove(Header);
  }
}

} // namespace

std::optional<std::string> preamblePch(const std::string &File,
                                       const clang::tooling::CompileCommand &Command,
                                       const std::vector<std::string> &ExtraArgs,
                                       llvm::StringRef HeadersFingerprint,
                                       llvm::StringRef PythonInclude,
                                       const std::map<std::string, std::string> &Overlay) {
  std::string Dir = cacheDirectory();
  if (Dir.empty())
    return std::nullopt;
  std::vector<std::string> Args = compileArguments(Command, File);
  Args.insert(Args.end(), ExtraArgs.begin(), ExtraArgs.end());
  IncludeSearch Search = includeSearchOf(Args, Command.Directory, PythonInclude);
  auto ReadDisk = std::move(Search.Read);
  Search.Read = [&](const std::string &Path) -> std::optional<std::string> {
    auto It = Overlay.find(Path);
    return It != Overlay.end() ? std::optional<std::string>(It->second) : ReadDisk(Path);
  };
  std::optional<SharedPreamble> Prefix;
  if (std::optional<std::string> Text = Search.Read(canonicalPath(File)))
    Prefix = sharedPreamble(File, *Text, Search);
  if (!Prefix)
    return std::nullopt;
  bool Cxx = llvm::StringSwitch<bool>(llvm::sys::path::extension(File))
                 .Cases(".cpp", ".cc", ".cxx", ".C", true)
                 .Default(false);
  Args.push_back("-x");
  Args.push_back(Cxx ? "c++-header" : "c-header");

  llvm::SHA256 Hash;
  Hash.update(Prefix->Text);
  Hash.update(Prefix->Hoisted); // the check of the move read it
  Hash.update(Command.Directory);
  for (const std::string &A : Args)
    Hash.update(A + "\n");
  Hash.update(LLVM_VERSION_STRING);
  Hash.update(HeadersFingerprint);
  std::string Key = llvm::toHex(Hash.final(), /*LowerCase=*/true);
  std::string Header = Dir + "/preamble-" + Key + (Cxx ? ".hpp" : ".h");
  std::string Pch = Dir + "/preamble-" + Key + ".pch";
  std::string Unusable = Dir + "/preamble-" + Key + ".none";
  if (llvm::sys::fs::exists(Pch) && llvm::sys::fs::exists(Header))
    return Pch;
  if (llvm::sys::fs::exists(Unusable))
    return std::nullopt;
  if (llvm::sys::fs::create_directories(Dir))
    return std::nullopt;
  // A header without a guard would be parsed twice (in the PCH, and again
  // by the file): the preamble ends before it.
  std::optional<size_t> Unguarded;
  SharedPreamble Try = *Prefix;
  for (;;) {
    if (!writeCacheFile(Header, Try.Text))
      return std::nullopt;
    if (buildPch(Args, Header, Try, Pch, Unguarded))
      break;
    std::optional<std::string> Shorter =
        Unguarded ? truncatedBefore(Try.Text, *Unguarded) : std::nullopt;
    if (!Shorter) {
      markUnusable(Unusable);
      return std::nullopt;
    }
    Try.Text = *Shorter;
    if (Try.HoistLine && *Unguarded <= Try.HoistLine) // nothing is moved any more
      Try = SharedPreamble{Try.Text, "", 0};
  }
  if (!llvm::sys::fs::exists(Pch)) {
    markUnusable(Unusable);
    return std::nullopt;
  }
  // A port parses each flag set in a few variants (full API with -Wall, the
  // Limited API): room for a few dozen flag sets, about 3 MB each.
  evictOldPreambles(Dir, /*Keep=*/96);
  return Pch;
}

} // namespace abi3port
