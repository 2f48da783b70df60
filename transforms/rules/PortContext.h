//===- PortContext.h - What a rewrite rule sees of one translation unit ---===//
///
/// \file
/// Port rules are plain functions `void rule(PortContext &)`. The context
/// gives them the AST, every *API reference the user wrote* (a CPython macro
/// invocation or a call whose callee the user spelled; both spellings of an
/// accessor that newer headers turned into static inline functions), and
/// three ways to act:
///
///   - `replace` / `insert`: an edit, tagged with the rule id;
///   - `manual`: a site a human must port, with the reason and the version
///     that would make an automatic fix possible.
///
/// An edit whose range is not plain text in a user file (it lies in a macro
/// definition, or in a CPython header) is never dropped: it becomes a manual
/// site saying so.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_RULES_PORTCONTEXT_H
#define ABI3PORT_RULES_PORTCONTEXT_H

#include "transforms/Finding.h"
#include "transforms/StringifiedArguments.h"
#include "transforms/ParsedDecls.h"
#include "transforms/SourceMapping.h"
#include "transforms/api/ApiKnowledge.h"
#include "transforms/edit/EditSet.h"
#include "transforms/state/ModuleState.h"
#include "transforms/types/TypeObjectAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include <functional>
#include <map>
#include <set>
#include <vector>

namespace clang {
class CompilerInstance;
}

namespace abi3port {

/// Traverses the top-level declarations parsed in this run: not those a
/// precompiled preamble (Preamble.h) brings, which are CPython's.
template <typename Visitor> void traverseParsedDecls(Visitor &V, clang::ASTContext &Ctx) {
  for (clang::Decl *D : parsedDecls(Ctx))
    V.TraverseDecl(D);
}

/// `&Text`, with `&(*p)` written `p` (a converted type read as a struct).
inline std::string addressOfText(const std::string &Text) {
  llvm::StringRef T(Text);
  if (T.starts_with("(*") && T.ends_with(")")) {
    llvm::StringRef Inner = T.drop_front(2).drop_back();
    int Depth = 0;
    bool Balanced = true;
    for (char C : Inner) {
      Depth += C == '(' ? 1 : C == ')' ? -1 : 0;
      Balanced &= Depth >= 0;
    }
    if (Balanced && Depth == 0)
      return Inner.str();
  }
  return "&" + Text;
}

/// A C string literal holding `S`.
std::string quoted(llvm::StringRef S);

/// `NAME(arg, ...)` as the user wrote it.
struct ApiReference {
  std::string Name;
  clang::CharSourceRange NameRange;            ///< the name token
  clang::CharSourceRange WholeRange;           ///< name .. ')' (file, token range)
  std::vector<clang::CharSourceRange> Args;    ///< each argument's text
  bool IsMacro = false;
  /// The expression it became: the call, or the outermost expression of the
  /// macro's expansion. May be null (a macro used outside any expression).
  const clang::Expr *Expansion = nullptr;
  /// Set when the invocation is itself inside a user macro: not rewritable.
  bool InsideUserMacro = false;
};

class CLibraryHeaderRecorder; // rules/CLibraryHeaders.h

/// What ApiReferenceCollector gathered while the unit was preprocessed.
struct CollectedReferences {
  std::vector<ApiReference> References;
  std::vector<StringifiedArgument> Stringified;
  /// The include graph and system-macro uses (rule c-library-headers).
  CLibraryHeaderRecorder *CLibrary = nullptr;
  /// The unit's static types, analysed once per AST; null: analysed here.
  SharedStaticTypes *StaticTypes = nullptr;
};

class PortContext {
public:
  PortContext(clang::ASTContext &Ctx, const ApiKnowledge &Knowledge,
              const FileClassifier &Files, CollectedReferences Collected)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()),
        Knowledge(Knowledge), Target(Knowledge.target()), Files(Files),
        CLibrary(Collected.CLibrary), SharedTypes(Collected.StaticTypes),
        References(std::move(Collected.References)),
        Stringified(std::move(Collected.Stringified)) {}

