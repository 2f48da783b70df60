#include "transforms/api/ApiKnowledge.h"
#include "transforms/ClangSetup.h"
#include "transforms/SourceMapping.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace abi3port {

llvm::StringRef kindName(ItemKind Kind) {
  switch (Kind) {
  case ItemKind::Function: return "function";
  case ItemKind::Data: return "data";
  case ItemKind::Const: return "const";
  case ItemKind::Macro: return "macro";
  case ItemKind::Struct: return "struct";
  case ItemKind::Typedef: return "typedef";
  case ItemKind::FeatureMacro: return "feature_macro";
  }
  return "unknown";
}

Manifest::Manifest() {
#define MANIFEST_ITEM(Name, Kind, Major, Minor, AbiOnly, Ifdef, Sak, Members)  \
  Items.push_back({Name, ItemKind::Kind, PythonVersion{Major, Minor}, AbiOnly, Ifdef, Sak, Members});
#include "transforms/api/StableAbiManifest.inc"
  for (size_t I = 0; I < Items.size(); ++I)
    Index[Items[I].Name] = I;
}

const Manifest &Manifest::get() {
  static const Manifest Instance;
  return Instance;
}

const ManifestItem *Manifest::lookup(llvm::StringRef Name) const {
  auto It = Index.find(Name);
  return It == Index.end() ? nullptr : &Items[It->second];
}

const std::vector<ApiReplacement> &allReplacements() {
  static const std::vector<ApiReplacement> Table = {
#define REPLACEMENT(Name, Repl, Major, Minor, Rule, Note)                      \
  {Name, Repl, PythonVersion{Major, Minor}, Rule, Note},
#include "transforms/api/Replacements.def"
#define DATETIME(Name, Template, Requires, Note)                               \
  {Name, "the datetime module's objects (rule datetime-api)", PythonVersion{3, 2},       \
   "datetime-api", Note},
#include "transforms/api/DatetimeApi.def"
  };
  return Table;
}

const ApiReplacement *lookupReplacement(llvm::StringRef FullApiName) {
  for (const ApiReplacement &R : allReplacements())
    if (R.FullApiName == FullApiName)
      return &R;
  return nullptr;
}

std::string recordName(const RecordDecl *RD) {
  if (!RD->getName().empty())
    return RD->getName().str();
  if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
    return TD->getName().str();
  return "";
}

//===----------------------------------------------------------------------===//
// The header probe
//===----------------------------------------------------------------------===//
namespace {

class SurfaceCollector : public RecursiveASTVisitor<SurfaceCollector> {
public:
  SurfaceCollector(LimitedSurface &Out, SourceManager &SM, std::string Dir)
      : Out(Out), Files(SM, Dir) {}

  bool inPythonHeaders(SourceLocation Loc) const { return Files.isPython(Loc); }

  bool VisitNamedDecl(NamedDecl *D) {
    if (!D->getIdentifier() || !inPythonHeaders(D->getLocation()))
      return true;
    if (!isa<FieldDecl>(D) && !isa<ParmVarDecl>(D))
      Out.Names.insert(D->getName());
    if (auto *RD = dyn_cast<RecordDecl>(D); RD && RD->isCompleteDefinition())
      addRecord(RD);
    return true;
  }
  bool VisitRecordDecl(RecordDecl *RD) {
    if (RD->isCompleteDefinition() && !RD->getIdentifier() &&
        inPythonHeaders(RD->getLocation()))
      addRecord(RD);
    return true;
  }

private:
  void addRecord(const RecordDecl *RD) {
    std::string Name = recordName(RD);
    if (Name.empty())
      return;
    Out.CompleteRecords.insert(Name);
    for (const FieldDecl *F : RD->fields())
      Out.Fields.insert(Name + "." + F->getName().str());
  }

