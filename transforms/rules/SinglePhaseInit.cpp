//===- SinglePhaseInit.cpp - rule `single-phase-init` ---------------------===//
///
/// Rewrites (`--state module`): single-phase initialisation into multi-phase.
/// The body of `PyInit_<name>` becomes the module's exec function, and
/// `PyInit_<name>` returns the definition:
/// \code
///   PyMODINIT_FUNC                            static int
///   PyInit_m(void)                            m_exec(PyObject *m)
///   {                                         {
///       PyObject *m;                              module_state *state = get_module_state(m);
///       m = PyModule_Create(&m_module);   ->      ...types created here...
///       if (m == NULL)                            if (PyModule_AddType(...) < 0) {
///           return NULL;                              return -1;
///       if (PyModule_AddType(...) < 0) {          }
///           Py_DECREF(m);                         return 0;
///           return NULL;                      }
///       }
///       return m;                             PyMODINIT_FUNC
///   }                                         PyInit_m(void)
///                                             {
///                                                 return PyModuleDef_Init(&m_module);
///                                             }
/// \endcode
/// `return NULL` becomes `return -1`, `return m` `return 0`; releasing the
/// module (`Py_DECREF(m)`, `Py_XDECREF`, `Py_CLEAR`) is dropped, since the
/// exec function does not own it. The PyModuleDef gets `m_size`, the slots
/// (`Py_mod_exec`; from 3.12 `Py_mod_multiple_interpreters`, from 3.13
/// `Py_mod_gil`) and m_traverse/m_clear/m_free, generated after merging
/// (state/StateCode.cpp).
///
/// The module is created by one top-level statement: `m = PyModule_Create(&d);`,
/// `PyObject *m = PyModule_Create(&d);` (each with the `if (m == NULL)` that
/// follows), `if ((m = PyModule_Create(&d)) == NULL) return NULL;`, or
/// `return PyModule_Create(&d);`. `PyInit_m(void) { return make(); }` with
/// `make` a static function of the file, called from there only, converts
/// `make` (PortContext::moduleInitFunction). Code the preprocessor skipped inside the
/// init function is reported (its returns are not converted).
///
/// Leaves (the port then keeps process globals, `--state global`, and says
/// why): an init function that creates its module otherwise, returns
/// something else, assigns or `Py_CLEAR`s the module variable again, releases
/// it other than as a statement of a block, is declared neither with
/// PyMODINIT_FUNC nor as plain `PyObject *` (kept for the new PyInit); a definition that already has state or slots, or is a
/// static variable of the init function; generated
/// names already taken; code that uses PyState_FindModule and the like.
///
/// Requires: 3.5 (PyModuleDef_Init); with module state, 3.10.
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"
#include "transforms/types/TypeObjectAnalysis.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/Regex.h"

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "single-phase-init";

/// `&def` in `PyModule_Create2(&def, ...)`.
const VarDecl *createdDefinition(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CallExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || FD->getName() != "PyModule_Create2" || Call->getNumArgs() < 1)
    return nullptr;
  const auto *U = dyn_cast<UnaryOperator>(Call->getArg(0)->IgnoreParenCasts());
  const auto *D = U ? dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParens()) : nullptr;
  return D ? dyn_cast<VarDecl>(D->getDecl()) : nullptr;
}

const VarDecl *localOf(const Expr *E) {
  const auto *D = dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  return D ? dyn_cast<VarDecl>(D->getDecl()) : nullptr;
}

class InitConverter {
public:
  explicit InitConverter(PortContext &Ctx) : Ctx(Ctx) {}

  void run() {
    // In every file of the module, not only the init's.
    if (!noSinglePhaseLookups() || !findInit())
      return;
    if (!findCreation() || !checkReturns() || !checkModuleReleases() || !checkSignature() ||
        !readDefinition() || !namesAreFree())
      return;
    {
      auto Change = Ctx.change();
      removeCreation();
      rewriteSignature();
      appendNewInit();
      recordInitSite();
    }
  }

  /// After static-type-object removed the PyType_Ready calls (and their
  /// `return NULL`), and other rules rewrote statements whole.
  void finish() {
    if (!Ctx.ModuleState.Def)
      return;
    rewriteReturns();
    dropModuleReleases();
    reportSkippedCode();
  }

