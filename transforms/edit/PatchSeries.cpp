#include "transforms/edit/PatchSeries.h"
#include "transforms/Output.h"
#include "transforms/Registry.h"
#include "transforms/edit/TextDiff.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>
#include <ctime>

namespace abi3port {

std::string repositoryRoot(llvm::StringRef Dir) {
  llvm::SmallString<256> Path(Dir);
  for (;;) {
    llvm::SmallString<256> Git(Path);
    llvm::sys::path::append(Git, ".git");
    if (llvm::sys::fs::exists(Git))
      return std::string(Path);
    llvm::StringRef Parent = llvm::sys::path::parent_path(Path);
    if (Parent.empty() || Parent == Path)
      return Dir.str();
    Path = Parent;
  }
}

std::string patchDate() {
  std::time_t Now = std::time(nullptr);
  if (const char *Epoch = std::getenv("SOURCE_DATE_EPOCH"))
    Now = std::time_t(std::strtoll(Epoch, nullptr, 10));
  char Buffer[64];
  std::tm Utc;
  gmtime_r(&Now, &Utc);
  std::strftime(Buffer, sizeof Buffer, "%a, %d %b %Y %H:%M:%S +0000", &Utc);
  return Buffer;
}

namespace {

std::string relativePath(llvm::StringRef File, llvm::StringRef Root) {
  return llvm::StringRef(displayPath(File, Root)).ltrim('/').str();
}

const RuleInfo *ruleInfo(llvm::StringRef Id) { return findRule(Id); }

std::string commitMessage(const PatchStep &Step, const PortResult &Result, llvm::StringRef Root,
                          PythonVersion Target, bool Last) {
  const RuleInfo *Rule = ruleInfo(Step.Rule);
  std::string Out = "\n";
  if (Rule)
    Out += "abi3port's rule " + Step.Rule + " (docs/rules/" + Step.Rule + ".md): " +
           Rule->Summary.str() + ".\n";
  Out += Result.Verified
             ? "abi3port parsed every step of this series again under the full API:\n"
               "it compiles with no error or warning the original does not have.\n"
             : "This series was written with --no-verify: its steps were not checked.\n";
  Out += "The port targets Py_LIMITED_API " + Target.str() + ".\n\n";
  std::map<std::string, const ChangeGroup *> ById;
  for (const ChangeGroup &C : Result.Changes)
    ById[C.Id] = &C;
  Out += "Changes (" + std::to_string(Step.Changes.size()) + "):\n";
  for (const std::string &Id : Step.Changes) {
    const ChangeGroup &C = *ById.at(Id);
    Out += "  " + Id + " " + relativePath(C.File, Root) + ":" + std::to_string(C.Line) + ": " +
           C.Summary + "\n";
    if (auto It = Step.Moved.find(Id); It != Step.Moved.end())
      Out += "    in this step because " + It->second + "\n";
    if (C.DependsOn.size() > 4)
      Out += "    needs " + std::to_string(C.DependsOn.size()) + " other changes\n";
    else if (!C.DependsOn.empty())
      Out += "    needs " + llvm::join(C.DependsOn, ", ") + "\n";
  }
  std::vector<const Finding *> Left;
  for (const Finding &F : Result.Report)
    if (F.Rule == Step.Rule || (Last && F.Blocker))
      Left.push_back(&F);
  if (!Left.empty()) {
    Out += Last ? "\nLeft for a human (blocking sites keep the file on the full API):\n"
                : "\nLeft for a human by this rule:\n";
    for (const Finding *F : Left) {
      const SourcePosition &P = F->OriginalPos ? *F->OriginalPos : F->Pos;
      Out += "  " + relativePath(P.File, Root) + ":" + std::to_string(P.Line) + ": " +
             F->Message + " [" + F->Rule + "]\n";
    }
  }
  return Out;
}

} // namespace

std::vector<PatchFile> formatPatchSeries(const PortResult &Result, llvm::StringRef Root,
                                         llvm::StringRef Date, PythonVersion Target) {
  std::map<std::string, std::string> Originals, Before; // Before: texts before the step
  for (const FileEdits &F : Result.Files)
    Originals[F.File] = Before[F.File] = F.Original;
  struct Rendered {
    const PatchStep *Step;
    std::string Diff;
  };
  std::vector<Rendered> Steps;
  for (const PatchStep &Step : Result.Series) {
    std::string Diff;
    for (auto &[File, Text] : Before) {
      auto It = Step.Texts.find(File); // absent: the step leaves the file as it was
      const std::string &After = It == Step.Texts.end() ? Originals[File] : It->second;
      Diff += unifiedTextDiff(Text, After, relativePath(File, Root));
      Text = After;
    }
    if (!Diff.empty())
      Steps.push_back({&Step, std::move(Diff)});
  }
  std::vector<PatchFile> Out;
  for (size_t I = 0; I < Steps.size(); ++I) {
    const PatchStep &Step = *Steps[I].Step;
    const RuleInfo *Rule = ruleInfo(Step.Rule);
    char Number[24];
    std::snprintf(Number, sizeof Number, "%04zu", I + 1);
    std::string Text = "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
                       "From: abi3port <abi3port@localhost>\n"
                       "Date: " + Date.str() + "\n"
                       "Subject: [PATCH " + std::to_string(I + 1) + "/" +
                       std::to_string(Steps.size()) + "] " + Step.Rule + ": " +
                       (Rule ? Rule->Summary.str() : std::string()) + "\n";
    Text += commitMessage(Step, Result, Root, Target, I + 1 == Steps.size());
    Text += "---\n" + Steps[I].Diff + "-- \nabi3port\n\n";
    Out.push_back({std::string(Number) + "-" + Step.Rule + ".patch", std::move(Text)});
  }
  return Out;
}

} // namespace abi3port
