//===- SourceMapping.h - Whose text is this, and where is it? -------------===//
///
/// \file
/// `FileClassifier` sorts source locations into CPython headers, the user's
/// files, and everything else (system headers, the command line, scratch
/// buffers). `positionOf` turns a range into the 1-based line/column pair
/// that findings carry.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_SOURCEMAPPING_H
#define ABI3PORT_SOURCEMAPPING_H

#include "transforms/Finding.h"

#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include <string>
#include <vector>

namespace abi3port {

class FileClassifier {
public:
  /// `PythonIncludeDir` is a real path; a trailing slash is added.
  FileClassifier(const clang::SourceManager &SM, llvm::StringRef PythonIncludeDir);

  /// Spelled in a file below the CPython include directory.
  bool isPython(clang::SourceLocation Loc) const;
  /// Spelled in structmember.h.
  bool isStructmemberHeader(clang::SourceLocation Loc) const;
  /// A file location in one of the user's files: not CPython, not a system
  /// header, not a built-in buffer.
  bool isUser(clang::SourceLocation Loc) const;
  bool isPythonPath(llvm::StringRef RealPath) const;
  /// In a header another package installed (edit/ProtectedFiles.h:
  /// installedHeaderReason), which port never edits.
  bool isInstalledHeader(clang::SourceLocation Loc) const;
  const clang::SourceManager &sourceManager() const { return SM; }

private:
  enum class Owner : unsigned char { Python, User, Other };
  Owner ownerOf(clang::FileID FID) const;

  const clang::SourceManager &SM;
  std::string IncludeDir;
  mutable llvm::DenseMap<unsigned, Owner> Cache;
  mutable llvm::DenseMap<unsigned, bool> Installed; ///< by FileID
};

/// A file this parse entered (not one read from a PCH), and the location of
/// the `#include` that entered it (invalid for the main file).
struct EnteredFileID {
  clang::FileID File;
  clang::SourceLocation IncludeLoc;
};

/// The files this parse entered, in the order it entered them: an included
/// file comes after the file that includes it.
std::vector<EnteredFileID> filesEntered(const clang::SourceManager &SM);

/// The absolute, symlink-free path of a file, for stable finding keys.
std::string canonicalPath(llvm::StringRef Path);

/// File, line and column (1-based, bytes) of both ends of a range; the end
/// is the last character of the range.
SourcePosition positionOf(const clang::SourceManager &SM, const clang::LangOptions &LO,
                          clang::CharSourceRange Range);

} // namespace abi3port

#endif
