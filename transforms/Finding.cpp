#include "transforms/Finding.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Regex.h"

#include <algorithm>
#include <map>

namespace abi3port {

void sortAndDeduplicate(std::vector<Finding> &Findings) {
  std::stable_sort(Findings.begin(), Findings.end(),
                   [](const Finding &A, const Finding &B) { return A.key() < B.key(); });
  Findings.erase(std::unique(Findings.begin(), Findings.end(),
                             [](const Finding &A, const Finding &B) {
                               return A.key() == B.key();
                             }),
                 Findings.end());
}

std::vector<FileSummary> summarize(const std::vector<Finding> &Findings) {
  std::map<std::string, FileSummary> ByFile;
  for (const Finding &F : Findings) {
    FileSummary &S = ByFile[F.Pos.File];
    S.File = F.Pos.File;
    ++S.Sites;
    S.Fixable += F.Fixable;
    S.Blockers += F.Blocker;
    if (F.FullBuildOnly)
      continue; // the limited build does not see it
    if (!F.MinVersion) {
      if (F.Blocker)
        S.NoReplacementForSome = true;
      continue;
    }
    if (!S.LowestTarget || *S.LowestTarget < *F.MinVersion)
      S.LowestTarget = F.MinVersion;
  }
  std::vector<FileSummary> Out;
  for (auto &[File, S] : ByFile) {
    if (S.NoReplacementForSome)
      S.LowestTarget.reset();
    else if (!S.LowestTarget || *S.LowestTarget < OldestTarget)
      S.LowestTarget = OldestTarget; // only advice, or sites every target can fix
    Out.push_back(std::move(S));
  }
  return Out;
}

std::string causeOf(llvm::StringRef Message) {
  // A quote opens after a space or bracket (not in "type's") and closes
  // before a space, punctuation or the end. A name that starts the message
  // ("'PyDateTimeAPI' (data) is not in the Limited API") stays.
  auto Opens = [&](size_t I) {
    return Message[I] == '\'' && (I == 0 || llvm::StringRef(" ([{").contains(Message[I - 1]));
  };
  auto Closes = [&](size_t I) {
    return Message[I] == '\'' &&
           (I + 1 == Message.size() || !llvm::isAlnum(Message[I + 1]));
  };
  std::string Out;
  size_t Count = 0; // a leading count ("8 datetime C API sites ...") is a particular
  while (Count < Message.size() && llvm::isDigit(Message[Count]))
    ++Count;
  if (Count && Count < Message.size() && Message[Count] == ' ') {
    Out = "N";
    Message = Message.drop_front(Count);
  }
  for (size_t I = 0; I < Message.size(); ++I) {
    size_t Close = I + 1;
    if (Opens(I))
      while (Close < Message.size() && !Closes(Close))
        ++Close;
    if (Opens(I) && Close < Message.size() && I > 0) { // a leading name is the cause itself
      Out += "'\xE2\x80\xA6'";
      I = Close;
      continue;
    }
    Out += Message[I];
  }
  static const llvm::Regex Line("line [0-9]+");
  while (Line.match(Out))
    Out = Line.sub("line \xE2\x80\xA6", Out);
  return Out;
}

std::vector<CauseGroup> groupByCause(const std::vector<Finding> &Findings) {
  std::map<std::pair<std::string, std::string>, CauseGroup> Groups;
  for (const Finding &F : Findings) {
    std::string Cause = causeOf(F.Message);
    CauseGroup &G = Groups[{F.Rule, Cause}];
    G.Rule = F.Rule;
    G.Cause = std::move(Cause);
    ++G.Sites;
    G.Blockers += F.Blocker && !F.FullBuildOnly;
  }
  std::vector<CauseGroup> Out;
  for (auto &[Key, G] : Groups)
    Out.push_back(std::move(G));
  std::stable_sort(Out.begin(), Out.end(),
                   [](const CauseGroup &A, const CauseGroup &B) { return A.Sites > B.Sites; });
  return Out;
}

} // namespace abi3port
