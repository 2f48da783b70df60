//===- Commands.h - The subcommands of abi3port ---------------------------===//
///
/// \file
/// Each subcommand lives in its own file and exposes two functions: one that
/// declares its options on the CLI11 app, one that runs it and returns the
/// process exit status (0 clean, 1 findings, 2 usage or input error).
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_TOOL_COMMANDS_H
#define ABI3PORT_TOOL_COMMANDS_H

#include "transforms/Frontend.h"
#include "transforms/api/ApiKnowledge.h"
#include "transforms/api/PythonVersion.h"

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace abi3port {

/// Options every subcommand that reads sources shares.
struct CommonOptions {
  std::string Target = DefaultTarget.str();
  InputOptions Inputs;
};

/// The compiler arguments after `--`, set by main before a command runs.
struct CompilerArgs {
  std::vector<std::string> Args;
  bool Present = false;
};
CompilerArgs &compilerArgsAfterDashDash();

/// Declares --target, -p, --python-include, -j and the FILE positionals.
void addCommonOptions(CLI::App &Command, CommonOptions &Options);
/// Parses --target; prints the error and returns nullopt when it is invalid.
std::optional<PythonVersion> parseTarget(const std::string &Text);
/// What a command that reads sources needs: the parsed inputs and the
/// Limited API at the target. Prints the error and returns nullopt on bad
/// input.
struct Session {
  Frontend FE;
  ApiKnowledge Knowledge;
};
std::optional<Session> startSession(const CommonOptions &Options, PythonVersion Target);
/// Prints `abi3port: error: <message>` to stderr.
void printError(const llvm::Twine &Message);

/// `abi3port check`
CLI::App *addCheckCommand(CLI::App &App, std::function<int()> &Run);
/// `abi3port port`
CLI::App *addPortCommand(CLI::App &App, std::function<int()> &Run);
/// `abi3port rules`
CLI::App *addRulesCommand(CLI::App &App, std::function<int()> &Run);
/// `abi3port verify`
CLI::App *addVerifyCommand(CLI::App &App, std::function<int()> &Run);
/// `abi3port lsp`
CLI::App *addLspCommand(CLI::App &App, std::function<int()> &Run);
/// `abi3port api`
CLI::App *addApiCommand(CLI::App &App, std::function<int()> &Run);

} // namespace abi3port

#endif
