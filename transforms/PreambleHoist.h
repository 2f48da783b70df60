//===- PreambleHoist.h - May the PCH read directives before project code? -===//
///
/// \file
/// A shared preamble may go past a project header's code (PreambleScan.h):
/// pybase64's first header declares `uint32_t pybase64_get_simd_flags(void);`
/// and the main file includes Python.h after it. The PCH then reads the
/// directives that follow the code (`Python.h`...) before it, while the file
/// has them after. That changes nothing when, in the PCH just built,
///
///   - no identifier of the code has a declaration or a macro (a `#define`
///     or `#undef` of it) in what was moved: the code's names mean what they
///     meant before it; keywords count too (`#define inline`);
///   - an identifier the code declares, one with no declaration and no macro
///     before the moved part, appears nowhere in the files the moved part
///     enters (raw-lexed, comments aside): what was moved cannot see the
///     code's declarations, in either order;
///   - the code has no `_Pragma` (the scan refuses it already).
///
/// What was moved is foreign headers and defines only (the scan copies no
/// project code), and the file itself is parsed whole after the PCH, the
/// code included, so every check and rewrite still reads it.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_PREAMBLEHOIST_H
#define ABI3PORT_PREAMBLEHOIST_H

#include "llvm/ADT/StringRef.h"

namespace clang {
class CompilerInstance;
}

namespace abi3port {

/// Whether the PCH of `CI` (just parsed, Sema alive), whose main file's
/// lines from `HoistLine` on were moved before the project code `Hoisted`,
/// means what the file means.
bool hoistChangesNothing(clang::CompilerInstance &CI, llvm::StringRef Hoisted, unsigned HoistLine);

} // namespace abi3port

#endif
