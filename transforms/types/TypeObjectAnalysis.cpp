#include "transforms/types/TypeObjectAnalysis.h"
#include "transforms/ParsedDecls.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringSwitch.h"
#include <set>

using namespace clang;

namespace abi3port {
namespace {

const RecordDecl *recordOf(QualType T) {
  return T->getAsRecordDecl();
}

bool isNullValue(const Expr *E, ASTContext &Ctx) {
  if (!E || isa<ImplicitValueInitExpr>(E))
    return true;
  if (E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNull))
    return true;
  // `(destructor)0`, `(reprfunc)NULL`: a null cast to the slot's type.
  const Expr *Bare = E->IgnoreParenCasts();
  if (Bare != E && Bare->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNull))
    return true;
  Expr::EvalResult R;
  return E->getType()->isIntegerType() && E->EvaluateAsInt(R, Ctx) && R.Val.getInt() == 0;
}

/// `&Name` with Name a variable: the variable.
const VarDecl *addressedVariable(const Expr *E) {
  const auto *U = dyn_cast<UnaryOperator>(E->IgnoreParenCasts());
  if (!U || U->getOpcode() != UO_AddrOf)
    return nullptr;
  const auto *D = dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParens());
  return D ? dyn_cast<VarDecl>(D->getDecl()) : nullptr;
}

/// The macro that wrote `E` as part of a longer expansion: `SHARED_SLOTS`
/// for the `f` of `#define SHARED_SLOTS .tp_getattro = f, ...` used inside a
/// type's initialiser. "" when `E`'s text is in the file (whole macro
/// invocations such as `Py_TPFLAGS_DEFAULT` and macro arguments included).
std::string writingMacro(const Expr *E, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceRange R = E->getSourceRange();
  if (R.getBegin().isFileID() && R.getEnd().isFileID())
    return "";
  if (Lexer::makeFileCharRange(CharSourceRange::getTokenRange(R), SM, Ctx.getLangOpts())
          .isValid())
    return "";
  SourceLocation Name = SM.getExpansionLoc(R.getBegin());
  std::string Text = Lexer::getSourceText(CharSourceRange::getTokenRange(Name), SM,
                                          Ctx.getLangOpts())
                         .str();
  return Text.empty() ? "?" : Text;
}

} // namespace

const DeclRefExpr *functionReference(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParens(); // `(destructor)&f`
  const auto *D = dyn_cast<DeclRefExpr>(E);
  return D && isa<FunctionDecl>(D->getDecl()) ? D : nullptr;
}

const FunctionDecl *functionOf(const Expr *E) {
  const DeclRefExpr *D = functionReference(E);
  const auto *FD = D ? dyn_cast<FunctionDecl>(D->getDecl()) : nullptr;
  return FD && FD->getDefinition() ? FD->getDefinition() : FD;
}

/// Field/value pairs of a struct initialiser, in field order, skipping empty
/// values (works for positional and designated forms alike).
std::vector<std::pair<const FieldDecl *, const Expr *>> fieldValues(const InitListExpr *Init,
                                                                     ASTContext &Ctx) {
  std::vector<std::pair<const FieldDecl *, const Expr *>> Out;
  if (Init->isSyntacticForm() && Init->getSemanticForm())
    Init = Init->getSemanticForm();
  const RecordDecl *RD = recordOf(Init->getType());
  if (!RD)
    return Out;
  unsigned I = 0;
  for (const FieldDecl *F : RD->fields()) {
    if (I >= Init->getNumInits())
      break;
    const Expr *V = Init->getInit(I++);
    if (!isNullValue(V, Ctx))
      Out.push_back({F, V});
  }
  return Out;
}

namespace {

/// Slot-id prefix of a sub-struct field: "tp_as_number" -> "Py_nb_".
std::optional<std::string> subStructPrefix(llvm::StringRef Field) {
  return llvm::StringSwitch<std::optional<std::string>>(Field)
      .Case("tp_as_number", std::string("Py_"))
      .Case("tp_as_sequence", std::string("Py_"))
      .Case("tp_as_mapping", std::string("Py_"))
      .Case("tp_as_async", std::string("Py_"))
      .Case("tp_as_buffer", std::string("Py_"))
      .Default(std::nullopt);
}

} // namespace