  /// Returns and releases in code the preprocessor skipped are not converted.
  void reportSkippedCode() {
    SourceLocation Begin = Ctx.fileBegin(Body->getLBracLoc());
    SourceLocation End = Ctx.fileEnd(Body->getRBracLoc());
    for (SourceRange R : Ctx.SkippedRanges) {
      if (!Ctx.SM.isPointWithin(R.getBegin(), Begin, End))
        continue;
      std::string Text = Ctx.text(CharSourceRange::getCharRange(R));
      Text = setGilNotUsed(ModuleVarName).sub("", Text); // the slot says it, and the call is harmless
      llvm::Regex Word("(^|[^A-Za-z0-9_])(return|" + ModuleVarName + ")([^A-Za-z0-9_]|$)");
      if (!Word.match(Text))
        continue;
      Finding &F = Ctx.manual(Rule, CharSourceRange::getCharRange(R),
                              "code the preprocessor skipped here is not converted: in the "
                              "exec function 'return NULL' is 'return -1', 'return " +
                                  ModuleVarName + "' is 'return 0', and the module is not "
                                  "released",
                              std::nullopt);
      F.Blocker = false;
    }
  }

private:
  bool findInit() {
    Entry = Ctx.moduleEntryFunction();
    Init = Ctx.moduleInitFunction();
    if (!Init)
      return false;
    Body = cast<CompoundStmt>(Init->getBody());
    Name = Entry->getName().drop_front(strlen("PyInit_")).str();
    return true;
  }

  /// Records why the module keeps process globals.
  bool fail(SourceRange Where, const std::string &Why) {
    Ctx.ModuleState.Failures.push_back(moduleStateNotApplied(
        positionOf(Ctx.SM, Ctx.LO,
                   CharSourceRange::getTokenRange(Ctx.fileBegin(Where.getBegin()),
                                                  Ctx.fileEnd(Where.getEnd()))),
        Rule.str(), Why));
    return false;
  }

  /// The one top-level statement that creates the module.
  bool findCreation() {
    unsigned Calls = 0;
    struct Counter : RecursiveASTVisitor<Counter> {
      unsigned *Calls;
      bool VisitCallExpr(CallExpr *C) {
        const FunctionDecl *FD = C->getDirectCallee();
        if (FD && (FD->getName() == "PyModule_Create2" || FD->getName() == "PyModule_FromDefAndSpec2"))
          ++*Calls;
        return true;
      }
    } Count;
    Count.Calls = &Calls;
    Count.TraverseStmt(const_cast<CompoundStmt *>(Body));
    if (Calls == 0) { // already multi-phase, or not a module init: nothing to convert
      for (const ApiReference &Ref : Ctx.references())
        if (Ref.Name == "PyModule_Create" || Ref.Name == "PyModule_Create2")
          if (const FunctionDecl *In = Ref.Expansion ? Ctx.enclosingFunction(*Ref.Expansion)
                                                     : nullptr)
            return fail(Init->getSourceRange(),
                        "the module is created in '" + In->getName().str() +
                            "', not in the init function itself; inline it into PyInit_" +
                            Name + " first");
      Ctx.ModuleState.InitWithoutCreate = true;
      return false;
    }
    if (Calls != 1)
      return fail(Init->getSourceRange(),
                  "the init function does not create its module with exactly one "
                  "PyModule_Create(&def)");
    for (const Stmt *S : Body->body()) {
      if (const auto *R = dyn_cast<ReturnStmt>(S); R && (Def = createdDefinition(R->getRetValue()))) {
        Creation = S;
        ModuleVarName = "module";
        return true;
      }
      if (const auto *B = dyn_cast<BinaryOperator>(S);
          B && B->getOpcode() == BO_Assign && (Def = createdDefinition(B->getRHS()))) {
        Creation = S;
        CreationAssign = B;
        ModuleVar = localOf(B->getLHS());
        break;
      }
      if (const auto *If = dyn_cast<IfStmt>(S); If && !If->getElse())
        if (const BinaryOperator *Assign = creationTestedForNull(If->getCond())) {
          Creation = S;
          CreationAssign = Assign;
          Skipped = If; // `if ((m = PyModule_Create(&def)) == NULL) return NULL;`
          ModuleVar = localOf(Assign->getLHS());
          break;
        }
      if (const auto *DS = dyn_cast<DeclStmt>(S); DS && DS->isSingleDecl())
        if (const auto *V = dyn_cast<VarDecl>(DS->getSingleDecl());
            V && (Def = createdDefinition(V->getInit()))) {
          Creation = S;
          ModuleVar = V;
          break;
        }
    }
    if (!Creation || !ModuleVar || !ModuleVar->isLocalVarDecl())
      return fail(Init->getSourceRange(),
                  "the module is not created by a top-level 'm = PyModule_Create(&def);', "
                  "'PyObject *m = PyModule_Create(&def);' or 'return PyModule_Create(&def);'");
    ModuleVarName = ModuleVar->getName().str();
    return true;
  }

