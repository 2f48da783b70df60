#include "transforms/Port.h"
#include "transforms/Audit.h"
#include "transforms/PreprocessorSides.h"
#include "transforms/PythonFreeFiles.h"
#include "transforms/Registry.h"
#include "transforms/SkippedBodies.h"
#include "transforms/SourceMapping.h"
#include "transforms/Verify.h"
#include "transforms/edit/ProtectedFiles.h"
#include "transforms/rules/PortContext.h"

#include <functional>

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"

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
  bool IncludesPython = false; ///< Python.h, from any file of the unit
};

struct PortOptions {
  const std::set<std::string> &Rules;
  StateMode State;
  /// With module state: the rules also run a second time on the same AST
  /// with process globals, so that falling back to globals (a reason found
  /// after the parse, by the merge or by the verification) parses nothing
  /// again.
  bool AlsoGlobal = false;
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
  PreprocessorSide Sides; ///< what the full parse skipped (PreprocessorSides.h)
  /// Python-free files (every inclusion of them), whose function bodies the
  /// verification may skip (SkippedBodies.h).
  std::set<std::string> PythonFree;
  MeaningFingerprints FreeFingerprints;   ///< of the Python-free files
  std::set<std::string> NamedInFreeBodies; ///< see namedInBodies
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
    Out.IncludesPython |= FileName == "Python.h";
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
               std::string IncludeDir, SharedStaticTypes &StaticTypes, UnitOutput &Out,
               UnitOutput *GlobalOut)
      : CI(CI), Files(CI.getSourceManager(), IncludeDir), Collector(CI, Files),
        StaticTypes(StaticTypes), Knowledge(Knowledge), Options(Options), Out(Out),
        GlobalOut(GlobalOut) {
    auto Recorder = std::make_unique<UserFileRecorder>(CI.getSourceManager(), Files);
    UserFiles = Recorder.get(); // owned by the preprocessor
    CI.getPreprocessor().addPPCallbacks(std::move(Recorder));
    // Code the preprocessor skipped in user files: rules cannot see it, and
    // say so where it matters; see also PreprocessorSides.h.
    Out.Sides = {};
    Skipped = &recordPreprocessorSide(CI.getPreprocessor(), IncludeDir, Knowledge.surface(),
                                      Out.Sides);
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    limitWalksToPythonCode(CI, Files); // done by WalkLimiter when the audit runs too
    CollectedReferences References = Collector.collect(Ctx);
    References.StaticTypes = &StaticTypes;
    runRules(Ctx, References, Options.State, Out);
    if (GlobalOut && stateIndependent(Out))
      copyRulesOutput(Out, *GlobalOut);
    else if (GlobalOut)
      runRules(Ctx, References, StateMode::Global, *GlobalOut);
    const SourceManager &SM = Ctx.getSourceManager();
    Out.MainFile = canonicalPath(SM.getFileEntryRefForID(SM.getMainFileID())->getName());
    for (FileID FID : UserFiles->Entered)
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID))
        Out.Buffers[canonicalPath(FE->getName())] = SM.getBufferData(FID).str();
  }

private:
  /// Whether the rules' output with module state is the one process
  /// globals give: no type converted, no module state, no finding of the
  /// rules that read the state mode.
  static bool stateIndependent(const UnitOutput &U) {
    auto ReadsState = [](const std::string &Rule) {
      return Rule == "static-type-object" || Rule == "module-global-state" ||
             Rule == "single-phase-init";
    };
    const UnitState &S = U.ModuleState;
    return U.Types.empty() && !U.ModuleInit && S.Members.empty() && S.Anchors.empty() && !S.Def &&
           S.Failures.empty() && S.Initialisers.empty() && !S.InitWithoutCreate &&
           !S.SharedCData &&
           llvm::none_of(U.Edits, [&](const RuleEdit &E) { return ReadsState(E.Rule); }) &&
           llvm::none_of(U.Manual, [&](const Finding &F) { return ReadsState(F.Rule); });
  }

  static void copyRulesOutput(const UnitOutput &From, UnitOutput &To) {
    To.Types = From.Types;
    To.ModuleInit = From.ModuleInit;
    To.ModuleState = From.ModuleState;
    To.Edits = From.Edits;
    To.Manual = From.Manual;
  }

  /// The rules' part of the unit's output, in one state mode.
  void runRules(ASTContext &Ctx, const CollectedReferences &References, StateMode State,
                UnitOutput &Into) {
    PortContext Port(Ctx, Knowledge, Files, References);
    Port.State = State;
    Port.SkippedRanges = Skipped->skippedRanges();
    for (const RuleInfo &R : allRules())
      if (R.Run && Options.Rules.count(R.Id.str()))
        R.Run(Port);
    Port.runDeferred();
    Into.Types = Port.TypesToCreate;
    Into.ModuleInit = Port.ModuleInit;
    Into.ModuleState = Port.ModuleState;
    Into.Edits = Port.takeEdits();
    Into.Manual = Port.takeManualSites();
  }

  CompilerInstance &CI;
  FileClassifier Files;
  ApiReferenceCollector Collector;
  SharedStaticTypes &StaticTypes; ///< with the audit's consumer
  UserFileRecorder *UserFiles = nullptr;
  PreprocessorSideRecorder *Skipped = nullptr; ///< owned by the preprocessor
  const ApiKnowledge &Knowledge;
  const PortOptions &Options;
  UnitOutput &Out;
  UnitOutput *GlobalOut; ///< the rules' output with process globals, or null
};

/// Limits the walks of the audit and the rules to Python code
/// (PythonFreeFiles.h) before either runs, and keeps the Python-free files
/// for the verification (SkippedBodies.h).
class WalkLimiter : public ASTConsumer {
public:
  WalkLimiter(CompilerInstance &CI, const std::string &IncludeDir, UnitOutput &Out)
      : CI(CI), Files(CI.getSourceManager(), IncludeDir), Out(Out),
        Inactive(recordInactiveBlocks(CI.getPreprocessor())) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    Out.PythonFree = pathsOf(limitWalksToPythonCode(CI, Files), Ctx.getSourceManager());
    Out.FreeFingerprints = fingerprintFiles(CI, Files, Out.PythonFree, Inactive);
    Out.NamedInFreeBodies = namedInBodies(Ctx, Out.PythonFree);
  }

private:
  /// The files all of whose inclusions are among `Free`.
  static std::set<std::string> pathsOf(const llvm::DenseSet<FileID> &Free,
                                       const SourceManager &SM) {
    std::set<std::string> Paths, NotFree;
    if (Free.empty())
      return Paths;
    for (const EnteredFileID &E : filesEntered(SM))
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(E.File))
        (Free.contains(E.File) ? Paths : NotFree).insert(canonicalPath(FE->getName()));
    for (const std::string &P : NotFree)
      Paths.erase(P);
    return Paths;
  }

  CompilerInstance &CI;
  FileClassifier Files;
  UnitOutput &Out;
  const InactiveRanges &Inactive;
};

class PortAction : public ASTFrontendAction {
public:
  PortAction(const ApiKnowledge &K, const AuditOptions &O, const PortOptions &Rules,
             UnitOutput &Out, UnitOutput *GlobalOut)
      : Knowledge(K), Options(O), Rules(Rules), Out(Out), GlobalOut(GlobalOut) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    CI.getPreprocessor().addPPCallbacks(
        std::make_unique<DefineSiteCallbacks>(CI.getSourceManager(), Out.Define));
    std::vector<std::unique_ptr<ASTConsumer>> Consumers;
    Consumers.push_back(
        std::make_unique<WalkLimiter>(CI, Options.PythonIncludeDir, Out));
    Consumers.push_back(createAuditConsumer(CI, Knowledge, Options, Out.Audit, &StaticTypes));
    Consumers.push_back(std::make_unique<PortConsumer>(
        CI, Knowledge, Rules, Options.PythonIncludeDir, StaticTypes, Out, GlobalOut));
    return std::make_unique<MultiplexConsumer>(std::move(Consumers));
  }

