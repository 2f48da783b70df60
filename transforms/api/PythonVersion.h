//===- PythonVersion.h - A CPython feature version (3.Y) ------------------===//
///
/// \file
/// A `PythonVersion` names a CPython feature release such as 3.11. It is how
/// the tool speaks about targets (`--target 3.11`), about when an item
/// entered the Limited API, and about `Py_LIMITED_API` values (0x030B0000).
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_API_PYTHONVERSION_H
#define ABI3PORT_API_PYTHONVERSION_H

#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace abi3port {

struct PythonVersion {
  unsigned Major = 3;
  unsigned Minor = 0;

  /// Parses "3.11" (also accepts "311" and "0x030B0000"). Returns nullopt on
  /// anything else.
  static std::optional<PythonVersion> parse(llvm::StringRef Text);
  /// Decodes a `Py_LIMITED_API` / `PY_VERSION_HEX` value.
  static PythonVersion fromHex(unsigned long long Hex);

  /// The `Py_LIMITED_API` value for this version, e.g. 0x030B0000.
  unsigned long long hex() const { return (Major << 24) | (Minor << 16); }
  /// "0x030B0000".
  std::string hexString() const;
  /// "3.11".
  std::string str() const;

  friend bool operator<(PythonVersion A, PythonVersion B) {
    return A.Major != B.Major ? A.Major < B.Major : A.Minor < B.Minor;
  }
  friend bool operator==(PythonVersion A, PythonVersion B) {
    return A.Major == B.Major && A.Minor == B.Minor;
  }
  friend bool operator!=(PythonVersion A, PythonVersion B) { return !(A == B); }
  friend bool operator<=(PythonVersion A, PythonVersion B) { return !(B < A); }
  friend bool operator>(PythonVersion A, PythonVersion B) { return B < A; }
  friend bool operator>=(PythonVersion A, PythonVersion B) { return !(A < B); }
};

/// The oldest target the tool supports, and the default target: 3.8 is the
/// oldest CPython that still received fixes when the project started, and the
/// first whose heap-type semantics (instances own their type) the port relies on.
inline constexpr PythonVersion OldestTarget{3, 8};
inline constexpr PythonVersion DefaultTarget{3, 8};

} // namespace abi3port

#endif