  bool isModule(const Expr *E) const { return ModuleVar && localOf(E) == ModuleVar; }

  /// `(m = PyModule_Create(&def)) == NULL` or `!(m = ...)`: the assignment.
  const BinaryOperator *creationTestedForNull(const Expr *Cond) {
    Cond = Cond->IgnoreParenImpCasts();
    const Expr *Tested = nullptr;
    if (const auto *U = dyn_cast<UnaryOperator>(Cond); U && U->getOpcode() == UO_LNot)
      Tested = U->getSubExpr();
    if (const auto *B = dyn_cast<BinaryOperator>(Cond); B && B->getOpcode() == BO_EQ &&
        B->getRHS()->isNullPointerConstant(Ctx.Ctx, Expr::NPC_ValueDependentIsNull))
      Tested = B->getLHS();
    const auto *Assign =
        Tested ? dyn_cast<BinaryOperator>(Tested->IgnoreParenImpCasts()) : nullptr;
    if (!Assign || Assign->getOpcode() != BO_Assign || !localOf(Assign->getLHS()))
      return nullptr;
    if (!(Def = createdDefinition(Assign->getRHS())))
      return nullptr;
    return Assign;
  }

  bool checkReturns() {
    struct ReturnFinder : RecursiveASTVisitor<ReturnFinder> {
      std::vector<const ReturnStmt *> Found;
      bool VisitReturnStmt(ReturnStmt *R) {
        Found.push_back(R);
        return true;
      }
    };
    ReturnFinder R;
    R.TraverseStmt(const_cast<CompoundStmt *>(Body));
    for (const ReturnStmt *Ret : R.Found) {
      if (Ret == Creation)
        continue;
      const Expr *V = Ret->getRetValue();
      if (!V || (!isModule(V) &&
                 !V->isNullPointerConstant(Ctx.Ctx, Expr::NPC_ValueDependentIsNull)))
        return fail(Ret->getSourceRange(),
                    "the init function returns something other than NULL or its module");
      Returns.push_back(Ret);
    }
    return true;
  }

  /// `return m` means success only if `m` is never reset, and a release of
  /// `m` can go only where it is a statement of a block.
  bool checkModuleReleases() {
    if (!ModuleVar)
      return true;
    struct Assignments : RecursiveASTVisitor<Assignments> {
      const VarDecl *Var;
      const BinaryOperator *Creation;
      const BinaryOperator *Found = nullptr;
      bool VisitBinaryOperator(BinaryOperator *B) {
        if (B->isAssignmentOp() && B != Creation && localOf(B->getLHS()) == Var)
          Found = B;
        return true;
      }
    } A;
    A.Var = ModuleVar;
    A.Creation = CreationAssign;
    A.TraverseStmt(const_cast<CompoundStmt *>(Body));
    if (A.Found)
      return fail(A.Found->getSourceRange(),
                  "the module variable is assigned again, so 'return " + ModuleVarName +
                      "' may mean failure");
    for (const ApiReference &Ref : moduleReleases()) {
      if (Ref.Name == "Py_CLEAR")
        return fail(Ref.WholeRange.getAsRange(),
                    "Py_CLEAR(" + ModuleVarName + ") resets the module variable, so 'return " +
                        ModuleVarName + "' may mean failure");
      DynTypedNodeList Parents =
          Ref.Expansion ? Ctx.Ctx.getParents(*Ref.Expansion) : DynTypedNodeList(DynTypedNode());
      // A statement of a block, or the one after a label (`fail: Py_DECREF(m);`).
      if (Parents.empty() || !(Parents[0].get<CompoundStmt>() || Parents[0].get<LabelStmt>()))
        return fail(Ref.WholeRange.getAsRange(),
                    "releasing the module here is not a statement of a block");
    }
    return true;
  }

