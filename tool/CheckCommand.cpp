//===- CheckCommand.cpp - abi3port check ----------------------------------===//
///
/// \file
/// `abi3port check [--target X.Y] [--format text|json|sarif] FILE...`: the
/// audit. Prints every Limited API blocker and isolation finding; exits 0
/// when there are none, 1 when there are, 2 on bad input.
///
//===----------------------------------------------------------------------===//
#include "tool/Commands.h"
#include "transforms/Check.h"
#include "transforms/Output.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace abi3port {
namespace {

struct CheckOptions {
  CommonOptions Common;
  std::string Format = "text";
};

int runCheck(CheckOptions &Options) {
  std::optional<PythonVersion> Target = parseTarget(Options.Common.Target);
  if (!Target)
    return 2;
  OutputFormat Format = Options.Format == "json"    ? OutputFormat::Json
                        : Options.Format == "sarif" ? OutputFormat::Sarif
                                                    : OutputFormat::Text;
  std::optional<Session> Run = startSession(Options.Common, *Target);
  if (!Run)
    return 2;
  CheckResult Result = checkFiles(Run->FE, Run->Knowledge);
  for (const ParseResult &Failure : Result.Failures)
    printError(Failure.File + " does not parse: " + Failure.FirstError);
  writeFindings(llvm::outs(), Format, Result.Findings, {*Target, currentDirectory()});
  llvm::outs().flush();
  if (!Result.Failures.empty())
    return 2;
  return Result.Findings.empty() ? 0 : 1;
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
