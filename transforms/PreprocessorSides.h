//===- PreprocessorSides.h - Code only one of the two builds compiles ----===//
///
/// \file
/// A file is parsed as its author builds it, under the full API. Code in
/// conditionals on the Limited API is then seen by one build only:
///
/// \code
///   #ifndef Py_LIMITED_API          // full build only: not a blocker
///       return PyList_GET_ITEM(l, 0);
///   #else                           // limited build only: audited too
///       return PyList_GetItem(l, 0);
///   #endif
/// \endcode
///
/// `PreprocessorSideRecorder` records, per parse, the user-file regions the
/// preprocessor skipped and whether a user conditional depends on the
/// Limited API: it tests `Py_LIMITED_API`, or a macro of a CPython header
/// that the limited headers at the target do not define
/// (`#ifndef _PyArg_UnpackKeywords`). A test of a macro the limited headers
/// define as well (`PY_VERSION_HEX`, `PY_MAJOR_VERSION`, `Py_DEBUG`) answers
/// the same in both builds and costs nothing. Only a file whose full parse
/// saw such a conditional is parsed a second time, with
/// `-DPy_LIMITED_API=<target>` (`parseLimitedSide`). Then:
///
///   - findings of the full parse in regions the limited parse skipped are
///     kept, marked `FullBuildOnly` and not blocking, with the directive
///     named (`markFullBuildOnly`);
///   - findings of an audit of the limited parse, and its compile errors (as
///     `limited-compile-error`), in regions the full parse skipped are added
///     (`limitedOnlyFindings`).
///
/// `check` does both. `port` uses a preprocessor-only limited pass for the
/// first; its self-verification's limited parse (Port.cpp, `checkLimited`)
/// already reports the limited build's errors.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_PREPROCESSORSIDES_H
#define ABI3PORT_PREPROCESSORSIDES_H

#include "transforms/Audit.h"
#include "transforms/Finding.h"
#include "transforms/Frontend.h"
#include "transforms/SourceMapping.h"
#include "transforms/api/ApiKnowledge.h"

#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace abi3port {

/// A stretch of a user file the preprocessor skipped.
struct SkippedRegion {
  std::string File;                ///< canonical path
  unsigned BeginLine = 0;          ///< the directive that starts skipping
  unsigned EndLine = 0;            ///< the directive that ends it
  /// The directive, and for an #else or #elif its #if: file name, line,
  /// text (`#ifndef Py_LIMITED_API`).
  struct Directive {
    std::string FileName;
    unsigned Line = 0;
    std::string Text;
  };
  Directive Start;
  std::optional<Directive> Opening;
  /// `x.c:14 '#else' of x.c:12 '#ifndef Py_LIMITED_API'`; without lines
  /// `'#else' of '#ifndef Py_LIMITED_API'` (and the file name when it is not
  /// `InFile`'s), for a report positioned in rewritten text.
  std::string describe(bool WithLines, llvm::StringRef InFile = "") const;
  /// Strictly between the two directive lines.
  bool contains(llvm::StringRef Path, unsigned Line) const {
    return Path == File && BeginLine < Line && Line < EndLine;
  }
};

/// What the preprocessor did in the user's files during one parse.
struct PreprocessorSide {
  std::vector<SkippedRegion> Skipped;
  /// A user conditional tests Py_LIMITED_API or a macro of a CPython header
  /// the limited headers do not define: the other build may see other code.
  bool DependsOnLimited = false;
  /// Py_LIMITED_API was defined by a user file or the command line: this
  /// parse already is the limited build's.
  bool LimitedDefined = false;
  bool needsLimitedParse() const { return DependsOnLimited && !LimitedDefined; }
  const SkippedRegion *regionAt(llvm::StringRef File, unsigned Line) const;
};

/// Fills a `PreprocessorSide` at the end of the main file; also keeps the
/// skipped ranges as clang ranges, for rules (PortContext::SkippedRanges).
class PreprocessorSideRecorder : public clang::PPCallbacks {
public:
  PreprocessorSideRecorder(clang::Preprocessor &PP, llvm::StringRef PythonIncludeDir,
                           const LimitedSurface &Surface, PreprocessorSide &Out);

  /// User-file ranges skipped so far (`#if 0`, `#ifdef X` without X).
  const std::vector<clang::SourceRange> &skippedRanges() const { return Ranges; }

