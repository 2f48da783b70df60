//===- CheckCommand.cpp - abi3port check ----------------------------------===//
///
/// \file
/// `abi3port check [--target X.Y] [--format text|json|sarif] FILE...`: the
/// audit. Prints every Limited API blocker and isolation finding; exits 0
/// when there are none, 1 when there are, 2 on bad input.
///
//===----------------------------------------------------------------------===//
#include "tool/Commands.h"
#include "transforms/Audit.h"
#include "transforms/Output.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace abi3port {
namespace {

struct CheckOptions {
  CommonOptions Common;
  std::string Format = "text";
};

std::string currentDirectory() {
  llvm::SmallString<256> Dir;
  llvm::sys::fs::current_path(Dir);
  return std::string(Dir);
}

int runCheck(CheckOptions &Options) {
  std::optional<PythonVersion> Target = parseTarget(Options.Common.Target);
  if (!Target)
    return 2;
  OutputFormat Format = Options.Format == "json"    ? OutputFormat::Json
                        : Options.Format == "sarif" ? OutputFormat::Sarif
                                                    : OutputFormat::Text;
  InputOptions Inputs = Options.Common.Inputs;
  Inputs.CompilerArgs = compilerArgsAfterDashDash().Args;
  Inputs.HaveCompilerArgs = compilerArgsAfterDashDash().Present;
  llvm::Expected<Frontend> FE = Frontend::create(std::move(Inputs));
  if (!FE) {
    printError(llvm::toString(FE.takeError()));
    return 2;
  }
  llvm::Expected<LimitedSurface> Surface =
      probeLimitedSurface(FE->pythonInclude(), *Target);
  if (!Surface) {
    printError(llvm::toString(Surface.takeError()));
    return 2;
  }
  ApiKnowledge Knowledge(std::move(*Surface));
  AuditOptions Audit{FE->pythonInclude()};

  std::vector<std::vector<Finding>> PerFile(FE->files().size());
  std::vector<ParseResult> Parsed = FE->run([&](size_t I)
      -> std::unique_ptr<clang::tooling::FrontendActionFactory> {
    if (auto Buffer = llvm::MemoryBuffer::getFile(FE->files()[I]))
      if (auto Cython = detectCythonGenerated(FE->files()[I], (*Buffer)->getBuffer())) {
        PerFile[I].push_back(*Cython);
        return nullptr;
      }
    return makeAuditActionFactory(Knowledge, Audit, PerFile[I]);
  });

  std::vector<Finding> Findings;
  bool ParseFailed = false;
  for (size_t I = 0; I < Parsed.size(); ++I) {
    if (!Parsed[I].Parsed) {
      printError(Parsed[I].File + " does not parse: " + Parsed[I].FirstError);
      ParseFailed = true;
      continue;
    }
    Findings.insert(Findings.end(), PerFile[I].begin(), PerFile[I].end());
  }
  sortAndDeduplicate(Findings);
  writeFindings(llvm::outs(), Format, Findings, {*Target, currentDirectory()});
  llvm::outs().flush();
  if (ParseFailed)
    return 2;
  return Findings.empty() ? 0 : 1;
}

} // namespace

CLI::App *addCheckCommand(CLI::App &App, std::function<int()> &Run) {
  static CheckOptions Options;
  CLI::App *Command =
      App.add_subcommand("check", "list every site that stops a Limited API build");
  addCommonOptions(*Command, Options.Common);
  Command->add_option("--format", Options.Format, "text, json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  Command->callback([&Run] { Run = [] { return runCheck(Options); }; });
  return Command;
}

} // namespace abi3port
