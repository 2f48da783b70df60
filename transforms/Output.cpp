#include "transforms/Output.h"
#include "transforms/Registry.h"

#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace abi3port {

std::string currentDirectory() {
  llvm::SmallString<256> Dir;
  llvm::sys::fs::current_path(Dir);
  return std::string(Dir);
}

std::string displayPath(llvm::StringRef File, llvm::StringRef Dir) {
  if (!Dir.empty() && File.starts_with(Dir) && File.size() > Dir.size() &&
      File[Dir.size()] == '/')
    return File.drop_front(Dir.size() + 1).str();
  return File.str();
}

namespace {

llvm::json::Value versionOrNull(const std::optional<PythonVersion> &V) {
  return V ? llvm::json::Value(V->str()) : llvm::json::Value(nullptr);
}

llvm::json::Object positionJson(const SourcePosition &P) {
  return llvm::json::Object{{"file", P.File},         {"line", P.Line},
                            {"column", P.Column},     {"end_line", P.EndLine},
                            {"end_column", P.EndColumn}};
}

llvm::json::Object findingJson(const Finding &F) {
  llvm::json::Object O = positionJson(F.Pos);
  O["rule"] = F.Rule;
  O["message"] = F.Message;
  O["blocker"] = F.Blocker;
  O["fixable"] = F.Fixable;
  if (F.FullBuildOnly)
    O["full_build_only"] = true;
  O["min_version"] = versionOrNull(F.MinVersion);
  if (!F.Replacement.empty())
    O["replacement"] = F.Replacement;
  if (F.OriginalPos)
    O["original"] = positionJson(*F.OriginalPos);
  return O;
}

llvm::json::Object changeJson(const ChangeGroup &C) {
  llvm::json::Array Depends, Any, Fixes;
  for (const std::string &D : C.DependsOn)
    Depends.push_back(D);
  for (const std::string &D : C.DependsOnAny)
    Any.push_back(D);
  for (const Finding &F : C.Fixes)
    Fixes.push_back(llvm::json::Object{{"file", F.Pos.File},
                                       {"line", F.Pos.Line},
                                       {"column", F.Pos.Column},
                                       {"rule", F.Rule}});
  llvm::json::Object O{{"id", C.Id},           {"rule", C.Rule},
                       {"file", C.File},       {"line", C.Line},
                       {"column", C.Column},   {"summary", C.Summary},
                       {"edits", C.Edits.size()}, {"depends_on", std::move(Depends)},
                       {"fixes", std::move(Fixes)}};
  if (!Any.empty())
    O["depends_on_any"] = std::move(Any);
  return O;
}

void writeChangesText(llvm::raw_ostream &OS, const std::vector<ChangeGroup> &Changes,
                      const OutputContext &Ctx) {
  if (Changes.empty())
    return;
  OS << "changes applied (" << Changes.size() << "; refuse one with --skip ID):\n";
  for (const ChangeGroup &C : Changes) {
    OS << "  " << C.Id << " " << displayPath(C.File, Ctx.WorkingDir) << ':' << C.Line << ": "
       << C.Summary;
    if (C.DependsOn.size() > 4)
      OS << " (needs " << C.DependsOn.size() << " other changes)";
    else if (!C.DependsOn.empty())
      OS << " (needs " << llvm::join(C.DependsOn, ", ") << ")";
    OS << "\n";
  }
}

/// SARIF `fixes` for the change fixing `F`: its edits over the original files.
llvm::json::Array sarifFixes(const ChangeGroup &C) {
  std::map<std::string, llvm::json::Array> ByFile;
  for (const RuleEdit &E : C.Edits) {
    const clang::tooling::Replacement &R = E.Replacement;
    ByFile[R.getFilePath().str()].push_back(llvm::json::Object{
        {"deletedRegion",
         llvm::json::Object{{"charOffset", R.getOffset()}, {"charLength", R.getLength()}}},
        {"insertedContent", llvm::json::Object{{"text", R.getReplacementText().str()}}}});
  }
  llvm::json::Array Changes;
  for (auto &[File, Replacements] : ByFile)
    Changes.push_back(llvm::json::Object{
        {"artifactLocation", llvm::json::Object{{"uri", "file://" + File}}},
        {"replacements", std::move(Replacements)}});
  return llvm::json::Array{llvm::json::Object{
      {"description", llvm::json::Object{{"text", C.Summary + " [" + C.Id + "]"}}},
      {"artifactChanges", std::move(Changes)}}};
}

} // namespace

