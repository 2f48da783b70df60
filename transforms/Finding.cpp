#include "transforms/Finding.h"

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

} // namespace abi3port