  /// `Py_DECREF(m)`, `Py_XDECREF(m)`, `Py_CLEAR(m)` in the init function.
  std::vector<ApiReference> moduleReleases() const {
    std::vector<ApiReference> Out;
    unsigned Begin = Ctx.SM.getFileOffset(Ctx.fileBegin(Body->getLBracLoc()));
    unsigned End = Ctx.SM.getFileOffset(Ctx.fileEnd(Body->getRBracLoc()));
    FileID File = Ctx.SM.getFileID(Ctx.fileBegin(Body->getLBracLoc()));
    for (const ApiReference &Ref : Ctx.references()) {
      if (Ref.Name != "Py_DECREF" && Ref.Name != "Py_XDECREF" && Ref.Name != "Py_CLEAR")
        continue;
      SourceLocation At = Ref.WholeRange.getBegin();
      if (!Ref.InsideUserMacro && Ctx.SM.getFileID(At) == File &&
          Ctx.SM.getFileOffset(At) >= Begin && Ctx.SM.getFileOffset(At) <= End &&
          Ref.Args.size() == 1 && llvm::StringRef(Ctx.text(Ref.Args[0])).trim() == ModuleVarName)
        Out.push_back(Ref);
    }
    return Out;
  }

  bool checkSignature() {
    if (Entry->getLocation().isMacroID())
      return fail(Entry->getSourceRange(), "the init function's name comes from a macro");
    SourceLocation Begin = Entry->getBeginLoc();
    if (!Begin.isMacroID() || Ctx.text(Ctx.SM.getExpansionRange(Begin)) != "PyMODINIT_FUNC") {
      // `PyObject *PyInit_x(void)`: the new PyInit_x is declared the same way.
      std::optional<std::string> Type = plainPyObjectDeclaration(*Entry);
      if (!Type)
        return fail(Entry->getSourceRange(),
                    "the init function is declared neither PyMODINIT_FUNC nor 'PyObject *'");
      EntryDeclaration = *Type;
    }
    FunctionTypeLoc FTL = Entry->getFunctionTypeLoc();
    if (!FTL || FTL.getLParenLoc().isMacroID())
      return fail(Entry->getSourceRange(), "the init function's name comes from a macro");
    FunctionTypeLoc Made = Init->getFunctionTypeLoc();
    if (forwarded() && (!Made || Made.getLParenLoc().isMacroID() || !plainPyObjectDeclaration(*Init)))
      return fail(Init->getSourceRange(), "'" + Init->getName().str() +
                                              "', which creates the module, is not declared "
                                              "'static PyObject *" + Init->getName().str() +
                                              "(void)' in plain text");
    return true;
  }

