//===- RulesCommand.cpp - abi3port rules ----------------------------------===//
///
/// \file
/// `abi3port rules`: the registry, one line per rule: id, whether `port`
/// rewrites it, the minimum Limited API version, and what it is about.
///
//===----------------------------------------------------------------------===//
#include "tool/Commands.h"
#include "transforms/Registry.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace abi3port {

CLI::App *addRulesCommand(CLI::App &App, std::function<int()> &Run) {
  CLI::App *Command = App.add_subcommand("rules", "list the rules and their minimum version");
  Command->callback([&Run] {
    Run = [] {
      for (const RuleInfo &R : allRules())
        llvm::outs() << llvm::format("%-22s %-8s %-5s ", R.Id.str().c_str(),
                                     R.Rewrites ? "rewrite" : "report",
                                     R.MinVersion.str().c_str())
                     << R.Summary << "\n";
      return 0;
    };
  });
  return Command;
}

} // namespace abi3port