  /// The static types the user's files define (TypeObjectAnalysis.h).
  std::map<const clang::VarDecl *, TypeObjectInfo> staticTypes() {
    return SharedTypes ? SharedTypes->get(Ctx, Knowledge, Files)
                       : analyzeStaticTypes(Ctx, Knowledge, Files);
  }

  clang::ASTContext &Ctx;
  const clang::SourceManager &SM;
  const clang::LangOptions &LO;
  const ApiKnowledge &Knowledge;
  const PythonVersion Target;
  const FileClassifier &Files;
  /// For c-library-headers; null when the collector did not record.
  CLibraryHeaderRecorder *const CLibrary;
  SharedStaticTypes *const SharedTypes; ///< null: each run analyses

  const std::vector<ApiReference> &references() const { return References; }

  /// The text of a file range.
  std::string text(clang::CharSourceRange Range) const;
  /// File locations of the first and last token of a node, through macro
  /// invocations: for `Py_INCREF(x)` the name and the closing parenthesis.
  clang::SourceLocation fileBegin(clang::SourceLocation Loc) const {
    return Loc.isMacroID() ? SM.getExpansionRange(Loc).getBegin() : Loc;
  }
  clang::SourceLocation fileEnd(clang::SourceLocation Loc) const {
    return Loc.isMacroID() ? SM.getExpansionRange(Loc).getEnd() : Loc;
  }
  /// The lines of a statement that is alone on them (through its ';'), for
  /// deleting it; an invalid range when other code shares the lines.
  clang::CharSourceRange wholeLines(const clang::Stmt *S) const;
  /// Removes `V`'s declarator and one comma from a declaration list
  /// (`PyObject *a, *b;`). False, and nothing done, when `V` is declared
  /// alone, has an initialiser or array bounds, or comes from a macro.
  bool removeDeclarator(llvm::StringRef Rule, const clang::VarDecl *V);
  /// The white space that starts the line of `Loc`.
  std::string indentation(clang::SourceLocation Loc) const;
  /// The function whose body holds `S`, or null.
  const clang::FunctionDecl *enclosingFunction(const clang::Stmt &S) const;

  /// Edits made while a `Change` is alive are one change: all or nothing.
  class Change {
  public:
    explicit Change(PortContext &Ctx) : Ctx(Ctx) { Ctx.CurrentGroup = ++Ctx.Groups; }
    ~Change() { Ctx.CurrentGroup = 0; }

  private:
    PortContext &Ctx;
  };
  Change change() { return Change(*this); }

  /// Replacing text claims it: rules that run later (object-pointer-cast)
  /// leave claimed text alone, because the claiming rule wrote it whole.
  void replace(llvm::StringRef Rule, clang::CharSourceRange Range, llvm::StringRef Text);
  /// Like replace, for text built with rewrittenText: it already contains
  /// the earlier edits inside `Range`, which it therefore replaces.
  void replaceComposed(llvm::StringRef Rule, clang::CharSourceRange Range, llvm::StringRef Text);
  bool isClaimed(clang::SourceLocation Loc) const;
  /// The text of an expression as the port will have it: the edits rules
  /// already made inside it, the (PyObject *) casts the target's Limited API
  /// needs (see UncastObjectArguments.h), and converted types' new spelling.
  std::string rewrittenText(const clang::Expr *E);
  /// A file range with the edits rules already made inside it applied.
  std::string rewrittenRange(clang::CharSourceRange Range);
  void insert(llvm::StringRef Rule, clang::SourceLocation Loc, llvm::StringRef Text);
  Finding &manual(llvm::StringRef Rule, clang::CharSourceRange Range, std::string Reason,
                  std::optional<PythonVersion> MinVersion);

  /// Runs after every rule's first pass, in the order deferred: rules that
  /// rewrite uses of what other rules rewrite whole go here.
  void defer(std::function<void()> Action) { Deferred.push_back(std::move(Action)); }
  void runDeferred() {
    for (size_t I = 0; I < Deferred.size(); ++I)
      Deferred[I]();
    Deferred.clear();
  }