  bool readDefinition() {
    if (Def->isStaticLocal())
      return fail(Def->getSourceRange(),
                  "the module definition '" + Def->getName().str() +
                      "' is a static variable of the init function; the new PyInit_" + Name +
                      " must see it: move it to file scope first");
    const auto *List = Def->getInit() ? dyn_cast<InitListExpr>(Def->getInit()) : nullptr;
    if (!List || !Ctx.Files.isUser(Ctx.fileBegin(Def->getLocation())) ||
        Def->getLocation().isMacroID())
      return fail(Def->getSourceRange(),
                  "the module definition '" + Def->getName().str() +
                      "' is not initialised in the files given");
    ModuleDefSite Site;
    Site.DefVar = Def->getName().str();
    Site.ModuleName = Name;
    Site.Cxx = Ctx.LO.CPlusPlus;
    Site.Name = Site.Doc = Site.Methods = "NULL";
    for (auto [Field, Value] : fieldValues(List, Ctx.Ctx)) {
      llvm::StringRef F = Field->getName();
      std::string Text = Ctx.rewrittenText(Value);
      if (F == "m_name")
        Site.Name = Text;
      else if (F == "m_doc")
        Site.Doc = Text;
      else if (F == "m_methods")
        Site.Methods = Text;
      else if (F == "m_size") {
        std::optional<llvm::APSInt> Size = Value->getIntegerConstantExpr(Ctx.Ctx);
        if (!Size || (*Size != -1 && *Size != 0))
          return fail(Value->getSourceRange(), "the module definition already has state "
                                               "(m_size is neither -1 nor 0)");
      } else if (F != "m_base")
        return fail(Value->getSourceRange(),
                    "the module definition already sets " + F.str());
    }
    const InitListExpr *Syntactic = List->isSyntacticForm() ? List : List->getSyntacticForm();
    if (Syntactic)
      for (const Expr *E : Syntactic->inits())
        Site.Designated |= isa<DesignatedInitExpr>(E);
    Site.Designated &= !Ctx.LO.CPlusPlus;
    SourceLocation Begin = Ctx.fileBegin(Def->getBeginLoc());
    auto [FID, Offset] = Ctx.SM.getDecomposedLoc(Begin);
    llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
    Site.File = canonicalPath(Ctx.SM.getFilename(Begin));
    Site.DefLineStart = Buffer.take_front(Offset).rfind('\n') + 1;
    SourceLocation LBrace = Ctx.fileBegin(List->getLBraceLoc());
    SourceLocation RBrace = Ctx.fileEnd(List->getRBraceLoc());
    Site.InitBegin = Ctx.SM.getFileOffset(LBrace);
    Site.InitLength = Ctx.SM.getFileOffset(RBrace) + 1 - Site.InitBegin;
    SourceLocation Semi = Lexer::findLocationAfterToken(RBrace, tok::semi, Ctx.SM, Ctx.LO, false);
    if (Semi.isInvalid())
      return fail(Def->getSourceRange(), "the module definition does not end with ';'");
    Site.DefEnd = Ctx.SM.getFileOffset(Semi);
    Site.HasExec = true;
    Site.GilNotUsed = declaresGilNotUsed();
    Ctx.ModuleState.Def = std::move(Site);
    return true;
  }

  /// `PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED)` in the init body,
  /// compiled or not (it is usually under `#ifdef Py_GIL_DISABLED`): the
  /// multi-phase module says so with its Py_mod_gil slot, which CPython
  /// reads before the exec function runs.
  bool declaresGilNotUsed() const {
    std::string Text = Ctx.text(CharSourceRange::getCharRange(Ctx.fileBegin(Body->getLBracLoc()),
                                                              Ctx.fileEnd(Body->getRBracLoc())));
    return setGilNotUsed(ModuleVarName).match(Text);
  }

  static llvm::Regex setGilNotUsed(const std::string &ModuleVar) {
    return llvm::Regex("PyUnstable_Module_SetGIL[[:space:]]*\\([[:space:]]*" + ModuleVar +
                       "[[:space:]]*,[[:space:]]*Py_MOD_GIL_NOT_USED[[:space:]]*\\)");
  }

  /// PyState_FindModule finds only single-phase modules: code that uses it
  /// would find nothing once the module is multi-phase.
  bool noSinglePhaseLookups() {
    for (const ApiReference &Ref : Ctx.references())
      if (Ref.Name == "PyState_FindModule" || Ref.Name == "PyState_AddModule" ||
          Ref.Name == "PyState_RemoveModule")
        return fail(Ref.NameRange.getAsRange(),
                    "the code uses " + Ref.Name + ", which works only for single-phase "
                    "modules; reach the module through its state first, by hand");
    return true;
  }

