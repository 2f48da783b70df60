//===- FunctionRoles.cpp - How each function of a module reaches its state -===//
#include "transforms/state/FunctionRoles.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include <set>

using namespace clang;

namespace abi3port {
namespace {

/// Number slots CPython calls with the operands in source order, so that
/// `self` may be either argument.
bool isBinaryNumberSlot(llvm::StringRef Id) {
  static const std::set<std::string> Binary = {
      "Py_nb_add",         "Py_nb_subtract", "Py_nb_multiply", "Py_nb_remainder",
      "Py_nb_divmod",      "Py_nb_power",    "Py_nb_lshift",   "Py_nb_rshift",
      "Py_nb_and",         "Py_nb_xor",      "Py_nb_or",       "Py_nb_floor_divide",
      "Py_nb_true_divide", "Py_nb_matrix_multiply"};
  return Binary.count(Id.str()) > 0;
}

class RoleFinder {
public:
  RoleFinder(ASTContext &Ctx, const FunctionDecl *Init,
             const std::map<const VarDecl *, TypeObjectInfo> &Types)
      : Ctx(Ctx), Init(Init), Types(Types) {}

  std::map<const FunctionDecl *, Access> run() {
    assignRoles();
    return std::move(Roles);
  }

private:
  void setRole(const FunctionDecl *F, Access A) {
    if (!F || !F->getDefinition())
      return;
    F = F->getDefinition();
    auto [It, New] = Roles.insert({F, A});
    if (!New && It->second != A)
      It->second = Access::None; // used in two ways: no single path
  }

  /// The entries of the array a table slot names (`Foo_methods`).
  std::vector<const InitListExpr *> entries(const Expr *Table) {
    const auto *Ref = Table ? dyn_cast<DeclRefExpr>(Table->IgnoreParenImpCasts()) : nullptr;
    const auto *Array = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    const auto *List = Array && Array->getInit()
                           ? dyn_cast<InitListExpr>(Array->getInit()->IgnoreImplicit())
                           : nullptr;
    std::vector<const InitListExpr *> Out;
    if (List)
      for (const Expr *Entry : List->inits())
        if (const auto *E = dyn_cast<InitListExpr>(Entry->IgnoreImplicit()))
          Out.push_back(E);
    return Out;
  }

  /// ml_meth of each entry of a PyMethodDef array, with its flags.
  void methodTable(const Expr *Table, bool ModuleFunctions) {
    for (const InitListExpr *E : entries(Table)) {
      const FunctionDecl *Meth = nullptr;
      int64_t Flags = 0;
      for (auto [Field, Value] : fieldValues(E, Ctx)) {
        if (Field->getName() == "ml_meth")
          Meth = functionOf(Value);
        else if (Field->getName() == "ml_flags")
          if (std::optional<llvm::APSInt> I = Value->getIntegerConstantExpr(Ctx))
            Flags = I->getExtValue();
      }
      constexpr int64_t MethClass = 0x0010, MethStatic = 0x0020;
      if (ModuleFunctions)
        setRole(Meth, Access::Module);
      else if (Flags & MethStatic)
        setRole(Meth, Access::None);
      else
        setRole(Meth, Flags & MethClass ? Access::TypeParam : Access::SelfType);
    }
  }

  /// get/set of each entry of a PyGetSetDef array.
  void getsetTable(const Expr *Table) {
    for (const InitListExpr *E : entries(Table))
      for (auto [Field, Value] : fieldValues(E, Ctx))
        if (Field->getName() == "get" || Field->getName() == "set")
          setRole(functionOf(Value), Access::SelfType);
  }

  void assignRoles() {
    if (Init) {
      Roles[Init] = Access::Exec;
      if (const VarDecl *Def = createdModuleDef(*Init))
        if (const auto *List = dyn_cast_or_null<InitListExpr>(Def->getInit()))
          for (auto [Field, Value] : fieldValues(List, Ctx))
            if (Field->getName() == "m_methods")
              methodTable(Value, /*ModuleFunctions=*/true);
    }
    for (const auto &[Var, Info] : Types) {
      for (const TypeSlot &S : Info.Slots) {
        if (S.Id == "Py_tp_methods")
          methodTable(S.Value, false);
        else if (S.Id == "Py_tp_getset")
          getsetTable(S.Value);
        else if (S.Id == "Py_tp_new")
          setRole(functionOf(S.Value), Access::TypeParam);
        else if (isBinaryNumberSlot(S.Id))
          setRole(functionOf(S.Value), Access::Operands);
        else
          setRole(functionOf(S.Value), Access::SelfType);
      }
    }
  }

  ASTContext &Ctx;
  const FunctionDecl *Init;
  const std::map<const VarDecl *, TypeObjectInfo> &Types;
  std::map<const FunctionDecl *, Access> Roles;
};

} // namespace

std::map<const FunctionDecl *, Access>
functionRoles(ASTContext &Ctx, const FunctionDecl *Init,
              const std::map<const VarDecl *, TypeObjectInfo> &ConvertedTypes) {
  return RoleFinder(Ctx, Init, ConvertedTypes).run();
}

const VarDecl *createdModuleDef(const FunctionDecl &Init) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const VarDecl *Def = nullptr;
    bool VisitCallExpr(CallExpr *Call) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (FD && FD->getName() == "PyModule_Create2" && Call->getNumArgs() >= 1)
        if (const auto *U = dyn_cast<UnaryOperator>(Call->getArg(0)->IgnoreParenCasts()))
          if (const auto *D = dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParens()))
            Def = dyn_cast<VarDecl>(D->getDecl());
      return true;
    }
  } F;
  F.TraverseStmt(Init.getBody());
  return F.Def;
}

} // namespace abi3port
