#include "transforms/Port.h"
#include "transforms/Audit.h"
#include "transforms/Registry.h"
#include "transforms/SourceMapping.h"
#include "transforms/rules/PortContext.h"

#include <functional>

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace clang;

namespace abi3port {
namespace {

/// Where the main file includes Python.h and defines Py_LIMITED_API.
struct LimitedDefineSite {
  std::optional<unsigned> IncludeLineStart; ///< offset of `#include <Python.h>`'s line
  std::optional<unsigned> FirstIncludeLineStart; ///< of the main file's first #include
  std::optional<unsigned> DefineLineStart, DefineLineEnd; ///< the whole define line
  std::optional<unsigned> ValueOffset, ValueLength;
  std::string Value;
  bool DefinedOnCommandLine = false;
  bool DefineAfterInclude = false;
};

struct PortOptions {
  const std::set<std::string> &Rules;
  StateMode State;
};

/// Everything one translation unit contributes.
struct UnitOutput {
  std::string MainFile;
  std::vector<Finding> Audit;
  std::vector<RuleEdit> Edits;
  std::vector<Finding> Manual;
  std::map<std::string, std::string> Buffers; ///< user files as parsed
  LimitedDefineSite Define;
  std::vector<PortContext::TypeToCreate> Types;
  std::optional<PortContext::InitSite> ModuleInit;
  UnitState ModuleState;
};

unsigned lineStartOf(const SourceManager &SM, SourceLocation Loc) {
  auto [FID, Offset] = SM.getDecomposedLoc(SM.getFileLoc(Loc));
  llvm::StringRef Buffer = SM.getBufferData(FID);
  size_t NL = Buffer.take_front(Offset).rfind('\n');
  return NL == llvm::StringRef::npos ? 0 : NL + 1;
}

class DefineSiteCallbacks : public PPCallbacks {
public:
  DefineSiteCallbacks(SourceManager &SM, LimitedDefineSite &Out) : SM(SM), Out(Out) {}

  void InclusionDirective(SourceLocation HashLoc, const Token &, llvm::StringRef FileName,
                          bool, CharSourceRange, OptionalFileEntryRef, llvm::StringRef,
                          llvm::StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    if (!SM.isInMainFile(HashLoc))
      return;
    if (!Out.FirstIncludeLineStart)
      Out.FirstIncludeLineStart = lineStartOf(SM, HashLoc);
    if (FileName == "Python.h" && !Out.IncludeLineStart)
      Out.IncludeLineStart = lineStartOf(SM, HashLoc);
  }

