//===- StateCode.cpp - The module state code generated after merging ------===//
///
/// \file
/// Writes what needs every translation unit's contribution (ModuleState.h):
///   - the `module_state` struct and `get_module_state`, where the first
///     moved global was declared (in the shared header when the globals are
///     used from several files; the lookup helpers are then not `static`);
///   - before the PyModuleDef: m_traverse / m_clear / m_free over every
///     object member, the exec function's prototype and the slots;
///   - the PyModuleDef's initialiser, with m_size and those functions;
///   - after it: `module_state_from_type` (PyType_GetModuleByDef from 3.13,
///     below a walk of the type's MRO with PyType_GetModule) and
///     `module_state_from_operands` for binary number slots, when used.
///
//===----------------------------------------------------------------------===//
#include "transforms/state/ModuleState.h"

#include "llvm/ADT/STLExtras.h"
#include <set>

namespace abi3port {
namespace {

constexpr const char *StateRule = "module-global-state";
constexpr const char *InitRule = "single-phase-init";

struct Generator {
  const ModuleDefSite &Def;
  std::vector<StateMember> Members;
  PythonVersion Target;
  bool Shared = false; ///< the struct lives in a header: helpers are extern
  bool FromType = false, FromOperands = false, SharedCData = false;

  std::string linkage() const { return Shared ? "" : "static "; }

  std::string structText() const {
    std::string Out = "/* abi3port: the module's state, one per module object (these were\n"
                      "   process globals). */\ntypedef struct {\n";
    for (const StateMember &M : Members)
      Out += "    " + M.Declaration + ";\n";
    Out += "} module_state;\n\nstatic inline module_state *\nget_module_state(PyObject *module)\n"
           "{\n    return (module_state *)PyModule_GetState(module);\n}\n";
    if (FromType)
      Out += "\n/* The state of the module that defined `type`, or its nearest base from\n"
             "   this module. */\n" + linkage() + "module_state *module_state_from_type(PyTypeObject *type);\n";
    if (FromOperands)
      Out += linkage() + "module_state *module_state_from_operands(PyObject *a, PyObject *b);\n";
    return Out + "\n";
  }

  bool hasObjects() const {
    return llvm::any_of(Members, [](const StateMember &M) { return M.IsObject; });
  }

  /// m_traverse, m_clear, m_free, the exec prototype and the slots.
  std::string beforeDefinition() const {
    const std::string &N = Def.ModuleName;
    std::string Out;
    if (hasObjects()) {
      Out += "static int\n" + N + "_traverse(PyObject *module, visitproc visit, void *arg)\n{\n"
             "    module_state *state = get_module_state(module);\n";
      for (const StateMember &M : Members)
        if (M.IsObject)
          Out += "    Py_VISIT(state->" + M.Name + ");\n";
      Out += "    return 0;\n}\n\nstatic int\n" + N + "_clear(PyObject *module)\n{\n"
             "    module_state *state = get_module_state(module);\n";
      for (const StateMember &M : Members)
        if (M.IsObject)
          Out += "    Py_CLEAR(state->" + M.Name + ");\n";
      Out += "    return 0;\n}\n\nstatic void\n" + N + "_free(void *module)\n{\n    (void)" + N +
             "_clear((PyObject *)module);\n}\n\n";
    }
    Out += "static int " + N + "_exec(PyObject *module);\n\n";
    Out += "static PyModuleDef_Slot " + N + "_slots[] = {\n    {Py_mod_exec, (void *)" + N +
           "_exec},\n";
    if (Target >= PythonVersion{3, 12})
      // Every object is per module; C data left shared (reported) rules it out.
      Out += std::string("    {Py_mod_multiple_interpreters, ") +
             (SharedCData ? "Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED"
                          : "Py_MOD_PER_INTERPRETER_GIL_SUPPORTED") +
             "},\n";
    if (Def.GilNotUsed && Target >= PythonVersion{3, 13})
      // The init said so with PyUnstable_Module_SetGIL; a GIL build ignores it.
      Out += "    {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n";
    else if (Def.GilNotUsed) // only free-threaded builds (3.13+ headers) define it
      Out += "#ifdef Py_GIL_DISABLED\n    {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n#endif\n";
    else if (Target >= PythonVersion{3, 13})
      // Thread safety without the GIL is not something a port can prove.
      Out += "    {Py_mod_gil, Py_MOD_GIL_USED},\n";
    return Out + "    {0, NULL},\n};\n\n";
  }

