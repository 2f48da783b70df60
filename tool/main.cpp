//===- main.cpp - abi3port command line -----------------------------------===//
///
/// \file
/// Splits the command line at `--` (what follows is the compiler's), lets
/// CLI11 parse the rest, and runs the chosen subcommand.
///
//===----------------------------------------------------------------------===//
#include "tool/Commands.h"
#include "transforms/api/ApiKnowledge.h"
#include "transforms/api/SurfaceCache.h"

#include "llvm/Support/raw_ostream.h"
#include <cstring>

using namespace abi3port;

namespace {

/// Everything after the first `--`, which CLI11 must not see.
std::vector<std::string> takeCompilerArgs(int &Argc, char **Argv, bool &Found) {
  std::vector<std::string> Args;
  Found = false;
  for (int I = 1; I < Argc; ++I) {
    if (std::strcmp(Argv[I], "--") != 0)
      continue;
    Found = true;
    for (int J = I + 1; J < Argc; ++J)
      Args.emplace_back(Argv[J]);
    Argc = I;
    break;
  }
  return Args;
}

} // namespace

namespace abi3port {

CompilerArgs &compilerArgsAfterDashDash() {
  static CompilerArgs Args;
  return Args;
}

void printError(const llvm::Twine &Message) {
  llvm::errs() << "abi3port: error: " << Message << "\n";
}

std::optional<PythonVersion> parseTarget(const std::string &Text) {
  std::optional<PythonVersion> V = PythonVersion::parse(Text);
  PythonVersion Newest = OldestTarget;
  for (const ManifestItem &Item : Manifest::get().items())
    Newest = std::max(Newest, Item.Added);
  if (!V || *V < OldestTarget || *V > Newest) {
    printError("unknown target '" + Text + "': give a Python version from " +
               OldestTarget.str() + " to " + Newest.str() + ", such as --target 3.11");
    return std::nullopt;
  }
  return V;
}

std::optional<Session> startSession(const CommonOptions &Options, PythonVersion Target) {
  InputOptions Inputs = Options.Inputs;
  Inputs.CompilerArgs = compilerArgsAfterDashDash().Args;
  Inputs.HaveCompilerArgs = compilerArgsAfterDashDash().Present;
  llvm::Expected<Frontend> FE = Frontend::create(std::move(Inputs));
  if (!FE) {
    printError(llvm::toString(FE.takeError()));
    return std::nullopt;
  }
  llvm::Expected<LimitedSurface> Surface = cachedLimitedSurface(FE->pythonInclude(), Target);
  if (!Surface) {
    printError(llvm::toString(Surface.takeError()));
    return std::nullopt;
  }
  return Session{std::move(*FE), ApiKnowledge(std::move(*Surface))};
}

void addCommonOptions(CLI::App &Command, CommonOptions &Options) {
  Command.add_option("--target", Options.Target,
                     "oldest Python the port must support (default " +
                         DefaultTarget.str() + ")");
  Command.add_option("-p", Options.Inputs.BuildDir,
                     "build directory holding compile_commands.json");
  Command.add_option("--python-include", Options.Inputs.PythonInclude,
                     "CPython include directory (default: found automatically)");
  Command.add_option("-j", Options.Inputs.Jobs, "parallel jobs (default: all cores)");
  Command.add_option("FILE", Options.Inputs.Files, "source files")->required();
}

} // namespace abi3port

int main(int Argc, char **Argv) {
  bool HaveCompilerArgs = false;
  std::vector<std::string> CompilerArgs = takeCompilerArgs(Argc, Argv, HaveCompilerArgs);

  CLI::App App{"abi3port: port CPython extension modules to the Limited API"};
  App.require_subcommand(1);
  std::function<int()> Run;
  addCheckCommand(App, Run);
  addPortCommand(App, Run);
  addRulesCommand(App, Run);
  addApiCommand(App, Run);
  addLspCommand(App, Run);
  addVerifyCommand(App, Run);
  try {
    App.parse(Argc, Argv);
  } catch (const CLI::CallForHelp &E) {
    return App.exit(E);
  } catch (const CLI::CallForAllHelp &E) {
    return App.exit(E);
  } catch (const CLI::ParseError &E) {
    printError(E.what());
    llvm::errs() << "run 'abi3port --help' for usage\n";
    return 2;
  }
  compilerArgsAfterDashDash() = {std::move(CompilerArgs), HaveCompilerArgs};
  return Run();
}