  void MacroDefined(const Token &NameTok, const MacroDirective *MD) override {
    if (NameTok.getIdentifierInfo()->getName() != "Py_LIMITED_API")
      return;
    SourceLocation Loc = NameTok.getLocation();
    if (!SM.isInMainFile(Loc)) {
      Out.DefinedOnCommandLine = !SM.getFileEntryRefForID(SM.getFileID(Loc));
      return;
    }
    auto [FID, Offset] = SM.getDecomposedLoc(Loc);
    llvm::StringRef Buffer = SM.getBufferData(FID);
    Out.DefineLineStart = lineStartOf(SM, Loc);
    size_t End = Buffer.find('\n', Offset);
    Out.DefineLineEnd = End == llvm::StringRef::npos ? Buffer.size() : End + 1;
    // Python.h may come through a project header included before.
    Out.DefineAfterInclude = Out.FirstIncludeLineStart.has_value();
    const MacroInfo *MI = MD->getMacroInfo();
    if (MI && MI->getNumTokens() == 1) {
      SourceLocation V = MI->getReplacementToken(0).getLocation();
      Out.ValueOffset = SM.getFileOffset(V);
      Out.ValueLength = MI->getReplacementToken(0).getLength();
      Out.Value = Buffer.substr(*Out.ValueOffset, *Out.ValueLength).str();
    }
  }

private:
  SourceManager &SM;
  LimitedDefineSite &Out;
};

/// Code the preprocessor skipped (`#if 0`, `#ifdef X` without X) in user
/// files: rules cannot see it, and say so where it matters.
class SkippedRangeRecorder : public PPCallbacks {
public:
  SkippedRangeRecorder(const FileClassifier &Files) : Files(Files) {}
  void SourceRangeSkipped(SourceRange Range, SourceLocation) override {
    if (Files.isUser(Range.getBegin()))
      Skipped.push_back(Range);
  }
  std::vector<SourceRange> Skipped;

private:
  const FileClassifier &Files;
};

/// The user files the preprocessor entered (the main file and project
/// headers), whose text edits apply to.
class UserFileRecorder : public PPCallbacks {
public:
  UserFileRecorder(const SourceManager &SM, const FileClassifier &Files)
      : SM(SM), Files(Files) {}
  void FileChanged(SourceLocation Loc, FileChangeReason Reason, SrcMgr::CharacteristicKind,
                   FileID) override {
    if (Reason == EnterFile && Files.isUser(Loc))
      Entered.insert(SM.getFileID(Loc));
  }
  std::set<FileID> Entered;

private:
  const SourceManager &SM;
  const FileClassifier &Files;
};

class PortConsumer : public ASTConsumer {
public:
  PortConsumer(CompilerInstance &CI, const ApiKnowledge &Knowledge, const PortOptions &Options,
               std::string IncludeDir, UnitOutput &Out)
      : Files(CI.getSourceManager(), IncludeDir), Collector(CI.getPreprocessor(), Files),
        Knowledge(Knowledge), Options(Options), Out(Out) {
    auto Recorder = std::make_unique<UserFileRecorder>(CI.getSourceManager(), Files);
    UserFiles = Recorder.get(); // owned by the preprocessor
    CI.getPreprocessor().addPPCallbacks(std::move(Recorder));
    auto Skips = std::make_unique<SkippedRangeRecorder>(Files);
    Skipped = Skips.get();
    CI.getPreprocessor().addPPCallbacks(std::move(Skips));
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    limitParentMapToParsedDecls(Ctx);
    PortContext Port(Ctx, Knowledge, Files, Collector.collect(Ctx));
    Port.State = Options.State;
    Port.SkippedRanges = Skipped->Skipped;
    for (const RuleInfo &R : allRules())
      if (R.Run && Options.Rules.count(R.Id.str()))
        R.Run(Port);
    Port.runDeferred();
    Out.Types = Port.TypesToCreate;
    Out.ModuleInit = Port.ModuleInit;
    Out.ModuleState = Port.ModuleState;
    Out.Edits = Port.takeEdits();
    Out.Manual = Port.takeManualSites();
    const SourceManager &SM = Ctx.getSourceManager();
    Out.MainFile = canonicalPath(SM.getFileEntryRefForID(SM.getMainFileID())->getName());
    for (FileID FID : UserFiles->Entered)
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID))
        Out.Buffers[canonicalPath(FE->getName())] = SM.getBufferData(FID).str();
  }

private:
  FileClassifier Files;
  ApiReferenceCollector Collector;
  UserFileRecorder *UserFiles = nullptr;
  SkippedRangeRecorder *Skipped = nullptr;
  const ApiKnowledge &Knowledge;
  const PortOptions &Options;
  UnitOutput &Out;
};

class PortAction : public ASTFrontendAction {
public:
  PortAction(const ApiKnowledge &K, const AuditOptions &O, const PortOptions &Rules,
             UnitOutput &Out)
      : Knowledge(K), Options(O), Rules(Rules), Out(Out) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    CI.getPreprocessor().addPPCallbacks(
        std::make_unique<DefineSiteCallbacks>(CI.getSourceManager(), Out.Define));
    std::vector<std::unique_ptr<ASTConsumer>> Consumers;
    Consumers.push_back(createAuditConsumer(CI, Knowledge, Options, Out.Audit));
    Consumers.push_back(std::make_unique<PortConsumer>(CI, Knowledge, Rules,
                                                       Options.PythonIncludeDir, Out));
    return std::make_unique<MultiplexConsumer>(std::move(Consumers));
  }

private:
  const ApiKnowledge &Knowledge;
  const AuditOptions &Options;
  const PortOptions &Rules;
  UnitOutput &Out;
};

