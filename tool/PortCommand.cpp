//===- PortCommand.cpp - abi3port port ------------------------------------===//
///
/// \file
/// `abi3port port [--target X.Y] [--in-place] [--report FILE]
/// [--report-format text|json|markdown|sarif] [--rules LIST]
/// [--state module|global] [--no-verify] [--only ID,...] [--skip ID,...]
/// [--patches DIR] [--export-fixes FILE] FILE...`
///
/// Without --in-place, prints a unified diff (`git apply`-able) on stdout
/// and touches nothing. With --in-place, writes each changed file atomically
/// and refuses files that changed since they were read. With --patches,
/// writes a `git am`-able series, one patch per rule (edit/PatchSeries.h),
/// and prints the names of its files. The report of sites left for a human,
/// with the change groups applied (Changes.h), goes to --report FILE, or to
/// stderr as text. --only/--skip take or refuse change groups by id;
/// --export-fixes writes clang-tidy's fixes YAML.
///
/// Exit status: 0 when the port builds under the Limited API (the report may
/// still hold advice, such as moving globals into module state), 1 when
/// blocking sites remain, edits conflict or a file could not be written,
/// 2 on bad input.
///
//===----------------------------------------------------------------------===//
#include "tool/Commands.h"
#include "transforms/Output.h"
#include "transforms/Port.h"
#include "transforms/build/BuildConfig.h"
#include "transforms/edit/PatchSeries.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

namespace abi3port {
namespace {

struct PortOptions {
  CommonOptions Common;
  bool InPlace = false;
  std::string Report;
  std::string ReportFormat = "text";
  std::string Rules = "all";
  std::string State; ///< "" = the target's default (state/ModuleState.h)
  bool NoVerify = false;
  std::vector<std::string> Only, Skip;
  std::string Patches;
  std::string ExportFixes;
  bool BuildConfig = true;
};

/// Whether a source defines Py_LIMITED_API once the port is written.
bool definesLimitedApi(const std::string &File, const PortResult &Result) {
  std::string Text;
  auto Changed = llvm::find_if(Result.Files, [&](const FileEdits &F) { return F.File == File; });
  if (Changed != Result.Files.end())
    Text = Changed->Rewritten;
  else if (auto Buffer = llvm::MemoryBuffer::getFile(File))
    Text = (*Buffer)->getBuffer().str();
  return llvm::Regex("^[ \t]*#[ \t]*define[ \t]+Py_LIMITED_API", llvm::Regex::Newline)
      .match(Text);
}

/// The build configuration (build/BuildConfig.h), added to the port: its
/// files, its report sites, its change groups and, in a series, its step.
void addBuildConfig(PortResult &Result, const std::vector<std::string> &Sources,
                    PythonVersion Target, const std::string &Cwd) {
  std::vector<std::string> FullApi;
  for (const std::string &S : Sources)
    if (!definesLimitedApi(S, Result))
      FullApi.push_back(S);
  BuildConfigPort Build = portBuildConfig(Sources, repositoryRoot(Cwd), Target, FullApi);
  Result.Report.insert(Result.Report.end(), Build.Sites.begin(), Build.Sites.end());
  sortAndDeduplicate(Result.Report);
  if (Build.Files.empty())
    return;
  ChangeContext Ctx;
  Ctx.WorkingDir = Cwd;
  for (ChangeGroup &C : changeGroups(Build.Files, Ctx))
    Result.Changes.push_back(std::move(C));
  if (!Result.Series.empty()) {
    PatchStep Step;
    Step.Rule = "build-config";
    Step.Texts = Result.Series.back().Texts;
    for (const ChangeGroup &C : Result.Changes)
      if (C.Rule == "build-config")
        Step.Changes.push_back(C.Id);
    for (const FileEdits &F : Build.Files)
      Step.Texts[F.File] = F.Rewritten;
    Result.Series.push_back(std::move(Step));
  }
  Result.Files.insert(Result.Files.end(), Build.Files.begin(), Build.Files.end());
}

/// Opens an output file; prints the error and returns null when it cannot.
std::unique_ptr<llvm::raw_fd_ostream> openOutput(llvm::StringRef Option, llvm::StringRef Path) {
  if (Path.empty())
    return nullptr;
  std::error_code EC;
  auto OS = std::make_unique<llvm::raw_fd_ostream>(Path, EC);
  if (EC) {
    printError(Option + " " + Path + ": " + EC.message());
    return nullptr;
  }
  return OS;
}

/// Writes the series into `Dir`; false (with the error printed) on failure.
bool writePatches(const PortResult &Result, llvm::StringRef Dir, PythonVersion Target,
                  llvm::StringRef Cwd) {
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir)) {
    printError("--patches " + Dir + ": " + EC.message());
    return false;
  }
  for (const PatchFile &Patch :
       formatPatchSeries(Result, repositoryRoot(Cwd), patchDate(), Target)) {
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, Patch.Name);
    std::unique_ptr<llvm::raw_fd_ostream> OS = openOutput("--patches", Path);
    if (!OS)
      return false;
    *OS << Patch.Text;
    llvm::outs() << Path << "\n";
  }
  return true;
}

