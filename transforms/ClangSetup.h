//===- ClangSetup.h - Arguments every parse needs -------------------------===//
///
/// \file
/// The tool links Debian's libclang-cpp, which cannot find its own resource
/// directory (stddef.h, stdarg.h) from our binary's location; CMake records
/// it at configure time.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_CLANGSETUP_H
#define ABI3PORT_CLANGSETUP_H

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace abi3port {

/// Runs `Action` as clang's own factory does, but prints nothing itself:
/// clang writes "N errors generated." to stderr after a parse with errors,
/// which a verification parse (Verify.h) or a failed preamble build has.
template <typename Action> class QuietActionFactory : public clang::tooling::FrontendActionFactory {
public:
  std::unique_ptr<clang::FrontendAction> create() override { return std::make_unique<Action>(); }
  bool runInvocation(std::shared_ptr<clang::CompilerInvocation> Invocation,
                     clang::FileManager *Files,
                     std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps,
                     clang::DiagnosticConsumer *DiagConsumer) override {
    clang::CompilerInstance Compiler(std::move(PCHContainerOps));
    Compiler.setInvocation(std::move(Invocation));
    Compiler.setFileManager(Files);
    Compiler.createDiagnostics(DiagConsumer, /*ShouldOwnClient=*/false);
    if (!Compiler.hasDiagnostics())
      return false;
    Compiler.createSourceManager(*Files);
    Compiler.setVerboseOutputStream(llvm::nulls());
    std::unique_ptr<clang::FrontendAction> A = create();
    bool Success = Compiler.ExecuteAction(*A);
    Files->clearStatCache();
    return Success;
  }
};

inline std::string clangResourceDirArg() {
  return std::string("-resource-dir=") + ABI3PORT_CLANG_RESOURCE_DIR;
}

} // namespace abi3port

#endif
