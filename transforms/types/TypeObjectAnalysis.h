//===- TypeObjectAnalysis.h - What a static PyTypeObject contains ---------===//
///
/// \file
/// Reads a static `PyTypeObject` definition (designated or positional
/// initialiser) into the pieces of a `PyType_Spec`: name, sizes, flags, one
/// slot per non-empty field (sub-structs such as `tp_as_number` flattened into
/// `Py_nb_*` slots), the offset fields that become members, and the base.
/// Both the audit (is it fixable?) and the rewrite use it, so they agree.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_TYPES_TYPEOBJECTANALYSIS_H
#define ABI3PORT_TYPES_TYPEOBJECTANALYSIS_H

#include "transforms/SourceMapping.h"
#include "transforms/api/ApiKnowledge.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace abi3port {

struct TypeSlot {
  std::string Id;          ///< "Py_tp_repr", "Py_nb_add"
  const clang::Expr *Value;
};

struct TypeObjectInfo {
  const clang::VarDecl *Var = nullptr;
  std::string Name;                       ///< tp_name, verbatim (a literal)
  const clang::Expr *BasicSize = nullptr; ///< may be null (0)
  const clang::Expr *ItemSize = nullptr;
  const clang::Expr *Flags = nullptr;
  std::vector<TypeSlot> Slots;
  /// `__dictoffset__`, `__weaklistoffset__`, `__vectorcalloffset__` values.
  std::vector<std::pair<std::string, const clang::Expr *>> OffsetMembers;
  const clang::Expr *Base = nullptr;      ///< tp_base
  const clang::Expr *Members = nullptr;   ///< tp_members
  const clang::FunctionDecl *Dealloc = nullptr;
  const clang::FunctionDecl *Traverse = nullptr;
  bool HasNew = false;
  /// The dealloc (traverse) of another type of this unit that this type's
  /// dealloc (traverse) calls as one of its statements (`Base_dealloc(self);`,
  /// `return Base_traverse(self, visit, arg);`): that one releases (visits)
  /// the heap type, so this one must not do it again.
  const clang::FunctionDecl *DeallocCalls = nullptr;
  const clang::FunctionDecl *TraverseCalls = nullptr;
  /// Sub-struct definitions (static PyNumberMethods ...) the slots came from.
  std::vector<const clang::VarDecl *> SubStructs;
  /// Why it cannot be converted automatically, with the version that would
  /// allow it (nullopt: none).
  std::vector<std::pair<std::string, std::optional<PythonVersion>>> Blockers;
};

/// The function an initialiser names, through casts and `&` (`(destructor)&f`).
const clang::DeclRefExpr *functionReference(const clang::Expr *E);
/// The function an initialiser names (through casts and `&`), its definition if any.
const clang::FunctionDecl *functionOf(const clang::Expr *E);

/// Field/value pairs of a struct initialiser, in field order, skipping empty
/// values (positional and designated forms alike).
std::vector<std::pair<const clang::FieldDecl *, const clang::Expr *>>
fieldValues(const clang::InitListExpr *Init, clang::ASTContext &Ctx);

/// Whether a field access is only read: not assigned, incremented or addressed.
bool isFieldRead(clang::ASTContext &Ctx, const clang::MemberExpr *ME);

/// Whether `VD` defines a PyTypeObject (not a pointer, not a declaration).
bool isStaticTypeDefinition(const clang::VarDecl *VD);

/// Analyses a static type definition for the target. `Ctx` is the AST.
TypeObjectInfo analyzeTypeObject(const clang::VarDecl *VD, clang::ASTContext &Ctx,
                                 const ApiKnowledge &Knowledge);

/// Every static type the user's files define in this translation unit, by
/// canonical declaration, with the blockers that need the whole unit: a
/// dealloc or traverse function used as something else, or shared with a
/// type that stays static.
std::map<const clang::VarDecl *, TypeObjectInfo>
analyzeStaticTypes(clang::ASTContext &Ctx, const ApiKnowledge &Knowledge,
                   const FileClassifier &Files);

/// The unit's static types, analysed once for every reader of the same
/// AST: the audit, and the rules in each state mode (Port.cpp).
class SharedStaticTypes {
public:
  const std::map<const clang::VarDecl *, TypeObjectInfo> &
  get(clang::ASTContext &Ctx, const ApiKnowledge &Knowledge, const FileClassifier &Files) {
    if (!Infos)
      Infos = analyzeStaticTypes(Ctx, Knowledge, Files);
    return *Infos;
  }

private:
  std::optional<std::map<const clang::VarDecl *, TypeObjectInfo>> Infos;
};

/// Blocks every type whose dealloc or traverse also serves a blocked type
/// (run again after adding blockers).
void blockTypesSharingWithStatic(std::map<const clang::VarDecl *, TypeObjectInfo> &Infos);

/// Blocks every type that an initialiser of static storage names: a table
/// (`static PyTypeObject *types[] = {&A_Type, NULL};`), a static object
/// (`{_PyObject_EXTRA_INIT 1, &Marker_Type}`), a type that stays static
/// (`.tp_base = &A_Type`). Such an initialiser needs a constant, and a heap
/// type exists only once the module runs. Returns whether it blocked one
/// (run again after adding blockers).
bool blockTypesInConstantInitialisers(clang::ASTContext &Ctx, const FileClassifier &Files,
                                      std::map<const clang::VarDecl *, TypeObjectInfo> &Infos);

} // namespace abi3port

#endif
