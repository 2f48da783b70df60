//===- FunctionRoles.h - How each function of a module reaches its state --===//
///
/// \file
/// Module state is read through the module object. Which object a function
/// has in hand depends on what calls it, which the module's tables say:
/// a module function gets the module; a method, getter, setter or slot of
/// one of the module's types gets `self` (whose type leads to the module,
/// Python subclasses included); `tp_new` and class methods get the type;
/// binary number slots get two operands, either of which may be the
/// module's; the init function, which becomes the exec function, gets the
/// module. `functionRoles` reads those tables (`m_methods`, and the slots,
/// `tp_methods` and `tp_getset` of the types static-type-object converts).
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_STATE_FUNCTIONROLES_H
#define ABI3PORT_STATE_FUNCTIONROLES_H

#include "transforms/types/TypeObjectAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include <map>

namespace abi3port {

/// How a function reaches the module state.
enum class Access {
  None,      ///< no path: uses are manual sites
  Exec,      ///< the init function, which becomes the exec function
  Module,    ///< a module function: its first parameter is the module
  SelfType,  ///< a method or slot: the type of its first parameter
  TypeParam, ///< tp_new, class methods: the first parameter is the type
  Operands,  ///< binary number slots: either operand's type
  Thread,    ///< a static helper: gets the state as a new first parameter
};

/// The role of every function the module's tables name, by definition:
/// `m_methods` of the init function's definition, and the slots of the types
/// static-type-object converted (as converted: `Foo.tp_new = f;` included).
/// A function named in two ways (a slot that is also a module function) has
/// no single path: Access::None. `Init` may be null (no init in this unit).
std::map<const clang::FunctionDecl *, Access>
functionRoles(clang::ASTContext &Ctx, const clang::FunctionDecl *Init,
              const std::map<const clang::VarDecl *, TypeObjectInfo> &ConvertedTypes);

/// The PyModuleDef the init function passes to PyModule_Create, or null.
const clang::VarDecl *createdModuleDef(const clang::FunctionDecl &Init);

} // namespace abi3port

#endif
