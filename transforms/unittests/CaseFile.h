//===- CaseFile.h - Test cases that carry their expectations --------------===//
///
/// \file
/// A case file is C source with directives in comments, in the style of
/// clang-tidy's check_clang_tidy.py:
///
/// \code
///   // ARGS: --target 3.11 --state global
///   // CHECK-IGNORE: limited-api-macro
///   PyObject *x = PyList_GET_ITEM(l, 0);
///   // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'PyList_GET_ITEM'{{.*}} [checked-calls]
/// \endcode
///
/// Every finding must match one CHECK-MESSAGES line and every line must match
/// a finding; `{{re}}` embeds a regular expression. A file with no
/// CHECK-MESSAGES line must produce no finding (a must-not-fire case).
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_UNITTESTS_CASEFILE_H
#define ABI3PORT_UNITTESTS_CASEFILE_H

#include "transforms/Finding.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace abi3port::test {

struct ExpectedMessage {
  unsigned DirectiveLine; ///< where the CHECK line is, for failure messages
  std::string Pattern;    ///< regex matched against renderForCheck()
};

struct CaseFile {
  std::string Path;
  std::string Target = "3.8";
  std::string State; ///< `--state`; "" = the target's default, as on the command line
  std::vector<std::string> IgnoredRules;
  std::vector<ExpectedMessage> Expected;
  /// `// CHECK-FIXES: text`: lines the rewritten file must contain, in order.
  std::vector<ExpectedMessage> Fixes;
  /// `// CHECK-FIXES-NOT: text`: a line the rewritten file must not contain.
  std::vector<ExpectedMessage> AbsentFixes;
  /// `// CHECK-MANUAL: [[@LINE-1]] regex`: report sites (original lines).
  std::vector<ExpectedMessage> Manual;
};

CaseFile parseCaseFile(const std::string &Path);
/// `:LINE:COL: warning: MESSAGE[ (fixable)] [RULE]`
std::string renderForCheck(const Finding &F);
/// A gtest-safe name for a case file: "<rule-dir>_<stem>".
std::string caseTestName(llvm::StringRef Path);
/// Every `*.c`/`*.cpp` file below `Dir`, sorted.
std::vector<std::string> findCaseFiles(const std::string &Dir);
/// Compares a rewritten file with the CHECK-FIXES lines (whitespace
/// trimmed; directive lines ignored); returns one line per mismatch.
std::vector<std::string> compareFixes(const CaseFile &Case, llvm::StringRef Rewritten);
/// `LINE message [rule]` for manual-site matching against CHECK-MANUAL.
std::string renderManual(const Finding &F);
/// Compares findings with expectations; returns one line per mismatch.
std::vector<std::string> compareWithExpectations(const CaseFile &Case,
                                                 const std::vector<Finding> &Findings);

} // namespace abi3port::test

#endif
