//===- Registry.h - Every rule the tool knows, in order -------------------===//
///
/// \file
/// The registry is the one table of rule ids. Each entry says what the rule
/// finds, whether `abi3port port` can rewrite its sites (and from which
/// Limited API version), and whether it runs by default. `check` uses it to
/// decide whether a finding is `fixable`; `abi3port rules` prints it; docs
/// have one page per id under docs/rules/.
///
/// Order matters for `port`: rules run and patch series are cut in this order.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_REGISTRY_H
#define ABI3PORT_REGISTRY_H

#include "transforms/api/PythonVersion.h"

#include "llvm/ADT/StringRef.h"
#include <vector>

namespace abi3port {

class PortContext;

struct RuleInfo {
  llvm::StringRef Id;
  llvm::StringRef Summary;
  /// Oldest target at which the rule's rewrite is possible.
  PythonVersion MinVersion;
  /// True when `abi3port port` has an automatic rewrite for this rule.
  bool Rewrites;
  /// The rewrite, for rules `port` runs on the AST (null for rules the
  /// driver applies itself, such as limited-api-macro, and report-only ones).
  void (*Run)(PortContext &) = nullptr;
};

const std::vector<RuleInfo> &allRules();
const RuleInfo *findRule(llvm::StringRef Id);

/// Whether `port` rewrites sites of rule `Id` at `Target`.
bool portCanFix(llvm::StringRef Id, PythonVersion Target);

} // namespace abi3port

#endif
