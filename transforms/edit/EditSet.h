//===- EditSet.h - Edits from every translation unit, merged --------------===//
///
/// \file
/// The edit engine. Rules propose `RuleEdit`s (a `tooling::Replacement` plus
/// the id of the rule that made it). `EditSet` gathers them from every
/// translation unit and then, per file:
///
///   - drops identical edits proposed twice (a header included by several
///     translation units is edited once);
///   - finds conflicts: overlapping edits that differ. Neither is applied,
///     nor any other edit of their groups; each conflict is reported as
///     file:line:col with both rule ids;
///   - applies what is left to the text that was read, all or nothing.
///
/// Writing is separate (`writeAtomically`), and so is rendering a unified
/// diff (`unifiedDiff`), which works from the replacements themselves.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_EDIT_EDITSET_H
#define ABI3PORT_EDIT_EDITSET_H

#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/Error.h"
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace abi3port {

struct RuleEdit {
  std::string Rule;
  clang::tooling::Replacement Replacement; ///< FilePath is a canonical path
  /// Edits with the same non-empty group are one change: if one of them
  /// conflicts, none of them applies (AtomicChange's all-or-nothing).
  std::string Group;
  /// Names of static types this edit assumes are converted to heap types
  /// (see rules/TypeObjectToSpec.cpp); the driver drops the edit's group
  /// when one of them is not.
  std::vector<std::string> Assumes;
  /// Names of static types of which at least one must be converted for this
  /// edit to be of use (a helper the conversions share); dropped otherwise.
  std::vector<std::string> AssumesAny = {};
  /// Edits of earlier rules inside this edit's range, which its text
  /// already contains (PortContext::replaceComposed): if this edit is
  /// withdrawn (Verify.h), they apply again.
  std::vector<RuleEdit> Replaced = {};
};

struct EditConflict {
  std::string File;
  unsigned Offset = 0;
  std::string RuleA, RuleB;
};

/// The merged result for one file.
/// The line starts of one text: line/column and offsets in O(log n) and
/// O(1), where scanning from byte 0 made positions quadratic in big files.
class LineTable {
public:
  explicit LineTable(llvm::StringRef Text);
  /// 1-based line and column of a byte offset (as lineAndColumn).
  std::pair<unsigned, unsigned> lineAndColumn(unsigned Offset) const;
  /// Byte offset of a 1-based line and column, clamped to the text.
  unsigned offsetOf(unsigned Line, unsigned Column) const;

private:
  std::vector<unsigned> Starts; ///< offset of each line's first byte
  unsigned Size;
};

struct FileEdits {
  std::string File;
  std::string Original;                  ///< text as read before parsing
  clang::tooling::Replacements Applied;  ///< non-conflicting, de-duplicated
  std::vector<RuleEdit> AppliedEdits;    ///< the same edits, with their rule ids
  std::string Rewritten;                 ///< Original with Applied

  /// Line tables of the two texts, built on first use: only once the texts
  /// are final (after EditSet::merge).
  const LineTable &originalLines() const { return lines(OriginalTable, Original); }
  const LineTable &rewrittenLines() const { return lines(RewrittenTable, Rewritten); }

private:
  static const LineTable &lines(std::shared_ptr<const LineTable> &Table, llvm::StringRef Text) {
    if (!Table)
      Table = std::make_shared<const LineTable>(Text);
    return *Table;
  }
  mutable std::shared_ptr<const LineTable> OriginalTable, RewrittenTable;
};

class EditSet {
public:
  void add(RuleEdit Edit) { Edits.push_back(std::move(Edit)); }
  void addAll(const std::vector<RuleEdit> &More) {
    Edits.insert(Edits.end(), More.begin(), More.end());
  }
  const std::vector<RuleEdit> &edits() const { return Edits; }

  /// Merges the edits of each file against its original text
  /// (`Originals[path]`). Conflicts are appended to `Conflicts`.
  std::vector<FileEdits> merge(const std::map<std::string, std::string> &Originals,
                               std::vector<EditConflict> &Conflicts) const;

private:
  std::vector<RuleEdit> Edits;
};

/// 1-based line and column of a byte offset.
std::pair<unsigned, unsigned> lineAndColumn(llvm::StringRef Text, unsigned Offset);

/// A unified diff (`--- a/path`, `+++ b/path`, 3 lines of context) of one
/// file, `git apply`-able; `DisplayPath` is the path shown after a/ and b/.
std::string unifiedDiff(const FileEdits &File, llvm::StringRef DisplayPath);

/// Replaces `Path` with `Contents` through a temporary file in the same
/// directory and a rename, keeping the file's permission bits. Refuses when
/// the file on disk no longer equals `Expected` (it changed since we read it).
llvm::Error writeAtomically(llvm::StringRef Path, llvm::StringRef Expected,
                            llvm::StringRef Contents);

} // namespace abi3port

#endif
