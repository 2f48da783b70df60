//===- ModuleGlobalState.cpp - rule `module-global-state` -----------------===//
///
/// Rewrites (`--state module`): every file-scope `PyObject *` / `PyTypeObject *`
/// global and every static type converted by `static-type-object` becomes a
/// member of the generated `module_state` struct (state/ModuleState.h), which
/// each module object owns; each use reads it through the state of the
/// module the code runs for:
/// \code
///   static PyObject *Error;                typedef struct { PyObject *Error; } module_state;
///   static PyObject *                      static PyObject *
///   f(PyObject *module, PyObject *arg)     f(PyObject *module, PyObject *arg)
///   {                                  ->  {
///       PyErr_SetString(Error, "...");         module_state *state = get_module_state(module);
///                                              PyErr_SetString(state->Error, "...");
/// \endcode
/// The state is reached, by context:
///   - module functions (the module's PyMethodDef table): their module argument;
///   - methods, getters/setters and slots of the module's types: the type of
///     `self` (`tp_new`, class methods: the type argument) through
///     `module_state_from_type`, which walks the MRO, so Python subclasses
///     work (PyType_GetModuleByDef from 3.13); binary number slots try both
///     operands; never `Py_TYPE(self)`'s own module alone;
///   - the init function (which becomes the exec function): its module;
///   - static helpers only called from those: a `module_state *state`
///     parameter is added and passed at every call.
/// `static` scalars that only the init function writes (settings computed at
/// init) move too, as plain members; a non-zero initialiser is set first in
/// the exec function. The globals' declarations are deleted; m_traverse /
/// m_clear / m_free visit and clear every object member (generated with the
/// struct, after merging).
///
/// Leaves for manual change: uses in functions with no path to the module
/// (blocking, at each use), including functions a macro writes; globals
/// initialised at file scope, arrays of objects, and globals declared
/// together with others that stay (not moved); C data written outside the
/// init function and static locals written at run time (reported: per-module
/// in meaning or truly process-wide is the author's call). When a static type
/// stays static the module keeps process globals (a reason in the report).
///
/// Requires: 3.10 (PyType_FromModuleAndSpec, PyType_GetModule).
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"
#include "transforms/state/FunctionRoles.h"
#include "transforms/types/TypeObjectAnalysis.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/StringSet.h"
#include "clang/Lex/Lexer.h"
#include <deque>
#include <set>

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "module-global-state";

bool isObjectPointer(QualType T) {
  if (!T->isPointerType())
    return false;
  const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
  return RD && (recordName(RD) == "_object" || recordName(RD) == "_typeobject");
}

bool isObjectArray(QualType T) {
  const ArrayType *A = T->getAsArrayTypeUnsafe();
  while (A && A->getElementType()->getAsArrayTypeUnsafe())
    A = A->getElementType()->getAsArrayTypeUnsafe();
  return A && isObjectPointer(A->getElementType());
}

/// A global's uses and calls, per function.
struct FunctionUses {
  std::vector<const DeclRefExpr *> GlobalRefs;
  std::vector<const CallExpr *> Calls; ///< direct calls of user functions
};

class StateMover {
public:
  explicit StateMover(PortContext &Ctx) : Ctx(Ctx) {}

  void run() {
    findInit();
    findWriters();
    findBorrowedGlobals();
    collectGlobals();
    if (Members.empty() && !Init)
      return;
    collectUses();
    assignRoles();
    decideAccess();
    for (const VarDecl *V : Members)
      Ctx.markMoved(V);
    emitPrologues();
    threadHelpers();
    reportSharedCData();
  }

  /// After the other rules, which may have rewritten some uses whole.
  void finish() {
    rewriteUses();
    deleteDeclarations();
  }

private:
  //===--------------------------------------------------------------------===//
  // What moves
  //===--------------------------------------------------------------------===//

  void findInit() { Init = Ctx.moduleInitFunction(); }

  bool inUserFile(const Decl *D) const { return Ctx.Files.isUser(Ctx.fileBegin(D->getLocation())); }

  void collectGlobals() {
    for (const Decl *D : parsedDecls(Ctx.Ctx)) {
      const auto *V = dyn_cast<VarDecl>(D);
      if (!V || !V->getDeclContext()->isFileContext() || !inUserFile(V))
        continue;
      const VarDecl *Canon = V->getCanonicalDecl();
      if (Ctx.isConverted(V)) {
        addMember(Canon, "PyTypeObject *" + V->getName().str());
        continue;
      }
      if (isObjectArray(V->getType())) {
        leaveGlobal(V, "an array of objects is not moved");
        continue;
      }
      if (movesAsCData(V)) {
        addMember(Canon, QualType::getAsString(V->getType().split(), Ctx.Ctx.getPrintingPolicy()) +
                             " " + V->getName().str());
        CData.insert(Canon);
        if (const Expr *I = V->getInit(); I && !isZero(I))
          Ctx.ModuleState.Initialisers.push_back(
              {V->getName().str(), Ctx.text(CharSourceRange::getTokenRange(
                                       Ctx.fileBegin(I->getBeginLoc()), Ctx.fileEnd(I->getEndLoc())))});
        continue;
      }
      if (!isObjectPointer(V->getType()) || V->isStaticLocal())
        continue;
      if (const Expr *I = V->getInit();
          I && !I->isNullPointerConstant(Ctx.Ctx, Expr::NPC_ValueDependentIsNull)) {
        leaveGlobal(V, "it is initialised at file scope");
        continue;
      }
      addMember(Canon, "PyObject *" + V->getName().str());
      if (recordName(V->getType()->getPointeeType()->getAsRecordDecl()) == "_typeobject")
        MemberDecls[Canon] = "PyTypeObject *" + V->getName().str();
    }
    for (const VarDecl *V : Members)
      for (const VarDecl *R : V->redecls())
        if (inUserFile(R))
          addAnchor(R);
  }