/// The path after a/ and b/ in the diff: relative to the working directory,
/// or the absolute path without its leading '/'.
std::string diffPath(llvm::StringRef File, llvm::StringRef Cwd) {
  return llvm::StringRef(displayPath(File, Cwd)).ltrim('/').str();
}

void writeMarkdown(llvm::raw_ostream &OS, const std::vector<Finding> &Report,
                   const OutputContext &Ctx) {
  OS << "# abi3port report (target " << Ctx.Target.str() << ")\n\n";
  auto Cell = [](std::string Text) {
    for (size_t P = 0; (P = Text.find('|', P)) != std::string::npos; P += 2)
      Text.replace(P, 1, "\\|");
    return Text;
  };
  if (Ctx.Changes && !Ctx.Changes->empty()) {
    OS << "## Changes applied\n\n| id | where | what | needs |\n|---|---|---|---|\n";
    for (const ChangeGroup &C : *Ctx.Changes)
      OS << "| `" << C.Id << "` | `" << displayPath(C.File, Ctx.WorkingDir) << ":" << C.Line
         << "` | " << Cell(C.Summary) << " | " << llvm::join(C.DependsOn, ", ") << " |\n";
    OS << "\n";
  }
  if (Report.empty()) {
    OS << "Nothing is left for a human.\n";
    return;
  }
  OS << "## Sites by cause\n\n| sites | blocking | rule | cause |\n|---|---|---|---|\n";
  for (const CauseGroup &G : groupByCause(Report))
    OS << "| " << G.Sites << " | " << G.Blockers << " | " << G.Rule << " | " << Cell(G.Cause)
       << " |\n";
  OS << "\n## Every site\n\n| where | rule | needs | from |\n|---|---|---|---|\n";
  for (const Finding &F : Report)
    OS << "| `" << displayPath(F.Pos.File, Ctx.WorkingDir) << ":" << F.Pos.Line << ":"
       << F.Pos.Column << "` | " << F.Rule << " | " << Cell(F.Message) << " | "
       << (F.MinVersion ? F.MinVersion->str() : std::string("-")) << " |\n";
}

void writeReport(llvm::raw_ostream &OS, llvm::StringRef Format,
                 const std::vector<Finding> &Report, const OutputContext &Ctx) {
  if (Format == "markdown")
    return writeMarkdown(OS, Report, Ctx);
  writeFindings(OS,
                Format == "json"    ? OutputFormat::Json
                : Format == "sarif" ? OutputFormat::Sarif
                                    : OutputFormat::Text,
                Report, Ctx);
}

