//===- CheckCommand.cpp - abi3port check ----------------------------------===//
///
/// \file
/// `abi3port check [--target X.Y] [--format text|json|sarif]
/// [--export-fixes FILE] FILE...`: the audit. Prints every Limited API
/// blocker and isolation finding; exits 0 when there are none, 1 when there
/// are, 2 on bad input. With SARIF or --export-fixes it also computes the
/// port (self-verified, as `port` would write it): each fixable result gets
/// its change group as SARIF `fixes`, and the YAML holds every change.
///
//===----------------------------------------------------------------------===//
#include "tool/Commands.h"
#include "transforms/Check.h"
#include "transforms/Output.h"
#include "transforms/Port.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace abi3port {
namespace {

struct CheckOptions {
  CommonOptions Common;
  std::string Format = "text";
  std::string ExportFixes;
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
  OutputContext Ctx{*Target, currentDirectory()};
  PortResult Port;
  if (Result.Failures.empty() && (Format == OutputFormat::Sarif || !Options.ExportFixes.empty())) {
    PortRequest Request;
    Request.Rules = *selectRules("all");
    Request.State = defaultStateMode(*Target);
    Request.WorkingDir = Ctx.WorkingDir;
    Port = portFiles(Run->FE, Run->Knowledge, Request);
    Ctx.Changes = &Port.Changes;
    Ctx.ChangesAsFixes = true;
  }
  if (!Options.ExportFixes.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream Fixes(Options.ExportFixes, EC);
    if (EC) {
      printError("--export-fixes " + Options.ExportFixes + ": " + EC.message());
      return 2;
    }
    writeExportFixes(Fixes, Port.Changes, Port.Report, Run->FE.files().front());
  }
  writeFindings(llvm::outs(), Format, Result.Findings, Ctx);
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
  Command->add_option("--export-fixes", Options.ExportFixes,
                      "write the port's changes as clang-tidy fixes YAML (clang-apply-replacements)");
  Command->callback([&Run] { Run = [] { return runCheck(Options); }; });
  return Command;
}

} // namespace abi3port
