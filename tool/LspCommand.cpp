//===- LspCommand.cpp - abi3port lsp --------------------------------------===//
///
/// \file
/// `abi3port lsp [--target X.Y] [--state module|global] [-p BUILD_DIR]
/// [--python-include DIR]`: the language server on stdin/stdout
/// (lsp/LspServer.h, docs/lsp.md). Logs nothing on stdout but the protocol.
///
//===----------------------------------------------------------------------===//
#include "tool/Commands.h"
#include "transforms/lsp/LspServer.h"

#include "llvm/Support/FileSystem.h"
#include <cstdio>
#include <unistd.h>

namespace abi3port {
namespace {

LspOptions &lspOptions() {
  static LspOptions Options;
  return Options;
}

int runLsp() {
  LspOptions &Options = lspOptions();
  if (!PythonVersion::parse(Options.Target)) {
    printError("unknown target '" + Options.Target + "'");
    return 2;
  }
#ifdef ABI3PORT_DOCS_DIR
  if (Options.DocsDir.empty() && llvm::sys::fs::is_directory(ABI3PORT_DOCS_DIR))
    Options.DocsDir = ABI3PORT_DOCS_DIR;
#endif
  return serveLsp(Options, STDIN_FILENO, [](const std::string &Message) {
    std::fwrite(Message.data(), 1, Message.size(), stdout);
    std::fflush(stdout);
  });
}

} // namespace

CLI::App *addLspCommand(CLI::App &App, std::function<int()> &Run) {
  LspOptions &Options = lspOptions();
  CLI::App *Command =
      App.add_subcommand("lsp", "a language server (stdio): diagnostics and verified quick fixes");
  Command->add_option("--target", Options.Target, "oldest Python the port must support");
  Command->add_option("--state", Options.State, "module or global (default: from the target)")
      ->check(CLI::IsMember({"global", "module"}));
  Command->add_option("-p", Options.BuildDir, "build directory holding compile_commands.json");
  Command->add_option("--python-include", Options.PythonInclude, "CPython include directory");
  Command->callback([&Run] { Run = runLsp; });
  return Command;
}

} // namespace abi3port