  /// The names the port generates must not be taken.
  bool namesAreFree() {
    std::set<std::string> Ours = {Name + "_exec",  Name + "_slots", Name + "_traverse",
                                  Name + "_clear", Name + "_free",  "module_state",
                                  "get_module_state", "module_state_from_type",
                                  "module_state_from_operands", "module_state_of"};
    for (const Decl *D : parsedDecls(Ctx.Ctx))
      if (const auto *ND = dyn_cast<NamedDecl>(D);
          ND && ND->getIdentifier() && Ours.count(ND->getName().str()) &&
          Ctx.Files.isUser(Ctx.fileBegin(ND->getLocation())))
        return fail(ND->getSourceRange(), "the name '" + ND->getName().str() +
                                              "', which the port generates, is taken");
    return true;
  }

  //===--------------------------------------------------------------------===//
  // Edits
  //===--------------------------------------------------------------------===//

  void deleteStatement(const Stmt *S) {
    CharSourceRange Lines = Ctx.wholeLines(S);
    if (Lines.isValid())
      Ctx.replace(Rule, withoutDoubleBlank(Lines), "");
    else
      Ctx.manual(Rule, CharSourceRange::getTokenRange(S->getSourceRange()),
                 "delete this statement: the exec function receives its module",
                 std::nullopt);
  }

  /// Whole lines to delete, with the blank line after them when one also
  /// precedes them: the code around keeps a single blank line.
  CharSourceRange withoutDoubleBlank(CharSourceRange Lines) const {
    auto [FID, Begin] = Ctx.SM.getDecomposedLoc(Lines.getBegin());
    unsigned End = Ctx.SM.getFileOffset(Lines.getEnd());
    llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
    llvm::StringRef Before = Buffer.take_front(Begin);
    bool BlankBefore = Before.ends_with("\n\n") || Before.rtrim(" \t").ends_with("\n\n");
    size_t NextEnd = Buffer.find('\n', End);
    if (!BlankBefore || NextEnd == llvm::StringRef::npos ||
        !Buffer.slice(End, NextEnd).trim().empty())
      return Lines;
    return CharSourceRange::getCharRange(Lines.getBegin(),
                                         Lines.getEnd().getLocWithOffset(NextEnd + 1 - End));
  }

