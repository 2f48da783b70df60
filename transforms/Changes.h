//===- Changes.h - The port as change groups with stable ids --------------===//
///
/// \file
/// A *change group* is the edits that go together for one site or one type:
/// a static type's conversion with every use that assumes it, one rule's
/// multi-edit change, a lone rewrite, the type-creation code of an init
/// function, the Py_LIMITED_API definition of a file, or (with --state
/// module) module state as a whole. They are the verification's withdrawal
/// units (Verify.h), made visible: listed in the report (`changes` in JSON),
/// refused or taken with `--skip`/`--only`, one step each in `--patches`,
/// one diagnostic each in `--export-fixes`.
///
/// Ids are derived from the rule, the file (as shown, relative to the
/// working directory) and the names involved: the type's name, or the
/// identifiers of the text the change's first edit replaces. Changes with
/// the same rule, file and names are told apart by their order in the file.
/// No offset enters an id, so editing unrelated code, or refusing another
/// change, leaves an id as it was.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_CHANGES_H
#define ABI3PORT_CHANGES_H

#include "transforms/Finding.h"
#include "transforms/edit/EditSet.h"
#include "transforms/state/ModuleState.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace abi3port {

struct ChangeGroup {
  std::string Id;   ///< stable: rule-xxxxxxxx
  std::string Unit; ///< the withdrawal unit (Verify.h), or "creation:FILE"
  std::string Rule; ///< the rule that makes the change (its first edit's)
  std::string File; ///< where its first edit is
  unsigned Line = 0, Column = 0; ///< of the first edit, in the original text
  std::string Summary;           ///< one line: what the change does
  std::vector<std::string> DependsOn; ///< ids: refusing one refuses this
  /// Ids of which at least one must stay (a helper several types share).
  std::vector<std::string> DependsOnAny;
  std::vector<RuleEdit> Edits; ///< applied edits, over the original texts
  /// Every rule whose text the change contains (its edits' and what they
  /// absorbed): a patch series puts it in the step of the latest.
  std::set<std::string> Rules;
  std::vector<Finding> Fixes; ///< the sites it fixes, at original positions
};

/// What the ids and dependencies are computed from, besides the edits.
struct ChangeContext {
  StateMode State = StateMode::Global;
  std::string WorkingDir; ///< ids use paths relative to it
  /// Converted types: variable -> file defining it, and its converted bases.
  std::map<std::string, std::string> TypeFiles;
  std::map<std::string, std::vector<std::string>> TypeBases;
  /// Ids given before (unit -> id): units seen there keep their id.
  const std::map<std::string, std::string> *Known = nullptr;
};

/// The withdrawal unit of an applied edit, with the edits of no unit (the
/// type-creation code, regenerated from the types) as "creation:FILE".
std::string changeUnitOf(const RuleEdit &Edit, StateMode State);

/// The change groups of the merged files, in file and offset order.
std::vector<ChangeGroup> changeGroups(const std::vector<FileEdits> &Files,
                                      const ChangeContext &Ctx);

/// unit -> id of every change.
std::map<std::string, std::string> idsByUnit(const std::vector<ChangeGroup> &Changes);

/// Whether an applied edit fixes the site at `Pos` (original positions,
/// `Lines` of the original text): an edit of the site's rule touching it
/// (unless `AnyRule`), or any edit replacing the whole site.
bool editFixes(const RuleEdit &E, const SourcePosition &Pos, const std::string &Rule,
               const LineTable &Lines, bool AnyRule);

/// Attaches each finding (original positions) to the change whose edit
/// fixes it, if one does.
void attachFixes(std::vector<ChangeGroup> &Changes, const std::vector<FileEdits> &Files,
                 const std::vector<Finding> &Findings);

/// The change of `Changes` that fixes the finding, or nullptr.
const ChangeGroup *changeFixing(const std::vector<ChangeGroup> &Changes, const Finding &F);

/// `--only` / `--skip`: which changes are refused, and why.
struct ChangeSelection {
  std::set<std::string> Only, Skip; ///< ids as given
  bool empty() const { return Only.empty() && Skip.empty(); }
};
struct Refusal {
  const ChangeGroup *Change;
  std::string Why; ///< "--skip", "not in --only", "depends on X, refused"
};
/// The refused changes: those selected out, and every change that depends
/// on a refused one (transitively). Ids that name no change are returned in
/// `Unknown`.
std::vector<Refusal> refusedChanges(const std::vector<ChangeGroup> &Changes,
                                    const ChangeSelection &Selection,
                                    std::vector<std::string> &Unknown);

} // namespace abi3port

#endif
