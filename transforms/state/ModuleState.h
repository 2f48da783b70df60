//===- ModuleState.h - Per-module state: what units contribute, merged ----===//
///
/// \file
/// `port --state module` (docs/module-state.md) moves process globals into a
/// state struct that every module object owns, and makes the module's init
/// multi-phase. Two rules do the per-file work, on the AST:
///
///   - `module-global-state` (rules/ModuleGlobalState.cpp) decides which
///     globals move and how each function reaches the state, rewrites their
///     uses and deletes their declarations;
///   - `single-phase-init` (rules/SinglePhaseInit.cpp) turns `PyInit_*` into
///     the module's `Py_mod_exec` function.
///
/// What needs every translation unit (the struct lists the globals of all
/// of them; the helpers are needed if any unit uses them) is generated once,
/// after merging, by `moduleStateEdits`, from the `UnitState` of each unit.
///
/// Names are fixed, so that files other than the init file can use them:
/// `module_state`, `get_module_state(module)`, `module_state_from_type(type)`,
/// `module_state_from_operands(a, b)`; the init file's own are
/// `<name>_exec`, `<name>_slots`, `<name>_traverse`, `<name>_clear`,
/// `<name>_free`.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_STATE_MODULESTATE_H
#define ABI3PORT_STATE_MODULESTATE_H

#include "transforms/Finding.h"
#include "transforms/api/PythonVersion.h"
#include "transforms/edit/EditSet.h"

#include <optional>
#include <string>
#include <vector>

namespace abi3port {

/// Where converted types and moved globals live.
enum class StateMode { Global, Module };

/// The oldest target `--state module` supports: PyType_FromModuleAndSpec and
/// PyType_GetModule entered the Limited API in 3.10.
constexpr PythonVersion ModuleStateMinimum{3, 10};

/// The default state mode for a target (docs/module-state.md says why).
inline StateMode defaultStateMode(PythonVersion Target) {
  return Target >= ModuleStateMinimum ? StateMode::Module : StateMode::Global;
}

/// One member of the state struct.
struct StateMember {
  std::string Name;        ///< the global's name, kept as the member's
  std::string Declaration; ///< "PyObject *Name"
  bool IsObject = true;    ///< visited and cleared
};

/// The module definition and exec function of the unit that has `PyInit_*`.
struct ModuleDefSite {
  std::string File;
  unsigned DefLineStart = 0; ///< offset of the line where the def starts
  unsigned InitBegin = 0, InitLength = 0; ///< the `{...}` initialiser
  unsigned DefEnd = 0;       ///< offset just after the def's ';'
  bool Designated = false;   ///< written with .m_name = ...
  std::string Name, Doc, Methods; ///< initialiser texts ("NULL" when absent)
  std::string ModuleName;    ///< PyInit_<ModuleName>
  std::string DefVar;        ///< the PyModuleDef variable
  bool HasExec = false;      ///< the init body became <name>_exec
  /// The init declared `PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED)`.
  bool GilNotUsed = false;
  bool Cxx = false;
};

/// Where the struct may go: the line of a moved global's declaration.
struct StateAnchor {
  std::string File;
  unsigned Offset = 0;
  bool InHeader = false;
};

/// What one translation unit contributes to the module's state.
struct UnitState {
  std::vector<StateMember> Members; ///< in declaration order
  std::vector<StateAnchor> Anchors; ///< in file order
  std::optional<ModuleDefSite> Def;
  bool NeedsFromType = false, NeedsFromOperands = false;
  bool InitUsesState = false; ///< the init (exec) function reads the state
  /// Moved C statics with a non-zero initialiser: (member, value), set first
  /// thing in the exec function.
  std::vector<std::pair<std::string, std::string>> Initialisers;
  /// PyInit_* is here but does not call PyModule_Create (already multi-phase).
  bool InitWithoutCreate = false;
  /// Mutable process-wide C data left shared (reported): the module cannot
  /// claim per-interpreter isolation.
  bool SharedCData = false;
  /// Why the module cannot get per-module state (the driver then ports
  /// with process globals, and reports this).
  std::vector<Finding> Failures;
};

/// A reason module state was not applied (non-blocking: the port with
/// process globals is complete on its own).
inline Finding moduleStateNotApplied(SourcePosition Pos, std::string Rule,
                                     const std::string &Why) {
  Finding F;
  F.Pos = std::move(Pos);
  F.Rule = std::move(Rule);
  F.Message = "--state module was not applied (the port keeps process globals, as --state "
              "global): " + Why;
  F.Blocker = false;
  return F;
}

/// The edits that need all units: the struct and its accessors, the module
/// def's slots, m_size, m_traverse/m_clear/m_free, and the state lookup.
std::vector<RuleEdit> moduleStateEdits(const std::vector<const UnitState *> &Units,
                                       PythonVersion Target);

/// Why the merged units cannot get module state although each unit could
/// (no place visible from the init file for the struct), if so.
std::optional<std::string> moduleStateObstacle(const std::vector<const UnitState *> &Units);

} // namespace abi3port

#endif