void writeText(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
               const OutputContext &Ctx) {
  for (const Finding &F : Findings) {
    OS << displayPath(F.Pos.File, Ctx.WorkingDir) << ':' << F.Pos.Line << ':' << F.Pos.Column
       << ": warning: " << F.Message;
    if (F.Fixable)
      OS << " (fixable)";
    OS << " [" << F.Rule << "]\n";
  }
  for (const FileSummary &S : summarize(Findings)) {
    OS << displayPath(S.File, Ctx.WorkingDir) << ": " << S.Sites << " site"
       << (S.Sites == 1 ? "" : "s") << ", " << S.Fixable << " fixable, " << S.Blockers
       << " blocking the Limited API build; lowest target once fixed: "
       << (S.LowestTarget ? S.LowestTarget->str() : std::string("none (manual changes needed)"))
       << "\n";
  }
  std::vector<CauseGroup> Causes = groupByCause(Findings);
  if (Causes.size() >= 2) {
    OS << "sites by cause:\n";
    for (const CauseGroup &G : Causes)
      OS << llvm::formatv("{0,5} {1}", G.Sites, G.Cause) << " [" << G.Rule << "]"
         << (G.Blockers ? " (" + std::to_string(G.Blockers) + " blocking)" : std::string())
         << "\n";
  }
  if (Ctx.Changes && !Ctx.ChangesAsFixes)
    writeChangesText(OS, *Ctx.Changes, Ctx);
}

void writeJson(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
               const OutputContext &Ctx) {
  llvm::json::Array Items, Files;
  for (const Finding &F : Findings)
    Items.push_back(findingJson(F));
  for (const FileSummary &S : summarize(Findings))
    Files.push_back(llvm::json::Object{{"file", S.File},
                                       {"sites", S.Sites},
                                       {"fixable", S.Fixable},
                                       {"blockers", S.Blockers},
                                       {"lowest_target", versionOrNull(S.LowestTarget)}});
  llvm::json::Array Causes;
  for (const CauseGroup &G : groupByCause(Findings))
    Causes.push_back(llvm::json::Object{
        {"rule", G.Rule}, {"cause", G.Cause}, {"sites", G.Sites}, {"blockers", G.Blockers}});
  llvm::json::Object Root{{"tool", "abi3port"},
                          {"target", Ctx.Target.str()},
                          {"findings", std::move(Items)},
                          {"files", std::move(Files)},
                          {"causes", std::move(Causes)}};
  if (Ctx.Changes) {
    llvm::json::Array Changes;
    for (const ChangeGroup &C : *Ctx.Changes)
      Changes.push_back(changeJson(C));
    Root["changes"] = std::move(Changes);
  }
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Root))) << "\n";
}