  std::string definitionInitialiser() const {
    const std::string &N = Def.ModuleName;
    bool Objects = hasObjects();
    std::string Size = Members.empty() ? "0" : "sizeof(module_state)";
    std::vector<std::pair<std::string, std::string>> Fields = {
        {"m_name", Def.Name},
        {"m_doc", Def.Doc},
        {"m_size", Size},
        {"m_methods", Def.Methods},
        {"m_slots", N + "_slots"},
        {"m_traverse", Objects ? N + "_traverse" : "NULL"},
        {"m_clear", Objects ? N + "_clear" : "NULL"},
        {"m_free", Objects ? N + "_free" : "NULL"}};
    std::string Out = "{\n    PyModuleDef_HEAD_INIT,\n";
    for (const auto &[Field, Value] : Fields) {
      if (Def.Designated && Value == "NULL")
        continue;
      Out += "    " + (Def.Designated ? "." + Field + " = " : std::string()) + Value + ",\n";
    }
    return Out + "}";
  }

  std::string afterDefinition() const {
    std::string Out;
    if (FromType && Target >= PythonVersion{3, 13}) {
      Out += "\n\n" + linkage() + "module_state *\nmodule_state_from_type(PyTypeObject *type)\n{\n"
             "    PyObject *module = PyType_GetModuleByDef(type, &" + Def.DefVar + ");\n"
             "    return module == NULL ? NULL : (module_state *)PyModule_GetState(module);\n}";
    } else if (FromType) {
      Out += "\n\n/* abi3port: the state of `type`'s own module, if this module defined\n"
             "   it; NULL without an exception otherwise. */\nstatic module_state *\n"
             "module_state_of(PyTypeObject *type)\n{\n    PyObject *module;\n\n"
             "    if (!(PyType_GetFlags(type) & Py_TPFLAGS_HEAPTYPE))\n        return NULL;\n"
             "    module = PyType_GetModule(type);\n    if (module == NULL) {\n"
             "        PyErr_Clear();\n        return NULL;\n    }\n"
             "    if (PyModule_GetDef(module) != &" + Def.DefVar + ")\n        return NULL;\n"
             "    return (module_state *)PyModule_GetState(module);\n}\n\n"
             "/* abi3port: PyType_GetModuleByDef(type, &" + Def.DefVar + ") for targets\n"
             "   below 3.13: walks the MRO, so that subclasses defined in Python find\n"
             "   this module's state. Leaves an exception already set untouched. */\n" +
             linkage() + "module_state *\nmodule_state_from_type(PyTypeObject *type)\n{\n"
             "    PyObject *exc_type, *exc_value, *exc_tb, *mro;\n    module_state *state;\n"
             "    Py_ssize_t i;\n\n    PyErr_Fetch(&exc_type, &exc_value, &exc_tb);\n"
             "    state = module_state_of(type);\n"
             "    mro = state == NULL ? PyObject_GetAttrString((PyObject *)type, \"__mro__\") "
             ": NULL;\n"
             "    for (i = 1; mro != NULL && state == NULL && i < PyTuple_Size(mro); i++)\n"
             "        state = module_state_of((PyTypeObject *)PyTuple_GetItem(mro, i));\n"
             "    Py_XDECREF(mro);\n    PyErr_Clear();\n"
             "    PyErr_Restore(exc_type, exc_value, exc_tb);\n"
             "    if (state == NULL && !PyErr_Occurred())\n"
             "        PyErr_Format(PyExc_TypeError, \"expected a type of module %s\", " +
             Def.Name + ");\n"
             "    return state;\n}";
    }
    if (FromOperands)
      Out += "\n\n/* abi3port: binary number slots run for either operand's type. */\n" +
             linkage() + "module_state *\nmodule_state_from_operands(PyObject *a, PyObject *b)\n{\n"
             "    PyObject *exc_type, *exc_value, *exc_tb;\n    module_state *state;\n\n"
             "    PyErr_Fetch(&exc_type, &exc_value, &exc_tb);\n"
             "    state = module_state_from_type(Py_TYPE(a));\n"
             "    if (state == NULL) {\n        PyErr_Clear();\n"
             "        state = module_state_from_type(Py_TYPE(b));\n    }\n"
             "    if (exc_type != NULL) { /* an exception was already set: keep it */\n"
             "        PyErr_Clear();\n        PyErr_Restore(exc_type, exc_value, exc_tb);\n"
             "    }\n    return state;\n}";
    return Out;
  }
};

RuleEdit edit(const char *Rule, const std::string &File, unsigned Offset, unsigned Length,
              const std::string &Text) {
  return {Rule, clang::tooling::Replacement(File, Offset, Length, Text), "#module-state", {}};
}

} // namespace

namespace {

/// Where the struct goes: in a header when one declares a moved global
/// (several files use it), else in the init file at the first declaration
/// of a moved global.
std::optional<StateAnchor> chooseAnchor(const ModuleDefSite &Def,
                                        const std::vector<const UnitState *> &Units) {
  std::optional<StateAnchor> Anchor;
  for (const UnitState *U : Units)
    for (const StateAnchor &A : U->Anchors) {
      bool Better = !Anchor || (A.InHeader && !Anchor->InHeader) ||
                    (A.InHeader == Anchor->InHeader &&
                     std::tie(A.File, A.Offset) < std::tie(Anchor->File, Anchor->Offset));
      if ((A.InHeader || A.File == Def.File) && Better)
        Anchor = A;
    }
  return Anchor;
}

/// The units of the module `Init` defines.
std::vector<const UnitState *> moduleUnits(const UnitState &Init,
                                           const std::vector<const UnitState *> &Others) {
  std::vector<const UnitState *> Units = {&Init};
  Units.insert(Units.end(), Others.begin(), Others.end());
  return Units;
}

/// The state code of one module: `Def`'s unit, with `Others` (units without
/// an init function, whose globals belong to it).
std::vector<RuleEdit> oneModule(const UnitState &Init, const std::vector<const UnitState *> &Others,
                                PythonVersion Target) {
  const ModuleDefSite *Def = &*Init.Def;
  Generator G{*Def, {}, Target};
  std::set<std::string> Seen;
  std::vector<const UnitState *> Units = moduleUnits(Init, Others);
  for (const UnitState *U : Units) {
    for (const StateMember &M : U->Members)
      if (Seen.insert(M.Name).second)
        G.Members.push_back(M);
    G.FromType |= U->NeedsFromType;
    G.FromOperands |= U->NeedsFromOperands;
    G.SharedCData |= U->SharedCData;
  }
  std::vector<RuleEdit> Out;
  if (!G.Members.empty()) {
    std::optional<StateAnchor> Anchor = chooseAnchor(*Def, Units);
    if (!Anchor) // moduleStateObstacle made the port fall back
      return {};
    G.Shared = Anchor->InHeader;
    Out.push_back(edit(StateRule, Anchor->File, Anchor->Offset, 0, G.structText()));
  }
  Out.push_back(edit(InitRule, Def->File, Def->DefLineStart, 0, G.beforeDefinition()));
  Out.push_back(edit(InitRule, Def->File, Def->InitBegin, Def->InitLength,
                     G.definitionInitialiser()));
  if (std::string After = G.afterDefinition(); !After.empty())
    Out.push_back(edit(StateRule, Def->File, Def->DefEnd, 0, After));
  return Out;
}

} // namespace

std::optional<std::string> moduleStateObstacle(const std::vector<const UnitState *> &Units) {
  std::vector<const UnitState *> Inits, Others;
  for (const UnitState *U : Units)
    (U->Def ? Inits : Others).push_back(U);
  for (const UnitState *Init : Inits) {
    std::vector<const UnitState *> Module =
        moduleUnits(*Init, Inits.size() == 1 ? Others : std::vector<const UnitState *>{});
    bool HasMembers = llvm::any_of(Module, [](const UnitState *U) { return !U->Members.empty(); });
    if (HasMembers && !chooseAnchor(*Init->Def, Module))
      return "no declaration of a moved global is visible from the file of PyInit_" +
             Init->Def->ModuleName + ", where module_state must be declared";
  }
  return std::nullopt;
}

std::vector<RuleEdit> moduleStateEdits(const std::vector<const UnitState *> &Units,
                                       PythonVersion Target) {
  std::vector<const UnitState *> Inits, Others;
  for (const UnitState *U : Units)
    (U->Def ? Inits : Others).push_back(U);
  // Several modules ported together (each file its own PyInit_*): each gets
  // its own state; files without one belong to a module only when there is
  // a single module (portFiles falls back otherwise).
  std::vector<RuleEdit> Out;
  for (const UnitState *Init : Inits) {
    std::vector<RuleEdit> Module =
        oneModule(*Init, Inits.size() == 1 ? Others : std::vector<const UnitState *>{}, Target);
    Out.insert(Out.end(), Module.begin(), Module.end());
  }
  return Out;
}

} // namespace abi3port