private:
  const ApiKnowledge &Knowledge;
  const AuditOptions &Options;
  const PortOptions &Rules;
  UnitOutput &Out;
  UnitOutput *GlobalOut;
  SharedStaticTypes StaticTypes; ///< this unit's, for the audit and the rules
};

class PortActionFactory : public tooling::FrontendActionFactory {
public:
  PortActionFactory(const ApiKnowledge &K, const AuditOptions &O, const PortOptions &Rules,
                    UnitOutput &Out, UnitOutput *GlobalOut)
      : Knowledge(K), Options(O), Rules(Rules), Out(Out), GlobalOut(GlobalOut) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<PortAction>(Knowledge, Options, Rules, Out, GlobalOut);
  }

private:
  const ApiKnowledge &Knowledge;
  const AuditOptions &Options;
  const PortOptions &Rules;
  UnitOutput &Out;
  UnitOutput *GlobalOut;
};

//===----------------------------------------------------------------------===//
// Merging
//===----------------------------------------------------------------------===//

bool samePlace(const Finding &Manual, const Finding &Audit, const SourcePosition &A) {
  auto Before = [](unsigned L1, unsigned C1, unsigned L2, unsigned C2) {
    return L1 < L2 || (L1 == L2 && C1 < C2);
  };
  const SourcePosition &M = Manual.Pos;
  bool SameStart = M.Line == A.Line && M.Column == A.Column;
  return M.File == A.File && (Manual.Rule == Audit.Rule || SameStart) &&
         !Before(M.EndLine, M.EndColumn, A.Line, A.Column) &&
         !Before(A.EndLine, A.EndColumn, M.Line, M.Column);
}

/// The rule's own manual site and the audit's finding of the same rule
/// describe one construct when their ranges overlap (for a name spelled in
/// a project macro, where the name is written).
bool sameSite(const Finding &Manual, const Finding &Audit) {
  return samePlace(Manual, Audit, Audit.Pos) ||
         (Audit.SpelledAt && samePlace(Manual, Audit, *Audit.SpelledAt));
}

bool fixedAt(const SourcePosition &Pos, const std::string &Rule,
             const std::map<std::string, const FileEdits *> &Changed, bool AnyRule) {
  auto It = Changed.find(Pos.File);
  if (It == Changed.end())
    return false;
  return llvm::any_of(It->second->AppliedEdits, [&](const RuleEdit &E) {
    return editFixes(E, Pos, Rule, It->second->originalLines(), AnyRule);
  });
}

/// Whether an applied edit fixed the finding: an edit of its own rule that
/// touches its range (or, for a name spelled in a project macro, the name
/// where it is written), or any edit that replaced the whole range.
bool fixedByEdit(const Finding &F, const std::map<std::string, const FileEdits *> &Changed,
                 bool AnyRule = false) {
  return fixedAt(F.Pos, F.Rule, Changed, AnyRule) ||
         (F.SpelledAt && fixedAt(*F.SpelledAt, F.Rule, Changed, AnyRule));
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
  if (D.DefinedOnCommandLine || !Before || !D.IncludesPython)
    return {}; // a file that never includes Python.h has no use for it
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
    unsigned Old = File.originalLines().offsetOf(Line, Column);
    return File.rewrittenLines().lineAndColumn(File.Applied.getShiftedCodePosition(Old));
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

/// The types that become heap types: every type a unit converts, once some
/// file has the module's init function, less the withdrawn ones and those
/// whose base stays static because it was withdrawn.
std::set<std::string> convertedTypes(const std::vector<const UnitOutput *> &Units,
                                     const Withdrawals &Withdrawn) {
  bool HaveInit = llvm::any_of(Units, [](const UnitOutput *U) { return U->ModuleInit.has_value(); });
  std::set<std::string> Converted;
  if (!HaveInit || Withdrawn.ModuleState)
    return Converted;
  for (const UnitOutput *U : Units)
    for (const auto &T : U->Types)
      if (!Withdrawn.Types.count(T.Var))
        Converted.insert(T.Var);
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const UnitOutput *U : Units)
      for (const auto &T : U->Types)
        if (Converted.count(T.Var) && llvm::any_of(T.DependsOn, [&](const std::string &B) {
              return !Converted.count(B);
            })) {
          Converted.erase(T.Var);
          Changed = true;
        }
  }
  return Converted;
}

/// An edit, or what it replaced when the verification withdrew it.
void collectEdit(const RuleEdit &E, const Withdrawals &Withdrawn, std::vector<const RuleEdit *> &Out) {
  if (!Withdrawn.withdraws(E)) {
    Out.push_back(&E);
    return;
  }
  for (const RuleEdit &Inner : E.Replaced)
    collectEdit(Inner, Withdrawn, Out);
}

