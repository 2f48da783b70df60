//===- StringifiedArguments.h - Macro arguments that become strings -------===//
///
/// \file
/// A macro whose body writes `#param` turns that argument's text into a
/// string: `#define SHOW(e) (printf("%s\n", #e), (e))` prints
/// "PyTuple_GET_SIZE(t)" for `SHOW(PyTuple_GET_SIZE(t))`. Rewriting text
/// there changes the string too, which no compile can see, so `port`
/// refuses such edits (PortContext::replace) and `check` does not call the
/// site fixable. The recorder notes, while the unit is preprocessed, the file
/// text of every such argument in a user file.
///
/// The C library's `assert` is left out: its string is only the message of a
/// failed assertion, which aborts either way, and release builds (NDEBUG) do
/// not expand it.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_STRINGIFIEDARGUMENTS_H
#define ABI3PORT_STRINGIFIEDARGUMENTS_H

#include "transforms/Finding.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/PPCallbacks.h"
#include <string>
#include <vector>

namespace clang {
class Preprocessor;
} // namespace clang

namespace abi3port {

class FileClassifier;

/// The text of a macro argument that the macro stringifies.
struct StringifiedArgument {
  clang::SourceLocation Begin, End; ///< file locations: first token start, last token end
  std::string Macro;                ///< the stringifying macro's name
};

class StringifiedArgumentRecorder : public clang::PPCallbacks {
public:
  StringifiedArgumentRecorder(clang::Preprocessor &PP, const FileClassifier &Files)
      : PP(PP), Files(Files) {}

  void MacroExpands(const clang::Token &NameTok, const clang::MacroDefinition &MD,
                    clang::SourceRange Range, const clang::MacroArgs *Args) override;

  std::vector<StringifiedArgument> Found;

private:
  clang::Preprocessor &PP;
  const FileClassifier &Files;
};

/// Registers a recorder with the preprocessor, which owns it.
StringifiedArgumentRecorder &attachStringifiedArgumentRecorder(clang::Preprocessor &PP,
                                                               const FileClassifier &Files);

/// The stringified argument whose text the file range `Chars` touches (an
/// insertion at either end of the argument counts), or null.
const StringifiedArgument *stringifiedAt(const std::vector<StringifiedArgument> &Arguments,
                                         const clang::SourceManager &SM,
                                         clang::CharSourceRange Chars);

/// The arguments' positions (path, line and column), for asking the same
/// question of findings with `overlaps`.
std::vector<SourcePosition> positionsOf(const std::vector<StringifiedArgument> &Arguments,
                                        const clang::SourceManager &SM,
                                        const clang::LangOptions &LO);

/// Whether two positions share a character (their ends included).
bool overlaps(const SourcePosition &A, const SourcePosition &B);

} // namespace abi3port

#endif
