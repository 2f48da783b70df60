#include "transforms/types/TypeObjectAnalysis.h"
#include "transforms/ParsedDecls.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include <set>
#include "llvm/ADT/StringSwitch.h"

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

} // namespace

const FunctionDecl *functionOf(const Expr *E) {
  const auto *D = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
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
  if (VD->getLocation().isMacroID())
    Block("the type is defined by a macro", std::nullopt);
  const auto *Init = cast<InitListExpr>(VD->getInit());
  for (auto [Field, Value] : fieldValues(Init, Ctx)) {
    llvm::StringRef F = Field->getName();
    if (F == "ob_base")
      continue;
    if (F == "tp_name") {
      const auto *Lit = dyn_cast<StringLiteral>(Value->IgnoreParenImpCasts());
      if (!Lit)
        Block("tp_name is not a string literal", std::nullopt);
      else
        Info.Name = Lit->getString().str();
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
      for (auto [SubField, SubValue] : fieldValues(SubInit, Ctx))
        AddSlot("Py_" + SubField->getName().str(), SubValue);
    } else {
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
void blockSharedSlotFunctions(ASTContext &Ctx,
                              std::map<const VarDecl *, TypeObjectInfo> &Infos) {
  std::map<const FunctionDecl *, unsigned> Uses, ByTypes;
  struct Counter : RecursiveASTVisitor<Counter> {
    std::map<const FunctionDecl *, unsigned> &Uses;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (const auto *FD = dyn_cast<FunctionDecl>(E->getDecl()))
        ++Uses[FD->getCanonicalDecl()];
      return true;
    }
  } C{{}, Uses};
  for (Decl *D : parsedDecls(Ctx))
    C.TraverseDecl(D);
  for (auto &[Var, Info] : Infos)
    for (const FunctionDecl *F : {Info.Dealloc, Info.Traverse})
      if (F)
        ++ByTypes[F->getCanonicalDecl()];
  for (auto &[Var, Info] : Infos)
    for (const FunctionDecl *F : {Info.Dealloc, Info.Traverse})
      if (F && Uses[F->getCanonicalDecl()] > ByTypes[F->getCanonicalDecl()])
        Info.Blockers.push_back({"its slot function '" + F->getName().str() +
                                     "' is also used as something else; it must release or "
                                     "visit the heap type only when it serves the type",
                                 std::nullopt});
  // A function shared with a type that stays static serves a static type.
  for (bool Changed = true; Changed;) {
    Changed = false;
    std::set<const FunctionDecl *> OfBlocked;
    for (auto &[Var, Info] : Infos)
      if (!Info.Blockers.empty())
        for (const FunctionDecl *F : {Info.Dealloc, Info.Traverse})
          if (F)
            OfBlocked.insert(F->getCanonicalDecl());
    for (auto &[Var, Info] : Infos)
      for (const FunctionDecl *F : {Info.Dealloc, Info.Traverse})
        if (Info.Blockers.empty() && F && OfBlocked.count(F->getCanonicalDecl())) {
          Info.Blockers.push_back({"its slot function '" + F->getName().str() +
                                       "' also serves a type that stays static",
                                   std::nullopt});
          Changed = true;
        }
  }
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
  blockSharedSlotFunctions(Ctx, Infos);
  return Infos;
}

} // namespace abi3port