class PortActionFactory : public tooling::FrontendActionFactory {
public:
  PortActionFactory(const ApiKnowledge &K, const AuditOptions &O, const PortOptions &Rules,
                    UnitOutput &Out)
      : Knowledge(K), Options(O), Rules(Rules), Out(Out) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<PortAction>(Knowledge, Options, Rules, Out);
  }

private:
  const ApiKnowledge &Knowledge;
  const AuditOptions &Options;
  const PortOptions &Rules;
  UnitOutput &Out;
};

//===----------------------------------------------------------------------===//
// Merging
//===----------------------------------------------------------------------===//

/// Byte offset of a 1-based line/column in a text.
unsigned offsetOf(llvm::StringRef Text, unsigned Line, unsigned Column) {
  unsigned Offset = 0;
  for (unsigned L = 1; L < Line; ++L) {
    size_t NL = Text.find('\n', Offset);
    if (NL == llvm::StringRef::npos)
      return Text.size();
    Offset = NL + 1;
  }
  return std::min<unsigned>(Offset + Column - 1, Text.size());
}

/// The rule's own manual site and the audit's finding of the same rule
/// describe one construct when their ranges overlap.
bool sameSite(const Finding &Manual, const Finding &Audit) {
  auto Before = [](unsigned L1, unsigned C1, unsigned L2, unsigned C2) {
    return L1 < L2 || (L1 == L2 && C1 < C2);
  };
  const SourcePosition &M = Manual.Pos, &A = Audit.Pos;
  bool SameStart = M.Line == A.Line && M.Column == A.Column;
  return M.File == A.File && (Manual.Rule == Audit.Rule || SameStart) &&
         !Before(M.EndLine, M.EndColumn, A.Line, A.Column) &&
         !Before(A.EndLine, A.EndColumn, M.Line, M.Column);
}

/// Whether an applied edit fixed the finding: an edit of its own rule that
/// touches its range, or any edit that replaced the whole range.
bool fixedByEdit(const Finding &F, const std::map<std::string, const FileEdits *> &Changed,
                 bool AnyRule = false) {
  auto It = Changed.find(F.Pos.File);
  if (It == Changed.end())
    return false;
  llvm::StringRef Text = It->second->Original;
  unsigned Begin = offsetOf(Text, F.Pos.Line, F.Pos.Column);
  unsigned End = offsetOf(Text, F.Pos.EndLine, F.Pos.EndColumn) + 1;
  for (const RuleEdit &E : It->second->AppliedEdits) {
    const tooling::Replacement &R = E.Replacement;
    unsigned REnd = R.getOffset() + R.getLength();
    if ((E.Rule == F.Rule && !AnyRule) && R.getOffset() <= End && REnd >= Begin)
      return true;
    if (R.getLength() && R.getOffset() <= Begin && REnd >= End)
      return true;
  }
  return false;
}

/// The sites one unit leaves for a human, given the edits that apply.
std::vector<Finding> remainingSites(const UnitOutput &Unit,
                                    const std::map<std::string, const FileEdits *> &Changed,
                                    const std::set<std::string> &Rules) {
  std::vector<Finding> Sites;
  for (const Finding &M : Unit.Manual)
    if (!fixedByEdit(M, Changed, /*AnyRule=*/true))
      Sites.push_back(M);
  for (Finding F : Unit.Audit) {
    bool Selected = Rules.count(F.Rule) > 0;
    if ((F.Rule == "limited-api-macro" && Selected) || fixedByEdit(F, Changed))
      continue; // the definition is decided below, once sites are known
    if (llvm::any_of(Unit.Manual, [&](const Finding &M) { return sameSite(M, F); }))
      continue; // the rule's own reason is more precise
    if (Selected)
      F.Fixable = false; // its rule ran and left it
    Sites.push_back(F);
  }
  return Sites;
}