bool isFieldRead(ASTContext &Ctx, const MemberExpr *ME) {
  DynTypedNodeList Parents = Ctx.getParents(*ME);
  if (Parents.empty())
    return false;
  if (const auto *B = Parents[0].get<BinaryOperator>())
    return !(B->isAssignmentOp() && B->getLHS()->IgnoreParens() == ME);
  if (const auto *U = Parents[0].get<UnaryOperator>())
    return U->getOpcode() != UO_AddrOf && !U->isIncrementDecrementOp();
  return true;
}

bool isStaticTypeDefinition(const VarDecl *VD) {
  if (!VD->hasInit() || VD->hasExternalStorage())
    return false;
  const RecordDecl *RD = recordOf(VD->getType());
  return RD && RD->getName() == "_typeobject" && isa<InitListExpr>(VD->getInit());
}

TypeObjectInfo analyzeTypeObject(const VarDecl *VD, ASTContext &Ctx,
                                 const ApiKnowledge &Knowledge) {
  TypeObjectInfo Info;
  Info.Var = VD;
  auto Block = [&](std::string Why, std::optional<PythonVersion> From) {
    Info.Blockers.push_back({std::move(Why), From});
  };
  PythonVersion Target = Knowledge.target();
  auto AddSlot = [&](const std::string &Id, const Expr *Value) {
    if (!Knowledge.lookup(Id).Available) {
      Availability A = Knowledge.lookup(Id);
      return Block("slot " + Id + " is not in the Limited API for " + Target.str(),
                   A.AvailableFrom);
    }
    Info.Slots.push_back({Id, Value});
  };
  bool DefinedByMacro = VD->getLocation().isMacroID();
  if (DefinedByMacro)
    Block("the type is defined by a macro", std::nullopt);
  // Values a project macro writes with their designators have no text of
  // their own to put in the spec: one reason per macro.
  std::vector<std::string> WritingMacros;
  auto WrittenByMacro = [&](const Expr *Value) {
    std::string Macro = DefinedByMacro ? "" : writingMacro(Value, Ctx);
    if (Macro.empty())
      return false;
    if (!llvm::is_contained(WritingMacros, Macro)) {
      WritingMacros.push_back(Macro);
      Block("slot initializers written by the macro " + Macro +
                " (a spec needs each value's own text; write them in the definition)",
            std::nullopt);
    }
    return true;
  };
  const auto *Init = cast<InitListExpr>(VD->getInit());
  for (auto [Field, Value] : fieldValues(Init, Ctx)) {
    llvm::StringRef F = Field->getName();
    if (F == "ob_base" || WrittenByMacro(Value))
      continue;
    if (F == "tp_name") {
      const auto *Lit = dyn_cast<StringLiteral>(Value->IgnoreParenImpCasts());
      if (!Lit)
        Block("tp_name is not a string literal", std::nullopt);
      else
        Info.Name = Lit->getString().str();
      if (Lit && !Info.Name.empty() && Info.Name.find('.') == std::string::npos)
        Block("tp_name '" + Info.Name +
                  "' has no module part: the static type's __module__ is 'builtins', a heap "
                  "type made from it has no __module__ and CPython warns when creating it "
                  "(name it 'module." + Info.Name + "' if that change is wanted)",
              std::nullopt);
    } else if (F == "tp_basicsize") {
      Info.BasicSize = Value;
    } else if (F == "tp_itemsize") {
      Info.ItemSize = Value;
    } else if (F == "tp_flags") {
      Info.Flags = Value;
    } else if (F == "tp_dictoffset" || F == "tp_weaklistoffset") {
      Info.OffsetMembers.push_back({F == "tp_dictoffset" ? "__dictoffset__"
                                                         : "__weaklistoffset__", Value});
    } else if (F == "tp_vectorcall_offset") {
      if (Target < PythonVersion{3, 12})
        Block("vectorcall (tp_vectorcall_offset) needs 3.12 in the Limited API",
              PythonVersion{3, 12});
      else
        Info.OffsetMembers.push_back({"__vectorcalloffset__", Value});
    } else if (F == "tp_base") {
      Info.Base = Value;
    } else if (subStructPrefix(F)) {
      const VarDecl *Sub = addressedVariable(Value);
      const auto *SubInit = Sub && Sub->hasInit() ? dyn_cast<InitListExpr>(Sub->getInit()) : nullptr;
      if (!SubInit) {
        Block(F.str() + " does not point to a static initialised struct", std::nullopt);
        continue;
      }
      if (F == "tp_as_buffer" && Target < PythonVersion{3, 11})
        Block("buffer slots (tp_as_buffer) need 3.11 in the Limited API", PythonVersion{3, 11});
      Info.SubStructs.push_back(Sub);
      for (auto [SubField, SubValue] : fieldValues(SubInit, Ctx)) {
        if (WrittenByMacro(SubValue))
          continue;
        if (SubField->getType()->isFunctionPointerType() && !functionReference(SubValue))
          Block(SubField->getName().str() + " holds something other than a slot function; "
                                            "a heap type's slots must be functions",
                std::nullopt);
        else
          AddSlot("Py_" + SubField->getName().str(), SubValue);
      }
    } else {
      if (Field->getType()->isFunctionPointerType() && !functionReference(Value)) {
        Block(F.str() + " holds something other than a slot function; a heap type's "
                        "slots must be functions",
              std::nullopt);
        continue;
      }
      if (F == "tp_dealloc")
        Info.Dealloc = functionOf(Value);
      if (F == "tp_traverse")
        Info.Traverse = functionOf(Value);
      if (F == "tp_new")
        Info.HasNew = true;
      if (F == "tp_members")
        Info.Members = Value;
      if (F == "tp_dealloc" && !Info.Dealloc)
        Block("tp_dealloc is not a function of this project, so it cannot be made to "
              "release the heap type",
              std::nullopt);
      if (F == "tp_vectorcall")
        Block("tp_vectorcall needs 3.14 in the Limited API", PythonVersion{3, 14});
      else
        AddSlot("Py_" + F.str(), Value);
    }
  }
  if (Info.Name.empty() && Info.Blockers.empty())
    Block("the type has no tp_name", std::nullopt);
  if (Info.Dealloc && !Info.Dealloc->hasBody())
    Block("tp_dealloc has no body in this file", std::nullopt);
  return Info;
}

} // namespace abi3port

