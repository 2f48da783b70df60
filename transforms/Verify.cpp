#include "transforms/Verify.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include <map>
#include <set>

namespace abi3port {

const std::vector<std::string> &verificationWarningFlags() {
  static const std::vector<std::string> Flags = {
      "-Wall",
      "-Wincompatible-pointer-types",
      "-Wimplicit-function-declaration",
      "-Wimplicit-int",
      "-Wint-conversion",
      "-Wint-to-pointer-cast",
      "-Wreturn-type",
  };
  return Flags;
}

std::vector<CompilerDiagnostic> newDiagnostics(const std::vector<CompilerDiagnostic> &Before,
                                               const std::vector<CompilerDiagnostic> &After) {
  auto Key = [](const CompilerDiagnostic &D) {
    return std::make_tuple(D.File, D.Error, D.Message);
  };
  std::map<std::tuple<std::string, bool, std::string>, unsigned> Seen;
  for (const CompilerDiagnostic &D : Before)
    ++Seen[Key(D)];
  std::vector<CompilerDiagnostic> New;
  for (const CompilerDiagnostic &D : After) {
    unsigned &Count = Seen[Key(D)];
    if (Count)
      --Count;
    else
      New.push_back(D);
  }
  return New;
}

bool onlyNewerThanHeaders(const CompilerDiagnostic &D, const ApiKnowledge &Knowledge) {
  const LimitedSurface &Headers = Knowledge.surface();
  if (!(Headers.HeaderVersion < Knowledge.target()))
    return false;
  llvm::StringRef Rest = D.Message;
  while (true) {
    size_t Open = Rest.find('\'');
    if (Open == llvm::StringRef::npos)
      return false;
    Rest = Rest.drop_front(Open + 1);
    size_t Close = Rest.find('\'');
    if (Close == llvm::StringRef::npos)
      return false;
    llvm::StringRef Name = Rest.take_front(Close);
    Rest = Rest.drop_front(Close + 1);
    if (Name.empty() || Headers.defines(Name))
      continue;
    if (Name.starts_with("Py_MOD_") || Name.starts_with("Py_mod_"))
      return true;
    if (const ManifestItem *Item = Manifest::get().lookup(Name))
      if (Item->Added <= Knowledge.target())
        return true;
  }
}

namespace {
/// An edit's text with "\r\n" read as "\n": the merge writes new lines as
/// the file ends them (EditSet.h), the rules write "\n".
std::string lfText(const clang::tooling::Replacement &R) {
  std::string Text = R.getReplacementText().str();
  for (size_t P = 0; (P = Text.find("\r\n", P)) != std::string::npos;)
    Text.erase(P, 1);
  return Text;
}
} // namespace

void dropNewerThanHeaders(std::vector<CompilerDiagnostic> &Diagnostics,
                          const std::vector<CompilerDiagnostic> &All,
                          const ApiKnowledge &Knowledge) {
  std::set<std::pair<std::string, unsigned>> Lines;
  for (const CompilerDiagnostic &D : All)
    if (onlyNewerThanHeaders(D, Knowledge))
      Lines.insert({D.File, D.Line});
  llvm::erase_if(Diagnostics, [&](const CompilerDiagnostic &D) {
    return Lines.count({D.File, D.Line}) > 0;
  });
}

std::tuple<std::string, unsigned, unsigned, std::string> replacementKey(const RuleEdit &Edit) {
  const auto &R = Edit.Replacement;
  return {R.getFilePath().str(), R.getOffset(), R.getLength(), lfText(R)};
}

std::string groupKeyOf(const RuleEdit &Edit) {
  if (!Edit.Group.empty())
    return Edit.Group;
  const auto &R = Edit.Replacement;
  return R.getFilePath().str() + "#" + Edit.Rule + "@" + std::to_string(R.getOffset()) + ":" +
         std::to_string(R.getLength()) + ":" +
         llvm::utohexstr(llvm::xxh3_64bits(lfText(R)));
}

std::string unitOf(const RuleEdit &Edit, StateMode State) {
  llvm::StringRef Group = Edit.Group;
  if (State == StateMode::Module) {
    // Module state is one change over every file: the state struct, the
    // exec function, the types it creates and every use of them.
    if (Edit.Rule == "module-global-state" || Edit.Rule == "single-phase-init" ||
        Group == "#module-state" || Edit.Rule == "static-type-object" || !Edit.Assumes.empty())
      return "state";
  }
  if (Group.ends_with("#type-creation"))
    return "";
  if (!Edit.Assumes.empty())
    return "type:" + Edit.Assumes.front();
  return "group:" + groupKeyOf(Edit);
}

bool Withdrawals::withdraws(const RuleEdit &Edit) const {
  return Groups.count(groupKeyOf(Edit)) || Replacements.count(replacementKey(Edit)) ||
         (ModuleState && unitOf(Edit, StateMode::Module) == "state");
}

size_t firstBadPrefix(size_t N, const std::function<bool(size_t)> &Bad) {
  size_t Good = 0, BadAt = N; // invariant: !Bad(Good), Bad(BadAt)
  while (BadAt - Good > 1) {
    size_t Mid = Good + (BadAt - Good) / 2;
    if (Bad(Mid))
      BadAt = Mid;
    else
      Good = Mid;
  }
  return BadAt;
}

} // namespace abi3port