  bool isZero(const Expr *E) const {
    Expr::EvalResult R;
    return E->EvaluateAsRValue(R, Ctx.Ctx) &&
           ((R.Val.isInt() && R.Val.getInt() == 0) ||
            (R.Val.isFloat() && R.Val.getFloat().isPosZero()));
  }

  void addMember(const VarDecl *Canon, std::string Declaration) {
    if (MemberDecls.count(Canon) || Left.count(Canon))
      return;
    Members.push_back(Canon);
    MemberDecls[Canon] = std::move(Declaration);
  }

  void leaveGlobal(const VarDecl *V, const std::string &Why) {
    Left.insert(V->getCanonicalDecl());
    Ctx.ModuleState.SharedCData = true;
    Finding &F = Ctx.manual(Rule,
                            CharSourceRange::getTokenRange(Ctx.fileBegin(V->getLocation()),
                                                           Ctx.fileEnd(V->getLocation())),
                            "'" + V->getName().str() + "' stays process-global: " + Why +
                                "; move it into module_state by hand",
                            std::nullopt);
    F.Blocker = false;
  }

  void addAnchor(const VarDecl *D) {
    SourceLocation Begin = Ctx.fileBegin(D->getBeginLoc());
    auto [FID, Offset] = Ctx.SM.getDecomposedLoc(Begin);
    llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
    size_t LineStart = Buffer.take_front(Offset).rfind('\n') + 1;
    Ctx.ModuleState.Anchors.push_back({canonicalPath(Ctx.SM.getFilename(Begin)),
                                       unsigned(LineStart), FID != Ctx.SM.getMainFileID()});
  }

  //===--------------------------------------------------------------------===//
  // Where it is used
  //===--------------------------------------------------------------------===//