namespace abi3port {
namespace {

/// A dealloc or traverse function may be edited for a heap type only when
/// converted types are its only users.
/// The function among `Candidates` that a statement of `Body` calls directly
/// (`f(self);` or `return f(self, visit, arg);`).
const FunctionDecl *calledAsStatement(const FunctionDecl *Caller,
                                      const std::set<const FunctionDecl *> &Candidates) {
  const auto *Body = Caller ? dyn_cast_or_null<CompoundStmt>(Caller->getBody()) : nullptr;
  if (!Body)
    return nullptr;
  for (const Stmt *S : Body->body()) {
    if (const auto *R = dyn_cast<ReturnStmt>(S))
      S = R->getRetValue();
    const auto *E = dyn_cast_or_null<Expr>(S);
    const auto *Call = E ? dyn_cast<CallExpr>(E->IgnoreParenCasts()) : nullptr;
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    // On the same object: `f(self)`, `f((Base *)self, visit, arg)`.
    const auto *Arg = Call && Call->getNumArgs() && Caller->getNumParams()
                          ? dyn_cast<DeclRefExpr>(Call->getArg(0)->IgnoreParenCasts())
                          : nullptr;
    if (!Arg || Arg->getDecl() != Caller->getParamDecl(0))
      continue;
    if (Callee && Callee->getCanonicalDecl() != Caller->getCanonicalDecl() &&
        Candidates.count(Callee->getCanonicalDecl()))
      return Callee->getDefinition() ? Callee->getDefinition() : Callee;
  }
  return nullptr;
}

/// A subtype's dealloc (traverse) that ends in its base's: the base's releases
/// (visits) the type once, for whichever type the object has.
void findChainedSlotFunctions(std::map<const VarDecl *, TypeObjectInfo> &Infos) {
  std::set<const FunctionDecl *> Deallocs, Traverses;
  for (auto &[Var, Info] : Infos) {
    if (Info.Dealloc)
      Deallocs.insert(Info.Dealloc->getCanonicalDecl());
    if (Info.Traverse)
      Traverses.insert(Info.Traverse->getCanonicalDecl());
  }
  for (auto &[Var, Info] : Infos) {
    Info.DeallocCalls = calledAsStatement(Info.Dealloc, Deallocs);
    Info.TraverseCalls = calledAsStatement(Info.Traverse, Traverses);
  }
}

void blockSharedSlotFunctions(ASTContext &Ctx,
                              std::map<const VarDecl *, TypeObjectInfo> &Infos) {
  findChainedSlotFunctions(Infos);
  std::map<const FunctionDecl *, unsigned> Uses, ByTypes;
  struct Counter : RecursiveASTVisitor<Counter> {
    std::map<const FunctionDecl *, unsigned> &Uses;
    const SourceManager &SM;
    const LangOptions &LO;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (const auto *FD = dyn_cast<FunctionDecl>(E->getDecl()); FD && !trashcanArgument(E))
        ++Uses[FD->getCanonicalDecl()];
      return true;
    }
    /// `Py_TRASHCAN_BEGIN(self, Foo_dealloc)` names the dealloc to compare
    /// it with the object's own: not another use of the function.
    bool trashcanArgument(const DeclRefExpr *E) const {
      for (SourceLocation L = E->getLocation(); L.isMacroID(); L = SM.getImmediateMacroCallerLoc(L))
        if (Lexer::getImmediateMacroName(L, SM, LO).starts_with("Py_TRASHCAN_BEGIN"))
          return true;
      return false;
    }
  } C{{}, Uses, Ctx.getSourceManager(), Ctx.getLangOpts()};
  for (Decl *D : parsedDecls(Ctx))
    C.TraverseDecl(D);
  for (auto &[Var, Info] : Infos)
    for (const FunctionDecl *F :
         {Info.Dealloc, Info.Traverse, Info.DeallocCalls, Info.TraverseCalls})
      if (F)
        ++ByTypes[F->getCanonicalDecl()];
  for (auto &[Var, Info] : Infos)
    for (const FunctionDecl *F : {Info.Dealloc, Info.Traverse})
      if (F && Uses[F->getCanonicalDecl()] > ByTypes[F->getCanonicalDecl()])
        Info.Blockers.push_back({"its slot function '" + F->getName().str() +
                                     "' is also used as something else; it must release or "
                                     "visit the heap type only when it serves the type",
                                 std::nullopt});
  blockTypesSharingWithStatic(Infos);
}

} // namespace