/// The edits that make a unit's main file define Py_LIMITED_API correctly.
std::vector<RuleEdit> limitedDefineEdits(const UnitOutput &Unit, PythonVersion Target) {
  const LimitedDefineSite &D = Unit.Define;
  std::string Hex = Target.hexString();
  // Before the first #include <Python.h>; when the main file gets Python.h
  // through a project header, before its first #include.
  std::optional<unsigned> Before = D.IncludeLineStart ? D.IncludeLineStart
                                                      : D.FirstIncludeLineStart;
  if (D.DefinedOnCommandLine || !Before)
    return {};
  auto Edit = [&](unsigned Offset, unsigned Length, std::string Text) {
    return RuleEdit{"limited-api-macro",
                    tooling::Replacement(Unit.MainFile, Offset, Length, Text),
                    Unit.MainFile + "#limited-api-macro", {}};
  };
  std::string Line = "#define Py_LIMITED_API " + Hex + "\n";
  if (!D.DefineLineStart)
    return {Edit(*Before, 0, Line)};
  unsigned DefineLength = *D.DefineLineEnd - *D.DefineLineStart;
  if (D.DefineAfterInclude)
    return {Edit(*D.DefineLineStart, DefineLength, ""), Edit(*Before, 0, Line)};
  std::optional<PythonVersion> Current =
      PythonVersion::parse(llvm::StringRef(D.Value).rtrim("uUlL"));
  if (!D.ValueOffset) // `#define Py_LIMITED_API` alone means 3.2
    return {Edit(*D.DefineLineStart, DefineLength, Line)};
  if (!Current || *Current != Target)
    return {Edit(*D.ValueOffset, *D.ValueLength, Hex)};
  return {};
}

/// Moves a finding to its place in the rewritten file, keeping the original.
void reposition(Finding &F, const std::map<std::string, const FileEdits *> &Changed) {
  auto It = Changed.find(F.Pos.File);
  if (It == Changed.end())
    return;
  const FileEdits &File = *It->second;
  F.OriginalPos = F.Pos;
  auto Move = [&](unsigned Line, unsigned Column) {
    unsigned Old = offsetOf(File.Original, Line, Column);
    return lineAndColumn(File.Rewritten, File.Applied.getShiftedCodePosition(Old));
  };
  std::tie(F.Pos.Line, F.Pos.Column) = Move(F.Pos.Line, F.Pos.Column);
  std::tie(F.Pos.EndLine, F.Pos.EndColumn) = Move(F.Pos.EndLine, F.Pos.EndColumn);
}

std::map<std::string, const FileEdits *> byFile(const std::vector<FileEdits> &Files) {
  std::map<std::string, const FileEdits *> Map;
  for (const FileEdits &F : Files)
    Map[F.File] = &F;
  return Map;
}

/// Drops the groups of edits that assume a type another file was to convert
/// when no file did, and every static-type-object edit when no file has the
/// module's init function (the heap types would never be created).
std::vector<RuleEdit> keepValidEdits(const std::vector<const UnitOutput *> &Units,
                                     std::vector<Finding> &Report) {
  bool HaveInit = llvm::any_of(Units, [](const UnitOutput *U) { return U->ModuleInit.has_value(); });
  std::set<std::string> Converted;
  for (const UnitOutput *U : Units)
    for (const auto &T : U->Types)
      if (HaveInit)
        Converted.insert(T.Var);
  std::set<std::string> DroppedGroups;
  std::vector<RuleEdit> All;
  for (const UnitOutput *U : Units)
    for (const RuleEdit &E : U->Edits) {
      bool Valid = llvm::all_of(E.Assumes, [&](const std::string &T) {
        return Converted.count(T) > 0;
      });
      if (E.Rule == "static-type-object" && !HaveInit)
        Valid = false;
      if (!Valid && !E.Group.empty())
        DroppedGroups.insert(E.Group);
      if (Valid)
        All.push_back(E);
    }
  if (!HaveInit)
    for (const UnitOutput *U : Units)
      for (const auto &T : U->Types) {
        Finding F;
        F.Pos = {T.DefinedIn, 1, 1, 1, 1};
        F.Rule = "static-type-object";
        F.Message = "static type '" + T.Var +
                    "' was not converted: none of the files given defines the module's "
                    "PyInit_* function, where the heap type must be created; port them together";
        Report.push_back(std::move(F));
      }
  llvm::erase_if(All, [&](const RuleEdit &E) { return DroppedGroups.count(E.Group) > 0; });
  return All;
}