  void collectUses() {
    struct Collector : RecursiveASTVisitor<Collector> {
      explicit Collector(StateMover &Self) : Self(Self) {}
      StateMover &Self;
      const FunctionDecl *Current = nullptr;
      std::set<const DeclRefExpr *> Callees;
      bool TraverseFunctionDecl(FunctionDecl *FD) {
        const FunctionDecl *Saved = Current;
        if (FD->doesThisDeclarationHaveABody() && Self.inUserFile(FD))
          Current = FD;
        RecursiveASTVisitor::TraverseFunctionDecl(FD);
        Current = Saved;
        return true;
      }
      bool VisitCallExpr(CallExpr *Call) {
        if (const auto *D = dyn_cast<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts()))
          Callees.insert(D);
        const FunctionDecl *Callee = Call->getDirectCallee();
        if (Current && Callee && Callee->getDefinition() && Self.inUserFile(Callee))
          Self.Uses[Current].Calls.push_back(Call);
        return true;
      }
      bool VisitDeclRefExpr(DeclRefExpr *D) {
        if (const auto *FD = dyn_cast<FunctionDecl>(D->getDecl())) {
          if (!Callees.count(D))
            Self.AddressTaken.insert(FD->getCanonicalDecl());
          return true;
        }
        const auto *V = dyn_cast<VarDecl>(D->getDecl());
        if (!V || !Self.MemberDecls.count(V->getCanonicalDecl()))
          return true;
        if (Current)
          Self.Uses[Current].GlobalRefs.push_back(D);
        else if (!Self.Ctx.isConverted(V))
          Self.OutsideFunctions.push_back(D);
        return true;
      }
    } C(*this);
    traverseParsedDecls(C, Ctx.Ctx);
    for (const DeclRefExpr *D : OutsideFunctions)
      Ctx.manual(Rule, CharSourceRange::getTokenRange(D->getSourceRange()),
                 "'" + D->getDecl()->getName().str() +
                     "' moves into the module state, but this use is outside any function; "
                     "initialise it in the module's exec function instead",
                 std::nullopt);
  }

  //===--------------------------------------------------------------------===//
  // How each function reaches the state
  //===--------------------------------------------------------------------===//

  void assignRoles() {
    Roles = functionRoles(Ctx.Ctx, Init, Ctx.ConvertedTypes);
  }

  bool threadable(const FunctionDecl *F) const {
    return F != Init && !F->isExternallyVisible() && !AddressTaken.count(F->getCanonicalDecl()) &&
           F->getNumParams() < 64;
  }

  /// A function a macro writes cannot get a prologue or a parameter here.
  static bool writtenByMacro(const FunctionDecl *F) {
    const auto *Body = dyn_cast_or_null<CompoundStmt>(F->getBody());
    return !Body || Body->getLBracLoc().isMacroID() || F->getLocation().isMacroID();
  }

  Access accessOf(const FunctionDecl *F) const {
    if (writtenByMacro(F))
      return Access::None;
    auto It = Roles.find(F);
    if (It != Roles.end())
      return It->second;
    return threadable(F) ? Access::Thread : Access::None;
  }

  /// The functions that need the state: those using a moved global, and the
  /// callers of helpers that get it as a parameter.
  void decideAccess() {
    std::map<const FunctionDecl *, std::vector<const FunctionDecl *>> Callers;
    for (const auto &[F, U] : Uses)
      for (const CallExpr *Call : U.Calls)
        Callers[Call->getDirectCallee()->getDefinition()].push_back(F);
    std::deque<const FunctionDecl *> Work;
    for (const auto &[F, U] : Uses)
      if (!U.GlobalRefs.empty())
        Work.push_back(F);
    if (Init)
      Work.push_back(Init);
    while (!Work.empty()) {
      const FunctionDecl *F = Work.front();
      Work.pop_front();
      if (!Needs.insert(F).second)
        continue;
      Access A = accessOf(F);
      if (A == Access::SelfType || A == Access::TypeParam || A == Access::Operands) {
        const ParmVarDecl *First = F->getNumParams() ? F->getParamDecl(0) : nullptr;
        bool Named = First && !First->getName().empty();
        if (!Named || (A == Access::Operands && (F->getNumParams() < 2 ||
                                                 F->getParamDecl(1)->getName().empty())))
          A = Access::None;
      }
      if (A == Access::Module && (!F->getNumParams() || F->getParamDecl(0)->getName().empty()))
        A = Access::None;
      Decided[F] = A;
      if (A == Access::Thread)
        for (const FunctionDecl *Caller : Callers[F])
          Work.push_back(Caller);
    }
    if (Init && Uses.count(Init)) {
      const FunctionUses &U = Uses[Init];
      Ctx.ModuleState.InitUsesState =
          !U.GlobalRefs.empty() || llvm::any_of(U.Calls, [&](const CallExpr *C) {
            auto It = Decided.find(C->getDirectCallee()->getDefinition());
            return It != Decided.end() && It->second == Access::Thread;
          });
    }
    for (const auto &[F, A] : Decided) {
      std::string Var = A == Access::None ? "" : stateVariableFor(F);
      Ctx.StateVariables[F->getCanonicalDecl()] = Var;
      if (A == Access::SelfType || A == Access::TypeParam)
        Ctx.ModuleState.NeedsFromType = true;
      if (A == Access::Operands)
        Ctx.ModuleState.NeedsFromType = Ctx.ModuleState.NeedsFromOperands = true;
    }
  }

  /// "state", unless the function already has something of that name.
  std::string stateVariableFor(const FunctionDecl *F) const {
    std::set<std::string> Names;
    for (const ParmVarDecl *P : F->parameters())
      Names.insert(P->getName().str());
    struct Locals : RecursiveASTVisitor<Locals> {
      std::set<std::string> *Names;
      bool VisitNamedDecl(NamedDecl *D) {
        Names->insert(D->getName().str());
        return true;
      }
    } L;
    L.Names = &Names;
    L.TraverseStmt(F->getBody());
    for (const char *Candidate : {"state", "mod_state", "module_state_"})
      if (!Names.count(Candidate))
        return Candidate;
    return "";
  }

  //===--------------------------------------------------------------------===//
  // Edits
  //===--------------------------------------------------------------------===//

  /// The value a failed lookup returns from `F`: "" when it cannot fail.
  static std::string errorValue(const FunctionDecl *F) {
    QualType R = F->getReturnType();
    if (R->isPointerType())
      return "NULL";
    if (R->isIntegerType())
      return "-1";
    return "";
  }

  std::string lookupExpression(const FunctionDecl *F, Access A) const {
    const ParmVarDecl *Self = F->getParamDecl(0);
    std::string First = Self->getName().str();
    // Py_TYPE takes a PyObject * (3.11+ headers have no casting macro).
    std::string Object = isObjectPointer(Self->getType()) &&
                                 recordName(Self->getType()->getPointeeType()->getAsRecordDecl()) ==
                                     "_object"
                             ? First
                             : "(PyObject *)" + First;
    switch (A) {
    case Access::Module:
      return "get_module_state(" + First + ")";
    case Access::SelfType:
      return "module_state_from_type(Py_TYPE(" + Object + "))";
    case Access::TypeParam:
      return "module_state_from_type((PyTypeObject *)" + First + ")";
    case Access::Operands:
      return "module_state_from_operands((PyObject *)" + First + ", (PyObject *)" +
             F->getParamDecl(1)->getName().str() + ")";
    default:
      return "";
    }
  }

  /// `module_state *state = ...;` first in the body; its NULL check after
  /// the function's own declarations (C89 keeps declarations first), unless
  /// those already read the state or call the project's functions.
  void emitPrologues() {
    for (const auto &[F, A] : Decided) {
      std::string Var = Ctx.StateVariables[F->getCanonicalDecl()];
      if (A == Access::None || A == Access::Exec || A == Access::Thread || Var.empty())
        continue;
      const auto *Body = cast<CompoundStmt>(F->getBody());
      SourceLocation LBrace = Ctx.fileBegin(Body->getLBracLoc());
      auto [FID, Offset] = Ctx.SM.getDecomposedLoc(LBrace);
      llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
      bool BraceEndsLine = Offset + 1 < Buffer.size() && Buffer[Offset + 1] == '\n';
      // `{ return f(); }` on the function's line: the body goes on lines of
      // its own, one level deeper than the line of the brace.
      bool OneLine = !BraceEndsLine && !Body->body_empty() &&
                     Ctx.SM.getSpellingLineNumber(Ctx.fileBegin(Body->body_front()->getBeginLoc())) ==
                         Ctx.SM.getSpellingLineNumber(LBrace);
      std::string Indent = Body->body_empty() ? "    "
                           : OneLine ? Ctx.indentation(LBrace) + "    "
                                     : Ctx.indentation(Body->body_front()->getBeginLoc());
      std::string Error = errorValue(F);
      std::string Declaration =
          Indent + "module_state *" + Var + " = " + lookupExpression(F, A) + ";\n";
      std::string Check = A != Access::Module && !Error.empty()
                              ? Indent + "if (" + Var + " == NULL)\n" + Indent + "    return " +
                                    Error + ";\n"
                              : "";
      SourceLocation AfterDecls = afterLeadingDeclarations(*F, *Body);
      auto Change = Ctx.change();
      if (!Check.empty() && AfterDecls.isValid()) {
        Ctx.insert(Rule, AfterDecls, Check);
        Check.clear();
      }
      if (BraceEndsLine) {
        Ctx.insert(Rule, LBrace.getLocWithOffset(2), Declaration + Check);
      } else if (OneLine) {
        size_t Spaces = Buffer.find_first_not_of(" \t", Offset + 1) - (Offset + 1);
        Ctx.replace(Rule,
                    CharSourceRange::getCharRange(LBrace.getLocWithOffset(1),
                                                  LBrace.getLocWithOffset(1 + Spaces)),
                    "\n" + Declaration + Check + Indent);
      } else
        Ctx.insert(Rule, LBrace.getLocWithOffset(1), "\n" + Declaration + Check);
    }
  }

  /// The start of the line after the body's leading declarations, when
  /// there are some, each alone on its lines, that neither use a moved
  /// global nor call a function of the project; else invalid.
  SourceLocation afterLeadingDeclarations(const FunctionDecl &F, const CompoundStmt &Body) {
    const Stmt *Last = nullptr;
    for (const Stmt *S : Body.body()) {
      if (!isa<DeclStmt>(S))
        break;
      Last = S;
    }
    if (!Last || Ctx.fileEnd(Last->getEndLoc()).isMacroID())
      return {};
    SourceLocation DeclsEnd = Ctx.fileEnd(Last->getEndLoc());
    const FunctionUses &U = Uses[&F];
    auto InDecls = [&](SourceLocation L) {
      return Ctx.SM.isBeforeInTranslationUnit(Ctx.fileBegin(L), DeclsEnd);
    };
    for (const DeclRefExpr *D : U.GlobalRefs)
      if (InDecls(D->getBeginLoc()))
        return {};
    // Any call in an initialiser would run before the check.
    struct Calls : RecursiveASTVisitor<Calls> {
      bool Found = false;
      bool VisitCallExpr(CallExpr *) { return !(Found = true); }
    } C;
    for (const Stmt *S : Body.body()) {
      if (!isa<DeclStmt>(S))
        break;
      C.TraverseStmt(const_cast<Stmt *>(S));
    }
    if (C.Found)
      return {};
    auto [FID, Offset] = Ctx.SM.getDecomposedLoc(DeclsEnd); // at the ';'
    llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
    size_t NL = Buffer.find('\n', Offset);
    llvm::StringRef Rest = NL == llvm::StringRef::npos ? "" : Buffer.slice(Offset + 1, NL).trim();
    bool Comment = (Rest.starts_with("/*") && Rest.ends_with("*/")) || Rest.starts_with("//");
    if (NL == llvm::StringRef::npos || !(Rest.empty() || Comment))
      return {};
    return Ctx.SM.getLocForStartOfFile(FID).getLocWithOffset(NL + 1);
  }

  /// Adds `module_state *state` to each threaded helper and passes it at
  /// every call.
  void threadHelpers() {
    for (const auto &[F, A] : Decided) {
      if (A != Access::Thread)
        continue;
      std::string Var = Ctx.StateVariables[F->getCanonicalDecl()];
      for (const FunctionDecl *D : F->redecls())
        if (inUserFile(D))
          addParameter(D, Var);
    }
    // A call spelled in a macro's body is edited there, for every expansion:
    // the functions of all of them must name the state `state`.
    std::map<SourceLocation, const FunctionDecl *> StatelessExpansion;
    forEachStateCall([&](const FunctionDecl *Caller, const CallExpr *Call, const std::string &Var) {
      SourceLocation CalleeEnd = Call->getCallee()->getEndLoc();
      if (Var != "state" && CalleeEnd.isMacroID() && Ctx.SM.isMacroBodyExpansion(CalleeEnd))
        StatelessExpansion.emplace(Ctx.SM.getSpellingLoc(CalleeEnd), Caller);
    });
    forEachStateCall([&](const FunctionDecl *Caller, const CallExpr *Call, const std::string &Var) {
      SourceLocation CalleeEnd = Call->getCallee()->getEndLoc();
      auto Other = CalleeEnd.isMacroID() && Ctx.SM.isMacroBodyExpansion(CalleeEnd)
                       ? StatelessExpansion.find(Ctx.SM.getSpellingLoc(CalleeEnd))
                       : StatelessExpansion.end();
      const FunctionDecl *Callee = Call->getDirectCallee()->getDefinition();
      if (!Var.empty() && Other != StatelessExpansion.end() && Other->second != Caller) {
        // Any choice leaves a call without the state: the module keeps globals.
        Ctx.ModuleState.Failures.push_back(moduleStateNotApplied(
            positionOf(Ctx.SM, Ctx.LO,
                       CharSourceRange::getTokenRange(Ctx.fileBegin(Call->getBeginLoc()),
                                                      Ctx.fileEnd(Call->getEndLoc()))),
            Rule.str(),
            "'" + Callee->getName().str() + "' would take the module state, but the macro "
            "that calls it is also expanded in '" + Other->second->getName().str() +
            "', which has no state named 'state'"));
        return;
      }
      if (Var.empty()) {
        noPath(Caller, CharSourceRange::getTokenRange(Call->getSourceRange()),
               "'" + Callee->getName().str() + "' now takes the module state");
        return;
      }
      passState(Call, Var);
    });
  }

  /// Calls `Visit(caller, call, state variable or "")` for each call of a
  /// function that gains the state parameter (Access::Thread).
  void forEachStateCall(
      const std::function<void(const FunctionDecl *, const CallExpr *, const std::string &)> &Visit) {
    for (const auto &[Caller, U] : Uses) {
      auto A = Decided.find(Caller);
      for (const CallExpr *Call : U.Calls) {
        const FunctionDecl *Callee = Call->getDirectCallee()->getDefinition();
        auto CA = Decided.find(Callee);
        if (CA == Decided.end() || CA->second != Access::Thread)
          continue;
        Visit(Caller, Call,
              A == Decided.end() ? "" : Ctx.StateVariables[Caller->getCanonicalDecl()]);
      }
    }
  }

  void addParameter(const FunctionDecl *D, const std::string &Var) {
    FunctionTypeLoc FTL = D->getFunctionTypeLoc();
    if (!FTL || FTL.getLParenLoc().isMacroID()) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(D->getLocation()),
                 "add a 'module_state *' parameter to '" + D->getName().str() + "' by hand",
                 std::nullopt);
      return;
    }
    SourceLocation LParen = FTL.getLParenLoc(), RParen = FTL.getRParenLoc();
    std::string Param = "module_state *" + Var;
    CharSourceRange Inside =
        CharSourceRange::getCharRange(LParen.getLocWithOffset(1), RParen);
    llvm::StringRef Between = llvm::StringRef(Ctx.text(Inside)).trim();
    auto Change = Ctx.change();
    if (D->getNumParams() == 0 && (Between == "void" || Between.empty()))
      Ctx.replace(Rule, Inside, Param);
    else
      Ctx.insert(Rule, LParen.getLocWithOffset(1), Param + ", ");
  }

  void passState(const CallExpr *Call, const std::string &Var) {
    SourceLocation CalleeEnd = Call->getCallee()->getEndLoc();
    // A call written in the body of one of the project's macros is edited
    // there, once for every expansion, which must all name the state `state`.
    if (CalleeEnd.isMacroID() && Var == "state" &&
        Ctx.SM.isMacroBodyExpansion(CalleeEnd) &&
        Ctx.Files.isUser(Ctx.SM.getSpellingLoc(CalleeEnd)))
      CalleeEnd = Ctx.SM.getSpellingLoc(CalleeEnd);
    if (CalleeEnd.isMacroID()) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(Ctx.fileBegin(Call->getBeginLoc()),
                                                      Ctx.fileEnd(Call->getEndLoc())),
                 "this call is inside a macro: pass the module state to '" +
                     Call->getDirectCallee()->getName().str() + "' by hand",
                 std::nullopt);
      return;
    }
    std::optional<Token> Paren = Lexer::findNextToken(CalleeEnd, Ctx.SM, Ctx.LO);
    if (!Paren || !Paren->is(tok::l_paren))
      return;
    auto Change = Ctx.change();
    Ctx.insert(Rule, Paren->getEndLoc(), Call->getNumArgs() ? Var + ", " : Var);
  }

  void noPath(const FunctionDecl *F, CharSourceRange Where, const std::string &What) {
    std::string Why = writtenByMacro(F)
                          ? "is written by a macro, where the state cannot be declared for it"
                          : "has no path to its module: it is neither a module function, a "
                            "method or slot of the module's types, nor a static helper called "
                            "only from those";
    Ctx.manual(Rule, Where,
               What + ", but '" + F->getName().str() + "' " + Why +
                   "; pass the state (module_state *) to it by hand",
               std::nullopt);
  }

  //===--------------------------------------------------------------------===//
  // Deferred: uses and declarations
  //===--------------------------------------------------------------------===//

  void rewriteUses() {
    for (const auto &[F, U] : Uses) {
      for (const DeclRefExpr *D : U.GlobalRefs) {
        auto It = Ctx.StateVariables.find(F->getCanonicalDecl());
        std::string Var = It == Ctx.StateVariables.end() ? "" : It->second;
        std::string Name = D->getDecl()->getName().str();
        if (Var.empty()) {
          noPath(F, CharSourceRange::getTokenRange(D->getSourceRange()),
                 "'" + Name + "' moves into the module state");
          continue;
        }
        rewriteUse(*D, Var);
      }
    }
  }

  void rewriteUse(const DeclRefExpr &D, const std::string &Var) {
    SourceLocation Name = Ctx.SM.getSpellingLoc(D.getLocation());
    const auto *V = cast<VarDecl>(D.getDecl());
    std::string Member = Var + "->" + V->getName().str();
    // In a macro body, every expansion must name the state `state` (checked
    // before the claim test: another expansion may have edited the body).
    bool InMacroBody = D.getLocation().isMacroID() && Ctx.SM.isMacroBodyExpansion(D.getLocation());
    if (!Ctx.Files.isUser(Name) || (Ctx.isClaimed(Name) && !(InMacroBody && Var != "state")))
      return;
    if (InMacroBody && Var != "state") {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(Ctx.fileBegin(D.getLocation())),
                 "a macro uses '" + V->getName().str() +
                     "', which moves into the module state; here the state is '" + Var +
                     "', not 'state'",
                 std::nullopt);
      return;
    }
    SourceLocation End = Name.getLocWithOffset(V->getName().size());
    if (!Ctx.isConverted(V)) {
      Ctx.replace(Rule, CharSourceRange::getCharRange(Name, End), Member);
      return;
    }
    // A type: `&X` is the pointer itself, `X` the struct; each edit is valid
    // only while X is converted (RuleEdit::Assumes).
    DynTypedNodeList Parents = Ctx.Ctx.getParents(D);
    const Expr *Child = &D;
    while (!Parents.empty() && Parents[0].get<ParenExpr>()) {
      Child = Parents[0].get<ParenExpr>();
      Parents = Ctx.Ctx.getParents(*Child);
    }
    const auto *U = Parents.empty() ? nullptr : Parents[0].get<UnaryOperator>();
    if (U && U->getOpcode() == UO_AddrOf) {
      SourceLocation Amp = Ctx.SM.getSpellingLoc(U->getBeginLoc());
      if (Ctx.SM.getFileID(Amp) == Ctx.SM.getFileID(Name) && !Ctx.isClaimed(Amp)) {
        Ctx.assumeConverted(V->getName());
        Ctx.replace(Rule, CharSourceRange::getCharRange(Amp, End), Member);
      }
      return;
    }
    Ctx.assumeConverted(V->getName());
    Ctx.replace(Rule, CharSourceRange::getCharRange(Name, End), "(*" + Member + ")");
  }

  /// Deletes the declarations of moved object globals (converted types'
  /// declarations are static-type-object's).
  void deleteDeclarations() {
    std::set<unsigned> Done;
    for (const VarDecl *Canon : Members) {
      if (Ctx.isConverted(Canon))
        continue;
      for (const VarDecl *D : Canon->redecls()) {
        if (!inUserFile(D))
          continue;
        SourceLocation Begin = Ctx.fileBegin(D->getBeginLoc());
        if (!Done.insert(Begin.getRawEncoding()).second)
          continue;
        CharSourceRange Lines = declarationLines(D);
        if (Lines.isInvalid()) {
          Ctx.manual(Rule, CharSourceRange::getTokenRange(Ctx.fileBegin(D->getLocation())),
                     "'" + D->getName().str() +
                         "' moved into the module state: delete it from this declaration by "
                         "hand (the declaration shares its lines with other code, or declares "
                         "variables that stay)",
                     std::nullopt);
          continue;
        }
        Ctx.replace(Rule, Lines, "");
      }
    }
  }

  /// The whole lines of a declaration, if nothing else is on them and every
  /// variable it declares moves.
  CharSourceRange declarationLines(const VarDecl *D) const {
    SourceLocation Begin = Ctx.fileBegin(D->getBeginLoc());
    for (const Decl *Other : parsedDecls(Ctx.Ctx))
      if (const auto *OV = dyn_cast<VarDecl>(Other);
          OV && OV != D && Ctx.fileBegin(OV->getBeginLoc()) == Begin &&
          !MemberDecls.count(OV->getCanonicalDecl()))
        return {};
    // A declaration list `static PyObject *a, *b;` ends after its last name.
    const VarDecl *Last = D;
    for (const Decl *Other : parsedDecls(Ctx.Ctx))
      if (const auto *OV = dyn_cast<VarDecl>(Other);
          OV && Ctx.fileBegin(OV->getBeginLoc()) == Begin &&
          Ctx.SM.isBeforeInTranslationUnit(Ctx.fileEnd(Last->getEndLoc()),
                                           Ctx.fileEnd(OV->getEndLoc())))
        Last = OV;
    SourceLocation Semi = Lexer::findLocationAfterToken(Ctx.fileEnd(Last->getEndLoc()), tok::semi,
                                                        Ctx.SM, Ctx.LO, false);
    if (Semi.isInvalid())
      return {};
    auto [FID, Offset] = Ctx.SM.getDecomposedLoc(Begin);
    llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
    size_t LineStart = Buffer.take_front(Offset).rfind('\n') + 1;
    unsigned End = Ctx.SM.getFileOffset(Semi);
    size_t NL = Buffer.find('\n', End);
    if (!Buffer.slice(LineStart, Offset).trim().empty() || NL == llvm::StringRef::npos)
      return {};
    llvm::StringRef Rest = Buffer.slice(End, NL).trim();
    if (!Rest.empty() && !(Rest.starts_with("/*") && Rest.ends_with("*/")) &&
        !Rest.starts_with("//"))
      return {};
    SourceLocation FileStart = Ctx.SM.getLocForStartOfFile(FID);
    return CharSourceRange::getCharRange(FileStart.getLocWithOffset(LineStart),
                                         FileStart.getLocWithOffset(NL + 1));
  }

  //===--------------------------------------------------------------------===//
  // Mutable C data
  //===--------------------------------------------------------------------===//

  /// The functions that write each variable (nullptr: outside a function):
  /// assignments, `++`/`--`, and `&x` (passed to be filled in); through an
  /// index or a `.member` too.
  /// Object globals that hold a borrowed reference: some function stores
  /// into them a value it does not own (another variable, an address, an
  /// element read in place, a call that returns a borrowed reference) and
  /// takes no reference to it. The state neither visits nor releases them,
  /// as the original never did.
  void findBorrowedGlobals() {
    struct Stores : RecursiveASTVisitor<Stores> {
      std::map<const VarDecl *, std::set<const FunctionDecl *>> Borrowing, Increfs;
      const FunctionDecl *Current = nullptr;
      bool TraverseFunctionDecl(FunctionDecl *FD) {
        const FunctionDecl *Saved = Current;
        if (FD->doesThisDeclarationHaveABody())
          Current = FD;
        RecursiveASTVisitor::TraverseFunctionDecl(FD);
        Current = Saved;
        return true;
      }
      static const VarDecl *global(const Expr *E) {
        const auto *D = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
        const auto *V = D ? dyn_cast<VarDecl>(D->getDecl()) : nullptr;
        return V && V->hasGlobalStorage() ? V->getCanonicalDecl() : nullptr;
      }
      bool VisitBinaryOperator(BinaryOperator *B) {
        if (B->getOpcode() == BO_Assign && Current)
          if (const VarDecl *V = global(B->getLHS()); V && borrowed(B->getRHS()))
            Borrowing[V].insert(Current);
        return true;
      }
      bool VisitCallExpr(CallExpr *Call) {
        const FunctionDecl *F = Call->getDirectCallee();
        if (!F || !Current || Call->getNumArgs() != 1)
          return true;
        llvm::StringRef Name = F->getName();
        if (Name == "Py_INCREF" || Name == "Py_XINCREF" || Name == "_Py_INCREF" ||
            Name == "_Py_XINCREF")
          if (const VarDecl *V = global(Call->getArg(0)))
            Increfs[V].insert(Current);
        return true;
      }
    } S;
    traverseParsedDecls(S, Ctx.Ctx);
    for (const auto &[V, Functions] : S.Borrowing)
      for (const FunctionDecl *F : Functions)
        if (!S.Increfs[V].count(F))
          Borrowed.insert(V);
  }

  /// Whether a stored value is a reference the storing code does not own.
  static bool borrowed(const Expr *E) {
    E = E->IgnoreParenCasts();
    if (isa<DeclRefExpr>(E) || isa<ArraySubscriptExpr>(E) || isa<MemberExpr>(E))
      return true;
    if (const auto *U = dyn_cast<UnaryOperator>(E))
      return U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref;
    if (const auto *C = dyn_cast<ConditionalOperator>(E))
      return borrowed(C->getTrueExpr()) || borrowed(C->getFalseExpr());
    const auto *Call = dyn_cast<CallExpr>(E);
    const FunctionDecl *F = Call ? Call->getDirectCallee() : nullptr;
    if (!F)
      return false;
    static const llvm::StringSet<> Borrowing = {
        "PyDict_GetItem", "PyDict_GetItemString", "PyDict_GetItemWithError",
        "_PyDict_GetItemStringWithError", "PyList_GetItem", "PyTuple_GetItem",
        "PyModule_GetDict", "PyEval_GetBuiltins", "PyEval_GetGlobals", "PyEval_GetLocals",
        "PyImport_GetModuleDict", "PyErr_Occurred", "PyThreadState_GetDict", "PySys_GetObject",
        "PyWeakref_GetObject", "PyCell_Get_Borrowed", "PyFunction_GetCode",
        "PyFunction_GetGlobals", "PyFunction_GetModule", "PyMethod_Function", "PyMethod_Self",
        "PyState_FindModule", "PySequence_Fast_GET_ITEM", "PyStructSequence_GetItem"};
    return Borrowing.contains(F->getName());
  }

  void findWriters() {
    struct Writes : RecursiveASTVisitor<Writes> {
      std::map<const VarDecl *, std::set<const FunctionDecl *>> *Writers;
      const FunctionDecl *Current = nullptr;
      bool TraverseFunctionDecl(FunctionDecl *FD) {
        const FunctionDecl *Saved = Current;
        if (FD->doesThisDeclarationHaveABody())
          Current = FD;
        RecursiveASTVisitor::TraverseFunctionDecl(FD);
        Current = Saved;
        return true;
      }
      void note(const Expr *E) {
        for (E = E->IgnoreParenImpCasts();;) {
          if (const auto *A = dyn_cast<ArraySubscriptExpr>(E))
            E = A->getBase()->IgnoreParenImpCasts();
          else if (const auto *M = dyn_cast<MemberExpr>(E); M && !M->isArrow())
            E = M->getBase()->IgnoreParenImpCasts();
          else
            break;
        }
        if (const auto *D = dyn_cast<DeclRefExpr>(E))
          if (const auto *V = dyn_cast<VarDecl>(D->getDecl()))
            (*Writers)[V->getCanonicalDecl()].insert(Current);
      }
      bool VisitBinaryOperator(BinaryOperator *B) {
        if (B->isAssignmentOp())
          note(B->getLHS());
        return true;
      }
      bool VisitUnaryOperator(UnaryOperator *U) {
        if (U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf)
          note(U->getSubExpr());
        return true;
      }
    } W;
    W.Writers = &Writers;
    traverseParsedDecls(W, Ctx.Ctx);
  }

  /// A scalar static set up only by the init function is per module in
  /// meaning: it moves (its initialiser runs in the exec function).
  bool movesAsCData(const VarDecl *V) const {
    QualType T = V->getType();
    if (!Init || V->getStorageClass() != SC_Static || T.isConstQualified() ||
        !(T->isArithmeticType() || T->isEnumeralType()))
      return false;
    auto It = Writers.find(V->getCanonicalDecl());
    return It != Writers.end() && It->second == std::set<const FunctionDecl *>{Init};
  }

  /// File-scope C data written at run time stays process-wide: reported.
  void reportSharedCData() {
    std::set<const VarDecl *> Written;
    for (const auto &[V, By] : Writers)
      Written.insert(V);
    reportStaticLocals(Written);
    for (const VarDecl *V : Written) {
      if (!V->getDeclContext()->isFileContext() || !inUserFile(V) ||
          MemberDecls.count(V) || Left.count(V) || isObjectPointer(V->getType()) ||
          isObjectArray(V->getType()) || isStaticTypeDefinition(V) || isPythonTable(V))
        continue;
      leaveGlobal(V, "this C data is written outside the init function and shared by every "
                     "module object and interpreter (per-module in meaning or truly "
                     "process-wide is the author's call)");
    }
  }

  /// PyMethodDef arrays, PyModuleDef, PyType_Spec...: CPython's tables,
  /// whose address is taken, not state.
  bool isPythonTable(const VarDecl *V) const {
    QualType T = V->getType();
    while (const ArrayType *A = T->getAsArrayTypeUnsafe())
      T = A->getElementType();
    const RecordDecl *RD = T->getAsRecordDecl();
    return RD && Ctx.Files.isPython(RD->getLocation());
  }

  /// `static` variables inside functions, written at run time, are
  /// process-wide too: reported (`static char *kwlist[]` is not written).
  void reportStaticLocals(const std::set<const VarDecl *> &Written) {
    struct Statics : RecursiveASTVisitor<Statics> {
      std::vector<const VarDecl *> Found;
      bool VisitVarDecl(VarDecl *V) {
        if (V->isStaticLocal() && !V->getType().isConstQualified())
          Found.push_back(V);
        return true;
      }
    } S;
    traverseParsedDecls(S, Ctx.Ctx);
    for (const VarDecl *V : S.Found)
      if (inUserFile(V) && Written.count(V->getCanonicalDecl()))
        leaveGlobal(V, "a static variable inside a function is shared by every module object "
                       "and interpreter");
  }

  PortContext &Ctx;
  const FunctionDecl *Init = nullptr;
  std::vector<const VarDecl *> Members;                ///< canonical, in order
  std::map<const VarDecl *, std::string> MemberDecls;  ///< canonical -> declaration
  std::set<const VarDecl *> Left;                      ///< kept process-global
  std::set<const VarDecl *> CData;                     ///< moved C scalars
  std::set<const VarDecl *> Borrowed;                  ///< hold borrowed references
  std::map<const VarDecl *, std::set<const FunctionDecl *>> Writers; ///< canonical
  std::map<const FunctionDecl *, FunctionUses> Uses;   ///< by definition
  std::vector<const DeclRefExpr *> OutsideFunctions;
  std::set<const FunctionDecl *> AddressTaken;         ///< canonical
  std::map<const FunctionDecl *, Access> Roles;        ///< by definition
  std::set<const FunctionDecl *> Needs;
  std::map<const FunctionDecl *, Access> Decided;      ///< functions that need the state

