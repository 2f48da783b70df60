//===- Preamble.h - Python.h parsed once, reused by every run -------------===//
///
/// \file
/// Python.h is about two thirds of every line a translation unit parses.
/// When a file starts with nothing but comments and `#define`s before
/// `#include <Python.h>` (the way extensions are written), that prefix is
/// compiled once into a precompiled header, kept in the cache directory
/// (SurfaceCache.h) under a key made of the prefix text, the compile
/// arguments and the headers' identity, and loaded with `-include-pch` on
/// later parses. The file is still parsed whole: its own defines and its
/// include of Python.h are seen again (the include guards make the second
/// include free), so every check and rewrite sees what it saw before.
///
/// Anything unusual (other directives before Python.h, a PCH clang will not
/// build or load) falls back to a plain parse.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_PREAMBLE_H
#define ABI3PORT_PREAMBLE_H

#include "clang/Tooling/CompilationDatabase.h"
#include <optional>
#include <string>
#include <vector>

namespace abi3port {

/// The leading comments and `#define`/`#undef` lines of a source file up to
/// and including its `#include <Python.h>` line, or nullopt.
std::optional<std::string> pythonPreamble(llvm::StringRef Source);

/// The path of a precompiled header for the file's preamble, built now if
/// needed; nullopt when the file has no such preamble or building failed.
/// `Text` is the file's text when it is not the one on disk (a port being
/// verified).
std::optional<std::string> preamblePch(const std::string &File,
                                       const clang::tooling::CompileCommand &Command,
                                       const std::vector<std::string> &ExtraArgs,
                                       llvm::StringRef HeadersFingerprint,
                                       std::optional<llvm::StringRef> Text = std::nullopt);

} // namespace abi3port

#endif