/// The types in creation order: bases first.
std::vector<const PortContext::TypeToCreate *>
creationOrder(const std::vector<PortContext::TypeToCreate> &Types) {
  std::vector<const PortContext::TypeToCreate *> Order;
  std::set<std::string> Done;
  std::function<void(const PortContext::TypeToCreate &)> Visit =
      [&](const PortContext::TypeToCreate &T) {
        if (!Done.insert(T.Var).second)
          return;
        for (const std::string &Dep : T.DependsOn)
          for (const auto &Other : Types)
            if (Other.Var == Dep)
              Visit(Other);
        Order.push_back(&T);
      };
  for (const auto &T : Types)
    Visit(T);
  return Order;
}

/// `Foo = (PyTypeObject *)PyType_FromSpec(&Foo_spec);` for every type the
/// module's init function must create, bases first; with module state,
/// `state->Foo = (PyTypeObject *)PyType_FromModuleAndSpec(m, &Foo_spec, NULL);`
/// after the state's declaration.
std::string typeCreationCode(const std::vector<PortContext::TypeToCreate> &Types,
                             const PortContext::InitSite &Site, bool DeclareState,
                             const std::vector<std::pair<std::string, std::string>> &Initialisers) {
  const std::string &Indent = Site.Indent;
  bool Module = !Site.ModuleVar.empty();
  std::string Out;
  if (DeclareState)
    Out += "\n" + Indent + "module_state *" + Site.StateVar + " = get_module_state(" +
           Site.ModuleVar + ");";
  for (const auto &[Member, Value] : Initialisers)
    Out += "\n" + Indent + Site.StateVar + "->" + Member + " = " + Value + ";";
  auto Var = [&](const std::string &Name) { return Module ? Site.StateVar + "->" + Name : Name; };
  auto Create = [&](const PortContext::TypeToCreate &T, const std::string &Bases) {
    return Module ? "PyType_FromModuleAndSpec(" + Site.ModuleVar + ", &" + T.Spec + ", " +
                        (Bases.empty() ? "NULL" : Bases) + ")"
           : Bases.empty() ? "PyType_FromSpec(&" + T.Spec + ")"
                           : "PyType_FromSpecWithBases(&" + T.Spec + ", " + Bases + ")";
  };
  std::string Fail = "\n" + Indent + "    return " + Site.ErrorValue + ";";
  for (const PortContext::TypeToCreate *T : creationOrder(Types)) {
    std::string Target = Var(T->Var);
    for (const std::string &Base : T->ReadyFirst) // a static base is ready first
      Out += "\n" + Indent + "if (PyType_Ready(" + Base + ") < 0)" + Fail;
    if (T->Bases.empty()) {
      Out += "\n" + Indent + Target + " = (PyTypeObject *)" + Create(*T, "") + ";";
    } else {
      std::string Base = Module && !T->DependsOn.empty() ? Var(T->DependsOn.front())
                                                          : T->Bases.front();
      Out += "\n" + Indent + "{\n" + Indent + "    PyObject *abi3port_bases = PyTuple_Pack(1, " +
             "(PyObject *)" + Base + ");\n" + Indent + "    if (abi3port_bases == NULL)\n" +
             Indent + "        return " + Site.ErrorValue + ";\n" + Indent + "    " + Target +
             " = (PyTypeObject *)" + Create(*T, "abi3port_bases") + ";\n" + Indent +
             "    Py_DECREF(abi3port_bases);\n" + Indent + "}";
    }
    Out += "\n" + Indent + "if (" + Target + " == NULL)" + Fail;
  }
  return Out;
}

/// The creation code for each module init function.
std::vector<RuleEdit> typeCreationEdits(const std::vector<const UnitOutput *> &Units) {
  std::vector<RuleEdit> Out;
  for (const UnitOutput *U : Units) {
    if (!U->ModuleInit)
      continue;
    std::vector<PortContext::TypeToCreate> Types;
    std::set<std::string> Seen;
    for (const UnitOutput *Other : Units)
      for (const auto &T : Other->Types)
        if ((Other == U || T.External) && Seen.insert(T.Var).second)
          Types.push_back(T);
    bool Module = !U->ModuleInit->ModuleVar.empty();
    const auto &Initialisers = U->ModuleState.Initialisers;
    bool DeclareState = Module && (U->ModuleState.InitUsesState || !Types.empty() ||
                                   !Initialisers.empty());
    if (Types.empty() && !DeclareState)
      continue;
    Out.push_back({Types.empty() ? "module-global-state" : "static-type-object",
                   tooling::Replacement(U->ModuleInit->File, U->ModuleInit->Offset, 0,
                                        typeCreationCode(Types, *U->ModuleInit, DeclareState,
                                                         Module ? Initialisers
                                                                : decltype(Initialisers){})),
                   Module ? "#module-state" : U->ModuleInit->File + "#type-creation", {}});
  }
  return Out;
}

