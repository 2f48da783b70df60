//===- ProtectedFiles.h - Files a port never edits -------------------------===//
///
/// \file
/// Some user files are not the user's to edit: a vendored copy of another
/// project meant to be replaced whole (pythoncapi-compat's
/// `pythoncapi_compat.h`), or a file a generator writes (Cython output,
/// files that say "DO NOT EDIT"), or a header another package installed and
/// the build reaches through `-I` (`/usr/include/postgresql/...`, numpy's
/// headers under site-packages). `port` leaves them untouched: edits into
/// them are dropped with their groups and the file is named in the report.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_EDIT_PROTECTEDFILES_H
#define ABI3PORT_EDIT_PROTECTEDFILES_H

#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace abi3port {

/// Why a header another package installed must not be edited (from its
/// path alone), or nullopt when the path is not such a header's.
std::optional<std::string> installedHeaderReason(llvm::StringRef Path);

/// Why the file must not be edited, or nullopt when it may be.
std::optional<std::string> protectedFileReason(llvm::StringRef Path, llvm::StringRef Text);

} // namespace abi3port

#endif
