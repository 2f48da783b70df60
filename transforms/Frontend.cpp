#include "transforms/Frontend.h"
#include "transforms/ClangSetup.h"
#include "transforms/SourceMapping.h"
#include "transforms/Preamble.h"
#include "transforms/api/SurfaceCache.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendActions.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Threading.h"
#include <atomic>
#include <thread>

using namespace clang;
using namespace clang::tooling;

namespace abi3port {
namespace {

bool hasPythonH(llvm::StringRef Dir) {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, "Python.h");
  return llvm::sys::fs::exists(Path);
}

/// The first -I/-isystem directory of a command that holds Python.h.
std::string includeFromCommand(const CompileCommand &Command) {
  const std::vector<std::string> &Args = Command.CommandLine;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    for (llvm::StringRef Flag : {"-I", "-isystem"}) {
      if (!Arg.starts_with(Flag))
        continue;
      std::string Dir = Arg.size() > Flag.size() ? Arg.drop_front(Flag.size()).str()
                        : I + 1 < Args.size()    ? Args[I + 1]
                                                 : "";
      if (!Dir.empty() && !llvm::sys::path::is_absolute(Dir))
        Dir = Command.Directory + "/" + Dir;
      if (!Dir.empty() && hasPythonH(Dir))
        return Dir;
    }
  }
  return "";
}

/// A compilation database of precomputed commands, one file each: threads
/// never share the user's database object.
class SingleCommandDatabase : public CompilationDatabase {
public:
  explicit SingleCommandDatabase(CompileCommand Command) : Command(std::move(Command)) {}
  std::vector<CompileCommand> getCompileCommands(llvm::StringRef) const override {
    return {Command};
  }

private:
  CompileCommand Command;
};

/// Keeps the first error of a parse; everything else is noise for us.
class FirstErrorConsumer : public DiagnosticConsumer {
public:
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error || !First.empty())
      return;
    llvm::SmallString<256> Message;
    Info.FormatDiagnostic(Message);
    std::string Where = "<unknown>";
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      PresumedLoc P = Info.getSourceManager().getPresumedLoc(
          Info.getSourceManager().getFileLoc(Info.getLocation()));
      if (P.isValid())
        Where = std::string(P.getFilename()) + ":" + std::to_string(P.getLine()) + ":" +
                std::to_string(P.getColumn());
    }
    First = Where + ": error: " + std::string(Message);
  }
  std::string First;
};

/// Records every warning and error of a parse, with its user-file position.
class RecordingConsumer : public DiagnosticConsumer {
public:
  RecordingConsumer(std::string IncludeDir, std::vector<CompilerDiagnostic> &Out)
      : IncludeDir(std::move(IncludeDir)), Out(Out) {}

  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Warning)
      return;
    CompilerDiagnostic D;
    D.Error = Level >= DiagnosticsEngine::Error;
    llvm::SmallString<256> Message;
    Info.FormatDiagnostic(Message);
    D.Message = Message.str().str();
    llvm::StringRef Flag = DiagnosticIDs::getWarningOptionForDiag(Info.getID());
    if (!D.Error && !Flag.empty())
      D.Message += " [-W" + Flag.str() + "]";
    if (Info.hasSourceManager() && Info.getLocation().isValid())
      locate(Info.getSourceManager(), Info.getLocation(), D);
    Out.push_back(std::move(D));
  }

private:
  static void position(const SourceManager &SM, SourceLocation Loc, std::string &File,
                       unsigned &Line, unsigned &Column) {
    OptionalFileEntryRef FE = SM.getFileEntryRefForID(SM.getFileID(Loc));
    if (!FE)
      return;
    File = canonicalPath(FE->getName());
    Line = SM.getSpellingLineNumber(Loc);
    Column = SM.getSpellingColumnNumber(Loc);
  }

  void locate(const SourceManager &SM, SourceLocation Loc, CompilerDiagnostic &D) {
    if (!Files || &Files->sourceManager() != &SM)
      Files.emplace(SM, IncludeDir);
    SourceLocation At = SM.getFileLoc(Loc);
    position(SM, At, D.File, D.Line, D.Column);
    while (At.isValid() && !Files->isUser(At))
      At = SM.getIncludeLoc(SM.getFileID(At));
    if (At.isValid())
      position(SM, At, D.UserFile, D.UserLine, D.UserColumn);
  }

  std::string IncludeDir;
  std::optional<FileClassifier> Files;
  std::vector<CompilerDiagnostic> &Out;
};

} // namespace

