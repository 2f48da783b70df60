//===- Audit.h - Find every Limited API blocker in a translation unit ----===//
///
/// \file
/// The audit behind `abi3port check`. It parses a file as its author builds
/// it (full API), then classifies every reference the *user's own text*
/// makes to a CPython name (a token spelled inside a CPython macro is the
/// macro's business, not the user's) against the target's Limited API:
///
///   - functions, data, typedefs, tags and macros outside the surface
///     (`non-limited-api`, `private-api`);
///   - fields of structs that are opaque at the target (`type-slot-access`,
///     `type-name-in-message`, `opaque-struct-field`);
///   - definitions whose type is opaque (`static-type-object`);
///   - includes (`cpython-header`, `structmember-names`), the
///     `Py_LIMITED_API` definition (`limited-api-macro`), and the isolation
///     advice (`single-phase-init`, `module-global-state`).
///
/// Cython output is recognised before parsing (`cython-generated`).
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_AUDIT_H
#define ABI3PORT_AUDIT_H

#include "transforms/Finding.h"
#include "transforms/api/ApiKnowledge.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Tooling/Tooling.h"
#include <memory>
#include <optional>
#include <vector>

namespace abi3port {

class SharedStaticTypes; // types/TypeObjectAnalysis.h

struct AuditOptions {
  /// The CPython include directory (real path); declarations and macros
  /// from files below it are "CPython names".
  std::string PythonIncludeDir;
};

/// The audit as a consumer (it also registers its preprocessor callbacks),
/// for actions that audit and rewrite in one parse.
std::unique_ptr<clang::ASTConsumer> createAuditConsumer(clang::CompilerInstance &CI,
                                                        const ApiKnowledge &Knowledge,
                                                        const AuditOptions &Options,
                                                        std::vector<Finding> &Out,
                                                        SharedStaticTypes *StaticTypes = nullptr);

/// A factory of actions that append the findings of each parsed translation
/// unit to `Out`.
std::unique_ptr<clang::tooling::FrontendActionFactory>
makeAuditActionFactory(const ApiKnowledge &Knowledge, const AuditOptions &Options,
                       std::vector<Finding> &Out);

/// The single finding for a Cython-generated file, or nullopt.
std::optional<Finding> detectCythonGenerated(llvm::StringRef Path,
                                             llvm::StringRef Contents);

} // namespace abi3port

#endif