void blockTypesSharingWithStatic(std::map<const VarDecl *, TypeObjectInfo> &Infos) {
  // A function shared with a type that stays static serves a static type
  // (a dealloc that ends in another type's counts as shared with it).
  for (bool Changed = true; Changed;) {
    Changed = false;
    std::set<const FunctionDecl *> OfBlocked;
    for (auto &[Var, Info] : Infos)
      if (!Info.Blockers.empty())
        for (const FunctionDecl *F :
             {Info.Dealloc, Info.Traverse, Info.DeallocCalls, Info.TraverseCalls})
          if (F)
            OfBlocked.insert(F->getCanonicalDecl());
    for (auto &[Var, Info] : Infos)
      for (const FunctionDecl *F :
           {Info.Dealloc, Info.Traverse, Info.DeallocCalls, Info.TraverseCalls})
        if (Info.Blockers.empty() && F && OfBlocked.count(F->getCanonicalDecl())) {
          Info.Blockers.push_back({"its slot function '" + F->getName().str() +
                                       "' also serves a type that stays static",
                                   std::nullopt});
          Changed = true;
        }
  }
}

bool blockTypesInConstantInitialisers(ASTContext &Ctx, const FileClassifier &Files,
                                      std::map<const VarDecl *, TypeObjectInfo> &Infos) {
  const SourceManager &SM = Ctx.getSourceManager();
  // The initialisers that stay: every one of static storage in the user's
  // files, less those of the types converted and of their sub-structs.
  std::set<const VarDecl *> Replaced;
  for (auto &[Var, Info] : Infos)
    if (Info.Blockers.empty()) {
      Replaced.insert(Var);
      for (const VarDecl *Sub : Info.SubStructs)
        Replaced.insert(Sub->getCanonicalDecl());
    }
  struct Finder : RecursiveASTVisitor<Finder> {
    std::vector<const VarDecl *> Found;
    const FileClassifier &Files;
    const SourceManager &SM;
    Finder(const FileClassifier &Files, const SourceManager &SM) : Files(Files), SM(SM) {}
    bool VisitVarDecl(VarDecl *VD) {
      if (VD->hasGlobalStorage() && VD->getInit() &&
          Files.isUser(SM.getExpansionLoc(VD->getLocation())))
        Found.push_back(VD);
      return true;
    }
  } F(Files, SM);
  for (Decl *D : parsedDecls(Ctx))
    F.TraverseDecl(D);
  struct Names : RecursiveASTVisitor<Names> {
    std::vector<const VarDecl *> Types;
    std::map<const VarDecl *, TypeObjectInfo> &Infos;
    explicit Names(std::map<const VarDecl *, TypeObjectInfo> &Infos) : Infos(Infos) {}
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (const auto *V = dyn_cast<VarDecl>(E->getDecl()); V && Infos.count(V->getCanonicalDecl()))
        Types.push_back(V->getCanonicalDecl());
      return true;
    }
  };
  bool Blocked = false;
  for (const VarDecl *VD : F.Found) {
    const VarDecl *Canon = VD->getCanonicalDecl();
    if (Replaced.count(Canon))
      continue;
    Names N(Infos);
    N.TraverseStmt(const_cast<Expr *>(VD->getInit()));
    for (const VarDecl *T : N.Types) {
      TypeObjectInfo &Info = Infos.at(T);
      if (T == Canon || !Info.Blockers.empty())
        continue;
      PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(VD->getLocation()));
      std::string Where = "'" + VD->getName().str() + "'";
      if (P.isValid())
        Where += " (line " + std::to_string(P.getLine()) + ")";
      if (Infos.count(Canon))
        Where += ", a type that stays static";
      Info.Blockers.push_back({"it is named in the initializer of " + Where +
                                   ", which needs a constant; the heap type exists only once "
                                   "the module is initialised (set that entry in the init function instead)",
                               std::nullopt});
      Blocked = true;
    }
  }
  return Blocked;
}

