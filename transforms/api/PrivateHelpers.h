//===- PrivateHelpers.h - Private calls with a public equivalent ----------===//
///
/// \file
/// The table of PrivateHelpers.def: for each private `_Py*` call that has a
/// public equivalent, the helper `abi3port port` generates and the public
/// function that replaces it from some version. Read by the audit (the site
/// is fixable) and by the rule `private-api` (the rewrite).
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_API_PRIVATEHELPERS_H
#define ABI3PORT_API_PRIVATEHELPERS_H

#include "transforms/api/PythonVersion.h"

#include "llvm/ADT/StringRef.h"
#include <optional>

namespace abi3port {

struct PrivateHelper {
  llvm::StringRef Name;       ///< the private call
  llvm::StringRef Helper;     ///< the generated function's name
  llvm::StringRef PublicName; ///< the public call with the same contract, or ""
  std::optional<PythonVersion> PublicSince;
  llvm::StringRef Replacement; ///< for the report
  const char *Text;            ///< the helper's definition
};

/// The row for `Name`, or null when the private call has no rewrite.
const PrivateHelper *privateHelper(llvm::StringRef Name);

} // namespace abi3port

#endif
