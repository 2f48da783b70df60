//===- ApiCommand.cpp - abi3port api --------------------------------------===//
///
/// \file
/// `abi3port api [--target X.Y] NAME...` answers, from the manifest and the
/// installed headers, whether each name is in the target's Limited API, from
/// which version, and what replaces it. `--disagreements` lists the names on
/// which the manifest and the headers differ.
///
//===----------------------------------------------------------------------===//
#include "tool/Commands.h"
#include "transforms/api/SurfaceCache.h"
#include "transforms/api/ApiKnowledge.h"

#include "llvm/Support/raw_ostream.h"

namespace abi3port {
namespace {

struct ApiOptions {
  std::string Target = DefaultTarget.str();
  std::string PythonInclude;
  bool Disagreements = false;
  std::vector<std::string> Names;
};

void describe(const ApiKnowledge &K, const std::string &Name) {
  Availability A = K.lookup(Name);
  llvm::outs() << Name << ": "
               << (A.Available ? "available" : "not available") << " at "
               << K.target().str();
  if (A.AvailableFrom)
    llvm::outs() << " (Limited API from " << A.AvailableFrom->str() << ")";
  if (const ManifestItem *M = Manifest::get().lookup(Name))
    llvm::outs() << "; manifest: " << kindName(M->Kind) << " added " << M->Added.str()
                 << (M->AbiOnly ? ", ABI only" : "");
  else
    llvm::outs() << "; not in the manifest";
  if (A.Replacement)
    llvm::outs() << "; use " << A.Replacement->Replacement << " ("
                 << A.Replacement->Since.str() << ")";
  llvm::outs() << "\n";
}

int runApi(ApiOptions &Options) {
  std::optional<PythonVersion> Target = parseTarget(Options.Target);
  if (!Target)
    return 2;
  std::string Include = Options.PythonInclude;
  for (llvm::StringRef Python : {"python3", "/usr/bin/python3"})
    if (Include.empty())
      Include = askPythonForInclude(Python);
  if (Include.empty()) {
    printError("cannot find CPython's headers: pass --python-include DIR");
    return 2;
  }
  llvm::Expected<LimitedSurface> Surface = cachedLimitedSurface(Include, *Target);
  if (!Surface) {
    printError(llvm::toString(Surface.takeError()));
    return 2;
  }
  ApiKnowledge K(std::move(*Surface));
  for (const std::string &Name : Options.Names)
    describe(K, Name);
  if (Options.Disagreements)
    for (const Disagreement &D : K.disagreements())
      llvm::outs() << D.Name << ": " << D.What << "\n";
  return 0;
}

} // namespace

CLI::App *addApiCommand(CLI::App &App, std::function<int()> &Run) {
  static ApiOptions Options;
  CLI::App *Command = App.add_subcommand(
      "api", "tell whether names are in the Limited API at a target");
  Command->add_option("--target", Options.Target, "Python version (default " +
                                                      DefaultTarget.str() + ")");
  Command->add_option("--python-include", Options.PythonInclude, "CPython include directory");
  Command->add_flag("--disagreements", Options.Disagreements,
                    "list names on which the manifest and the headers disagree");
  Command->add_option("NAME", Options.Names, "API names");
  Command->callback([&Run] { Run = [] { return runApi(Options); }; });
  return Command;
}

} // namespace abi3port
