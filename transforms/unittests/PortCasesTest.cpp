//===- PortCasesTest.cpp - testdata/port/<rule-id>/*.c --------------------===//
///
/// Runs `port` (all rules) on every case file and checks the rewritten text
/// against CHECK-FIXES lines and the report against CHECK-MANUAL lines (see
/// CaseFile.h). A file with neither must come out unchanged with no manual
/// site outside CHECK-IGNORE rules: a must-not-fire case. Every case is also
/// ported a second time, from its own output, which must change nothing.
///
//===----------------------------------------------------------------------===//
#include "CaseFile.h"
#include "TestSupport.h"
#include "transforms/Port.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

namespace abi3port::test {
namespace {

/// `CaseDir`: where the case's own `#include "..."` files are, also when its
/// output is ported again from a temporary file.
PortResult portOne(const std::string &Path, PythonVersion Target, llvm::StringRef State,
                   llvm::StringRef CaseDir) {
  InputOptions Inputs;
  Inputs.Files = {Path};
  Inputs.HaveCompilerArgs = true;
  Inputs.CompilerArgs = {llvm::sys::path::extension(Path) == ".cpp" ? "-std=c++17"
                                                                     : "-std=gnu11",
                         "-iquote", CaseDir.str()};
  Inputs.PythonInclude = systemPythonInclude();
  Inputs.Jobs = 1;
  auto FE = Frontend::create(Inputs);
  if (!FE)
    llvm::report_fatal_error(FE.takeError());
  StateMode Mode = State == "module"   ? StateMode::Module
                   : State == "global" ? StateMode::Global
                                       : defaultStateMode(Target);
  return portFiles(*FE, knowledgeFor(Target), *selectRules("all"), Mode);
}

/// The version of the Python headers the cases parse with ("python3.11").
PythonVersion installedPythonVersion() {
  llvm::StringRef Dir = llvm::sys::path::filename(systemPythonInclude());
  Dir.consume_front("python");
  return PythonVersion::parse(Dir.take_while([](char C) { return isdigit(C) || C == '.'; }))
      .value_or(PythonVersion{3, 99});
}

class PortCase : public ::testing::TestWithParam<std::string> {};

TEST_P(PortCase, RewritesAndReportMatchExpectations) {
  CaseFile Case = parseCaseFile(GetParam());
  std::optional<PythonVersion> Target = PythonVersion::parse(Case.Target);
  ASSERT_TRUE(Target);
  PortResult Result =
      portOne(Case.Path, *Target, Case.State, llvm::sys::path::parent_path(Case.Path));
  ASSERT_TRUE(Result.Failures.empty()) << Result.Failures.front().FirstError;
  auto Original = llvm::MemoryBuffer::getFile(Case.Path);
  ASSERT_TRUE(bool(Original));
  std::string Rewritten = (*Original)->getBuffer().str();
  if (!Result.Files.empty())
    Rewritten = Result.Files.front().Rewritten;
  if (Case.Fixes.empty()) {
    EXPECT_EQ(Rewritten, (*Original)->getBuffer().str()) << "must-not-fire case changed";
  }
  for (const std::string &Problem : compareFixes(Case, Rewritten))
    ADD_FAILURE() << Case.Path << ": " << Problem;

  std::vector<bool> Used(Case.Manual.size(), false);
  for (const Finding &F : Result.Report) {
    if (llvm::is_contained(Case.IgnoredRules, F.Rule))
      continue;
    std::string Text = renderManual(F);
    bool Matched = false;
    for (size_t I = 0; I < Case.Manual.size() && !Matched; ++I)
      if (!Used[I] && llvm::Regex(Case.Manual[I].Pattern).match(Text))
        Used[I] = Matched = true;
    if (!Matched)
      ADD_FAILURE() << Case.Path << ": unexpected manual site " << Text;
  }
  for (size_t I = 0; I < Case.Manual.size(); ++I)
    if (!Used[I])
      ADD_FAILURE() << Case.Path << ": line " << Case.Manual[I].DirectiveLine
                    << ": no manual site matches " << Case.Manual[I].Pattern;

  // Idempotence: port the output again.
  llvm::SmallString<128> Again;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile(
      "abi3port-again", llvm::sys::path::extension(Case.Path).drop_front(), Again));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Again, EC);
    OS << Rewritten;
  }
  PortResult Second = portOne(std::string(Again), *Target, Case.State,
                              llvm::sys::path::parent_path(Case.Path));
  llvm::sys::fs::remove(Again);
  if (!Second.Failures.empty()) {
    // Output may not parse only where the report says a human must act
    // first, or where it uses names newer than the headers installed here.
    bool Blocked = llvm::any_of(Result.Report, [](const Finding &F) { return F.Blocker; });
    ASSERT_TRUE(Blocked || *Target > installedPythonVersion())
        << Second.Failures.front().FirstError;
    return;
  }
  EXPECT_TRUE(Second.Files.empty()) << "second port changed:\n"
                                    << Second.Files.front().Rewritten;
}

INSTANTIATE_TEST_SUITE_P(Testdata, PortCase,
                         ::testing::ValuesIn(findCaseFiles(testdataPath("port"))),
                         [](const auto &Info) { return caseTestName(Info.param); });

} // namespace
} // namespace abi3port::test