  LimitedSurface &Out;
  FileClassifier Files;
};

class ProbeAction : public ASTFrontendAction {
public:
  ProbeAction(LimitedSurface &Out, std::string Dir) : Out(Out), Dir(std::move(Dir)) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    struct Consumer : ASTConsumer {
      ProbeAction &Self;
      CompilerInstance &CI;
      Consumer(ProbeAction &Self, CompilerInstance &CI) : Self(Self), CI(CI) {}
      void HandleTranslationUnit(ASTContext &Ctx) override {
        SurfaceCollector Collector(Self.Out, CI.getSourceManager(), Self.Dir);
        Collector.TraverseDecl(Ctx.getTranslationUnitDecl());
        Self.collectMacros(CI.getPreprocessor(), Collector);
      }
    };
    return std::make_unique<Consumer>(*this, CI);
  }

  void collectMacros(Preprocessor &PP, SurfaceCollector &Collector) {
    for (const auto &Entry : PP.macros()) {
      const IdentifierInfo *II = Entry.first;
      const MacroInfo *MI = PP.getMacroInfo(II);
      if (!MI)
        continue;
      if (II->getName() == "PY_MAJOR_VERSION" || II->getName() == "PY_MINOR_VERSION")
        readVersionPart(PP, II->getName(), MI);
      if (Collector.inPythonHeaders(MI->getDefinitionLoc()))
        Out.Macros.insert(II->getName());
    }
    dropUnusableMacros(PP);
  }

  /// A macro the limited headers define but whose expansion names something
  /// they do not (3.11's PySequence_Fast_GET_SIZE expands to PyList_GET_SIZE)
  /// cannot be used either. Repeats until no macro changes.
  void dropUnusableMacros(Preprocessor &PP) {
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const auto &Entry : PP.macros()) {
        llvm::StringRef Name = Entry.first->getName();
        const MacroInfo *MI = PP.getMacroInfo(Entry.first);
        if (!MI || !Out.Macros.contains(Name))
          continue;
        if (std::string Missing = firstUndefinedName(MI); !Missing.empty()) {
          Out.Macros.erase(Name);
          Out.UnusableMacros[Name] = Missing;
          Changed = true;
        }
      }
    }
  }

  std::string firstUndefinedName(const MacroInfo *MI) {
    for (const Token &Tok : MI->tokens()) {
      const IdentifierInfo *II = Tok.getIdentifierInfo();
      if (!II || !Tok.is(tok::identifier))
        continue;
      llvm::StringRef Id = II->getName();
      if (!(Id.starts_with("Py") || Id.starts_with("_Py")) ||
          llvm::is_contained(MI->params(), II))
        continue;
      if (!Out.Names.contains(Id) && !Out.Macros.contains(Id))
        return Id.str();
    }
    return "";
  }

private:
  void readVersionPart(Preprocessor &PP, llvm::StringRef Name, const MacroInfo *MI) {
    if (MI->getNumTokens() != 1)
      return;
    unsigned Value = 0;
    if (PP.getSpelling(MI->getReplacementToken(0)).empty() ||
        llvm::StringRef(PP.getSpelling(MI->getReplacementToken(0))).getAsInteger(10, Value))
      return;
    (Name == "PY_MAJOR_VERSION" ? Out.HeaderVersion.Major : Out.HeaderVersion.Minor) = Value;
  }

  LimitedSurface &Out;
  std::string Dir;
};

} // namespace