namespace {

/// Whether `Body` writes a field through `Param` (`p->tp_x = ...`).
bool writesThrough(const Stmt *Body, const ParmVarDecl *Param) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const ParmVarDecl *Param;
    bool Found = false;
    bool VisitBinaryOperator(BinaryOperator *B) {
      if (!B->isAssignmentOp())
        return true;
      const Expr *L = B->getLHS()->IgnoreParenCasts();
      while (const auto *M = dyn_cast<MemberExpr>(L))
        L = M->getBase()->IgnoreParenCasts();
      const auto *D = dyn_cast<DeclRefExpr>(L);
      Found |= D && D->getDecl() == Param && L != B->getLHS()->IgnoreParenCasts();
      return true;
    }
  } F;
  F.Param = Param;
  F.TraverseStmt(const_cast<Stmt *>(Body));
  return F.Found;
}

/// A type whose address goes to code that may rewrite its slots at run time
/// (a call through a pointer, as a capsule API's; a project function that
/// assigns fields of its parameter) must stay static.
void blockTypesRewrittenAtRunTime(ASTContext &Ctx, const FileClassifier &Files,
                                  std::map<const VarDecl *, TypeObjectInfo> &Infos) {
  struct Finder : RecursiveASTVisitor<Finder> {
    std::map<const VarDecl *, TypeObjectInfo> &Infos;
    const FileClassifier &Files;
    const SourceManager &SM;
    std::set<const VarDecl *> Blocked;
    bool VisitCallExpr(CallExpr *Call) {
      for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
        const VarDecl *V = addressedVariable(Call->getArg(I));
        auto It = V ? Infos.find(V->getCanonicalDecl()) : Infos.end();
        if (It == Infos.end() || !Blocked.insert(V->getCanonicalDecl()).second)
          continue;
        const FunctionDecl *F = Call->getDirectCallee();
        if (F && F->getDefinition())
          F = F->getDefinition();
        std::string Why;
        if (!F)
          Why = "its address is passed through a function pointer to code that may rewrite "
                "its slots at run time";
        else if (F->hasBody() && I < F->getNumParams() &&
                 Files.isUser(SM.getFileLoc(F->getLocation())) && // not Py_SET_TYPE
                 writesThrough(F->getBody(), F->getParamDecl(I)))
          Why = "its address is passed to '" + F->getName().str() +
                "', which assigns the type's fields at run time";
        if (Why.empty()) {
          Blocked.erase(V->getCanonicalDecl());
          continue;
        }
        It->second.Blockers.push_back({Why, std::nullopt});
      }
      return true;
    }
  } F{{}, Infos, Files, Ctx.getSourceManager(), {}};
  for (Decl *D : parsedDecls(Ctx))
    F.TraverseDecl(D);
}

