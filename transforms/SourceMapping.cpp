#include "transforms/SourceMapping.h"
#include "transforms/edit/ProtectedFiles.h"

#include "clang/Lex/Lexer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace abi3port {

FileClassifier::FileClassifier(const SourceManager &SM, llvm::StringRef PythonIncludeDir)
    : SM(SM), IncludeDir(PythonIncludeDir.str()) {
  if (!IncludeDir.empty() && IncludeDir.back() != '/')
    IncludeDir += '/';
}

bool FileClassifier::isPythonPath(llvm::StringRef RealPath) const {
  return !IncludeDir.empty() && RealPath.starts_with(IncludeDir);
}

FileClassifier::Owner FileClassifier::ownerOf(FileID FID) const {
  auto [It, Inserted] = Cache.try_emplace(FID.getHashValue(), Owner::Other);
  if (!Inserted)
    return It->second;
  OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID);
  if (!FE)
    return It->second;
  llvm::StringRef Real = FE->getFileEntry().tryGetRealPathName();
  if (isPythonPath(Real))
    It->second = Owner::Python;
  else if (SM.getFileCharacteristic(SM.getLocForStartOfFile(FID)) == SrcMgr::C_User)
    It->second = Owner::User;
  return It->second;
}

bool FileClassifier::isPython(SourceLocation Loc) const {
  if (Loc.isInvalid())
    return false;
  return ownerOf(SM.getFileID(SM.getSpellingLoc(Loc))) == Owner::Python;
}

bool FileClassifier::isStructmemberHeader(SourceLocation Loc) const {
  if (!isPython(Loc))
    return false;
  OptionalFileEntryRef FE = SM.getFileEntryRefForID(SM.getFileID(SM.getSpellingLoc(Loc)));
  return FE && llvm::sys::path::filename(FE->getName()) == "structmember.h";
}

bool FileClassifier::isInstalledHeader(SourceLocation Loc) const {
  if (Loc.isInvalid())
    return false;
  FileID FID = SM.getFileID(SM.getSpellingLoc(Loc));
  auto [It, Inserted] = Installed.try_emplace(FID.getHashValue(), false);
  if (Inserted)
    if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID))
      It->second = installedHeaderReason(canonicalPath(FE->getName())).has_value();
  return It->second;
}

bool FileClassifier::isUser(SourceLocation Loc) const {
  if (Loc.isInvalid() || !Loc.isFileID())
    return false;
  return ownerOf(SM.getFileID(Loc)) == Owner::User;
}

std::vector<EnteredFileID> filesEntered(const SourceManager &SM) {
  std::vector<EnteredFileID> Out;
  for (unsigned I = 1, N = SM.local_sloc_entry_size(); I < N; ++I) {
    const SrcMgr::SLocEntry &E = SM.getLocalSLocEntry(I);
    if (E.isFile())
      Out.push_back({SM.getFileID(SourceLocation::getFromRawEncoding(E.getOffset())),
                     E.getFile().getIncludeLoc()});
  }
  return Out;
}

std::string canonicalPath(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(Path, Real))
    return std::string(Real);
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

SourcePosition positionOf(const SourceManager &SM, const LangOptions &LO,
                          CharSourceRange Range) {
  SourcePosition P;
  SourceLocation Begin = SM.getFileLoc(Range.getBegin());
  SourceLocation End = SM.getFileLoc(Range.getEnd());
  if (Range.isTokenRange())
    End = Lexer::getLocForEndOfToken(End, 0, SM, LO);
  // End is one past the construct; step back to its last character.
  if (End.isValid() && SM.getFileOffset(End) > SM.getFileOffset(Begin))
    End = End.getLocWithOffset(-1);
  else
    End = Begin;
  FileID FID = SM.getFileID(Begin);
  if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID)) {
    llvm::StringRef Real = FE->getFileEntry().tryGetRealPathName();
    P.File = Real.empty() ? canonicalPath(FE->getName()) : Real.str();
  }
  P.Line = SM.getSpellingLineNumber(Begin);
  P.Column = SM.getSpellingColumnNumber(Begin);
  P.EndLine = SM.getSpellingLineNumber(End);
  P.EndColumn = SM.getSpellingColumnNumber(End);
  return P;
}

} // namespace abi3port
