#include "transforms/Check.h"
#include "transforms/Audit.h"
#include "transforms/PreprocessorSides.h"

#include "llvm/Support/MemoryBuffer.h"

namespace abi3port {

CheckResult checkFiles(const Frontend &FE, const ApiKnowledge &Knowledge) {
  AuditOptions Audit{FE.pythonInclude()};
  std::vector<std::vector<Finding>> PerFile(FE.files().size());
  std::vector<PreprocessorSide> Sides(FE.files().size());
  std::vector<ParseResult> Parsed = FE.run(
      [&](size_t I) -> std::unique_ptr<clang::tooling::FrontendActionFactory> {
        PerFile[I].clear(); // a parse again without the preamble PCH starts afresh
        Sides[I] = {};
        if (auto Buffer = llvm::MemoryBuffer::getFile(FE.files()[I]))
          if (auto Cython = detectCythonGenerated(FE.files()[I], (*Buffer)->getBuffer())) {
            PerFile[I].push_back(*Cython);
            return nullptr;
          }
        return makeAuditSideActionFactory(Knowledge, Audit, PerFile[I], Sides[I]);
      });
  // Code only one of the two builds compiles (PreprocessorSides.h).
  std::vector<size_t> TwoSided;
  for (size_t I = 0; I < Parsed.size(); ++I)
    if (Parsed[I].Parsed && Sides[I].needsLimitedParse())
      TwoSided.push_back(I);
  FE.forEach(TwoSided.size(), [&](size_t K) {
    size_t I = TwoSided[K];
    LimitedSide Limited = parseLimitedSide(FE, I, Knowledge, /*Audit=*/true);
    markFullBuildOnly(PerFile[I], Limited.Side);
    std::vector<Finding> More = limitedOnlyFindings(Limited, Sides[I], Knowledge.target());
    PerFile[I].insert(PerFile[I].end(), More.begin(), More.end());
  });
  CheckResult Result;
  for (size_t I = 0; I < Parsed.size(); ++I) {
    if (!Parsed[I].Parsed) {
      Result.Failures.push_back(Parsed[I]);
      continue;
    }
    Result.Findings.insert(Result.Findings.end(), PerFile[I].begin(), PerFile[I].end());
  }
  sortAndDeduplicate(Result.Findings);
  return Result;
}

} // namespace abi3port