  /// `if (m == NULL) return NULL;` right after the creation.
  bool checksModule(const Stmt *S) const {
    const auto *If = dyn_cast_or_null<IfStmt>(S);
    if (!If || If->getElse())
      return false;
    const Expr *C = If->getCond()->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(C); U && U->getOpcode() == UO_LNot)
      return isModule(U->getSubExpr());
    const auto *B = dyn_cast<BinaryOperator>(C);
    if (!B || B->getOpcode() != BO_EQ)
      return false;
    auto Null = [&](const Expr *E) {
      return E->isNullPointerConstant(Ctx.Ctx, Expr::NPC_ValueDependentIsNull);
    };
    return (isModule(B->getLHS()) && Null(B->getRHS())) ||
           (isModule(B->getRHS()) && Null(B->getLHS()));
  }

  void removeCreation() {
    if (isa<ReturnStmt>(Creation)) {
      const auto *R = cast<ReturnStmt>(Creation);
      Ctx.replace(Rule,
                  CharSourceRange::getTokenRange(Ctx.fileBegin(R->getRetValue()->getBeginLoc()),
                                                 Ctx.fileEnd(R->getRetValue()->getEndLoc())),
                  "0");
      return;
    }
    if (isa<IfStmt>(Creation)) {
      deleteStatement(Creation);
      removeModuleDeclaration();
      return;
    }
    const Stmt *Next = nullptr;
    for (auto It = Body->body_begin(); It != Body->body_end(); ++It)
      if (*It == Creation && std::next(It) != Body->body_end())
        Next = *std::next(It);
    if (!checksModule(Next)) {
      deleteStatement(Creation);
    } else {
      Skipped = cast<IfStmt>(Next);
      CharSourceRange First = Ctx.wholeLines(Creation), Second = Ctx.wholeLines(Next);
      if (First.isValid() && Second.isValid() && First.getEnd() == Second.getBegin()) {
        Ctx.replace(Rule,
                    withoutDoubleBlank(
                        CharSourceRange::getCharRange(First.getBegin(), Second.getEnd())),
                    "");
      } else {
        deleteStatement(Creation);
        deleteStatement(Next);
      }
    }
    if (!isa<DeclStmt>(Creation))
      removeModuleDeclaration();
  }

  /// `PyObject *m;` goes (the exec function's parameter replaces it);
  /// in `PyObject *m, *v;` only `m, `.
  void removeModuleDeclaration() {
    for (const Stmt *S : Body->body()) {
      const auto *DS = dyn_cast<DeclStmt>(S);
      if (!DS || !llvm::is_contained(DS->decls(), ModuleVar))
        continue;
      if (DS->isSingleDecl())
        return deleteStatement(DS);
      if (!Ctx.removeDeclarator(Rule, ModuleVar))
        Ctx.manual(Rule, CharSourceRange::getTokenRange(Ctx.fileBegin(ModuleVar->getLocation())),
                   "remove '" + ModuleVarName + "' from this declaration: the exec "
                   "function receives its module",
                   std::nullopt);
      return;
    }
  }

  void rewriteReturns() {
    for (const ReturnStmt *R : Returns) {
      if (Skipped && Ctx.SM.isPointWithin(Ctx.fileBegin(R->getBeginLoc()),
                                          Ctx.fileBegin(Skipped->getBeginLoc()),
                                          Ctx.fileEnd(Skipped->getEndLoc())))
        continue; // deleted with the `if (m == NULL)`
      const Expr *V = R->getRetValue();
      if (Ctx.isClaimed(Ctx.fileBegin(V->getBeginLoc())))
        continue;
      Ctx.replace(Rule,
                  CharSourceRange::getTokenRange(Ctx.fileBegin(V->getBeginLoc()),
                                                 Ctx.fileEnd(V->getEndLoc())),
                  isModule(V) ? "0" : "-1");
    }
  }

  /// `Py_DECREF(m);` and the like: the exec function does not own `m`.
  void dropModuleReleases() {
    for (const ApiReference &Ref : moduleReleases())
      if (!Ctx.isClaimed(Ref.WholeRange.getBegin()))
        dropStatement(Ref.WholeRange);
  }

  void dropStatement(CharSourceRange Call) {
    SourceLocation Semi = Lexer::findLocationAfterToken(Call.getEnd(), tok::semi, Ctx.SM,
                                                        Ctx.LO, false);
    if (Semi.isInvalid())
      return;
    auto [FID, Offset] = Ctx.SM.getDecomposedLoc(Call.getBegin());
    llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
    unsigned LineStart = Buffer.take_front(Offset).rfind('\n') + 1;
    unsigned SemiOffset = Ctx.SM.getFileOffset(Semi);
    size_t NL = Buffer.find('\n', SemiOffset);
    SourceLocation FileStart = Ctx.SM.getLocForStartOfFile(FID);
    if (Buffer.slice(LineStart, Offset).trim().empty() && NL != llvm::StringRef::npos &&
        Buffer.slice(SemiOffset, NL).trim().empty()) {
      Ctx.replace(Rule,
                  CharSourceRange::getCharRange(FileStart.getLocWithOffset(LineStart),
                                                FileStart.getLocWithOffset(NL + 1)),
                  "");
      return;
    }
    size_t After = Buffer.find_first_not_of(' ', SemiOffset);
    Ctx.replace(Rule,
                CharSourceRange::getCharRange(Call.getBegin(), FileStart.getLocWithOffset(After)),
                "");
  }

  /// `PyInit_x(void) { return make(); }`: `make`'s body is the init's.
  bool forwarded() const { return Init != Entry; }

  /// `F`'s text before its name when it reads `PyObject *`, after an
  /// optional `static`, outside any macro; nullopt otherwise.
  std::optional<std::string> plainPyObjectDeclaration(const FunctionDecl &F) const {
    if (F.getBeginLoc().isMacroID() || F.getLocation().isMacroID())
      return std::nullopt;
    std::string Text = Ctx.text(CharSourceRange::getCharRange(F.getBeginLoc(), F.getLocation()));
    if (!llvm::Regex("^(static[[:space:]]+)?PyObject[[:space:]]*\\*[[:space:]]*$").match(Text))
      return std::nullopt;
    return Text;
  }

  /// `static PyObject *` (a text ending in '*' and space) -> `static int `.
  static std::string intReturning(const std::string &Type) {
    size_t Star = Type.rfind('*');
    std::string Gap = Type.substr(Star + 1);
    return "static int" + (Gap.empty() ? std::string(" ") : Gap);
  }

  void rewriteSignature() {
    // `static PyObject *make(void)` or `PyObject *PyInit_x(void)` ->
    // `static int <name>_exec(PyObject *m)`.
    if (std::optional<std::string> Type = plainPyObjectDeclaration(*Init))
      Ctx.replace(Rule, CharSourceRange::getCharRange(Init->getBeginLoc(), Init->getLocation()),
                  intReturning(*Type));
    else // PyMODINIT_FUNC
      Ctx.replace(Rule, Ctx.SM.getExpansionRange(Init->getBeginLoc()), "static int");
    if (forwarded()) { // PyInit_<name> stays, and returns the definition
      const auto *Return = cast<ReturnStmt>(cast<CompoundStmt>(Entry->getBody())->body_front());
      Ctx.replace(Rule, CharSourceRange::getTokenRange(Return->getRetValue()->getSourceRange()),
                  "PyModuleDef_Init(&" + Def->getName().str() + ")");
    }
    Ctx.replace(Rule, CharSourceRange::getTokenRange(Init->getLocation()), Name + "_exec");
    FunctionTypeLoc FTL = Init->getFunctionTypeLoc();
    Ctx.replace(Rule,
                CharSourceRange::getCharRange(FTL.getLParenLoc().getLocWithOffset(1),
                                              FTL.getRParenLoc()),
                "PyObject *" + ModuleVarName);
  }

  void appendNewInit() {
    if (forwarded())
      return; // PyInit_<name> stays, and returns the definition
    SourceLocation RBrace = Ctx.fileEnd(Body->getRBracLoc());
    Ctx.insert(Rule, RBrace.getLocWithOffset(1),
               "\n\n" + (EntryDeclaration.empty() ? "PyMODINIT_FUNC\n" : EntryDeclaration) +
                   "PyInit_" + Name + "(void)\n{\n    return PyModuleDef_Init(&" +
                   Def->getName().str() + ");\n}");
  }

  /// Where the exec function's prologue goes: after the declarations that
  /// stay at the top of its body.
  void recordInitSite() {
    PortContext::InitSite Site = Ctx.initSite(*Init, [&](const Stmt *S) {
      const auto *DS = cast<DeclStmt>(S);
      return S == Creation || (DS->isSingleDecl() && DS->getSingleDecl() == ModuleVar);
    });
    Site.ModuleVar = ModuleVarName;
    auto Var = Ctx.StateVariables.find(Init->getCanonicalDecl());
    Site.StateVar = Var == Ctx.StateVariables.end() || Var->second.empty() ? "state" : Var->second;
    Site.ErrorValue = "-1";
    Ctx.ModuleInit = Site;
  }

  PortContext &Ctx;
  const FunctionDecl *Entry = nullptr; ///< PyInit_<name>
  /// Entry's text before its name when it is not PyMODINIT_FUNC
  /// (`PyObject *`); empty for PyMODINIT_FUNC.
  std::string EntryDeclaration;
  const FunctionDecl *Init = nullptr;  ///< whose body creates the module (Entry's, or make's)
  const CompoundStmt *Body = nullptr;
  std::string Name;
  const VarDecl *Def = nullptr;
  const Stmt *Creation = nullptr;
  const BinaryOperator *CreationAssign = nullptr; ///< `m = PyModule_Create(&def)`
  const VarDecl *ModuleVar = nullptr;
  std::string ModuleVarName;
  const IfStmt *Skipped = nullptr; ///< the `if (m == NULL)` removed
  std::vector<const ReturnStmt *> Returns;
};

} // namespace

void singlePhaseInit(PortContext &Ctx) {
  if (Ctx.State != StateMode::Module)
    return;
  auto Converter = std::make_shared<InitConverter>(Ctx);
  Converter->run();
  Ctx.defer([Converter] { Converter->finish(); });
}

} // namespace abi3port