std::string CompilerDiagnostic::text() const {
  std::string Where = File.empty() ? std::string("<command line>")
                                   : File + ":" + std::to_string(Line) + ":" +
                                         std::to_string(Column);
  return Where + (Error ? ": error: " : ": warning: ") + Message;
}

std::string askPythonForInclude(llvm::StringRef Python) {
  llvm::ErrorOr<std::string> Exe = llvm::sys::findProgramByName(Python);
  if (!Exe)
    return "";
  llvm::SmallString<128> OutFile;
  if (llvm::sys::fs::createTemporaryFile("abi3port-pyinc", "txt", OutFile))
    return "";
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, llvm::StringRef(OutFile),
                                                llvm::StringRef("")};
  llvm::StringRef Args[] = {*Exe, "-c",
                            "import sysconfig; print(sysconfig.get_path('include'))"};
  int RC = llvm::sys::ExecuteAndWait(*Exe, Args, std::nullopt, Redirects, 30);
  auto Buffer = llvm::MemoryBuffer::getFile(OutFile);
  llvm::sys::fs::remove(OutFile);
  if (RC != 0 || !Buffer)
    return "";
  std::string Dir = (*Buffer)->getBuffer().trim().str();
  return hasPythonH(Dir) ? Dir : "";
}

llvm::Expected<Frontend> Frontend::create(InputOptions Options) {
  Frontend F;
  if (Options.Files.empty())
    return llvm::createStringError("no input files");
  for (const std::string &File : Options.Files) {
    if (!llvm::sys::fs::exists(File))
      return llvm::createStringError(File + ": no such file");
    if (llvm::sys::fs::is_directory(File))
      return llvm::createStringError(File + ": is a directory, not a source file");
    F.Files.push_back(canonicalPath(File));
  }

  std::unique_ptr<CompilationDatabase> DB;
  std::string Error;
  if (!Options.BuildDir.empty()) {
    DB = CompilationDatabase::loadFromDirectory(Options.BuildDir, Error);
    if (!DB)
      return llvm::createStringError("-p " + Options.BuildDir + ": " + Error);
    DB = inferMissingCompileCommands(std::move(DB));
    // Arguments after `--` extend every command, as clang-tidy's --extra-arg.
    if (!Options.CompilerArgs.empty()) {
      auto Adjusting = std::make_unique<ArgumentsAdjustingCompilations>(std::move(DB));
      Adjusting->appendArgumentsAdjuster(
          getInsertArgumentAdjuster(Options.CompilerArgs, ArgumentInsertPosition::END));
      DB = std::move(Adjusting);
    }
  } else if (!Options.HaveCompilerArgs &&
             (DB = CompilationDatabase::autoDetectFromSource(F.Files.front(), Error))) {
    // As clang-tidy: a compile_commands.json in a parent directory.
    DB = inferMissingCompileCommands(std::move(DB));
  } else {
    DB = std::make_unique<FixedCompilationDatabase>(".", Options.CompilerArgs);
  }
  for (const std::string &File : F.Files) {
    std::vector<CompileCommand> Commands = DB->getCompileCommands(File);
    if (Commands.empty())
      return llvm::createStringError(File + ": no compile command in " +
                                     Options.BuildDir + "/compile_commands.json");
    F.Commands.push_back(Commands.front());
  }

  F.PythonInclude = Options.PythonInclude;
  if (F.PythonInclude.empty())
    F.PythonInclude = includeFromCommand(F.Commands.front());
  for (llvm::StringRef Python : {"python3", "/usr/bin/python3"})
    if (F.PythonInclude.empty())
      F.PythonInclude = askPythonForInclude(Python);
  if (F.PythonInclude.empty())
    return llvm::createStringError(
        "cannot find CPython's headers: install python3-dev or pass --python-include DIR");
  if (!hasPythonH(F.PythonInclude))
    return llvm::createStringError("--python-include " + F.PythonInclude +
                                   ": no Python.h there");
  F.PythonInclude = canonicalPath(F.PythonInclude);
  F.ExtraArgs = {clangResourceDirArg(), "-I" + F.PythonInclude, "-fno-caret-diagnostics"};
  F.Jobs = Options.Jobs ? Options.Jobs : std::max(1u, std::thread::hardware_concurrency());
  F.UsePreamble = !llvm::sys::Process::GetEnv("ABI3PORT_NO_PREAMBLE");
  for (auto &[Path, Text] : Options.Overlay)
    F.Overlay[canonicalPath(Path)] = std::move(Text);
  if (F.UsePreamble) // once per run, not per file
    F.HeadersFingerprint = headersFingerprint(F.PythonInclude);
  return F;
}

