//===- PatchSeries.h - `port --patches`: a series git am applies ----------===//
///
/// \file
/// Renders the steps of a port (Port.h's PatchStep) as `git format-patch`
/// files, `0001-<rule-id>.patch`, ...: an mbox header, a commit message
/// saying what the rule does, its change groups (id, file:line, what) and
/// what it left for a human, then the diff from the previous step's texts.
/// Paths are relative to `Root` (the repository's top directory), so that
/// `git am` applies the series to the unmodified checkout.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_EDIT_PATCHSERIES_H
#define ABI3PORT_EDIT_PATCHSERIES_H

#include "transforms/Port.h"

#include <string>
#include <vector>

namespace abi3port {

struct PatchFile {
  std::string Name; ///< 0001-checked-calls.patch
  std::string Text;
};

/// The top directory of the git checkout holding `Dir`, or `Dir` itself.
std::string repositoryRoot(llvm::StringRef Dir);

/// `Date` is an RFC 2822 date for the `Date:` headers.
std::vector<PatchFile> formatPatchSeries(const PortResult &Result, llvm::StringRef Root,
                                         llvm::StringRef Date, PythonVersion Target);

/// RFC 2822 date of SOURCE_DATE_EPOCH when set (reproducible series), else of now.
std::string patchDate();

} // namespace abi3port

#endif
