//===- TextDiff.h - A unified diff of two texts ---------------------------===//
///
/// \file
/// `unifiedTextDiff` compares two versions of a file line by line (Myers'
/// O(ND) algorithm over the lines between the common head and tail) and
/// renders the differences as a unified diff with three lines of context,
/// `git apply`- and `git am`-able. The patch series of `port --patches`
/// uses it between consecutive steps, whose texts no single set of
/// replacements relates.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_EDIT_TEXTDIFF_H
#define ABI3PORT_EDIT_TEXTDIFF_H

#include "llvm/ADT/StringRef.h"
#include <string>

namespace abi3port {

/// The hunks only (`@@ ... @@` and lines); empty when the texts are equal.
std::string unifiedTextHunks(llvm::StringRef Old, llvm::StringRef New);

/// `diff --git a/P b/P`, `--- a/P`, `+++ b/P` and the hunks; empty when
/// the texts are equal.
std::string unifiedTextDiff(llvm::StringRef Old, llvm::StringRef New, llvm::StringRef Path);

} // namespace abi3port

#endif