/// `X.tp_iter = PyTuple_Type.tp_iter;` in code: the heap type would read the
/// slot with PyType_GetSlot, which accepts static types only from 3.10
/// (`X.tp_new = PyBaseObject_Type.tp_new` is left to the rule: a heap type
/// whose base is `object` inherits it). The rule gives the same reason.
void blockSlotsReadFromStaticTypes(ASTContext &Ctx, PythonVersion Target,
                                   std::map<const VarDecl *, TypeObjectInfo> &Infos) {
  if (Target >= PythonVersion{3, 10})
    return;
  struct Finder : RecursiveASTVisitor<Finder> {
    std::map<const VarDecl *, TypeObjectInfo> &Infos;
    explicit Finder(std::map<const VarDecl *, TypeObjectInfo> &Infos) : Infos(Infos) {}
    bool VisitBinaryOperator(BinaryOperator *B) {
      const auto *ME = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParens());
      const auto *D = ME && !ME->isArrow() ? dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParens())
                                           : nullptr;
      const auto *V = D ? dyn_cast<VarDecl>(D->getDecl()) : nullptr;
      auto It = V && B->getOpcode() == BO_Assign ? Infos.find(V->getCanonicalDecl()) : Infos.end();
      const auto *Read = dyn_cast<MemberExpr>(B->getRHS()->IgnoreParenCasts());
      const auto *Field = Read ? dyn_cast<FieldDecl>(Read->getMemberDecl()) : nullptr;
      if (It == Infos.end() || !Field || Field->getParent()->getName() != "_typeobject")
        return true;
      const auto *From = dyn_cast<DeclRefExpr>(Read->getBase()->IgnoreParenImpCasts());
      if (Field->getName() == "tp_new" && From && From->getDecl()->getName() == "PyBaseObject_Type")
        return true;
      It->second.Blockers.push_back(
          {V->getName().str() + "." + ME->getMemberDecl()->getName().str() +
               " reads PyTypeObject." + Field->getName().str() +
               ", which PyType_GetSlot reads on static types only from 3.10",
           PythonVersion{3, 10}});
      return true;
    }
  } F(Infos);
  for (Decl *D : parsedDecls(Ctx))
    F.TraverseDecl(D);
}

} // namespace

std::map<const VarDecl *, TypeObjectInfo>
analyzeStaticTypes(ASTContext &Ctx, const ApiKnowledge &Knowledge, const FileClassifier &Files) {
  std::map<const VarDecl *, TypeObjectInfo> Infos;
  struct Finder : RecursiveASTVisitor<Finder> {
    std::vector<const VarDecl *> Found;
    const FileClassifier &Files;
    const SourceManager &SM;
    Finder(const FileClassifier &Files, const SourceManager &SM) : Files(Files), SM(SM) {}
    bool VisitVarDecl(VarDecl *VD) {
      SourceLocation Loc = VD->getLocation();
      if (Files.isUser(Loc.isMacroID() ? SM.getExpansionLoc(Loc) : Loc) &&
          isStaticTypeDefinition(VD))
        Found.push_back(VD);
      return true;
    }
  } F(Files, Ctx.getSourceManager());
  for (Decl *D : parsedDecls(Ctx))
    F.TraverseDecl(D);
  for (const VarDecl *VD : F.Found)
    Infos.emplace(VD->getCanonicalDecl(), analyzeTypeObject(VD, Ctx, Knowledge));
  blockTypesRewrittenAtRunTime(Ctx, Files, Infos);
  blockSlotsReadFromStaticTypes(Ctx, Knowledge.target(), Infos);
  blockSharedSlotFunctions(Ctx, Infos);
  while (blockTypesInConstantInitialisers(Ctx, Files, Infos))
    blockTypesSharingWithStatic(Infos);
  return Infos;
}

} // namespace abi3port