/// Why module state cannot be applied to these units, if it cannot.
std::vector<Finding> moduleStateFailures(const std::vector<UnitOutput> &Units) {
  std::vector<Finding> Failures;
  bool HaveDef = false, HaveState = false, MultiPhase = false;
  unsigned Modules = 0, StateWithoutInit = 0;
  for (const UnitOutput &U : Units) {
    MultiPhase |= U.ModuleState.InitWithoutCreate;
    Modules += U.ModuleState.Def.has_value();
    StateWithoutInit += !U.ModuleState.Def && !U.ModuleState.Members.empty();
    Failures.insert(Failures.end(), U.ModuleState.Failures.begin(), U.ModuleState.Failures.end());
    HaveDef |= U.ModuleState.Def.has_value();
    HaveState |= !U.ModuleState.Members.empty();
  }
  SourcePosition First{Units.front().MainFile, 1, 1, 1, 1};
  if (Failures.empty() && Modules > 1 && StateWithoutInit > 0)
    Failures.push_back(moduleStateNotApplied(
        First, "module-global-state",
        "several modules are ported together, and files without an init function have "
        "globals; port each module's files in a run of its own"));
  std::vector<const UnitState *> States;
  for (const UnitOutput &U : Units)
    States.push_back(&U.ModuleState);
  if (std::optional<std::string> Why = moduleStateObstacle(States); Failures.empty() && Why)
    Failures.push_back(moduleStateNotApplied(First, "module-global-state", *Why));
  // Files with state to move but no module to own it: port them together.
  if (Failures.empty() && !HaveDef && HaveState)
    Failures.push_back(moduleStateNotApplied(
        First, "single-phase-init",
        MultiPhase ? "the module is already initialised in phases (PyModuleDef_Init); move "
                     "its remaining globals into its state by hand"
                   : "none of the files given defines the module's PyInit_* function with "
                     "PyModule_Create; port the module's files together"));
  return Failures;
}