/// A tool for one file whose working directory is its own: ClangTool on the
/// real file system would change the process's working directory, which
/// other threads share.
static std::unique_ptr<ClangTool> toolFor(const CompilationDatabase &DB, const std::string &File) {
  return std::make_unique<ClangTool>(DB, std::vector<std::string>{File},
                                     std::make_shared<PCHContainerOperations>(),
                                     llvm::vfs::createPhysicalFileSystem());
}

std::vector<CompilerDiagnostic>
Frontend::diagnose(size_t I, const std::map<std::string, std::string> &Overlay,
                   const std::vector<std::string> &MoreArgs, bool &Ran) const {
  return diagnoseWith(
      I, Overlay, MoreArgs,
      [] { return std::make_unique<QuietActionFactory<SyntaxOnlyAction>>(); }, Ran);
}

std::vector<CompilerDiagnostic>
Frontend::diagnoseWith(size_t I, const std::map<std::string, std::string> &Overlay,
                       const std::vector<std::string> &MoreArgs,
                       const std::function<std::unique_ptr<FrontendActionFactory>()> &MakeFactory,
                       bool &Ran) const {
  std::vector<std::string> Args = ExtraArgs;
  Args.insert(Args.end(), MoreArgs.begin(), MoreArgs.end());
  std::map<std::string, std::string> Merged = this->Overlay; // the request's texts win
  for (const auto &[Path, Text] : Overlay)
    Merged[Path] = Text;
  std::optional<std::string> Pch;
  if (UsePreamble)
    Pch = preamblePch(Files[I], Commands[I], Args, HeadersFingerprint, PythonInclude, Merged);
  auto Parse = [&](const std::optional<std::string> &Pch) {
    SingleCommandDatabase DB(Commands[I]);
    std::unique_ptr<ClangTool> Tool = toolFor(DB, Files[I]);
    for (const auto &[Path, Text] : Merged)
      Tool->mapVirtualFile(Path, Text);
    std::vector<std::string> All = Args;
    if (Pch)
      All.insert(All.end(), {"-include-pch", *Pch, "-Xclang", "-fmodules-validate-system-headers"});
    Tool->appendArgumentsAdjuster(getInsertArgumentAdjuster(All, ArgumentInsertPosition::END));
    std::vector<CompilerDiagnostic> Diagnostics;
    RecordingConsumer Recorder(PythonInclude, Diagnostics);
    Tool->setDiagnosticConsumer(&Recorder);
    Tool->setPrintErrorMessage(false);
    std::unique_ptr<FrontendActionFactory> Factory = MakeFactory();
    int RC = Tool->run(Factory.get());
    // A parse with errors returns 1 too; only no diagnostic at all is a failure to run.
    Ran = RC == 0 || !Diagnostics.empty();
    return Diagnostics;
  };
  std::vector<CompilerDiagnostic> Diagnostics = Parse(Pch);
  bool PchRefused = Pch && llvm::any_of(Diagnostics, [](const CompilerDiagnostic &D) {
    return D.Error && (llvm::StringRef(D.Message).contains("precompiled") ||
                       llvm::StringRef(D.Message).contains("PCH"));
  });
  if (PchRefused) {
    llvm::sys::fs::remove(*Pch);
    Diagnostics = Parse(std::nullopt);
  }
  return Diagnostics;
}

/// Passes each diagnostic to both consumers.
class TeeConsumer : public DiagnosticConsumer {
public:
  TeeConsumer(DiagnosticConsumer &A, DiagnosticConsumer *B) : A(A), B(B) {}
  void BeginSourceFile(const LangOptions &LO, const Preprocessor *PP) override {
    A.BeginSourceFile(LO, PP);
    if (B)
      B->BeginSourceFile(LO, PP);
  }
  void EndSourceFile() override {
    A.EndSourceFile();
    if (B)
      B->EndSourceFile();
  }
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    A.HandleDiagnostic(Level, Info);
    if (B)
      B->HandleDiagnostic(Level, Info);
  }

