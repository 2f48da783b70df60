//===- Output.h - Findings as text, JSON and SARIF ------------------------===//
///
/// \file
/// Three renderings of the same findings:
///   - `text`: compiler style, `path:line:col: warning: message [rule-id]`,
///     then one summary line per file;
///   - `json`: `{"tool", "target", "findings": [...], "files": [...]}`;
///   - `sarif`: SARIF 2.1.0 with one run, the registry as `rules`.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_OUTPUT_H
#define ABI3PORT_OUTPUT_H

#include "transforms/Finding.h"

#include "llvm/Support/raw_ostream.h"
#include <vector>

namespace abi3port {

enum class OutputFormat { Text, Json, Sarif };

struct OutputContext {
  PythonVersion Target;
  /// Paths under this directory are printed relative to it in text output.
  std::string WorkingDir;
};

/// The process's working directory, for OutputContext::WorkingDir.
std::string currentDirectory();
/// `File` relative to `WorkingDir` when below it, else as is.
std::string displayPath(llvm::StringRef File, llvm::StringRef WorkingDir);

void writeText(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
               const OutputContext &Ctx);
void writeJson(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
               const OutputContext &Ctx);
void writeSarif(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                const OutputContext &Ctx);
void writeFindings(llvm::raw_ostream &OS, OutputFormat Format,
                   const std::vector<Finding> &Findings, const OutputContext &Ctx);

} // namespace abi3port

#endif
