//===- Preamble.h - Python.h parsed once, reused by every run -------------===//
///
/// \file
/// Python.h, libc and the libraries a project wraps are most of every line a
/// translation unit parses. The file's shared preamble (PreambleScan.h: its
/// leading defines and the includes of headers the project does not own,
/// followed through the project headers it includes first) is compiled once
/// into a precompiled header, kept in the cache directory (SurfaceCache.h)
/// under a key made of the preamble text (comments are not part of it), the
/// compile arguments and CPython's headers' identity, and loaded with
/// `-include-pch` on later parses (with `-Xclang -fmodules-validate-system-headers`,
/// so that a changed system header makes clang refuse it). The file is still
/// parsed whole: its own defines and includes are seen again (the include
/// guards make the second include free; a preamble header without one makes
/// the PCH unusable), so every check and rewrite sees what it saw before.
///
/// Anything unusual (no foreign header, a PCH clang will not build or load)
/// falls back to a plain parse; a preamble that cannot be precompiled is
/// remembered as such (`preamble-KEY.none`) and not tried again.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_PREAMBLE_H
#define ABI3PORT_PREAMBLE_H

#include "clang/Tooling/CompilationDatabase.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace abi3port {

/// The path of a precompiled header for the file's preamble, built now if
/// needed; nullopt when the file has no such preamble or building failed.
/// `Overlay` has the texts that are not the ones on disk (a port being
/// verified), by canonical path.
std::optional<std::string> preamblePch(const std::string &File,
                                       const clang::tooling::CompileCommand &Command,
                                       const std::vector<std::string> &ExtraArgs,
                                       llvm::StringRef HeadersFingerprint,
                                       llvm::StringRef PythonInclude,
                                       const std::map<std::string, std::string> &Overlay);

} // namespace abi3port

#endif