  /// A static type that becomes a heap type: its variable becomes a
  /// `PyTypeObject *`, so `&X` reads `X` and `X` reads `(*X)`. Types declared
  /// `extern` and defined in another file are assumed converted; edits whose
  /// text relies on that carry the assumption (RuleEdit::Assumes).
  void markConverted(const clang::VarDecl *Var, bool Assumed);
  /// The next edit is valid only if the named type is converted somewhere.
  void assumeConverted(llvm::StringRef TypeName) {
    PendingAssumptions.push_back(TypeName.str());
  }
  bool isConverted(const clang::VarDecl *Var) const;
  /// All static types of this translation unit became heap types: slot reads
  /// through PyType_GetSlot are valid below 3.10 too.
  bool StaticTypesRemain = false;
  /// Whether PyType_GetSlot may read slots of this unit's types at the target:
  /// from 3.10 always, below only once every static type became a heap type.
  bool slotsReadable() const {
    return Target >= PythonVersion{3, 10} || (!TypesToCreate.empty() && !StaticTypesRemain);
  }

  /// Ranges of user files the preprocessor skipped: no AST, no rewrite.
  std::vector<clang::SourceRange> SkippedRanges;
  /// The static types static-type-object converts in this unit, as it
  /// converts them (slots assigned in code included), by canonical decl.
  std::map<const clang::VarDecl *, TypeObjectInfo> ConvertedTypes;
  /// `--state`: process globals (Global) or per-module state (Module).
  StateMode State = StateMode::Global;
  /// Module state: what this unit contributes (see state/ModuleState.h).
  UnitState ModuleState;
  /// A global that moves into the state struct (module-global-state).
  void markMoved(const clang::VarDecl *Var) { Moved.insert(Var->getCanonicalDecl()); }
  bool isMoved(const clang::VarDecl *Var) const {
    return Moved.count(Var->getCanonicalDecl()) > 0;
  }
  /// The variable through which `Function` reaches the state ("state"), or
  /// "" when it has no path to its module.
  std::map<const clang::FunctionDecl *, std::string> StateVariables;
  /// How a reference to a moved global reads in the port: `state->X`
  /// (`(*state->X)` for a type used as a struct); nullopt when the function
  /// holding it has no path to the state.
  std::optional<std::string> movedSpelling(const clang::DeclRefExpr &Ref,
                                           bool AsStruct) const;