  void SourceRangeSkipped(clang::SourceRange Range, clang::SourceLocation EndifLoc) override;
  void If(clang::SourceLocation Loc, clang::SourceRange ConditionRange,
          ConditionValueKind) override;
  void Elif(clang::SourceLocation Loc, clang::SourceRange ConditionRange, ConditionValueKind,
            clang::SourceLocation IfLoc) override;
  void Ifdef(clang::SourceLocation Loc, const clang::Token &MacroNameTok,
             const clang::MacroDefinition &MD) override;
  void Ifndef(clang::SourceLocation Loc, const clang::Token &MacroNameTok,
              const clang::MacroDefinition &MD) override;
  void Elifdef(clang::SourceLocation Loc, const clang::Token &MacroNameTok,
               const clang::MacroDefinition &MD) override;
  void Elifdef(clang::SourceLocation Loc, clang::SourceRange ConditionRange,
               clang::SourceLocation IfLoc) override;
  void Elifndef(clang::SourceLocation Loc, const clang::Token &MacroNameTok,
                const clang::MacroDefinition &MD) override;
  void Elifndef(clang::SourceLocation Loc, clang::SourceRange ConditionRange,
                clang::SourceLocation IfLoc) override;
  void Else(clang::SourceLocation Loc, clang::SourceLocation IfLoc) override;
  void MacroDefined(const clang::Token &MacroNameTok, const clang::MacroDirective *MD) override;
  void EndOfMainFile() override;

private:
  /// Notes a conditional whose outcome may differ under the Limited API.
  void testsName(clang::SourceLocation Loc, llvm::StringRef Name,
                 const clang::MacroInfo *MI);
  void testsCondition(clang::SourceLocation Loc);
  void opens(clang::SourceLocation Loc, clang::SourceLocation IfLoc);
  SkippedRegion::Directive directiveAt(clang::SourceLocation Loc) const;

  clang::Preprocessor &PP;
  FileClassifier Files;
  const LimitedSurface &Surface;
  PreprocessorSide &Out;
  std::vector<clang::SourceRange> Ranges;
  std::vector<clang::SourceLocation> Named; ///< the directive of each Out.Skipped
  /// An #else/#elif line (file, line) -> its #if.
  std::map<std::pair<unsigned, unsigned>, clang::SourceLocation> Openings;
};

/// Adds a recorder to `PP` (which owns it) and returns it.
PreprocessorSideRecorder &recordPreprocessorSide(clang::Preprocessor &PP,
                                                 llvm::StringRef PythonIncludeDir,
                                                 const LimitedSurface &Surface,
                                                 PreprocessorSide &Out);

/// The audit of `check` (Audit.h) with a recorder of its parse's side.
std::unique_ptr<clang::tooling::FrontendActionFactory>
makeAuditSideActionFactory(const ApiKnowledge &Knowledge, const AuditOptions &Options,
                           std::vector<Finding> &Out, PreprocessorSide &Side);

/// The limited build's view of file I of `FE`.
struct LimitedSide {
  PreprocessorSide Side;
  std::vector<Finding> Findings;          ///< the audit's, when asked for
  std::vector<CompilerDiagnostic> Errors; ///< when the audit was asked for
};

/// Parses file I with `-DPy_LIMITED_API=<target>`: with `Audit`, the audit
/// runs on it; without, the file is only preprocessed. Thread-safe.
LimitedSide parseLimitedSide(const Frontend &FE, size_t I, const ApiKnowledge &Knowledge,
                             bool Audit);

/// Marks the findings in regions the limited build skips as `FullBuildOnly`
/// (not blocking), naming the directive in the message (with its line
/// unless the report is positioned in rewritten text).
void markFullBuildOnly(std::vector<Finding> &Findings, const PreprocessorSide &Limited,
                       bool WithLines = true);

/// The limited parse's findings and errors in regions the full parse
/// skipped; an error on a line a finding already covers is left out, and
/// only the first error of a line is kept.
std::vector<Finding> limitedOnlyFindings(const LimitedSide &Limited, const PreprocessorSide &Full,
                                         PythonVersion Target);

/// How many limited-side parses this process has run (for tests).
unsigned long limitedSideParses();

} // namespace abi3port

#endif