void writeSarif(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                const OutputContext &Ctx) {
  llvm::json::Array Rules;
  for (const RuleInfo &R : allRules())
    Rules.push_back(llvm::json::Object{
        {"id", R.Id},
        {"shortDescription", llvm::json::Object{{"text", R.Summary}}},
        {"helpUri", ("https://abi3port.invalid/docs/rules/" + R.Id + ".md").str()}});
  llvm::json::Array Results;
  for (const Finding &F : Findings) {
    llvm::json::Object Region{{"startLine", F.Pos.Line},
                              {"startColumn", F.Pos.Column},
                              {"endLine", F.Pos.EndLine},
                              {"endColumn", F.Pos.EndColumn + 1}};
    llvm::json::Object Location{
        {"physicalLocation",
         llvm::json::Object{
             {"artifactLocation", llvm::json::Object{{"uri", "file://" + F.Pos.File}}},
             {"region", std::move(Region)}}}};
    llvm::json::Object Properties{{"fixable", F.Fixable},
                                  {"blocker", F.Blocker},
                                  {"minVersion", versionOrNull(F.MinVersion)}};
    llvm::json::Object Result{{"ruleId", F.Rule},
                              {"level", F.Blocker ? "warning" : "note"},
                              {"message", llvm::json::Object{{"text", F.Message}}},
                              {"locations", llvm::json::Array{std::move(Location)}}};
    if (Ctx.Changes && Ctx.ChangesAsFixes)
      if (const ChangeGroup *C = changeFixing(*Ctx.Changes, F)) {
        Result["fixes"] = sarifFixes(*C);
        Properties["changeId"] = C->Id;
      }
    Result["properties"] = std::move(Properties);
    Results.push_back(std::move(Result));
  }
  llvm::json::Object Run{
      {"tool", llvm::json::Object{{"driver",
                                   llvm::json::Object{{"name", "abi3port"},
                                                      {"semanticVersion", "0.1.0"},
                                                      {"rules", std::move(Rules)}}}}},
      {"results", std::move(Results)},
      {"properties", llvm::json::Object{{"target", Ctx.Target.str()}}}};
  llvm::json::Object Root{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", llvm::json::Array{std::move(Run)}}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Root))) << "\n";
}

void writeFindings(llvm::raw_ostream &OS, OutputFormat Format,
                   const std::vector<Finding> &Findings, const OutputContext &Ctx) {
  switch (Format) {
  case OutputFormat::Text: return writeText(OS, Findings, Ctx);
  case OutputFormat::Json: return writeJson(OS, Findings, Ctx);
  case OutputFormat::Sarif: return writeSarif(OS, Findings, Ctx);
  }
}

namespace {

/// A byte offset of a finding's (original) position, from the file's text.
unsigned offsetOfFinding(const Finding &F, std::map<std::string, std::unique_ptr<LineTable>> &Tables,
                         std::map<std::string, std::string> &Texts) {
  const SourcePosition &P = F.OriginalPos ? *F.OriginalPos : F.Pos;
  auto It = Tables.find(P.File);
  if (It == Tables.end()) {
    std::string &Text = Texts[P.File];
    if (auto Buffer = llvm::MemoryBuffer::getFile(P.File))
      Text = (*Buffer)->getBuffer().str();
    It = Tables.emplace(P.File, std::make_unique<LineTable>(Text)).first;
  }
  return It->second->offsetOf(P.Line, P.Column);
}

} // namespace

void writeExportFixes(llvm::raw_ostream &OS, const std::vector<ChangeGroup> &Changes,
                      const std::vector<Finding> &Manual, llvm::StringRef MainSourceFile) {
  using namespace clang::tooling;
  TranslationUnitDiagnostics TU;
  TU.MainSourceFile = MainSourceFile.str();
  std::string BuildDirectory = currentDirectory();
  for (const ChangeGroup &C : Changes) {
    DiagnosticMessage Message(C.Summary + " [" + C.Id + "]");
    Message.FilePath = C.Edits.front().Replacement.getFilePath().str();
    Message.FileOffset = C.Edits.front().Replacement.getOffset();
    for (const RuleEdit &E : C.Edits) {
      Replacements &Fix = Message.Fix[E.Replacement.getFilePath()];
      if (llvm::Error Err = Fix.add(E.Replacement))
        llvm::consumeError(std::move(Err)); // the merge applied them together
    }
    TU.Diagnostics.emplace_back(C.Rule, Message, llvm::SmallVector<DiagnosticMessage, 1>{},
                                Diagnostic::Warning, BuildDirectory);
  }
  std::map<std::string, std::unique_ptr<LineTable>> Tables;
  std::map<std::string, std::string> Texts;
  for (const Finding &F : Manual) {
    DiagnosticMessage Message(F.Message);
    Message.FilePath = (F.OriginalPos ? F.OriginalPos->File : F.Pos.File);
    Message.FileOffset = offsetOfFinding(F, Tables, Texts);
    TU.Diagnostics.emplace_back(F.Rule, Message, llvm::SmallVector<DiagnosticMessage, 1>{},
                                F.Blocker ? Diagnostic::Warning : Diagnostic::Remark,
                                BuildDirectory);
  }
  llvm::yaml::Output YAML(OS);
  YAML << TU;
}

} // namespace abi3port
