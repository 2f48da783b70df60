//===- Verify.h - A port is never worse than its input --------------------===//
///
/// \file
/// The self-verification stage of `port` (docs/verification.md). After the
/// edits of all translation units are merged, every unit that includes an
/// edited file is parsed again in memory (the rewritten texts through an
/// overlay file system, the unit's own compile command) under the full API,
/// and its diagnostics are compared with those of the original. Each new
/// error or warning (-Wall, plus the warnings GCC 14 and clang make errors)
/// is attributed to the *withdrawal unit* that caused it, by bisection; the
/// unit is withdrawn and reported, and the port is merged again, until the
/// full-API parse is as clean as the original. Then every unit is parsed
/// under `-DPy_LIMITED_API=<target>`: Py_LIMITED_API is defined only in files
/// whose limited parse has no error, and an error outside every reported
/// site becomes a `limited-compile-error` finding.
///
/// Withdrawal units (`unitOf`):
///   - `type:T`   a static type's conversion and every edit that assumes it;
///   - `state`    module state (with --state module): withdrawing it ports
///                the files again with process globals;
///   - `group:G`  one rule's change (its edit group, or a lone edit).
///
/// This header has the pieces that do not depend on the driver: the flags,
/// the comparison, the unit keys and the bisection.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_VERIFY_H
#define ABI3PORT_VERIFY_H

#include "transforms/Frontend.h"
#include "transforms/api/ApiKnowledge.h"
#include "transforms/edit/EditSet.h"
#include "transforms/state/ModuleState.h"

#include <functional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace abi3port {

/// The warnings a verification parse turns on: -Wall and the ones GCC 14
/// and clang 16+ make errors.
const std::vector<std::string> &verificationWarningFlags();

/// The diagnostics of `After` that `Before` lacks, compared as multisets of
/// (file, severity, message): edits move lines, so positions do not count.
std::vector<CompilerDiagnostic> newDiagnostics(const std::vector<CompilerDiagnostic> &Before,
                                               const std::vector<CompilerDiagnostic> &After);

/// Whether a diagnostic only says that the installed headers, older than
/// the target, lack a name the target has: one it quotes is not declared
/// by these headers but is in the manifest at or below the target, or is a
/// module-slot constant of a newer version (`Py_MOD_GIL_NOT_USED`). Such
/// diagnostics are not held against the port.
bool onlyNewerThanHeaders(const CompilerDiagnostic &D, const ApiKnowledge &Knowledge);

/// Removes from `Diagnostics` those `onlyNewerThanHeaders` accepts, and the
/// ones on their lines (an undeclared function's result then has type int:
/// "incompatible integer to pointer conversion" follows); `All` is every
/// diagnostic of the parse.
void dropNewerThanHeaders(std::vector<CompilerDiagnostic> &Diagnostics,
                          const std::vector<CompilerDiagnostic> &All,
                          const ApiKnowledge &Knowledge);

/// The withdrawal unit an edit belongs to (see the file comment); "" for
/// edits that follow other units and are never withdrawn on their own (the
/// type-creation code, regenerated from the types that remain).
std::string unitOf(const RuleEdit &Edit, StateMode State);

/// The key of an edit's change: its group, or the edit itself when it has
/// none.
std::string groupKeyOf(const RuleEdit &Edit);

/// An edit as the withdrawals key it: file, offset, length, text.
std::tuple<std::string, unsigned, unsigned, std::string> replacementKey(const RuleEdit &Edit);

/// What the verification took back, as the merge stage applies it.
struct Withdrawals {
  std::set<std::string> Types;  ///< static types that stay static
  std::set<std::string> Groups; ///< group keys (groupKeyOf)
  /// The replacements of withdrawn groups: the same edit proposed by another
  /// translation unit (a shared header) is withdrawn too.
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> Replacements;
  std::set<std::string> NoLimitedDefine; ///< main files that keep the full API
  /// Nothing could be blamed: no edit at all (the last resort).
  bool All = false;
  /// With --state module, the `state` unit as a whole (an early step of a
  /// patch series, Port.cpp): the types stay static, the globals global.
  bool ModuleState = false;

  bool withdraws(const RuleEdit &Edit) const;
  bool operator==(const Withdrawals &O) const {
    return Types == O.Types && Groups == O.Groups && Replacements == O.Replacements &&
           NoLimitedDefine == O.NoLimitedDefine && All == O.All &&
           ModuleState == O.ModuleState;
  }
};

/// The smallest K in 1..N for which `Bad(K)` holds, assuming `Bad(N)` holds
/// and `Bad(0)` does not. Calls `Bad` about log2(N) times.
size_t firstBadPrefix(size_t N, const std::function<bool(size_t)> &Bad);

} // namespace abi3port

#endif
