//===- Finding.h - One site the port has to deal with ---------------------===//
///
/// \file
/// A `Finding` is what `check` prints and what `port` leaves in its report: a
/// source range, a stable rule id, a message, whether `abi3port port` can fix
/// it, and the Limited API version from which a replacement exists.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_FINDING_H
#define ABI3PORT_FINDING_H

#include "transforms/api/PythonVersion.h"

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace abi3port {

struct SourcePosition {
  std::string File; ///< absolute path
  unsigned Line = 0, Column = 0;       ///< 1-based; column in bytes
  unsigned EndLine = 0, EndColumn = 0; ///< inclusive end of the construct
};

struct Finding {
  SourcePosition Pos;
  std::string Rule;    ///< stable kebab-case id, see docs/rules/
  std::string Message;
  /// True when the construct does not compile under the target's Limited API
  /// (as opposed to advice such as moving globals into module state).
  bool Blocker = true;
  /// In code only the full-API build compiles (`#ifndef Py_LIMITED_API`,
  /// PreprocessorSides.h): never a blocker, and no part of the lowest target.
  bool FullBuildOnly = false;
  /// True when `abi3port port` rewrites this site automatically at the target.
  bool Fixable = false;
  /// First Limited API version with a replacement (or the API itself);
  /// nullopt when no version has one.
  std::optional<PythonVersion> MinVersion;
  /// The API a port should use instead, if any.
  std::string Replacement;
  /// For `port` reports: where the site was before the rewrite.
  std::optional<SourcePosition> OriginalPos;
  /// When the name was spelled in the body of a project macro and reported
  /// at the macro's use: where the name is written (an edit there fixes it).
  std::optional<SourcePosition> SpelledAt;

  auto key() const {
    return std::tie(Pos.File, Pos.Line, Pos.Column, Rule, Message);
  }
};

/// Sorts by file and position and drops exact duplicates (a header included
/// by several translation units is reported once).
void sortAndDeduplicate(std::vector<Finding> &Findings);

/// Per-file numbers for the summary.
struct FileSummary {
  std::string File;
  unsigned Sites = 0;
  unsigned Fixable = 0;
  unsigned Blockers = 0;
  /// Lowest Py_LIMITED_API the file could target once the fixable sites are
  /// fixed: the newest MinVersion among its findings; nullopt when some site
  /// has no Limited API replacement at any version.
  std::optional<PythonVersion> LowestTarget;
  bool NoReplacementForSome = false;
};
std::vector<FileSummary> summarize(const std::vector<Finding> &Findings);

/// Sites that share a cause: the rule and the message with its particulars
/// (quoted names past the first word, line numbers) left out.
struct CauseGroup {
  std::string Rule;
  std::string Cause; ///< the message, names written as '…'
  unsigned Sites = 0;
  unsigned Blockers = 0;
};
/// The groups, most sites first.
std::vector<CauseGroup> groupByCause(const std::vector<Finding> &Findings);
/// The message with quoted names (but a leading one) and line numbers replaced.
std::string causeOf(llvm::StringRef Message);

} // namespace abi3port

#endif