int runPort(PortOptions &Options) {
  std::optional<PythonVersion> Target = parseTarget(Options.Common.Target);
  if (!Target)
    return 2;
  StateMode State = defaultStateMode(*Target);
  if (Options.State == "global")
    State = StateMode::Global;
  else if (Options.State == "module")
    State = StateMode::Module;
  if (State == StateMode::Module && *Target < ModuleStateMinimum) {
    printError("--state module needs --target " + ModuleStateMinimum.str() +
               " or later (PyType_FromModuleAndSpec and PyType_GetModule entered the Limited "
               "API in 3.10); use --state global for " + Target->str());
    return 2;
  }
  llvm::Expected<std::set<std::string>> Rules = selectRules(Options.Rules);
  if (!Rules) {
    printError(llvm::toString(Rules.takeError()));
    return 2;
  }
  std::optional<Session> Run = startSession(Options.Common, *Target);
  if (!Run)
    return 2;
  if (Options.InPlace && !Options.Patches.empty()) {
    printError("--patches and --in-place exclude each other");
    return 2;
  }
  // Open the outputs first: nothing is written in place if one cannot be.
  std::unique_ptr<llvm::raw_fd_ostream> ReportFile = openOutput("--report", Options.Report);
  std::unique_ptr<llvm::raw_fd_ostream> FixesFile =
      openOutput("--export-fixes", Options.ExportFixes);
  if ((!Options.Report.empty() && !ReportFile) || (!Options.ExportFixes.empty() && !FixesFile))
    return 2;
  std::string Cwd = currentDirectory();
  PortRequest Request;
  Request.Rules = *Rules;
  Request.State = State;
  Request.Verify = !Options.NoVerify;
  Request.Selection.Only.insert(Options.Only.begin(), Options.Only.end());
  Request.Selection.Skip.insert(Options.Skip.begin(), Options.Skip.end());
  Request.Series = !Options.Patches.empty();
  Request.WorkingDir = Cwd;
  PortResult Result = portFiles(Run->FE, Run->Knowledge, Request);
  for (const ParseResult &Failure : Result.Failures)
    printError(Failure.File + " does not parse: " + Failure.FirstError);
  if (!Result.Failures.empty())
    return 2;
  for (const std::string &Error : Result.SelectionErrors)
    printError("--only/--skip: " + Error + " (the ids are in the report's changes)");
  if (!Result.SelectionErrors.empty())
    return 2;

  if (Options.BuildConfig && Rules->count("build-config"))
    addBuildConfig(Result, Run->FE.files(), *Target, Cwd);

  bool WriteFailed = false;
  if (FixesFile)
    writeExportFixes(*FixesFile, Result.Changes, Result.Report, Run->FE.files().front());
  if (!Options.Patches.empty())
    WriteFailed = !writePatches(Result, Options.Patches, *Target, Cwd);
  for (const FileEdits &File : Options.Patches.empty() ? Result.Files : std::vector<FileEdits>{}) {
    if (!Options.InPlace) {
      llvm::outs() << unifiedDiff(File, diffPath(File.File, Cwd));
      continue;
    }
    if (llvm::Error Err = writeAtomically(File.File, File.Original, File.Rewritten)) {
      printError(llvm::toString(std::move(Err)));
      WriteFailed = true;
    }
  }
  llvm::outs().flush();

  OutputContext Ctx{*Target, Cwd, &Result.Changes};
  writeReport(ReportFile ? *ReportFile : llvm::errs(), Options.ReportFormat, Result.Report,
              Ctx);
  bool Blocked = llvm::any_of(Result.Report, [](const Finding &F) { return F.Blocker; });
  return WriteFailed || Blocked || !Result.Conflicts.empty() ? 1 : 0;
}

} // namespace

CLI::App *addPortCommand(CLI::App &App, std::function<int()> &Run) {
  static PortOptions Options;
  CLI::App *Command = App.add_subcommand(
      "port", "rewrite sources for the Limited API: a diff, or --in-place edits, and a report");
  addCommonOptions(*Command, Options.Common);
  Command->add_flag("--in-place", Options.InPlace, "edit the files (atomically)");
  Command->add_option("--report", Options.Report, "write the report of manual sites here");
  Command->add_option("--report-format", Options.ReportFormat, "text, json, markdown or sarif")
      ->check(CLI::IsMember({"text", "json", "markdown", "sarif"}));
  Command->add_option("--state", Options.State,
                      "where types and globals live: module (per-module state, multi-phase "
                      "init; default from 3.10) or global (process-wide; default below 3.10)")
      ->check(CLI::IsMember({"global", "module"}));
  Command->add_flag("--no-verify", Options.NoVerify,
                    "skip the self-verification (re-parsing the port under the full and the "
                    "Limited API); for speed only, the port may then be worse than its input");
  Command->add_option("--only", Options.Only,
                      "apply only these change groups (ids from the report), and what they need")
      ->delimiter(',');
  Command->add_option("--skip", Options.Skip,
                      "refuse these change groups (ids from the report), and what depends on them")
      ->delimiter(',');
  Command->add_option("--patches", Options.Patches,
                      "write a git am-able patch series into DIR, one patch per rule");
  Command->add_flag("--build-config,!--no-build-config", Options.BuildConfig,
                    "also make the project's build produce an abi3 wheel (setup.py, "
                    "pyproject.toml, CMakeLists.txt, meson.build; default on)");
  Command->add_option("--export-fixes", Options.ExportFixes,
                      "write the changes as clang-tidy fixes YAML (clang-apply-replacements)");
  Command->add_option("--rules", Options.Rules,
                      "rules to run, e.g. all,-checked-calls (see abi3port rules)");
  Command->callback([&Run] { Run = [] { return runPort(Options); }; });
  return Command;
}

} // namespace abi3port