private:
  DiagnosticConsumer &A;
  DiagnosticConsumer *B;
};

ParseResult Frontend::parseOne(size_t I, FrontendActionFactory &Factory,
                               const std::optional<std::string> &Pch,
                               const std::vector<std::string> &MoreArgs,
                               std::vector<CompilerDiagnostic> *Diagnostics) const {
  SingleCommandDatabase DB(Commands[I]);
  std::unique_ptr<ClangTool> Owned = toolFor(DB, Files[I]);
  ClangTool &Tool = *Owned;
  for (const auto &[Path, Text] : Overlay)
    Tool.mapVirtualFile(Path, Text);
  std::vector<std::string> Args = ExtraArgs;
  Args.insert(Args.end(), MoreArgs.begin(), MoreArgs.end());
  if (Pch)
    Args.insert(Args.end(), {"-include-pch", *Pch, "-Xclang", "-fmodules-validate-system-headers"});
  Tool.appendArgumentsAdjuster(getInsertArgumentAdjuster(Args, ArgumentInsertPosition::END));
  FirstErrorConsumer Errors;
  std::optional<RecordingConsumer> Recorder;
  if (Diagnostics) {
    Diagnostics->clear();
    Recorder.emplace(PythonInclude, *Diagnostics);
  }
  TeeConsumer Both(Errors, Recorder ? &*Recorder : nullptr);
  Tool.setDiagnosticConsumer(&Both);
  Tool.setPrintErrorMessage(false); // the caller reports failures
  int RC = Tool.run(&Factory);
  return {Files[I], RC == 0 && Errors.First.empty(), Errors.First};
}

void Frontend::forEach(size_t N, const std::function<void(size_t)> &Work) const {
  std::atomic<size_t> Next{0};
  auto Worker = [&] {
    for (size_t I = Next++; I < N; I = Next++)
      Work(I);
  };
  unsigned Threads = std::min<size_t>(Jobs, N);
  std::vector<std::thread> Pool;
  for (unsigned T = 1; T < Threads; ++T)
    Pool.emplace_back(Worker);
  Worker();
  for (std::thread &T : Pool)
    T.join();
}

std::vector<ParseResult> Frontend::run(
    const std::function<std::unique_ptr<FrontendActionFactory>(size_t)> &MakeFactory) const {
  std::vector<std::optional<std::vector<CompilerDiagnostic>>> None(Files.size());
  return run(MakeFactory, [](size_t) { return std::nullopt; }, None);
}

std::vector<ParseResult> Frontend::run(
    const std::function<std::unique_ptr<FrontendActionFactory>(size_t)> &MakeFactory,
    const RecordedArgs &MoreArgs,
    std::vector<std::optional<std::vector<CompilerDiagnostic>>> &Diagnostics) const {
  std::vector<ParseResult> Results(Files.size());
  forEach(Files.size(), [&](size_t I) {
      std::unique_ptr<FrontendActionFactory> Factory = MakeFactory(I);
      if (!Factory) { // the caller handled this file without parsing it
        Results[I] = {Files[I], true, ""};
        return;
      }
      std::optional<std::vector<std::string>> More = MoreArgs(I);
      std::vector<std::string> Extra = More.value_or(std::vector<std::string>{});
      std::vector<std::string> Args = ExtraArgs;
      Args.insert(Args.end(), Extra.begin(), Extra.end());
      std::vector<CompilerDiagnostic> Recorded;
      std::vector<CompilerDiagnostic> *Record = More ? &Recorded : nullptr;
      std::optional<std::string> Pch =
          UsePreamble ? preamblePch(Files[I], Commands[I], Args, HeadersFingerprint,
                                    PythonInclude, Overlay)
                      : std::nullopt;
      Results[I] = parseOne(I, *Factory, Pch, Extra, Record);
      if (!Results[I].Parsed && Pch) {
        // A PCH clang refuses (or one that changes the outcome) is dropped.
        llvm::sys::fs::remove(*Pch);
        Factory = MakeFactory(I);
        Results[I] = parseOne(I, *Factory, std::nullopt, Extra, Record);
      }
      if (More)
        Diagnostics[I] = std::move(Recorded);
      if (!Results[I].Parsed && Results[I].FirstError.empty())
        Results[I].FirstError = Files[I] + ": the compiler could not run on this file";
  });
  return Results;
}

} // namespace abi3port
