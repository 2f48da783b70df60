//===- PreambleScan.h - The leading directives every parse starts with ----===//
///
/// \file
/// A translation unit spends most of its parse in headers it does not own:
/// libc, Python.h, the library it wraps. The *shared preamble* of a file is
/// the sequence of directives its parse runs through before the first line
/// of project code: the file's leading `#define`s, `#undef`s and
/// `#include`s, and, through each project header it includes there, that
/// header's own leading directives (its include guard aside). The preamble
/// text keeps only
///
///   - the `#define`/`#undef` lines (comments stripped), and
///   - the `#include`s of headers the project does not own (found neither
///     next to the including project file nor in a `-I`/`-iquote`
///     directory, or found in CPython's include directory),
///
/// in the order the parse meets them. Precompiled (Preamble.h) and loaded
/// with `-include-pch`, it leaves the parse exactly as it was: the file and
/// its headers are still parsed whole, every define is seen again (an
/// identical redefinition is no redefinition), and every header of the
/// preamble is skipped by its include guard (Preamble.cpp refuses a PCH
/// whose top-level header has none). So the project's own text, headers
/// included, is still parsed, audited and rewritten as before.
///
/// A conditional block (`#if`...`#endif`) is kept whole when it holds only
/// such lines (and `#error`s, and nested blocks): the PCH evaluates it in the
/// macro state the parse will be in there, so both take the same branch. A
/// condition that reads the file it is in (`__has_include`, `__FILE__`,
/// `__INCLUDE_LEVEL__`...) stops the scan: the PCH is another file.
///
/// Code in a project header (pybase64's first header declares a function
/// after its defines, before the main file includes Python.h) does not stop
/// the scan: the directives after it join the preamble, and the PCH reads
/// them *before* that code (`Hoisted`, from `HoistLine` on). Preamble.cpp
/// checks, when it builds the PCH, that the move changes nothing: no name of
/// the code gets a declaration or a macro from what was moved, and a name the
/// code declares appears nowhere in what was moved; otherwise the preamble
/// ends before the moved part, as it did without hoisting.
///
/// The scan stops at the first thing it cannot follow without running the
/// preprocessor: code in the main file or in a conditional block, a
/// conditional block with a project header in it, a computed `#include`,
/// `#include_next`, a `#pragma` (other than `once`), a comment that does not
/// end on its line, a header it cannot read, a header seen twice. What comes
/// before is the preamble.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_PREAMBLESCAN_H
#define ABI3PORT_PREAMBLESCAN_H

#include "llvm/ADT/StringRef.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace abi3port {

/// Where a compile command finds the project's headers.
struct IncludeSearch {
  std::vector<std::string> QuoteDirs; ///< -iquote, absolute
  std::vector<std::string> UserDirs;  ///< -I (and CPATH), absolute, in order
  std::string PythonInclude;          ///< CPython's headers: never the project's
  /// The text of a file (an overlay's, or the disk's); nullopt if none.
  std::function<std::optional<std::string>(const std::string &Path)> Read;
};

/// The include directories of a compile command's arguments (relative ones
/// taken from `Directory`).
IncludeSearch includeSearchOf(const std::vector<std::string> &Args, llvm::StringRef Directory,
                              llvm::StringRef PythonInclude);

/// A file's shared preamble.
struct SharedPreamble {
  std::string Text; ///< the directives, one per line, in the order of the PCH
  /// The project code that lies, in the files, before line `HoistLine` of
  /// `Text` (1-based) and what follows; empty (and 0) when none.
  std::string Hoisted;
  unsigned HoistLine = 0;
};

/// The shared preamble of `MainFile` (whose text is `Text`), or nullopt when
/// it includes no header the project does not own.
std::optional<SharedPreamble> sharedPreamble(llvm::StringRef MainFile, llvm::StringRef Text,
                                             const IncludeSearch &Search);

} // namespace abi3port

#endif