PortResult portFilesWith(const Frontend &FE, const ApiKnowledge &Knowledge,
                         const PortOptions &Options) {
  const std::set<std::string> &Rules = Options.Rules;
  AuditOptions Audit{FE.pythonInclude()};
  std::vector<UnitOutput> Units(FE.files().size());
  PortResult Result;
  std::vector<ParseResult> Parsed =
      FE.run([&](size_t I) -> std::unique_ptr<tooling::FrontendActionFactory> {
        if (auto Buffer = llvm::MemoryBuffer::getFile(FE.files()[I]))
          if (auto Cython = detectCythonGenerated(FE.files()[I], (*Buffer)->getBuffer())) {
            Units[I].Audit.push_back(*Cython); // regenerate it; do not port it
            return nullptr;
          }
        return std::make_unique<PortActionFactory>(Knowledge, Audit, Options, Units[I]);
      });
  if (Options.State == StateMode::Module) {
    Result.StateFailures = moduleStateFailures(Units);
    if (!Result.StateFailures.empty())
      return Result;
  }

  EditSet Edits;
  std::map<std::string, std::string> Originals;
  std::vector<const UnitOutput *> Good;
  for (size_t I = 0; I < Units.size(); ++I) {
    if (!Parsed[I].Parsed) {
      Result.Failures.push_back(Parsed[I]);
      continue;
    }
    Good.push_back(&Units[I]);
    Originals.insert(Units[I].Buffers.begin(), Units[I].Buffers.end());
  }
  Edits.addAll(keepValidEdits(Good, Result.Report));
  Edits.addAll(typeCreationEdits(Good));
  if (Options.State == StateMode::Module) {
    std::vector<const UnitState *> States;
    for (const UnitOutput *U : Good)
      States.push_back(&U->ModuleState);
    Edits.addAll(moduleStateEdits(States, Knowledge.target()));
  }

  // First merge: which edits apply, and so which sites remain per unit.
  std::vector<EditConflict> Conflicts;
  std::vector<FileEdits> First = Edits.merge(Originals, Conflicts);
  auto Changed = byFile(First);
  std::set<std::string> ConflictFiles;
  for (const EditConflict &C : Conflicts)
    ConflictFiles.insert(C.File);
  bool DefineSelected = Rules.count("limited-api-macro");
  for (const UnitOutput *Unit : Good) {
    std::vector<Finding> Sites = remainingSites(*Unit, Changed, Rules);
    bool Blocked = llvm::any_of(Sites, [](const Finding &F) { return F.Blocker; });
    bool Conflicted = llvm::any_of(Unit->Buffers, [&](const auto &B) {
      return ConflictFiles.count(B.first) > 0;
    });
    if (DefineSelected && !Blocked && !Conflicted)
      for (RuleEdit &E : limitedDefineEdits(*Unit, Knowledge.target()))
        Edits.add(std::move(E));
    Result.Report.insert(Result.Report.end(), Sites.begin(), Sites.end());
  }

  // Final merge with the Py_LIMITED_API definitions.
  Result.Files = Edits.merge(Originals, Result.Conflicts);
  auto Final = byFile(Result.Files);
  for (const EditConflict &C : Result.Conflicts) {
    auto [Line, Column] = lineAndColumn(Originals[C.File], C.Offset);
    Finding F;
    F.Pos = {C.File, Line, Column, Line, Column};
    F.Rule = C.RuleA;
    F.Message = "edits of rules '" + C.RuleA + "' and '" + C.RuleB +
                "' conflict here; neither was applied";
    Result.Report.push_back(std::move(F));
  }
  sortAndDeduplicate(Result.Report);
  for (Finding &F : Result.Report)
    reposition(F, Final);
  return Result;
}

} // namespace

llvm::Expected<std::set<std::string>> selectRules(llvm::StringRef List) {
  std::set<std::string> Selected;
  llvm::SmallVector<llvm::StringRef> Items;
  List.split(Items, ',', -1, false);
  for (llvm::StringRef Item : Items) {
    Item = Item.trim();
    bool Remove = Item.consume_front("-");
    if (Item == "all") {
      for (const RuleInfo &R : allRules())
        if (R.Rewrites && !Remove)
          Selected.insert(R.Id.str());
      if (Remove)
        Selected.clear();
      continue;
    }
    const RuleInfo *R = findRule(Item);
    if (!R || !R->Rewrites) {
      std::string Known;
      for (const RuleInfo &K : allRules())
        if (K.Rewrites)
          Known += (Known.empty() ? "" : ", ") + K.Id.str();
      return llvm::createStringError("--rules: unknown rewrite rule '" + Item.str() +
                                     "' (rules that rewrite: " + Known + ")");
    }
    if (Remove)
      Selected.erase(Item.str());
    else
      Selected.insert(Item.str());
  }
  return Selected;
}

PortResult portFiles(const Frontend &FE, const ApiKnowledge &Knowledge,
                     const std::set<std::string> &Rules, StateMode State) {
  // Module state is the two rules together: without either, process globals.
  if (!Rules.count("module-global-state") || !Rules.count("single-phase-init"))
    State = StateMode::Global;
  PortResult Result = portFilesWith(FE, Knowledge, {Rules, State});
  if (State == StateMode::Module && !Result.StateFailures.empty()) {
    std::vector<Finding> Why = std::move(Result.StateFailures);
    Result = portFilesWith(FE, Knowledge, {Rules, StateMode::Global});
    auto Final = byFile(Result.Files);
    for (Finding &F : Why)
      reposition(F, Final);
    Result.Report.insert(Result.Report.end(), Why.begin(), Why.end());
    sortAndDeduplicate(Result.Report);
  }
  return Result;
}

} // namespace abi3port
