#include "transforms/Output.h"
#include "transforms/Registry.h"

#include "llvm/Support/FileSystem.h"
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
  if (Causes.size() < 2)
    return; // nothing to group
  OS << "sites by cause:\n";
  for (const CauseGroup &G : Causes)
    OS << llvm::formatv("{0,5} {1}", G.Sites, G.Cause) << " [" << G.Rule << "]"
       << (G.Blockers ? " (" + std::to_string(G.Blockers) + " blocking)" : std::string())
       << "\n";
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
    Results.push_back(llvm::json::Object{
        {"ruleId", F.Rule},
        {"level", F.Blocker ? "warning" : "note"},
        {"message", llvm::json::Object{{"text", F.Message}}},
        {"locations", llvm::json::Array{std::move(Location)}},
        {"properties", llvm::json::Object{{"fixable", F.Fixable},
                                          {"blocker", F.Blocker},
                                          {"minVersion", versionOrNull(F.MinVersion)}}}});
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

} // namespace abi3port