/// Drops the groups of edits that assume a type another file was to convert
/// when no file did, and every static-type-object edit when no file has the
/// module's init function (the heap types would never be created), and what
/// the verification withdrew.
std::vector<RuleEdit> keepValidEdits(const std::vector<const UnitOutput *> &Units,
                                     const std::set<std::string> &Converted,
                                     const Withdrawals &Withdrawn, std::vector<Finding> &Report) {
  bool HaveInit = llvm::any_of(Units, [](const UnitOutput *U) { return U->ModuleInit.has_value(); });
  std::vector<const RuleEdit *> Candidates;
  for (const UnitOutput *U : Units)
    for (const RuleEdit &E : U->Edits)
      collectEdit(E, Withdrawn, Candidates);
  std::set<std::string> DroppedGroups;
  std::vector<RuleEdit> All;
  for (const RuleEdit *E : Candidates) {
    auto IsConverted = [&](const std::string &T) { return Converted.count(T) > 0; };
    bool Valid = llvm::all_of(E->Assumes, IsConverted) &&
                 (E->AssumesAny.empty() || llvm::any_of(E->AssumesAny, IsConverted));
    if (E->Rule == "static-type-object" && !HaveInit)
      Valid = false;
    if (!Valid && !E->Group.empty())
      DroppedGroups.insert(E->Group);
    if (Valid)
      All.push_back(*E);
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

/// Drops the edits into vendored and generated files (ProtectedFiles.h),
/// with their groups, and names each such file in the report.
std::vector<RuleEdit> withoutProtectedFiles(std::vector<RuleEdit> Edits,
                                            const std::map<std::string, std::string> &Originals,
                                            std::vector<Finding> &Report) {
  std::map<std::string, std::string> Protected; // file -> reason
  for (const auto &[File, Text] : Originals)
    if (std::optional<std::string> Why = protectedFileReason(File, Text))
      Protected[File] = *Why;
  std::set<std::string> Groups, Reported;
  for (const RuleEdit &E : Edits) {
    auto It = Protected.find(E.Replacement.getFilePath().str());
    if (It == Protected.end())
      continue;
    Groups.insert(groupKeyOf(E));
    if (!Reported.insert(It->first).second)
      continue;
    Finding F;
    F.Pos = {It->first, 1, 1, 1, 1};
    F.Rule = E.Rule;
    F.Blocker = false;
    F.Message = "not edited: " + It->second;
    Report.push_back(std::move(F));
  }
  llvm::erase_if(Edits, [&](const RuleEdit &E) { return Groups.count(groupKeyOf(E)) > 0; });
  return Edits;
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
    for (const auto &F : T->Fills) // values known only at run time
      Out += "\n" + Indent + T->Spec + ".slots[" + std::to_string(F.Index) +
             "].pfunc = (void *)(" + F.Value + "); /* " + F.Id + " */";
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
std::vector<RuleEdit> typeCreationEdits(const std::vector<const UnitOutput *> &Units,
                                        const std::set<std::string> &Converted) {
  std::vector<RuleEdit> Out;
  for (const UnitOutput *U : Units) {
    if (!U->ModuleInit)
      continue;
    std::vector<PortContext::TypeToCreate> Types;
    std::set<std::string> Seen;
    for (const UnitOutput *Other : Units)
      for (const auto &T : Other->Types)
        if ((Other == U || T.External) && Converted.count(T.Var) && Seen.insert(T.Var).second)
          Types.push_back(T);
    bool Module = !U->ModuleInit->ModuleVar.empty();
    const auto &Initialisers = U->ModuleState.Initialisers;
    bool DeclareState = Module && (U->ModuleState.InitUsesState || !Types.empty() ||
                                   !Initialisers.empty());
    if (Types.empty() && !DeclareState)
      continue;
    std::string Code = typeCreationCode(Types, *U->ModuleInit, DeclareState,
                                        Module ? Initialisers : decltype(Initialisers){});
    if (U->ModuleInit->ContinuesLine)
      Code += "\n" + U->ModuleInit->Indent;
    Out.push_back({Types.empty() ? "module-global-state" : "static-type-object",
                   tooling::Replacement(U->ModuleInit->File, U->ModuleInit->Offset, 0, Code),
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

/// A full-API parse that skipped the function bodies of Python-free files.
struct SkippedParse {
  std::vector<CompilerDiagnostic> Diagnostics;
  MeaningFingerprints Fingerprints;
  bool Ran = true;
};

/// The full-API parses the verification has made, per unit: the original's
/// diagnostics, and the new diagnostics of each set of texts parsed. Kept
/// across the module-state port and its fallback with process globals (the
/// same files, often the same texts); each thread touches only its own
/// unit's entries.
struct VerificationMemo {
  explicit VerificationMemo(size_t Units)
      : Baselines(Units), Checked(Units), SkippingFailed(Units, 0),
        LimitedSkippingFailed(Units, 0) {}
  std::vector<std::optional<std::vector<CompilerDiagnostic>>> Baselines;
  std::vector<std::map<std::string, std::vector<CompilerDiagnostic>>> Checked; ///< by text hashes
  /// Whether a parse of the port that skipped the bodies of Python-free
  /// files (SkippedBodies.h) was ever inconclusive: then the unit is only
  /// parsed whole; the same for the limited parse.
  std::vector<char> SkippingFailed, LimitedSkippingFailed;
};

/// Every unit of one parse of the files, before merging.
struct ParsedPort {
  std::vector<UnitOutput> Units;     ///< one per file, in file order
  std::vector<ParseResult> Parsed;   ///< the same order
  std::vector<Finding> StateFailures;
  /// With module state: the same units with the rules' output for process
  /// globals (the fallback), from the same parse.
  std::vector<UnitOutput> GlobalUnits;
};

/// Rules whose edits only modernise the code they touch: in code that only
/// the full build compiles, which the author kept for it (a fast path
/// through the full API), they change nothing the Limited API needs.
bool modernisesOnly(llvm::StringRef Rule) {
  return Rule == "checked-calls" || Rule == "type-slot-access" || Rule == "type-name-in-message" ||
         Rule == "module-add-object-ref" || Rule == "object-pointer-cast" || Rule == "private-api" ||
         Rule == "datetime-api" || Rule == "str-internals" || Rule == "trashcan";
}

/// The unit's edits without those of `modernisesOnly` rules in regions the
/// limited build skips; a dropped edit gives back the edits it absorbed.
std::vector<RuleEdit> withoutFullBuildOnlyRewrites(std::vector<RuleEdit> Edits,
                                                   const UnitOutput &U,
                                                   const PreprocessorSide &Limited) {
  std::vector<RuleEdit> Kept;
  std::function<void(RuleEdit &&)> Keep = [&](RuleEdit &&E) {
    const tooling::Replacement &R = E.Replacement;
    auto Buffer = U.Buffers.find(R.getFilePath().str());
    if (modernisesOnly(E.Rule) && Buffer != U.Buffers.end()) {
      unsigned Line = lineAndColumn(Buffer->second, R.getOffset()).first;
      if (Limited.regionAt(R.getFilePath(), Line)) {
        for (RuleEdit &Inner : E.Replaced)
          Keep(std::move(Inner));
        return;
      }
    }
    Kept.push_back(std::move(E));
  };
  for (RuleEdit &E : Edits)
    Keep(std::move(E));
  return Kept;
}

/// Sites in code the limited build skips (`#ifndef Py_LIMITED_API`) block
/// nothing (PreprocessorSides.h), and the rules only modernising code leave
/// it as written. What only the limited build compiles is the
/// verification's limited parse's business (`checkLimited`).
void markFullBuildOnlySites(const Frontend &FE, const ApiKnowledge &Knowledge, ParsedPort &P) {
  std::vector<size_t> TwoSided;
  for (size_t I = 0; I < P.Units.size(); ++I)
    if (P.Parsed[I].Parsed && P.Units[I].Sides.needsLimitedParse())
      TwoSided.push_back(I);
  // The report is positioned in the rewritten text: no original lines.
  auto MarkRules = [](UnitOutput &U, const UnitOutput &Parsed, const PreprocessorSide &Limited) {
    markFullBuildOnly(U.Manual, Limited, /*WithLines=*/false);
    U.Edits = withoutFullBuildOnlyRewrites(std::move(U.Edits), Parsed, Limited);
  };
  FE.forEach(TwoSided.size(), [&](size_t K) {
    size_t I = TwoSided[K];
    LimitedSide Limited = parseLimitedSide(FE, I, Knowledge, /*Audit=*/false);
    markFullBuildOnly(P.Units[I].Audit, Limited.Side, /*WithLines=*/false);
    MarkRules(P.Units[I], P.Units[I], Limited.Side);
    if (!P.GlobalUnits.empty())
      MarkRules(P.GlobalUnits[I], P.Units[I], Limited.Side);
  });
}

/// The parse's outputs that are not the rules' (the audit, the texts...),
/// moved from the module-state units to the units of the rules' run with
/// process globals.
void moveParseOutputs(UnitOutput &From, UnitOutput &To) {
  To.MainFile = std::move(From.MainFile);
  To.Audit = std::move(From.Audit);
  To.Buffers = std::move(From.Buffers);
  To.Define = std::move(From.Define);
  To.Sides = std::move(From.Sides);
  To.PythonFree = std::move(From.PythonFree);
  To.FreeFingerprints = std::move(From.FreeFingerprints);
  To.NamedInFreeBodies = std::move(From.NamedInFreeBodies);
}

/// Whether the compile command turns warnings into errors: the
/// verification's warning flags would then make the port's own parse fail.
bool warningsAreErrors(const tooling::CompileCommand &Command) {
  return llvm::any_of(Command.CommandLine, [](llvm::StringRef A) {
    return A == "-Werror" || A == "-pedantic-errors" || A == "-Wfatal-errors";
  });
}

/// Parses the files with the rules. With `Memo`, the parse also gets the
/// verification's warning flags and its diagnostics are the verification's
/// baselines (one full-API parse per file fewer), except where the flags
/// would make warnings errors.
ParsedPort parseUnits(const Frontend &FE, const ApiKnowledge &Knowledge,
                      const PortOptions &Options, VerificationMemo *Memo) {
  AuditOptions Audit{FE.pythonInclude()};
  ParsedPort P;
  P.Units.resize(FE.files().size());
  if (Options.AlsoGlobal)
    P.GlobalUnits.resize(FE.files().size());
  auto MoreArgs = [&](size_t I) -> std::optional<std::vector<std::string>> {
    if (!Memo || warningsAreErrors(FE.command(I)))
      return std::nullopt;
    return verificationWarningFlags();
  };
  std::vector<std::optional<std::vector<CompilerDiagnostic>>> Unused(FE.files().size());
  auto MakeFactory = [&](size_t I) -> std::unique_ptr<tooling::FrontendActionFactory> {
    P.Units[I] = {};
    if (Options.AlsoGlobal)
      P.GlobalUnits[I] = {};
    if (auto Buffer = llvm::MemoryBuffer::getFile(FE.files()[I]))
      if (auto Cython = detectCythonGenerated(FE.files()[I], (*Buffer)->getBuffer())) {
        P.Units[I].Audit.push_back(*Cython); // regenerate it; do not port it
        return nullptr;
      }
    return std::make_unique<PortActionFactory>(
        Knowledge, Audit, Options, P.Units[I],
        Options.AlsoGlobal ? &P.GlobalUnits[I] : nullptr);
  };
  P.Parsed = FE.run(MakeFactory, MoreArgs, Memo ? Memo->Baselines : Unused);
  markFullBuildOnlySites(FE, Knowledge, P);
  if (Options.State == StateMode::Module)
    P.StateFailures = moduleStateFailures(P.Units);
  return P;
}

/// The port as one merge of the parsed units gives it.
struct MergedPort {
  PortResult Result;
  /// The rewritten files without the Py_LIMITED_API definitions: what the
  /// full-API verification parses.
  std::vector<FileEdits> FullApiFiles;
};

/// Merges the units' edits, less what `Withdrawn` takes back, and decides
/// where Py_LIMITED_API is defined.
MergedPort mergeUnits(const ParsedPort &P, const ApiKnowledge &Knowledge,
                      const PortOptions &Options, const Withdrawals &Withdrawn) {
  const std::set<std::string> &Rules = Options.Rules;
  MergedPort Merged;
  PortResult &Result = Merged.Result;
  EditSet Edits;
  std::map<std::string, std::string> Originals;
  std::vector<const UnitOutput *> Good;
  for (size_t I = 0; I < P.Units.size(); ++I) {
    if (!P.Parsed[I].Parsed) {
      Result.Failures.push_back(P.Parsed[I]);
      continue;
    }
    Good.push_back(&P.Units[I]);
    Originals.insert(P.Units[I].Buffers.begin(), P.Units[I].Buffers.end());
  }
  if (Withdrawn.All) { // the report alone
    for (const UnitOutput *U : Good)
      for (const Finding &F : U->Audit)
        Result.Report.push_back(F);
    for (const UnitOutput *U : Good)
      for (const Finding &F : U->Manual)
        Result.Report.push_back(F);
    sortAndDeduplicate(Result.Report);
    return Merged;
  }
  std::set<std::string> Converted = convertedTypes(Good, Withdrawn);
  Edits.addAll(withoutProtectedFiles(keepValidEdits(Good, Converted, Withdrawn, Result.Report),
                                     Originals, Result.Report));
  if (!Withdrawn.ModuleState)
    Edits.addAll(typeCreationEdits(Good, Converted));
  if (Options.State == StateMode::Module && !Withdrawn.ModuleState) {
    std::vector<const UnitState *> States;
    for (const UnitOutput *U : Good)
      States.push_back(&U->ModuleState);
    Edits.addAll(moduleStateEdits(States, Knowledge.target()));
  }

  // First merge: which edits apply, and so which sites remain per unit.
  std::vector<EditConflict> Conflicts;
  Merged.FullApiFiles = Edits.merge(Originals, Conflicts);
  auto Changed = byFile(Merged.FullApiFiles);
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
    if (DefineSelected && !Blocked && !Conflicted &&
        !Withdrawn.NoLimitedDefine.count(Unit->MainFile))
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
  return Merged;
}

//===----------------------------------------------------------------------===//
// Self-verification (Verify.h)
//===----------------------------------------------------------------------===//

/// Where an applied edit's text lies in the rewritten file.
struct PlacedEdit {
  const RuleEdit *Edit;
  const FileEdits *File;
  unsigned Begin, End; ///< offsets in File->Rewritten
};

std::vector<PlacedEdit> placeEdits(const std::vector<FileEdits> &Files) {
  std::vector<PlacedEdit> Out;
  for (const FileEdits &F : Files) {
    std::vector<const RuleEdit *> Sorted;
    for (const RuleEdit &E : F.AppliedEdits)
      Sorted.push_back(&E);
    llvm::stable_sort(Sorted, [](const RuleEdit *A, const RuleEdit *B) {
      return A->Replacement.getOffset() < B->Replacement.getOffset();
    });
    long Delta = 0;
    for (const RuleEdit *E : Sorted) {
      const tooling::Replacement &R = E->Replacement;
      unsigned Begin = R.getOffset() + Delta;
      Out.push_back({E, &F, Begin, unsigned(Begin + R.getReplacementText().size())});
      Delta += long(R.getReplacementText().size()) - long(R.getLength());
    }
  }
  return Out;
}

/// Runs the verification rounds over one parse of the files.
class PortVerifier {
public:
  PortVerifier(const Frontend &FE, const ApiKnowledge &Knowledge, const ParsedPort &P,
               const PortOptions &Options, VerificationMemo &Memo, Withdrawals Refused = {})
      : FE(FE), Knowledge(Knowledge), P(P), Options(Options), Baselines(Memo.Baselines),
        Checked(Memo.Checked), SkippingFailed(Memo.SkippingFailed),
        LimitedSkippingFailed(Memo.LimitedSkippingFailed), Withdrawn(std::move(Refused)) {}

  /// The verified port. With module state, when module state itself made
  /// things worse, sets `StateReasons` and the caller ports with globals.
  MergedPort run() {
    MergedPort M = mergeUnits(P, Knowledge, Options, Withdrawn);
    for (unsigned Round = 0; Round < MaxRounds; ++Round) {
      std::optional<std::pair<size_t, CompilerDiagnostic>> Worse = firstWorseUnit(M);
      if (!Worse)
        break;
      if (!withdrawCulprit(Worse->first, Worse->second, M))
        return M; // module state withdrawn: StateReasons says why
      M = mergeUnits(P, Knowledge, Options, Withdrawn);
    }
    M = checkLimited(std::move(M));
    addReasons(M);
    return M;
  }

  std::vector<Finding> StateReasons;

  /// What the verification took back (and what was refused before it).
  const Withdrawals &withdrawn() const { return Withdrawn; }

  /// The first unit (in file order) that the port makes worse; every unit
  /// is parsed, `-j` at a time.
  std::optional<std::pair<size_t, CompilerDiagnostic>> firstWorseUnit(const MergedPort &M) {
    std::vector<std::vector<CompilerDiagnostic>> New(P.Units.size());
    FE.forEach(P.Units.size(), [&](size_t U) {
      if (P.Parsed[U].Parsed)
        New[U] = worseIn(U, M.FullApiFiles);
    });
    for (size_t U = 0; U < P.Units.size(); ++U)
      if (!New[U].empty())
        return std::make_pair(U, New[U].front());
    return std::nullopt;
  }

  /// The units whose text covers the line of the diagnostic.
  std::vector<std::string> unitsAt(const std::vector<PlacedEdit> &Placed,
                                   const CompilerDiagnostic &D) const {
    std::vector<std::string> Units;
    for (const PlacedEdit &E : Placed) {
      if (E.File->File != D.UserFile)
        continue;
      unsigned First = E.File->rewrittenLines().lineAndColumn(E.Begin).first;
      unsigned Last = E.File->rewrittenLines().lineAndColumn(E.End).first;
      std::string Key = unitOf(*E.Edit, Options.State);
      if (First <= D.UserLine && D.UserLine <= Last && !Key.empty() &&
          llvm::find(Units, Key) == Units.end())
        Units.push_back(Key);
    }
    return Units;
  }

private:
  static constexpr unsigned MaxRounds = 200;

  using Overlay = std::map<std::string, std::string>;

  Overlay overlayFor(size_t Unit, const std::vector<FileEdits> &Files) const {
    Overlay O;
    for (const FileEdits &F : Files)
      if (P.Units[Unit].Buffers.count(F.File))
        O[F.File] = F.Rewritten;
    return O;
  }

  const std::vector<CompilerDiagnostic> &baseline(size_t Unit) {
    if (!Baselines[Unit]) {
      bool Ran = true;
      Baselines[Unit] = FE.diagnose(Unit, {}, verificationWarningFlags(), Ran);
    }
    return *Baselines[Unit];
  }

  /// What the full-API parse of `Unit` with these files has that the
  /// original's does not.
  std::vector<CompilerDiagnostic> worseIn(size_t Unit, const std::vector<FileEdits> &Files) {
    Overlay O = overlayFor(Unit, Files);
    if (O.empty())
      return {};
    // A unit whose texts a withdrawal elsewhere did not change is not parsed
    // again (each thread touches only its own unit's memo).
    std::string Key;
    for (const auto &[Path, Text] : O)
      Key += Path + "#" + llvm::utohexstr(llvm::xxh3_64bits(Text)) + "\n";
    auto [It, Fresh] = Checked[Unit].try_emplace(Key);
    if (Fresh)
      It->second = parseWorse(Unit, O);
    return It->second;
  }

  std::vector<CompilerDiagnostic> parseWorse(size_t Unit, const Overlay &O) {
    if (skippedParseAccepts(Unit, O))
      return {};
    bool Ran = true;
    std::vector<CompilerDiagnostic> After = FE.diagnose(Unit, O, verificationWarningFlags(), Ran);
    std::vector<CompilerDiagnostic> New = newDiagnostics(baseline(Unit), After);
    dropNewerThanHeaders(New, After, Knowledge);
    if (!Ran && New.empty()) {
      CompilerDiagnostic D;
      D.Error = true;
      D.File = D.UserFile = FE.files()[Unit];
      D.Message = "the compiler could not run on the rewritten file";
      New.push_back(D);
    }
    return New;
  }

  /// Whether a parse of the port that skips the bodies of the unit's
  /// Python-free files shows it no worse than the same parse of the
  /// original, with the same meaning for every name of those files
  /// (SkippedBodies.h). Never a refusal: when this is false, the unit is
  /// parsed whole.
  bool skippedParseAccepts(size_t Unit, const Overlay &O) {
    std::set<std::string> Skip = skippableFiles(Unit, O);
    if (Skip.empty() || SkippingFailed[Unit])
      return false;
    const UnitOutput &U = P.Units[Unit];
    MeaningFingerprints Original = originalFingerprints(Unit, Skip);
    SkippedParse After = skippedParse(Unit, O, Skip, verificationWarningFlags());
    bool Same = After.Ran && After.Fingerprints == Original;
    if (Same) {
      llvm::erase_if(After.Diagnostics, [&](const CompilerDiagnostic &D) {
        return unusedOnlyBecauseSkipped(D.File, D.Message, U.NamedInFreeBodies);
      });
      std::vector<CompilerDiagnostic> New = newDiagnostics(baseline(Unit), After.Diagnostics);
      dropNewerThanHeaders(New, After.Diagnostics, Knowledge);
      Same = New.empty();
    }
    if (!Same)
      SkippingFailed[Unit] = 1;
    return Same;
  }

  /// The unit's Python-free files, unless the port's texts edit one of
  /// them, or add, move or remove a pragma (state fingerprints do not
  /// describe); `ABI3PORT_NO_SKIP_BODIES=1` turns the skipping off.
  std::set<std::string> skippableFiles(size_t Unit, const Overlay &O) const {
    const UnitOutput &U = P.Units[Unit];
    if (U.PythonFree.empty() || llvm::sys::Process::GetEnv("ABI3PORT_NO_SKIP_BODIES"))
      return {};
    for (const auto &[Path, Text] : O) {
      auto Original = U.Buffers.find(Path);
      if (U.PythonFree.count(Path) || Original == U.Buffers.end() ||
          pragmaLines(Original->second) != pragmaLines(Text))
        return {};
    }
    std::set<std::string> Skip;
    for (const std::string &Path : U.PythonFree)
      if (auto Text = U.Buffers.find(Path);
          Text != U.Buffers.end() && bodiesMayBeSkipped(Text->second))
        Skip.insert(Path);
    return Skip;
  }

  SkippedParse skippedParse(size_t Unit, const Overlay &O, const std::set<std::string> &Skip,
                            const std::vector<std::string> &Args) {
    SkippedParse R;
    R.Diagnostics = FE.diagnoseWith(
        Unit, O, Args,
        [&] { return skippingBodiesOf(Skip, FE.pythonInclude(), R.Fingerprints); }, R.Ran);
    return R;
  }

  /// The withdrawal units with an applied edit, in file and offset order,
  /// then every type still converted.
  std::vector<std::string> candidateUnits(const std::vector<PlacedEdit> &Placed) const {
    std::vector<std::string> Units;
    std::set<std::string> Seen;
    auto Add = [&](std::string Key) {
      if (!Key.empty() && Seen.insert(Key).second)
        Units.push_back(std::move(Key));
    };
    for (const PlacedEdit &E : Placed)
      Add(unitOf(*E.Edit, Options.State));
    for (const UnitOutput &U : P.Units)
      for (const auto &T : U.Types)
        if (!Withdrawn.Types.count(T.Var))
          Add(Options.State == StateMode::Module ? "state" : "type:" + T.Var);
    return Units;
  }

  Withdrawals with(const Withdrawals &Base, const std::vector<std::string> &Units,
                   const std::vector<PlacedEdit> &Placed) const {
    Withdrawals W = Base;
    for (const std::string &Key : Units) {
      llvm::StringRef K(Key);
      if (K.consume_front("type:")) {
        W.Types.insert(K.str());
        continue;
      }
      if (!K.consume_front("group:"))
        continue;
      W.Groups.insert(K.str());
      for (const PlacedEdit &E : Placed)
        if (groupKeyOf(*E.Edit) == K)
          W.Replacements.insert(replacementKey(*E.Edit));
    }
    return W;
  }

  bool sameDiagnostic(const CompilerDiagnostic &A, const CompilerDiagnostic &B) const {
    return A.File == B.File && A.Error == B.Error && A.Message == B.Message;
  }

  /// Finds what made `Unit` worse and withdraws it; false when that is
  /// module state (the caller ports with process globals).
  bool withdrawCulprit(size_t Unit, const CompilerDiagnostic &Worse, const MergedPort &M) {
    std::vector<PlacedEdit> Placed = placeEdits(M.FullApiFiles);
    std::vector<std::string> Culprits;
    CompilerDiagnostic Reason = Worse;
    // Most often the edit at the diagnostic is the cause.
    std::vector<std::string> AtSite = unitsAt(Placed, Worse);
    if (!AtSite.empty()) {
      MergedPort Trial = mergeUnits(P, Knowledge, Options, with(Withdrawn, AtSite, Placed));
      std::vector<CompilerDiagnostic> After = worseIn(Unit, Trial.FullApiFiles);
      if (llvm::none_of(After, [&](const CompilerDiagnostic &D) { return sameDiagnostic(D, Worse); }))
        Culprits = AtSite;
    }
    if (Culprits.empty()) {
      // Otherwise bisect: the shortest prefix of the units that is worse.
      std::vector<std::string> All = candidateUnits(Placed);
      std::map<size_t, CompilerDiagnostic> Found;
      auto Bad = [&](size_t K) {
        std::vector<std::string> Rest(All.begin() + K, All.end());
        MergedPort Trial = mergeUnits(P, Knowledge, Options, with(Withdrawn, Rest, Placed));
        std::vector<CompilerDiagnostic> After = worseIn(Unit, Trial.FullApiFiles);
        if (!After.empty())
          Found[K] = After.front();
        return !After.empty();
      };
      if (All.empty() || Bad(0)) {
        Culprits = All; // not attributable: take back everything
      } else {
        size_t K = firstBadPrefix(All.size(), Bad);
        Culprits = {All[K - 1]};
        if (Found.count(K))
          Reason = Found[K];
      }
    }
    if (llvm::is_contained(Culprits, "state")) {
      StateReasons.push_back(withdrawalFinding("module-global-state", Placed, "state", Reason));
      return false;
    }
    Withdrawals Next = with(Withdrawn, Culprits, Placed);
    if (Next == Withdrawn) {
      // Nothing left to attribute it to: the port of this module is not
      // made at all, rather than made worse.
      Culprits = {"all"};
      Next.All = true;
    }
    for (const std::string &Key : Culprits)
      WithdrawnSites.push_back(withdrawalFinding("static-type-object", Placed, Key, Reason));
    Withdrawn = std::move(Next);
    return true;
  }

  /// The first edit of a unit, as a report site at its original position.
  Finding withdrawalFinding(llvm::StringRef Rule, const std::vector<PlacedEdit> &Placed,
                            const std::string &Key, const CompilerDiagnostic &Reason) const {
    Finding F;
    F.Rule = Rule.str();
    F.Blocker = false;
    for (const PlacedEdit &E : Placed) {
      if (unitOf(*E.Edit, Options.State) != Key)
        continue;
      F.Rule = E.Edit->Rule;
      // The site spans the text the edit replaced (a type's definition), so
      // the limited errors inside it are covered (insideReportedSite).
      const auto &R = E.Edit->Replacement;
      auto [Line, Column] = E.File->originalLines().lineAndColumn(R.getOffset());
      auto [EndLine, EndColumn] = E.File->originalLines().lineAndColumn(
          R.getOffset() + (R.getLength() ? R.getLength() - 1 : 0));
      F.Pos = {E.File->File, Line, Column, EndLine, EndColumn};
      break;
    }
    if (F.Pos.File.empty())
      F.Pos = {Reason.UserFile, 1, 1, 1, 1};
    llvm::StringRef What = llvm::StringRef(Key).starts_with("type:") ? "converting this type"
                           : Key == "state" ? "module state"
                           : Key == "all"   ? "nothing (no single change could be blamed)"
                                            : "this rewrite";
    F.Message = "not rewritten: " + What.str() +
                " would make the full-API build worse (clang, in the rewritten text: " +
                Reason.text() + ")";
    return F;
  }

  /// Py_LIMITED_API only where the limited parse has no error; errors
  /// outside every reported site become findings of their own.
  MergedPort checkLimited(MergedPort M) {
    std::vector<std::vector<CompilerDiagnostic>> Errors(P.Units.size());
    std::vector<char> Defines(P.Units.size());
    FE.forEach(P.Units.size(), [&](size_t U) {
      if (!P.Parsed[U].Parsed)
        return;
      Defines[U] = definesLimited(U, M);
      Errors[U] = limitedErrors(U, M);
    });
    std::vector<size_t> Failed;
    for (size_t U = 0; U < P.Units.size(); ++U)
      if (Defines[U] && !Errors[U].empty())
        Failed.push_back(U);
    if (!Failed.empty()) {
      for (size_t U : Failed)
        Withdrawn.NoLimitedDefine.insert(P.Units[U].MainFile);
      M = mergeUnits(P, Knowledge, Options, Withdrawn);
      FE.forEach(Failed.size(), [&](size_t I) { Errors[Failed[I]] = limitedErrors(Failed[I], M); });
    }
    std::vector<Finding> Extra;
    for (size_t U = 0; U < P.Units.size(); ++U)
      for (const CompilerDiagnostic &D : Errors[U])
        if (!D.UserFile.empty() && !insideReportedSite(D, M.Result.Report))
          Extra.push_back(limitedErrorFinding(D));
    M.Result.Report.insert(M.Result.Report.end(), Extra.begin(), Extra.end());
    sortAndDeduplicate(M.Result.Report);
    return M;
  }

  /// Whether the unit's main file defines Py_LIMITED_API in the port.
  bool definesLimited(size_t Unit, const MergedPort &M) const {
    for (const FileEdits &F : M.Result.Files)
      if (F.File == P.Units[Unit].MainFile)
        for (const RuleEdit &E : F.AppliedEdits)
          if (E.Rule == "limited-api-macro")
            return true;
    return false;
  }

  std::vector<CompilerDiagnostic> limitedErrors(size_t Unit, const MergedPort &M) {
    const LimitedDefineSite &D = P.Units[Unit].Define;
    // Every error: each one outside the reported sites becomes a finding.
    std::vector<std::string> Args = {"-w", "-ferror-limit=0"};
    if (!definesLimited(Unit, M) && !D.DefineLineStart && !D.DefinedOnCommandLine)
      Args.push_back("-DPy_LIMITED_API=" + Knowledge.target().hexString());
    Overlay O = overlayFor(Unit, M.Result.Files);
    bool Ran = true;
    std::optional<std::vector<CompilerDiagnostic>> Skipped = limitedSkippingBodies(Unit, O, Args);
    std::vector<CompilerDiagnostic> All = Skipped ? std::move(*Skipped) : FE.diagnose(Unit, O, Args, Ran);
    dropNewerThanHeaders(All, All, Knowledge); // reads All before it erases
    llvm::erase_if(All, [](const CompilerDiagnostic &D) { return !D.Error; });
    return All;
  }

  /// The limited parse with the bodies of the unit's Python-free files
  /// skipped, when that gives the errors the whole parse would: every name
  /// of those files means what it means in the original, whose parse had no
  /// error in them, so they have none either; nullopt otherwise.
  std::optional<std::vector<CompilerDiagnostic>>
  limitedSkippingBodies(size_t Unit, const Overlay &O, const std::vector<std::string> &Args) {
    std::set<std::string> Skip = skippableFiles(Unit, O);
    if (Skip.empty() || !Baselines[Unit] || LimitedSkippingFailed[Unit])
      return std::nullopt;
    for (const CompilerDiagnostic &D : *Baselines[Unit])
      if (D.Error && (Skip.count(D.File) || Skip.count(D.UserFile)))
        return std::nullopt;
    SkippedParse Limited = skippedParse(Unit, O, Skip, Args);
    if (!Limited.Ran || Limited.Fingerprints != originalFingerprints(Unit, Skip)) {
      LimitedSkippingFailed[Unit] = 1;
      return std::nullopt;
    }
    return std::move(Limited.Diagnostics);
  }

  /// The fingerprints of the analysis parse for these files; one missing
  /// makes the map differ from any parse's.
  MeaningFingerprints originalFingerprints(size_t Unit, const std::set<std::string> &Skip) const {
    const UnitOutput &U = P.Units[Unit];
    MeaningFingerprints Original;
    for (const std::string &Path : Skip) {
      auto It = U.FreeFingerprints.find(Path);
      Original[Path] = It == U.FreeFingerprints.end() ? "missing" : It->second;
    }
    return Original;
  }

  static bool insideReportedSite(const CompilerDiagnostic &D, const std::vector<Finding> &Report) {
    return llvm::any_of(Report, [&](const Finding &F) {
      return F.Pos.File == D.UserFile && F.Pos.Line <= D.UserLine && D.UserLine <= F.Pos.EndLine;
    });
  }

  Finding limitedErrorFinding(const CompilerDiagnostic &D) const {
    Finding F;
    F.Rule = "limited-compile-error";
    F.Pos = {D.UserFile, D.UserLine, D.UserColumn, D.UserLine, D.UserColumn};
    F.Message = "does not compile with Py_LIMITED_API=" + Knowledge.target().str() +
                " and no other finding covers it: " + D.Message;
    return F;
  }

  /// One report site per withdrawn unit, positioned in the final text.
  void addReasons(MergedPort &M) {
    auto Final = byFile(M.Result.Files);
    for (Finding F : WithdrawnSites) {
      reposition(F, Final);
      M.Result.Report.push_back(std::move(F));
    }
    sortAndDeduplicate(M.Result.Report);
  }

  const Frontend &FE;
  const ApiKnowledge &Knowledge;
  const ParsedPort &P;
  const PortOptions &Options;
  std::vector<std::optional<std::vector<CompilerDiagnostic>>> &Baselines;
  /// Per unit: the new diagnostics of each set of texts already parsed.
  std::vector<std::map<std::string, std::vector<CompilerDiagnostic>>> &Checked; ///< by text hashes
  std::vector<char> &SkippingFailed, &LimitedSkippingFailed;
  Withdrawals Withdrawn;
  std::vector<Finding> WithdrawnSites; ///< at their original positions
};

//===----------------------------------------------------------------------===//
// Change groups, refusals and the patch series (Changes.h)
//===----------------------------------------------------------------------===//

ChangeContext changeContext(const ParsedPort &P, StateMode State, const std::string &Cwd) {
  ChangeContext Ctx;
  Ctx.State = State;
  Ctx.WorkingDir = Cwd;
  for (const UnitOutput &U : P.Units)
    for (const auto &T : U.Types) {
      Ctx.TypeFiles.emplace(T.Var, T.DefinedIn);
      Ctx.TypeBases.emplace(T.Var, T.DependsOn);
    }
  return Ctx;
}

/// `W` with the refused changes taken back as well.
Withdrawals refusing(const std::vector<Refusal> &Refused, Withdrawals W) {
  for (const Refusal &R : Refused) {
    llvm::StringRef Unit = R.Change->Unit;
    if (R.Change->Rule == "limited-api-macro") {
      W.NoLimitedDefine.insert(R.Change->File);
    } else if (Unit.consume_front("type:")) {
      W.Types.insert(Unit.str());
    } else if (Unit.consume_front("group:")) {
      W.Groups.insert(Unit.str());
      for (const RuleEdit &E : R.Change->Edits)
        W.Replacements.insert(replacementKey(E));
    }
  }
  return W;
}

Finding refusalFinding(const Refusal &R) {
  Finding F;
  F.Rule = R.Change->Rule;
  F.Blocker = false;
  F.Pos = {R.Change->File, R.Change->Line, R.Change->Column, R.Change->Line, R.Change->Column};
  F.Message = "change " + R.Change->Id + " not applied (" + R.Why + "): " + R.Change->Summary;
  return F;
}

size_t ruleIndex(llvm::StringRef Rule) {
  const std::vector<RuleInfo> &Rules = allRules();
  for (size_t I = 0; I < Rules.size(); ++I)
    if (Rules[I].Id == Rule)
      return I;
  return Rules.size() - 1;
}

/// The patch series: one step per rule in registry order, each step a merge
/// of the parsed units with the units of later steps withdrawn; with
/// verification, a step that makes the full-API build worse gives the
/// changes at fault to the next step.
class SeriesBuilder {
public:
  SeriesBuilder(const ParsedPort &P, const ApiKnowledge &Knowledge, const PortOptions &Options,
                const Withdrawals &Final, const MergedPort &Port, PortVerifier *Verifier)
      : P(P), Knowledge(Knowledge), Options(Options), Final(Final), Port(Port),
        Verifier(Verifier), LimitedStep(ruleIndex("limited-api-macro")) {}

  std::vector<PatchStep> build() {
    assignSteps();
    std::vector<PatchStep> Steps;
    for (size_t Step : stepIndices()) {
      MergedPort M = verifiedPrefix(Step);
      PatchStep S;
      S.Rule = allRules()[Step].Id.str();
      for (const FileEdits &F : M.Result.Files)
        S.Texts[F.File] = F.Rewritten;
      for (const ChangeGroup &C : Port.Result.Changes)
        if (stepOf(C) == Step) {
          S.Changes.push_back(C.Id);
          if (std::string Why = movedBecause(C, Step); !Why.empty())
            S.Moved[C.Id] = Why;
        }
      Steps.push_back(std::move(S));
    }
    return Steps;
  }

private:
  /// Every unit's step: the latest rule whose text it holds, and no earlier
  /// than what it depends on.
  void assignSteps() {
    std::function<size_t(const RuleEdit &)> Visit = [&](const RuleEdit &E) {
      size_t Step = ruleIndex(E.Rule);
      for (const RuleEdit &Inner : E.Replaced)
        Step = std::max(Step, Visit(Inner));
      std::string Unit = unitOf(E, Options.State);
      if (!Unit.empty())
        StepOfUnit[Unit] = std::max(StepOfUnit[Unit], Step);
      return Step;
    };
    for (size_t I = 0; I < P.Units.size(); ++I)
      if (P.Parsed[I].Parsed)
        for (const RuleEdit &E : P.Units[I].Edits)
          Visit(E);
    if (Options.State == StateMode::Module)
      StepOfUnit["state"] = std::max({StepOfUnit["state"], ruleIndex("module-global-state"),
                                      ruleIndex("single-phase-init")});
    propagate(); // a type's other uses are among its dependencies (Changes.h)
  }

  void propagate() {
    std::map<std::string, std::string> UnitOfId;
    for (const ChangeGroup &C : Port.Result.Changes)
      UnitOfId[C.Id] = C.Unit;
    for (bool Grew = true; Grew;) {
      Grew = false;
      auto Follow = [&](const std::string &Later, const std::string &Earlier) {
        size_t &Mine = StepOfUnit[Later];
        size_t Theirs = StepOfUnit[Earlier];
        if (Theirs > Mine) {
          Mine = Theirs;
          Grew = true;
        }
      };
      for (const ChangeGroup &C : Port.Result.Changes)
        for (const std::string &Dep : C.DependsOn)
          Follow(C.Unit, UnitOfId[Dep]);
    }
  }

  size_t stepOf(const ChangeGroup &C) const {
    if (C.Rule == "limited-api-macro")
      return LimitedStep;
    auto It = StepOfUnit.find(C.Unit);
    if (It != StepOfUnit.end())
      return It->second;
    size_t Step = 0; // the type-creation code: with the first type it creates
    for (const ChangeGroup &T : Port.Result.Changes)
      if (llvm::is_contained(C.DependsOnAny, T.Id))
        Step = std::max(Step, stepOf(T));
    return Step;
  }

  std::string movedBecause(const ChangeGroup &C, size_t Step) const {
    if (auto It = Deferred.find(C.Unit); It != Deferred.end())
      return It->second;
    if (ruleIndex(C.Rule) == Step)
      return "";
    for (const std::string &R : C.Rules)
      if (ruleIndex(R) == Step)
        return "it holds an edit of " + R;
    for (const std::string &Dep : C.DependsOn)
      for (const ChangeGroup &D : Port.Result.Changes)
        if (D.Id == Dep && stepOf(D) == Step)
          return "it depends on " + Dep;
    return "";
  }

  std::vector<size_t> stepIndices() const {
    std::set<size_t> Steps = {LimitedStep};
    for (const auto &[Unit, Step] : StepOfUnit)
      Steps.insert(Step);
    return {Steps.begin(), Steps.end()};
  }

  Withdrawals prefixWithdrawals(size_t Step) const {
    Withdrawals W = Final;
    for (const auto &[Unit, S] : StepOfUnit) {
      if (S <= Step)
        continue;
      llvm::StringRef Key = Unit;
      if (Key == "state")
        W.ModuleState = true;
      else if (Key.consume_front("type:"))
        W.Types.insert(Key.str());
      else if (Key.consume_front("group:"))
        W.Groups.insert(Key.str());
    }
    for (const ChangeGroup &C : Port.Result.Changes)
      if (StepOfUnit.count(C.Unit) && StepOfUnit.at(C.Unit) > Step)
        for (const RuleEdit &E : C.Edits)
          W.Replacements.insert(replacementKey(E));
    if (Step < LimitedStep)
      for (const UnitOutput &U : P.Units)
        W.NoLimitedDefine.insert(U.MainFile);
    return W;
  }

  /// The tree after `Step`; with verification, changes of this step that
  /// make it worse are deferred to the next step until it is not.
  MergedPort verifiedPrefix(size_t Step) {
    if (Step == LimitedStep)
      return Port; // the verified port itself
    for (;;) {
      MergedPort M = mergeUnits(P, Knowledge, Options, prefixWithdrawals(Step));
      if (!Verifier)
        return M;
      std::optional<std::pair<size_t, CompilerDiagnostic>> Worse = Verifier->firstWorseUnit(M);
      if (!Worse)
        return M;
      std::string Culprit = culprit(Step);
      StepOfUnit[Culprit] = nextStep(Step);
      Deferred[Culprit] = "in an earlier step it made the full-API build worse (" +
                          Worse->second.text() + ")";
      propagate();
    }
  }

  /// The unit whose step makes the tree of `Step` worse: of the units up to
  /// it, in step order, the last of the shortest worse prefix.
  std::string culprit(size_t Step) {
    std::vector<std::pair<size_t, std::string>> Order;
    for (const auto &[Unit, S] : StepOfUnit)
      if (S <= Step)
        Order.push_back({S, Unit});
    llvm::sort(Order);
    auto Bad = [&](size_t K) {
      std::map<std::string, size_t> Saved = StepOfUnit;
      for (size_t I = K; I < Order.size(); ++I)
        StepOfUnit[Order[I].second] = Step + 1; // not in this tree
      MergedPort M = mergeUnits(P, Knowledge, Options, prefixWithdrawals(Step));
      StepOfUnit = std::move(Saved);
      return Verifier->firstWorseUnit(M).has_value();
    };
    return Order[firstBadPrefix(Order.size(), Bad) - 1].second;
  }

  size_t nextStep(size_t Step) const {
    for (size_t S : stepIndices())
      if (S > Step)
        return S;
    return LimitedStep;
  }

  const ParsedPort &P;
  const ApiKnowledge &Knowledge;
  const PortOptions &Options;
  const Withdrawals &Final;
  const MergedPort &Port;
  PortVerifier *Verifier;
  const size_t LimitedStep;
  std::map<std::string, size_t> StepOfUnit;
  std::map<std::string, std::string> Deferred; ///< unit -> why it moved
};

/// One port of the files in one state mode: parse, merge, verify.
struct OnePort {
  MergedPort M;
  std::vector<Finding> StateFailures;
  /// With --state module, the module-state change was refused: its id.
  std::string RefusedStateId;
};

OnePort portOnce(const Frontend &FE, const ApiKnowledge &Knowledge, const PortOptions &Options,
                 const PortRequest &Request, const ParsedPort &P, VerificationMemo &Memo) {
  OnePort Out;
  if (!P.StateFailures.empty()) {
    Out.StateFailures = std::move(P.StateFailures);
    return Out;
  }
  // The ids come from the port as offered (no refusal, no verification), so
  // that refusing one change or a verification outcome renames no other.
  ChangeContext Ctx = changeContext(P, Options.State, Request.WorkingDir);
  std::vector<ChangeGroup> Offered =
      changeGroups(mergeUnits(P, Knowledge, Options, {}).Result.Files, Ctx);
  std::map<std::string, std::string> Known = idsByUnit(Offered);
  std::vector<std::string> Unknown;
  std::vector<Refusal> Refused = refusedChanges(Offered, Request.Selection, Unknown);
  for (const std::string &Id : Unknown)
    Out.M.Result.SelectionErrors.push_back("no change has the id '" + Id + "'");
  for (const Refusal &R : Refused) {
    if (R.Change->Unit == "state")
      Out.RefusedStateId = R.Change->Id;
    if (llvm::StringRef(R.Change->Unit).starts_with("creation:") && R.Why == "--skip")
      Out.M.Result.SelectionErrors.push_back(
          "change '" + R.Change->Id +
          "' is the creation code of the converted types and follows them: refuse the types");
  }
  if (!Out.M.Result.SelectionErrors.empty() || !Out.RefusedStateId.empty())
    return Out;

  Withdrawals Seed = refusing(Refused, {});
  std::optional<PortVerifier> Verifier;
  if (Request.Verify) {
    Verifier.emplace(FE, Knowledge, P, Options, Memo, Seed);
    Out.M = Verifier->run();
    Out.StateFailures = std::move(Verifier->StateReasons);
    if (!Out.StateFailures.empty())
      return Out;
  } else {
    Out.M = mergeUnits(P, Knowledge, Options, Seed);
  }
  PortResult &Result = Out.M.Result;
  Result.Verified = Request.Verify;
  Ctx.Known = &Known;
  Result.Changes = changeGroups(Result.Files, Ctx);
  std::vector<Finding> Audit;
  for (const UnitOutput &U : P.Units)
    Audit.insert(Audit.end(), U.Audit.begin(), U.Audit.end());
  attachFixes(Result.Changes, Result.Files, Audit);
  auto Final = byFile(Result.Files);
  for (const Refusal &R : Refused) {
    Finding F = refusalFinding(R);
    reposition(F, Final);
    Result.Report.push_back(std::move(F));
  }
  sortAndDeduplicate(Result.Report);
  if (Request.Series)
    Result.Series = SeriesBuilder(P, Knowledge, Options, Verifier ? Verifier->withdrawn() : Seed,
                                  Out.M, Verifier ? &*Verifier : nullptr)
                        .build();
  return Out;
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
                     const PortRequest &Request) {
  // Module state is the two rules together: without either, process globals.
  StateMode State = Request.State;
  if (!Request.Rules.count("module-global-state") || !Request.Rules.count("single-phase-init"))
    State = StateMode::Global;
  PortOptions Options{Request.Rules, State, /*AlsoGlobal=*/State == StateMode::Module};
  VerificationMemo Memo(FE.files().size());
  ParsedPort P = parseUnits(FE, Knowledge, Options, Request.Verify ? &Memo : nullptr);
  OnePort First = portOnce(FE, Knowledge, Options, Request, P, Memo);
  if (State == StateMode::Global ||
      (First.StateFailures.empty() && First.RefusedStateId.empty()))
    return std::move(First.M.Result);
  // Module state could not be (or was not to be) applied: process globals.
  std::vector<Finding> Why = std::move(First.StateFailures);
  PortRequest Global = Request;
  if (!First.RefusedStateId.empty()) {
    Global.Selection.Skip.erase(First.RefusedStateId);
    Global.Selection.Only.erase(First.RefusedStateId);
    Finding F;
    F.Pos = {FE.files().front(), 1, 1, 1, 1};
    F.Rule = "module-global-state";
    F.Blocker = false;
    F.Message = "change " + First.RefusedStateId +
                " (module state) refused: ported with process globals instead";
    Why.push_back(std::move(F));
  }
  // The same parse, the rules' output for process globals: nothing is
  // parsed again but what the verification has not seen yet.
  ParsedPort GlobalParse;
  GlobalParse.Units = std::move(P.GlobalUnits);
  for (size_t I = 0; I < P.Units.size(); ++I)
    moveParseOutputs(P.Units[I], GlobalParse.Units[I]);
  GlobalParse.Parsed = std::move(P.Parsed);
  OnePort Second = portOnce(FE, Knowledge, {Request.Rules, StateMode::Global}, Global,
                            GlobalParse, Memo);
  PortResult Result = std::move(Second.M.Result);
  auto Final = byFile(Result.Files);
  for (Finding &F : Why)
    reposition(F, Final);
  Result.Report.insert(Result.Report.end(), Why.begin(), Why.end());
  sortAndDeduplicate(Result.Report);
  return Result;
}

PortResult portFiles(const Frontend &FE, const ApiKnowledge &Knowledge,
                     const std::set<std::string> &Rules, StateMode State, bool Verify) {
  PortRequest Request;
  Request.Rules = Rules;
  Request.State = State;
  Request.Verify = Verify;
  return portFiles(FE, Knowledge, Request);
}

} // namespace abi3port
