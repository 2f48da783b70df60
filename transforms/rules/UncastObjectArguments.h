//===- UncastObjectArguments.h - Shared by the audit and the rewrite ------===//
///
/// \file
/// The full API spells `Py_INCREF(op)` as a macro that casts `op` to
/// `PyObject *`; from 3.11 the Limited API has only the function, so an
/// argument of another pointer type becomes an incompatible-pointer error.
/// `uncastObjectArguments` returns those arguments of one call.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_RULES_UNCASTOBJECTARGUMENTS_H
#define ABI3PORT_RULES_UNCASTOBJECTARGUMENTS_H

#include "transforms/SourceMapping.h"
#include "transforms/api/ApiKnowledge.h"

#include "clang/AST/Expr.h"
#include <vector>

namespace abi3port {

std::vector<const clang::Expr *>
uncastObjectArguments(const clang::CallExpr &Call, const LimitedSurface &Surface,
                      const clang::SourceManager &SM, const clang::LangOptions &LO,
                      const FileClassifier &Files);

/// An expression a cast can prefix without parentheses.
inline bool isSimpleObjectExpression(const clang::Expr *E) {
  return clang::isa<clang::DeclRefExpr, clang::MemberExpr, clang::CallExpr, clang::ParenExpr,
                    clang::ArraySubscriptExpr>(E->IgnoreImpCasts());
}

} // namespace abi3port

#endif
