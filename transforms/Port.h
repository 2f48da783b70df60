//===- Port.h - `abi3port port`: rewrite, merge, report -------------------===//
///
/// \file
/// `portFiles` parses every file once, runs the audit and the selected
/// rewrite rules on the same AST, merges the edits of all translation units
/// (EditSet), defines `Py_LIMITED_API` in every main file that has no manual
/// site left, and returns the rewritten files with the report: every site a
/// human still has to port, positioned in the rewritten text (with the
/// original position kept), plus edit conflicts.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_PORT_H
#define ABI3PORT_PORT_H

#include "transforms/Changes.h"
#include "transforms/Finding.h"
#include "transforms/Frontend.h"
#include "transforms/api/ApiKnowledge.h"
#include "transforms/edit/EditSet.h"
#include "transforms/state/ModuleState.h"

#include <set>

namespace abi3port {

/// One step of a patch series (`port --patches`): the changes of one rule,
/// with those that depend on a later step moved there.
struct PatchStep {
  std::string Rule;
  std::vector<std::string> Changes; ///< ids, in file order
  /// Changes placed in this step though another rule makes them: id -> why.
  std::map<std::string, std::string> Moved;
  /// The text of every file the port changes, after this step.
  std::map<std::string, std::string> Texts;
};

struct PortResult {
  std::vector<FileEdits> Files; ///< files whose text changes
  std::vector<Finding> Report;  ///< sites left for a human
  std::vector<EditConflict> Conflicts;
  std::vector<ParseResult> Failures;
  std::vector<ChangeGroup> Changes; ///< what was applied, by change group
  std::vector<PatchStep> Series;    ///< with PortRequest::Series
  bool Verified = false;            ///< the self-verification ran
  /// --only/--skip ids that name no change, or name one that cannot be
  /// refused on its own.
  std::vector<std::string> SelectionErrors;
};

/// What to port, and how.
struct PortRequest {
  std::set<std::string> Rules;
  StateMode State = StateMode::Global;
  bool Verify = true;
  ChangeSelection Selection;
  bool Series = false;    ///< compute the patch series
  std::string WorkingDir; ///< change ids use paths relative to it
};

/// Parses a `--rules` list ("all,-checked-calls"). Errors name the bad id.
llvm::Expected<std::set<std::string>> selectRules(llvm::StringRef List);

/// Ports the files. With StateMode::Module, when the module cannot get
/// per-module state (docs/module-state.md), ports with process globals and
/// says why in the report. With `Verify` (the default; `--no-verify` turns
/// it off), the result is self-verified (Verify.h): what would make the
/// full-API build worse is withdrawn and reported, and Py_LIMITED_API is
/// defined only where the limited parse has no error.
PortResult portFiles(const Frontend &FE, const ApiKnowledge &Knowledge,
                     const PortRequest &Request);
PortResult portFiles(const Frontend &FE, const ApiKnowledge &Knowledge,
                     const std::set<std::string> &Rules, StateMode State = StateMode::Global,
                     bool Verify = true);

} // namespace abi3port

#endif
