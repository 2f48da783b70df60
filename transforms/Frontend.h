//===- Frontend.h - Inputs, compile commands, parallel parsing ------------===//
///
/// \file
/// Everything between the command line and a parsed translation unit: which
/// files to read, with which compile command (a compile_commands.json found
/// with `-p`, the flags after `--`, or, with neither, a compile_commands.json
/// in a parent directory of the first file), where CPython's headers are, and
/// running one FrontendAction per file on `-j` threads.
///
/// The CPython include directory is, in order: `--python-include`; the first
/// `-I`/`-isystem` directory of the file's compile command that holds
/// Python.h; `sysconfig.get_path("include")` of `python3` on PATH, then of
/// /usr/bin/python3.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_FRONTEND_H
#define ABI3PORT_FRONTEND_H

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace abi3port {

struct InputOptions {
  std::vector<std::string> Files;
  std::string BuildDir;                  ///< -p
  std::vector<std::string> CompilerArgs; ///< after --
  bool HaveCompilerArgs = false;         ///< `--` was given (even empty)
  std::string PythonInclude;             ///< --python-include
  unsigned Jobs = 0;                     ///< 0: all cores
  /// Texts that replace files on disk in every parse (canonical path ->
  /// text): the unsaved buffers of the language server.
  std::map<std::string, std::string> Overlay;
};

/// One diagnostic of a verification parse (see Verify.h).
struct CompilerDiagnostic {
  bool Error = false;
  /// Where the compiler put it: a file location (macro expansions mapped to
  /// where they were written), as a canonical path; "" for none.
  std::string File;
  unsigned Line = 0, Column = 0;
  /// The nearest location in a user file: the diagnostic itself, or the
  /// `#include` through which a user file reached the header it is in.
  std::string UserFile;
  unsigned UserLine = 0, UserColumn = 0;
  std::string Message; ///< with ` [-Wflag]` for warnings
  /// `file:line:col: error: message`, as a compiler prints it.
  std::string text() const;
};

/// The outcome of parsing one file.
struct ParseResult {
  std::string File;
  bool Parsed = false;
  /// The first error, as `file:line:col: error: message`.
  std::string FirstError;
};

class Frontend {
public:
  /// Validates the files, loads the compile commands and finds CPython's
  /// headers. Errors name the file or option at fault.
  static llvm::Expected<Frontend> create(InputOptions Options);

  const std::vector<std::string> &files() const { return Files; }
  /// Real path of the CPython include directory.
  const std::string &pythonInclude() const { return PythonInclude; }
  /// Extra arguments every parse gets (resource dir, include directory).
  const std::vector<std::string> &extraArgs() const { return ExtraArgs; }

  /// Parses every file, `Jobs` at a time, with the action `MakeFactory(I)`
  /// creates for file I (a null factory skips the file). Results come back
  /// in file order.
  std::vector<ParseResult>
  run(const std::function<std::unique_ptr<clang::tooling::FrontendActionFactory>(size_t)>
          &MakeFactory) const;

  /// Extra arguments for one file's parse, whose warnings and errors are
  /// then recorded as `diagnose` records them (nullopt: neither).
  using RecordedArgs = std::function<std::optional<std::vector<std::string>>(size_t)>;
  /// As `run`; for each file I with `MoreArgs(I)`, those arguments come
  /// after its own and `Diagnostics[I]` gets what `diagnose(I, {},
  /// *MoreArgs(I))` would return, from the same parse.
  std::vector<ParseResult>
  run(const std::function<std::unique_ptr<clang::tooling::FrontendActionFactory>(size_t)>
          &MakeFactory,
      const RecordedArgs &MoreArgs,
      std::vector<std::optional<std::vector<CompilerDiagnostic>>> &Diagnostics) const;

  /// The compile command of file I.
  const clang::tooling::CompileCommand &command(size_t I) const { return Commands[I]; }

  /// Parses file I for its diagnostics only (with the preamble PCH when the
  /// text has one, Preamble.h), with the texts
  /// of `Overlay` (canonical path -> text) in place of those files on disk
  /// and `MoreArgs` after the file's own arguments. Thread-safe. `Ran` is
  /// false when the compiler could not run at all.
  std::vector<CompilerDiagnostic>
  diagnose(size_t I, const std::map<std::string, std::string> &Overlay,
           const std::vector<std::string> &MoreArgs, bool &Ran) const;
  /// As `diagnose`, with the action of the factory `MakeFactory` returns in
  /// place of a syntax-only parse. When the preamble PCH is refused, the
  /// file is parsed again with a new factory: it must start afresh.
  std::vector<CompilerDiagnostic>
  diagnoseWith(size_t I, const std::map<std::string, std::string> &Overlay,
               const std::vector<std::string> &MoreArgs,
               const std::function<std::unique_ptr<clang::tooling::FrontendActionFactory>()>
                   &MakeFactory,
               bool &Ran) const;
  /// Calls `Work(I)` for I in [0, N), `Jobs` at a time.
  void forEach(size_t N, const std::function<void(size_t)> &Work) const;

private:
  ParseResult parseOne(size_t I, clang::tooling::FrontendActionFactory &Factory,
                       const std::optional<std::string> &Pch,
                       const std::vector<std::string> &MoreArgs,
                       std::vector<CompilerDiagnostic> *Diagnostics) const;

  std::vector<std::string> Files;
  std::vector<clang::tooling::CompileCommand> Commands;
  std::string PythonInclude;
  std::vector<std::string> ExtraArgs;
  unsigned Jobs = 1;
  bool UsePreamble = true; ///< see Preamble.h; ABI3PORT_NO_PREAMBLE=1 turns it off
  std::string HeadersFingerprint; ///< of PythonInclude, for preamble cache keys
  std::map<std::string, std::string> Overlay; ///< InputOptions::Overlay
};

/// Finds the include directory of a Python interpreter (sysconfig).
std::string askPythonForInclude(llvm::StringRef Python);

} // namespace abi3port

#endif
