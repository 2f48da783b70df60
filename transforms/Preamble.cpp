#include "transforms/Preamble.h"
#include "transforms/ClangSetup.h"
#include "transforms/api/SurfaceCache.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Frontend/FrontendActions.h"
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

bool isPythonInclude(llvm::StringRef Directive) {
  Directive = Directive.ltrim();
  if (!Directive.consume_front("include"))
    return false;
  Directive = Directive.trim();
  return Directive == "<Python.h>" || Directive == "\"Python.h\"";
}

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

bool buildPch(const std::vector<std::string> &Args, llvm::StringRef Header,
              llvm::StringRef Output) {
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
  QuietActionFactory<clang::GeneratePCHAction> Action;
  clang::tooling::ToolInvocation Invocation(Command, &Action, Files.get(),
                                            std::make_shared<clang::PCHContainerOperations>());
  IgnoreDiagnostics Diagnostics;
  Invocation.setDiagnosticConsumer(&Diagnostics);
  if (!Invocation.run() || Diagnostics.getNumErrors() || !llvm::sys::fs::exists(Temp)) {
    llvm::sys::fs::remove(Temp);
    return false;
  }
  return !llvm::sys::fs::rename(Temp, Output);
}

/// Keeps the newest `Keep` precompiled preambles (each is a few MB).
void evictOldPreambles(llvm::StringRef Dir, size_t Keep) {
  std::vector<std::pair<llvm::sys::TimePoint<>, std::string>> Pchs;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    llvm::sys::fs::file_status Status;
    if (Name.starts_with("preamble-") && Name.ends_with(".pch") &&
        !llvm::sys::fs::status(It->path(), Status))
      Pchs.push_back({Status.getLastModificationTime(), It->path()});
  }
  if (Pchs.size() <= Keep)
    return;
  llvm::sort(Pchs, [](const auto &A, const auto &B) { return A.first > B.first; });
  for (size_t I = Keep; I < Pchs.size(); ++I) {
    llvm::sys::fs::remove(Pchs[I].second);
    llvm::SmallString<256> Header(Pchs[I].second);
    llvm::sys::path::replace_extension(Header, ".h");
    llvm::sys::fs::remove(Header);
    llvm::sys::path::replace_extension(Header, ".hpp");
    llvm::sys::fs::remove(Header);
  }
}

} // namespace

std::optional<std::string> pythonPreamble(llvm::StringRef Source) {
  size_t Offset = 0;
  bool InComment = false;
  while (Offset < Source.size()) {
    size_t End = Source.find('\n', Offset);
    End = End == llvm::StringRef::npos ? Source.size() : End + 1;
    llvm::StringRef Line = Source.slice(Offset, End).trim();
    Offset = End;
    if (InComment) {
      InComment = !Line.contains("*/");
      continue;
    }
    if (Line.empty() || Line.starts_with("//"))
      continue;
    if (Line.starts_with("/*")) {
      InComment = !Line.contains("*/");
      if (!InComment && !Line.ends_with("*/"))
        return std::nullopt; // code after a comment on the same line
      continue;
    }
    if (!Line.consume_front("#"))
      return std::nullopt;
    if (isPythonInclude(Line))
      return Source.take_front(Offset).str();
    llvm::StringRef Directive = Line.ltrim();
    if (!Directive.starts_with("define") && !Directive.starts_with("undef"))
      return std::nullopt;
    if (Line.ends_with("\\"))
      return std::nullopt; // multi-line macros: keep it simple
  }
  return std::nullopt;
}

std::optional<std::string> preamblePch(const std::string &File,
                                       const clang::tooling::CompileCommand &Command,
                                       const std::vector<std::string> &ExtraArgs,
                                       llvm::StringRef HeadersFingerprint,
                                       std::optional<llvm::StringRef> Text) {
  std::string Dir = cacheDirectory();
  if (Dir.empty())
    return std::nullopt;
  std::optional<std::string> Prefix;
  if (Text) {
    Prefix = pythonPreamble(*Text);
  } else if (auto Source = llvm::MemoryBuffer::getFile(File)) {
    Prefix = pythonPreamble((*Source)->getBuffer());
  }
  if (!Prefix)
    return std::nullopt;
  bool Cxx = llvm::StringSwitch<bool>(llvm::sys::path::extension(File))
                 .Cases(".cpp", ".cc", ".cxx", ".C", true)
                 .Default(false);
  std::vector<std::string> Args = compileArguments(Command, File);
  Args.insert(Args.end(), ExtraArgs.begin(), ExtraArgs.end());
  Args.push_back("-x");
  Args.push_back(Cxx ? "c++-header" : "c-header");

  llvm::SHA256 Hash;
  Hash.update(*Prefix);
  Hash.update(Command.Directory);
  for (const std::string &A : Args)
    Hash.update(A + "\n");
  Hash.update(LLVM_VERSION_STRING);
  Hash.update(HeadersFingerprint);
  std::string Key = llvm::toHex(Hash.final(), /*LowerCase=*/true);
  std::string Header = Dir + "/preamble-" + Key + (Cxx ? ".hpp" : ".h");
  std::string Pch = Dir + "/preamble-" + Key + ".pch";
  if (llvm::sys::fs::exists(Pch) && llvm::sys::fs::exists(Header))
    return Pch;
  if (llvm::sys::fs::create_directories(Dir))
    return std::nullopt;
  if (!llvm::sys::fs::exists(Header)) {
    llvm::SmallString<256> Temp;
    int FD = -1;
    if (llvm::sys::fs::createUniqueFile(Header + ".%%%%%%.tmp", FD, Temp))
      return std::nullopt;
    {
      llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
      OS << *Prefix;
    }
    if (llvm::sys::fs::rename(Temp, Header))
      return std::nullopt;
  }
  if (!buildPch(Args, Header, Pch))
    return std::nullopt;
  // A port parses each flag set in a few variants (full API with -Wall, the
  // Limited API): room for a few dozen flag sets, about 3 MB each.
  evictOldPreambles(Dir, /*Keep=*/96);
  return Pch;
}

} // namespace abi3port
