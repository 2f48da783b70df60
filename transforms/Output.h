//===- Output.h - Findings as text, JSON and SARIF ------------------------===//
///
/// \file
/// Three renderings of the same findings:
///   - `text`: compiler style, `path:line:col: warning: message [rule-id]`,
///     then one summary line per file;
///   - `json`: `{"tool", "target", "findings": [...], "files": [...]}`;
///   - `sarif`: SARIF 2.1.0 with one run, the registry as `rules`, and
///     `fixes` (the change group's replacements over the unmodified files)
///     on every result a change fixes.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_OUTPUT_H
#define ABI3PORT_OUTPUT_H

#include "transforms/Changes.h"
#include "transforms/Finding.h"

#include "llvm/Support/raw_ostream.h"
#include <vector>

namespace abi3port {

enum class OutputFormat { Text, Json, Sarif };

struct OutputContext {
  PythonVersion Target;
  /// Paths under this directory are printed relative to it in text output.
  std::string WorkingDir;
  /// `port`: the applied change groups, listed after the sites (text,
  /// markdown) or as `changes` (JSON). `check` with SARIF: what fixes each
  /// fixable result, as its `fixes`.
  const std::vector<ChangeGroup> *Changes = nullptr;
  bool ChangesAsFixes = false; ///< SARIF: fixes, not a listing
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

/// clang-tidy's `--export-fixes` YAML: one diagnostic per change group with
/// its replacements (`DiagnosticName` = rule id), and one without
/// replacements per site in `Manual`. `clang-apply-replacements` applies it.
void writeExportFixes(llvm::raw_ostream &OS, const std::vector<ChangeGroup> &Changes,
                      const std::vector<Finding> &Manual, llvm::StringRef MainSourceFile);

} // namespace abi3port

#endif