llvm::Expected<LimitedSurface> probeLimitedSurface(llvm::StringRef PythonInclude,
                                                   PythonVersion Target,
                                                   const std::vector<std::string> &ExtraArgs) {
  LimitedSurface Surface;
  Surface.Target = Target;
  std::string Code = "#define Py_LIMITED_API " + Target.hexString() +
                     "\n#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
                     "#include <structmember.h>\n";
  std::vector<std::string> Args = {"-xc", "-std=gnu11", "-fsyntax-only",
                                   clangResourceDirArg(),
                                   "-I" + PythonInclude.str()};
  Args.insert(Args.end(), ExtraArgs.begin(), ExtraArgs.end());
  std::string Dir = canonicalPath(PythonInclude);
  if (!tooling::runToolOnCodeWithArgs(std::make_unique<ProbeAction>(Surface, Dir),
                                      Code, Args, "abi3port-limited-probe.c"))
    return llvm::createStringError(
        "cannot parse <Python.h> from '" + PythonInclude.str() +
        "' under -DPy_LIMITED_API=" + Target.hexString());
  if (Surface.HeaderVersion.Minor == 0)
    return llvm::createStringError("no PY_MINOR_VERSION in '" + PythonInclude.str() + "'");
  return Surface;
}

//===----------------------------------------------------------------------===//
// Queries
//===----------------------------------------------------------------------===//

Availability ApiKnowledge::lookup(llvm::StringRef Name) const {
  Availability A;
  const ManifestItem *Item = Manifest::get().lookup(Name);
  bool Listed = Item && !Item->AbiOnly && Item->Kind != ItemKind::FeatureMacro;
  if (Surface.defines(Name)) {
    A.Available = true;
  } else if (Listed && Surface.Target > Surface.HeaderVersion &&
             Item->Added <= Surface.Target &&
             Item->Added > Surface.HeaderVersion) {
    // The installed headers are older than the target; trust the manifest.
    A.Available = true;
  }
  if (Listed)
    A.AvailableFrom = std::max(Item->Added, OldestTarget);
  if (A.Available && (!A.AvailableFrom || *A.AvailableFrom > Surface.Target))
    A.AvailableFrom = OldestTarget; // inline helpers the manifest lists late
  if (!A.Available)
    A.Replacement = lookupReplacement(Name);
  return A;
}

bool ApiKnowledge::fieldAvailable(llvm::StringRef Record, llvm::StringRef Field) const {
  return Surface.Fields.contains((Record + "." + Field).str());
}

std::vector<Disagreement> ApiKnowledge::disagreements() const {
  std::vector<Disagreement> Out;
  PythonVersion Known = std::min(Surface.Target, Surface.HeaderVersion);
  for (const ManifestItem &Item : Manifest::get().items()) {
    if (Item.Kind == ItemKind::FeatureMacro || !Item.Ifdef.empty() || Item.AbiOnly)
      continue;
    if (Item.Added > Known || Surface.defines(Item.Name))
      continue;
    Out.push_back({Item.Name.str(),
                   "the manifest lists this " + kindName(Item.Kind).str() +
                       " in the Limited API since " + Item.Added.str() +
                       ", but the " + Surface.HeaderVersion.str() +
                       " headers do not define it under Py_LIMITED_API=" +
                       Surface.Target.hexString()});
  }
  for (const auto &E : Surface.UnusableMacros)
    Out.push_back({E.getKey().str(),
                   "the " + Surface.HeaderVersion.str() + " headers define this macro under "
                   "Py_LIMITED_API=" + Surface.Target.hexString() + ", but it expands to '" +
                   E.getValue() + "', which they do not define: it cannot be used"});
  std::vector<std::string> HeaderOnly;
  auto Consider = [&](llvm::StringRef Name) {
    if (!Name.starts_with("Py") || Manifest::get().lookup(Name))
      return;
    HeaderOnly.push_back(Name.str());
  };
  for (const auto &E : Surface.Names)
    Consider(E.getKey());
  for (const auto &E : Surface.Macros)
    if (!Surface.Names.contains(E.getKey()))
      Consider(E.getKey());
  llvm::sort(HeaderOnly);
  for (const std::string &Name : HeaderOnly)
    Out.push_back({Name, "the " + Surface.HeaderVersion.str() +
                             " headers define this under Py_LIMITED_API=" +
                             Surface.Target.hexString() +
                             ", but the manifest does not list it"});
  return Out;
}

} // namespace abi3port
