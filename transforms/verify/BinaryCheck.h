//===- BinaryCheck.h - What a built module imports from Python ------------===//
///
/// \file
/// `abi3port verify` on binaries (docs/verify.md): the undefined `Py*` and
/// `_Py*` symbols of an ELF shared object, each checked against the Stable
/// ABI manifest at the target (absent, or entering later, is a failure, with
/// the version); the lowest version the binary really needs; the module's
/// own exported `Py*` symbols (`PyInit_*`, a project's `Py`-named helpers)
/// are definitions, not imports. Wheels are read as zip files (stored or
/// deflated members) and their tags checked (`cp3X-abi3`).
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_VERIFY_BINARYCHECK_H
#define ABI3PORT_VERIFY_BINARYCHECK_H

#include "transforms/api/PythonVersion.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace abi3port {

struct ImportedSymbol {
  std::string Name;
  bool InStableAbi = false;          ///< a function or data item of the manifest
  std::optional<PythonVersion> Added; ///< when it entered the Stable ABI
};

struct BinaryAudit {
  std::string Name;                    ///< file (or wheel member) name
  std::vector<ImportedSymbol> Imports; ///< undefined Py*/_Py* symbols, sorted
  std::vector<std::string> Exports;    ///< defined Py* symbols (PyInit_*, ...)
  /// The newest Added among the imports: the lowest target that works.
  std::optional<PythonVersion> Needs;
  /// Imports not in the Stable ABI, or in it only after `Target`.
  std::vector<const ImportedSymbol *> violations(PythonVersion Target) const;
};

/// The Python symbols of an ELF shared object's dynamic symbol table.
llvm::Expected<BinaryAudit> auditSharedObject(llvm::StringRef Name, llvm::StringRef Bytes);

/// One member of a zip archive.
struct ZipMember {
  std::string Name;
  std::string Data;
};
/// The members of a zip archive whose names `Want` accepts, decompressed.
llvm::Expected<std::vector<ZipMember>>
readZip(llvm::StringRef Bytes, const std::function<bool(llvm::StringRef)> &Want);

/// The python and ABI tags of a wheel's file name
/// (`name-version[-build]-python-abi-platform.whl`); nullopt if malformed.
struct WheelTags {
  std::string Python, Abi, Platform;
};
std::optional<WheelTags> wheelTags(llvm::StringRef FileName);

} // namespace abi3port

#endif
