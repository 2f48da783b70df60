//===- PythonFreeFiles.h - Project files with nothing of Python in them ---===//
///
/// \file
/// A project may compile a whole C library into its module: python-zstandard
/// includes the 45,000-line amalgamated `zstd.c` after `Python.h`, pybase64
/// its codecs. That text is the project's (it is parsed, and the verification
/// parses it again), but no rule and no audit check can find anything in it:
/// every finding is about a name of CPython's, or of a project declaration
/// that uses one. The AST walks skip such a file.
///
/// A project file F of a C translation unit is *Python-free* when
///
///   - no identifier of its text (raw-lexed: directives, inactive blocks and
///     all) names something from outside F that could bring Python in: a
///     declaration or macro of CPython's headers, a declaration of a project
///     file that is not Python-free itself, or a macro defined in another
///     project file whose body has such an identifier (macros of the command
///     line and of system headers, and declarations of system headers, are
///     not Python);
///   - and every file F includes is a system header or Python-free itself
///     (a CPython header included from F makes F not Python-free).
///
/// The files that name each other's declarations are Python-free together
/// (the greatest such set: a C library split over many headers).
///
/// Then nothing in F can have a CPython type, call CPython, or reach a
/// project declaration that does: a walk over F's declarations finds
/// nothing. C only: C++ lookup (namespaces, members, ADL) is not this simple.
///
/// `c-library-headers` still reads every file (a C library call in F may rely
/// on an include that `Python.h` stops making); it walks `allParsedDecls`.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_PYTHONFREEFILES_H
#define ABI3PORT_PYTHONFREEFILES_H

#include "transforms/SourceMapping.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
class CompilerInstance;
}

namespace abi3port {

/// The Python-free project files of the parsed translation unit (empty for
/// C++, and without a Sema).
llvm::DenseSet<clang::FileID> pythonFreeFiles(clang::CompilerInstance &CI,
                                              const FileClassifier &Files);

/// Sets the AST's traversal scope, which `parsedDecls` and the parent map
/// follow, to the parsed declarations outside Python-free files (once per
/// unit; later calls do nothing and return an empty set). Returns the
/// Python-free files.
llvm::DenseSet<clang::FileID> limitWalksToPythonCode(clang::CompilerInstance &CI,
                                                     const FileClassifier &Files);

} // namespace abi3port

#endif