  /// A type the driver must create in the module's init function.
  struct TypeToCreate {
    std::string Var, Spec, DefinedIn;
    bool External = false;
    std::vector<std::string> Bases;   ///< expressions, as text
    std::vector<std::string> DependsOn; ///< converted types among the bases
    /// Bases that stay static (`&Base_Type`): readied before it is created.
    std::vector<std::string> ReadyFirst;
    /// Slots assigned in the init function a value known only at run time
    /// (`X.tp_new = PyBaseObject_Type.tp_new;` with another base): the slot
    /// array holds `{Id, NULL}` at `Index`, which the creation code fills in
    /// (`X_spec.slots[Index].pfunc = (void *)(Value);`) just before the call.
    struct SlotFill {
      unsigned Index = 0;
      std::string Id, Value;
    };
    std::vector<SlotFill> Fills;
  };
  std::vector<TypeToCreate> TypesToCreate;
  /// Where `PyInit_*` starts: file, offset just after its '{', indentation.
  struct InitSite {
    std::string File;
    unsigned Offset = 0;
    std::string Indent;
    /// Module state: the exec function's module parameter; the state
    /// variable the prologue declares ("" for none); the failure value.
    std::string ModuleVar, StateVar;
    std::string ErrorValue = "NULL";
    /// Code follows on the same line: what is inserted ends with a newline.
    bool ContinuesLine = false;
  };
  std::optional<InitSite> ModuleInit;
  /// The `PyInit_*` function defined in a user file of this unit, or null.
  const clang::FunctionDecl *moduleEntryFunction() const;
  /// The function whose body initialises the module: `PyInit_*`'s, or, for
  /// `PyInit_x(void) { return make(); }` with `make` a static function of
  /// the same file, without parameters, called from there only, `make`.
  const clang::FunctionDecl *moduleInitFunction() const;
  /// `make` in `PyInit_x(void) { return make(); }` (see moduleInitFunction).
  const clang::FunctionDecl *forwardedInit(const clang::FunctionDecl &Entry) const;
  /// The variable the user wrote as the whole argument `Index` of `Ref`
  /// (one token), or null.
  const clang::VarDecl *argumentVariable(const ApiReference &Ref, size_t Index) const;
  /// Whether `E` refers to a variable `Matches` accepts.
  bool namesVariable(const clang::Expr &E,
                     llvm::function_ref<bool(const clang::VarDecl &)> Matches) const;
  /// Where code goes first in `Init`'s body: after its leading declarations
  /// (C89 keeps them first), leaving out those `Gone` says are deleted.
  InitSite initSite(const clang::FunctionDecl &Init,
                    std::function<bool(const clang::Stmt *)> Gone = nullptr) const;
  /// The `PyTypeObject *` whose field `ME` reads, as the port will spell it:
  /// `tp->f` is `tp`, `Foo_Type.f` is `&Foo_Type` (or the converted name).
  std::string typeObjectText(const clang::MemberExpr *ME);
  /// Inserts a helper function once per file (per `Key`), before the
  /// top-level declaration that holds `User`. With `ForType`, the helper
  /// serves that type's conversion: it is dropped when none of the types
  /// it serves is converted (RuleEdit::AssumesAny).
  void insertHelperOnce(llvm::StringRef Rule, llvm::StringRef Key, const clang::Stmt &User,
                        const std::string &Text, llvm::StringRef ForType = "");


  /// The edits, without those of a change that lost an edit to a refusal.
  std::vector<RuleEdit> takeEdits();
  std::vector<Finding> takeManualSites() { return std::move(Manual); }

private:
  bool editable(clang::CharSourceRange Range) const;
  /// A later rule's edit strictly inside an earlier rule's replacement,
  /// whose text quotes the edited original text exactly once (an argument
  /// an accessor rewrite copied): the edit is made in that text instead
  /// of conflicting with it. Returns whether it was.
  bool foldIntoEnclosingEdit(const RuleEdit &Edit, llvm::StringRef Original);

  std::vector<ApiReference> References;
  std::vector<StringifiedArgument> Stringified;
  std::vector<RuleEdit> Edits;
  std::set<std::string> RefusedGroups; ///< groups with an edit refused: all or nothing
  std::vector<std::function<void()>> Deferred;
  /// "file#key" -> the helper's edit (file, offset, text).
  std::map<std::string, std::tuple<std::string, unsigned, std::string>> HelpersInserted;
  clang::SourceLocation helperLocation(const clang::Stmt &User) const;
  mutable std::optional<const clang::FunctionDecl *> InitFunction; ///< moduleInitFunction
  std::map<const clang::VarDecl *, bool> Converted; ///< canonical decl -> assumed
  std::set<const clang::VarDecl *> Moved;           ///< canonical decls
  std::vector<std::string> PendingAssumptions;      ///< from rewrittenText
  std::vector<std::pair<unsigned, unsigned>> Claimed; ///< file offsets, by FileID hash
  std::vector<unsigned> ClaimedFiles;
  unsigned Groups = 0, CurrentGroup = 0;
  std::vector<Finding> Manual;
};

/// Collects the API references of a translation unit: registers
/// preprocessor callbacks now, and resolves expansions once the AST exists.
class ApiReferenceCollector {
public:
  ApiReferenceCollector(clang::CompilerInstance &CI, const FileClassifier &Files);
  CollectedReferences collect(clang::ASTContext &Ctx);

private:
  struct Impl;
  Impl *P; ///< owned by the preprocessor, which outlives the AST consumer
  CLibraryHeaderRecorder *CLibrary; ///< likewise
  StringifiedArgumentRecorder *Stringified; ///< likewise
};

} // namespace abi3port

#endif
