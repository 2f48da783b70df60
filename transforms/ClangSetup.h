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

#include <string>

namespace abi3port {

inline std::string clangResourceDirArg() {
  return std::string("-resource-dir=") + ABI3PORT_CLANG_RESOURCE_DIR;
}

} // namespace abi3port

#endif
