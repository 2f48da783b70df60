//===- Check.h - The audit over a set of files ----------------------------===//
///
/// \file
/// `checkFiles` runs the audit (Audit.h) over every file of a `Frontend`, in
/// parallel, and returns the merged, sorted, de-duplicated findings together
/// with the files that did not parse.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_CHECK_H
#define ABI3PORT_CHECK_H

#include "transforms/Finding.h"
#include "transforms/Frontend.h"
#include "transforms/api/ApiKnowledge.h"

namespace abi3port {

struct CheckResult {
  std::vector<Finding> Findings;
  /// Files that did not parse, with the first error.
  std::vector<ParseResult> Failures;
};

CheckResult checkFiles(const Frontend &FE, const ApiKnowledge &Knowledge);

} // namespace abi3port

#endif
