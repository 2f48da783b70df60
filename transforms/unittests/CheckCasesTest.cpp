//===- CheckCasesTest.cpp - testdata/check/<rule-id>/*.c ------------------===//
///
/// Runs `check` on every case file and compares its findings with the
/// CHECK-MESSAGES lines in the file (see CaseFile.h).
///
//===----------------------------------------------------------------------===//
#include "CaseFile.h"
#include "TestSupport.h"
#include "transforms/Check.h"

#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

namespace abi3port::test {
namespace {

class CheckCase : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckCase, FindingsMatchExpectations) {
  CaseFile Case = parseCaseFile(GetParam());
  std::optional<PythonVersion> Target = PythonVersion::parse(Case.Target);
  ASSERT_TRUE(Target) << "bad ARGS --target in " << Case.Path;
  InputOptions Inputs;
  Inputs.Files = {Case.Path};
  Inputs.HaveCompilerArgs = true;
  Inputs.CompilerArgs = {"-I" + llvm::sys::path::parent_path(Case.Path).str()};
  Inputs.PythonInclude = systemPythonInclude();
  Inputs.Jobs = 1;
  auto FE = Frontend::create(Inputs);
  ASSERT_TRUE(bool(FE)) << llvm::toString(FE.takeError());
  CheckResult Result = checkFiles(*FE, knowledgeFor(*Target));
  ASSERT_TRUE(Result.Failures.empty()) << Result.Failures.front().FirstError;
  for (const std::string &Problem : compareWithExpectations(Case, Result.Findings))
    ADD_FAILURE() << Case.Path << ": " << Problem;
}

INSTANTIATE_TEST_SUITE_P(Testdata, CheckCase,
                         ::testing::ValuesIn(findCaseFiles(testdataPath("check"))),
                         [](const auto &Info) { return caseTestName(Info.param); });

} // namespace
} // namespace abi3port::test
