//===- ParsedDecls.h - The declarations parsed in this run ----------------===//
///
/// \file
/// With the precompiled Python.h preamble (Preamble.h), the translation unit
/// also lists the CPython declarations deserialised on demand; walking them
/// deserialises more (their fields, their contexts), and a parent map built
/// over the whole unit walks all of CPython's headers. Every AST walk of
/// abi3port starts from `parsedDecls` instead, and `limitWalksToPythonCode`
/// (PythonFreeFiles.h) keeps `getParents` to the same declarations.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_PARSEDDECLS_H
#define ABI3PORT_PARSEDDECLS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include <vector>

namespace abi3port {

/// File-scope declarations parsed in this run (not read from a precompiled
/// header), including those inside `extern "C"` blocks.
inline std::vector<clang::Decl *> allParsedDecls(clang::ASTContext &Ctx) {
  std::vector<clang::Decl *> Out;
  std::vector<clang::DeclContext *> Contexts = {Ctx.getTranslationUnitDecl()};
  for (size_t I = 0; I < Contexts.size(); ++I)
    for (clang::Decl *D : Contexts[I]->noload_decls()) {
      if (D->isFromASTFile())
        continue;
      if (auto *L = llvm::dyn_cast<clang::LinkageSpecDecl>(D))
        Contexts.push_back(L);
      else
        Out.push_back(D);
    }
  return Out;
}

/// Whether `setWalkedDecls` chose the declarations of this unit's walks.
inline bool walksAreLimited(clang::ASTContext &Ctx) {
  const std::vector<clang::Decl *> &Scope = Ctx.getTraversalScope();
  return !(Scope.size() == 1 && llvm::isa<clang::TranslationUnitDecl>(Scope.front()));
}

/// The declarations the walks start from, and the parent map covers.
inline void setWalkedDecls(clang::ASTContext &Ctx, std::vector<clang::Decl *> Decls) {
  Ctx.setTraversalScope(Decls);
}

/// The declarations every AST walk starts from: those `setWalkedDecls`
/// chose (PythonFreeFiles.h leaves out the files with nothing of Python in
/// them), else all parsed declarations.
inline std::vector<clang::Decl *> parsedDecls(clang::ASTContext &Ctx) {
  if (walksAreLimited(Ctx))
    return Ctx.getTraversalScope();
  return allParsedDecls(Ctx);
}

} // namespace abi3port

#endif
