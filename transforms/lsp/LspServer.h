//===- LspServer.h - `abi3port lsp`: diagnostics and verified quick fixes -===//
///
/// \file
/// A language server over stdio (JSON-RPC 2.0 with `Content-Length` framing;
/// docs/lsp.md). It keeps the open documents' texts and, for each, parses the
/// current text (unsaved changes through the Frontend's overlay) with the
/// file's compile command:
///
///   - `check`'s findings become `publishDiagnostics` for every file of the
///     translation unit (the document and the headers it includes), `code`
///     the rule id, `codeDescription.href` its page;
///   - the self-verified port of the same text gives the code actions: a
///     `quickfix` per change group (Changes.h) that fixes a diagnostic in
///     range, as a versioned `WorkspaceEdit` over every file it touches, and
///     one `source` action that applies every verified group. A fixable
///     site whose change the verification withdrew gets no action; its
///     diagnostic says why.
///
/// Messages are read on the caller's thread and handled in order on one
/// worker; `didChange` is debounced. Analysis runs inside a crash-recovery
/// context: a crash in a rule on one file yields an empty result and a
/// diagnostic saying so, never a dead server.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_LSP_LSPSERVER_H
#define ABI3PORT_LSP_LSPSERVER_H

#include "transforms/Frontend.h"
#include "transforms/api/PythonVersion.h"
#include "transforms/state/ModuleState.h"

#include "llvm/Support/JSON.h"
#include <functional>
#include <string>

namespace abi3port {

struct LspOptions {
  std::string Target = DefaultTarget.str(); ///< initializationOptions.target overrides
  std::string State; ///< "", "module" or "global"; initializationOptions.state overrides
  std::string BuildDir;      ///< -p
  std::string PythonInclude; ///< --python-include
  unsigned DebounceMs = 150;
  std::string DocsDir; ///< for codeDescription.href (file://); empty: a placeholder URL
};

/// Reads framed messages from `In` (a file descriptor) and answers through
/// `Send` (one whole framed message per call). Returns the process exit
/// status: 0 after `shutdown` then `exit`, 1 otherwise.
int serveLsp(const LspOptions &Options, int In, const std::function<void(const std::string &)> &Send);

/// One message framed for the wire: `Content-Length: N\r\n\r\n` and the body.
std::string frameMessage(const llvm::json::Value &Message);

/// The offset of LSP position (line, character) in `Text`, and back;
/// `Utf8` says how characters are counted (else UTF-16 code units).
unsigned offsetOfPosition(llvm::StringRef Text, unsigned Line, unsigned Character, bool Utf8);
std::pair<unsigned, unsigned> positionOfOffset(llvm::StringRef Text, unsigned Offset, bool Utf8);

/// `file://` URI of an absolute path (percent-encoded), and back.
std::string uriOfPath(llvm::StringRef Path);
std::string pathOfUri(llvm::StringRef Uri);

} // namespace abi3port

#endif