public:
  std::vector<StateMember> members() const {
    std::vector<StateMember> Out;
    for (const VarDecl *V : Members)
      Out.push_back({V->getName().str(), MemberDecls.at(V), !CData.count(V) && !Borrowed.count(V)});
    return Out;
  }
};

} // namespace

/// A static type that stays static would be shared by every module object:
/// module state needs all of them as heap types.
bool staticTypesRemain(PortContext &Ctx) {
  for (const Decl *D : parsedDecls(Ctx.Ctx)) {
    const auto *V = dyn_cast<VarDecl>(D);
    if (!V || !isStaticTypeDefinition(V) || Ctx.isConverted(V) ||
        !Ctx.Files.isUser(Ctx.fileBegin(V->getLocation())))
      continue;
    Ctx.ModuleState.Failures.push_back(moduleStateNotApplied(
        positionOf(Ctx.SM, Ctx.LO,
                   CharSourceRange::getTokenRange(Ctx.fileBegin(V->getLocation()))),
        Rule.str(),
        "the static type '" + V->getName().str() +
            "' stays static, and would be shared by every module object"));
    return true;
  }
  return false;
}

void moduleGlobalState(PortContext &Ctx) {
  if (Ctx.State != StateMode::Module || staticTypesRemain(Ctx))
    return;
  auto Mover = std::make_shared<StateMover>(Ctx);
  Mover->run();
  Ctx.ModuleState.Members = Mover->members();
  Ctx.defer([Mover] { Mover->finish(); });
}

} // namespace abi3port
