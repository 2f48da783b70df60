#include "transforms/Check.h"
#include "transforms/Audit.h"

#include "llvm/Support/MemoryBuffer.h"

namespace abi3port {

CheckResult checkFiles(const Frontend &FE, const ApiKnowledge &Knowledge) {
  AuditOptions Audit{FE.pythonInclude()};
  std::vector<std::vector<Finding>> PerFile(FE.files().size());
  std::vector<ParseResult> Parsed = FE.run(
      [&](size_t I) -> std::unique_ptr<clang::tooling::FrontendActionFactory> {
        if (auto Buffer = llvm::MemoryBuffer::getFile(FE.files()[I]))
          if (auto Cython = detectCythonGenerated(FE.files()[I], (*Buffer)->getBuffer())) {
            PerFile[I].push_back(*Cython);
            return nullptr;
          }
        return makeAuditActionFactory(Knowledge, Audit, PerFile[I]);
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
