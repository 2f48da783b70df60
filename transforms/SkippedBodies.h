//===- SkippedBodies.h - Verification parses that skip unedited C code ----===//
///
/// \file
/// python-zstandard compiles the 45,000-line amalgamated `zstd.c` into its
/// module; the full-API verification parse (Verify.h) would read all of its
/// function bodies again, though `port` never edits them and nothing in them
/// is Python's (PythonFreeFiles.h). This parse skips those bodies, and says
/// whether doing so was sound for this parse:
///
///   - the files whose bodies it skips are Python-free in the original's
///     parse (the caller gives them) and unedited (the caller checks);
///   - a *meaning fingerprint* of each such file F describes F's inactive
///     blocks and what every identifier of F's active text (directives
///     included) names: each file-scope declaration (every redeclaration)
///     and each definition or undefinition of a macro of that name, where it
///     is (a system or CPython header, or a skipped file: path and offset;
///     another project file, which the port may edit: its path, and a
///     macro's whole definition), and, for macros, recursively what their
///     bodies name. When all of them are visible before the name's first use
///     in F (before F, or through an `#include` of F above that use), the
///     name means the same at every use; otherwise the point of F where each
///     becomes visible is part of the fingerprint. Equal fingerprints in the
///     original's and the port's parse mean that every name in F resolves to
///     the same declarations and macros: F parses the same and gives the same
///     diagnostics.
///
/// The verifier compares such a parse of the port with the whole parse of
/// the original (the port's own analysis parse, which also fingerprints the
/// files), and accepts the port only when the fingerprints are equal, no
/// `#pragma`/`#line`/`_Pragma` was added, moved or removed, and nothing new
/// was diagnosed; in every other case it parses the port whole, as before.
/// The diagnostics the skipped bodies would have given are the original's
/// (same meaning, same text), so they are not new; what skipping itself
/// adds, "unused function 'f'" for a static that only the skipped bodies
/// name (`namedInBodies`, from the original's parse), is set aside. A static
/// that only code outside the skipped bodies named, and the port no longer
/// names, is still "unused" in the skipped parse, as in the whole one. The
/// skipping can only spare a parse, never accept what the whole parse would
/// refuse. `ABI3PORT_NO_SKIP_BODIES=1` turns it off.
///
/// C only (as Python-free files are); a file that names `__COUNTER__` is
/// never skipped.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_SKIPPEDBODIES_H
#define ABI3PORT_SKIPPEDBODIES_H

#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace clang {
class ASTContext;
class CompilerInstance;
class Preprocessor;
} // namespace clang

namespace abi3port {

class FileClassifier;

/// The fingerprint of each skipped file (canonical path -> fingerprint, its
/// inclusions in unit order); a file of `Paths` the parse did not enter has
/// none.
using MeaningFingerprints = std::map<std::string, std::string>;

/// The blocks the preprocessor skipped, per file (FileID hash value):
/// offsets of each block's start and of its `#endif`.
using InactiveRanges = std::map<unsigned, std::vector<std::pair<unsigned, unsigned>>>;

/// Records the inactive blocks of this parse, from now on; the ranges live
/// as long as the preprocessor.
const InactiveRanges &recordInactiveBlocks(clang::Preprocessor &PP);

/// The fingerprints of the files `Paths` in this parse (at its end).
MeaningFingerprints fingerprintFiles(clang::CompilerInstance &CI, const FileClassifier &Files,
                                     const std::set<std::string> &Paths,
                                     const InactiveRanges &Inactive);

/// The file-scope declarations that the function bodies of the files
/// `Paths` name outside an unevaluated operand (`sizeof`...), as
/// "path#name" of the declaration. A skipped parse finds such a static
/// function or variable unused; the whole parse, which reads those bodies,
/// does not.
std::set<std::string> namedInBodies(clang::ASTContext &Ctx, const std::set<std::string> &Paths);

/// Whether a diagnostic of a skipped parse only says that a declaration
/// named in the skipped bodies (`namedInBodies`) is unused.
bool unusedOnlyBecauseSkipped(llvm::StringRef File, llvm::StringRef Message,
                              const std::set<std::string> &NamedInBodies);

/// A syntax-only action that skips the function bodies of the files `Paths`
/// (canonical paths) and writes their fingerprints to `Out` at the end of the
/// unit. `PythonIncludeDir` as FileClassifier takes it.
std::unique_ptr<clang::tooling::FrontendActionFactory>
skippingBodiesOf(const std::set<std::string> &Paths, std::string PythonIncludeDir,
                 MeaningFingerprints &Out);

/// The lines of `Text` that hold a `#pragma` or `#line` directive or a
/// `_Pragma`, in order: state the fingerprints do not describe, which the
/// port must leave as it was.
std::string pragmaLines(llvm::StringRef Text);

/// Whether a file's text may have its bodies skipped (no `__COUNTER__`).
bool bodiesMayBeSkipped(llvm::StringRef Text);

} // namespace abi3port

#endif
