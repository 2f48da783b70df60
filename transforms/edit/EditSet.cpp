#include "transforms/edit/EditSet.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <set>

using clang::tooling::Replacement;

namespace abi3port {
namespace {

bool sameEdit(const Replacement &A, const Replacement &B) {
  return A.getOffset() == B.getOffset() && A.getLength() == B.getLength() &&
         A.getReplacementText() == B.getReplacementText();
}

/// Two edits touch the same text: they overlap, or they insert at the same
/// point (their order would be a guess).
bool collide(const Replacement &A, const Replacement &B) {
  unsigned AEnd = A.getOffset() + A.getLength(), BEnd = B.getOffset() + B.getLength();
  if (A.getLength() == 0 && B.getLength() == 0)
    return A.getOffset() == B.getOffset();
  if (A.getLength() == 0)
    return A.getOffset() > B.getOffset() && A.getOffset() < BEnd;
  if (B.getLength() == 0)
    return B.getOffset() > A.getOffset() && B.getOffset() < AEnd;
  return A.getOffset() < BEnd && B.getOffset() < AEnd;
}

/// Whether a text ends its lines with "\r\n" (most of them do).
bool usesCrlf(llvm::StringRef Text) {
  size_t Lines = Text.count('\n'), Crlf = Text.count("\r\n");
  return Lines > 0 && Crlf * 2 > Lines;
}

/// The replacement with its new lines ended as the file ends them.
Replacement withLineEndings(const Replacement &R, bool Crlf) {
  llvm::StringRef Text = R.getReplacementText();
  if (!Crlf || !Text.contains('\n'))
    return R;
  std::string Out;
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] == '\n' && (I == 0 || Text[I - 1] != '\r'))
      Out += '\r';
    Out += Text[I];
  }
  return Replacement(R.getFilePath(), R.getOffset(), R.getLength(), Out);
}

} // namespace

std::vector<FileEdits> EditSet::merge(const std::map<std::string, std::string> &Originals,
                                      std::vector<EditConflict> &Conflicts) const {
  std::map<std::string, std::vector<const RuleEdit *>> ByFile;
  for (const RuleEdit &E : Edits)
    ByFile[E.Replacement.getFilePath().str()].push_back(&E);

  // First pass: which groups have a conflicting edit, in any file.
  std::set<std::string> BrokenGroups;
  std::map<std::string, std::vector<const RuleEdit *>> UniqueByFile;
  for (auto &[File, List] : ByFile) {
    std::stable_sort(List.begin(), List.end(), [](const RuleEdit *A, const RuleEdit *B) {
      return A->Replacement.getOffset() < B->Replacement.getOffset();
    });
    std::vector<const RuleEdit *> &Unique = UniqueByFile[File];
    for (const RuleEdit *E : List)
      if (llvm::none_of(Unique, [&](const RuleEdit *U) {
            return sameEdit(U->Replacement, E->Replacement);
          }))
        Unique.push_back(E);
    for (size_t I = 0; I < Unique.size(); ++I)
      for (size_t J = I + 1; J < Unique.size(); ++J) {
        if (!collide(Unique[I]->Replacement, Unique[J]->Replacement))
          continue;
        for (const RuleEdit *E : {Unique[I], Unique[J]})
          if (!E->Group.empty())
            BrokenGroups.insert(E->Group);
        Conflicts.push_back({File, Unique[J]->Replacement.getOffset(), Unique[I]->Rule,
                             Unique[J]->Rule});
      }
  }
  auto Dropped = [&](const std::vector<const RuleEdit *> &Unique, size_t I) {
    if (BrokenGroups.count(Unique[I]->Group))
      return true;
    for (size_t J = 0; J < Unique.size(); ++J)
      if (J != I && collide(Unique[I]->Replacement, Unique[J]->Replacement))
        return true;
    return false;
  };

  std::vector<FileEdits> Out;
  for (auto &[File, Unique] : UniqueByFile) {
    auto Original = Originals.find(File);
    if (Original == Originals.end())
      continue;
    FileEdits F;
    F.File = File;
    F.Original = Original->second;
    bool Crlf = usesCrlf(F.Original);
    for (size_t I = 0; I < Unique.size(); ++I) {
      if (Dropped(Unique, I))
        continue;
      RuleEdit Edit = *Unique[I];
      Edit.Replacement = withLineEndings(Edit.Replacement, Crlf);
      if (llvm::Error Err = F.Applied.add(Edit.Replacement)) {
        llvm::consumeError(std::move(Err)); // cannot happen after the collision check
        continue;
      }
      F.AppliedEdits.push_back(std::move(Edit));
    }
    llvm::Expected<std::string> Rewritten =
        clang::tooling::applyAllReplacements(F.Original, F.Applied);
    if (!Rewritten) {
      llvm::consumeError(Rewritten.takeError());
      continue; // all or nothing: leave the file alone
    }
    F.Rewritten = std::move(*Rewritten);
    if (F.Rewritten != F.Original)
      Out.push_back(std::move(F));
  }
  return Out;
}

LineTable::LineTable(llvm::StringRef Text) : Size(Text.size()) {
  Starts.push_back(0);
  for (size_t At = Text.find('\n'); At != llvm::StringRef::npos; At = Text.find('\n', At + 1))
    Starts.push_back(At + 1);
}

std::pair<unsigned, unsigned> LineTable::lineAndColumn(unsigned Offset) const {
  Offset = std::min(Offset, Size);
  unsigned Line = std::upper_bound(Starts.begin(), Starts.end(), Offset) - Starts.begin();
  return {Line, Offset - Starts[Line - 1] + 1};
}

unsigned LineTable::offsetOf(unsigned Line, unsigned Column) const {
  if (Line == 0 || Line > Starts.size())
    return Size;
  return std::min<unsigned>(Starts[Line - 1] + Column - 1, Size);
}

std::pair<unsigned, unsigned> lineAndColumn(llvm::StringRef Text, unsigned Offset) {
  Offset = std::min<unsigned>(Offset, Text.size());
  llvm::StringRef Before = Text.take_front(Offset);
  unsigned Line = 1 + Before.count('\n');
  size_t LastNewline = Before.rfind('\n');
  unsigned Column = LastNewline == llvm::StringRef::npos ? Offset + 1 : Offset - LastNewline;
  return {Line, Column};
}

namespace {

/// Byte offsets of the start of every line, plus one past the end.
std::vector<unsigned> lineStarts(llvm::StringRef Text) {
  std::vector<unsigned> Starts = {0};
  for (unsigned I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n' && I + 1 < Text.size())
      Starts.push_back(I + 1);
  Starts.push_back(Text.size());
  return Starts;
}

unsigned lineOf(const std::vector<unsigned> &Starts, unsigned Offset) {
  return std::upper_bound(Starts.begin(), Starts.end() - 1, Offset) - Starts.begin() - 1;
}

/// The lines of a text, each with its '\n' if it has one.
std::vector<llvm::StringRef> splitKeepingNewlines(llvm::StringRef Text) {
  std::vector<llvm::StringRef> Lines;
  while (!Text.empty()) {
    size_t End = Text.find('\n');
    End = End == llvm::StringRef::npos ? Text.size() : End + 1;
    Lines.push_back(Text.take_front(End));
    Text = Text.drop_front(End);
  }
  return Lines;
}

void emitLine(llvm::raw_ostream &OS, char Prefix, llvm::StringRef Line) {
  OS << Prefix << Line;
  if (!Line.ends_with("\n"))
    OS << "\n\\ No newline at end of file\n";
}

/// A minimal line diff of two short texts (a hunk): ' ', '-' and '+' lines,
/// from the longest common subsequence.
std::vector<std::pair<char, llvm::StringRef>>
diffLines(const std::vector<llvm::StringRef> &Old, const std::vector<llvm::StringRef> &New) {
  size_t N = Old.size(), M = New.size();
  std::vector<std::vector<unsigned>> Common(N + 1, std::vector<unsigned>(M + 1, 0));
  for (size_t I = N; I-- > 0;)
    for (size_t J = M; J-- > 0;)
      Common[I][J] = Old[I] == New[J] ? Common[I + 1][J + 1] + 1
                                      : std::max(Common[I + 1][J], Common[I][J + 1]);
  std::vector<std::pair<char, llvm::StringRef>> Out;
  size_t I = 0, J = 0;
  while (I < N || J < M) {
    if (I < N && J < M && Old[I] == New[J]) {
      Out.push_back({' ', Old[I]});
      ++I, ++J;
    } else if (J < M && (I == N || Common[I][J + 1] >= Common[I + 1][J])) {
      Out.push_back({'+', New[J++]});
    } else {
      Out.push_back({'-', Old[I++]});
    }
  }
  // Keep each run of changes as all removals, then all additions.
  for (size_t K = 0; K < Out.size();) {
    size_t End = K;
    while (End < Out.size() && Out[End].first != ' ')
      ++End;
    std::stable_partition(Out.begin() + K, Out.begin() + End,
                          [](const auto &P) { return P.first == '-'; });
    K = End + 1;
  }
  return Out;
}

} // namespace

std::string unifiedDiff(const FileEdits &File, llvm::StringRef DisplayPath) {
  const unsigned Context = 3;
  llvm::StringRef Old = File.Original;
  std::vector<unsigned> Starts = lineStarts(Old);
  unsigned LastLine = Starts.size() - 2;
  // Each replacement touches whole lines [First, Last] of the original.
  struct Span { unsigned First, Last; };
  std::vector<std::pair<Span, std::vector<Replacement>>> Hunks;
  for (const Replacement &R : File.Applied) {
    unsigned First = lineOf(Starts, R.getOffset());
    unsigned End = R.getOffset() + R.getLength();
    unsigned Last = R.getLength() ? lineOf(Starts, End - 1) : First;
    unsigned From = First >= Context ? First - Context : 0;
    unsigned To = std::min(Last + Context, LastLine);
    if (!Hunks.empty() && From <= Hunks.back().first.Last + 1) {
      Hunks.back().first.Last = std::max(Hunks.back().first.Last, To);
      Hunks.back().second.push_back(R);
    } else {
      Hunks.push_back({{From, To}, {R}});
    }
  }
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << "--- a/" << DisplayPath << "\n+++ b/" << DisplayPath << "\n";
  int Shift = 0; // new line number minus old line number, before the hunk
  for (auto &[Lines, Repls] : Hunks) {
    unsigned Begin = Starts[Lines.First], End = Starts[Lines.Last + 1];
    std::string NewText;
    unsigned Cursor = Begin;
    for (const Replacement &R : Repls) {
      NewText += Old.slice(Cursor, R.getOffset()).str();
      NewText += R.getReplacementText().str();
      Cursor = R.getOffset() + R.getLength();
    }
    NewText += Old.slice(Cursor, End).str();
    std::vector<llvm::StringRef> O = splitKeepingNewlines(Old.slice(Begin, End));
    std::vector<llvm::StringRef> N = splitKeepingNewlines(NewText);
    unsigned OldCount = O.size(), NewCount = N.size();
    OS << "@@ -" << Lines.First + 1 << "," << OldCount << " +"
       << int(Lines.First + 1) + Shift << "," << NewCount << " @@\n";
    for (const auto &[Kind, Line] : diffLines(O, N))
      emitLine(OS, Kind, Line);
    Shift += int(NewCount) - int(OldCount);
  }
  return Out;
}

llvm::Error writeAtomically(llvm::StringRef Path, llvm::StringRef Expected,
                            llvm::StringRef Contents) {
  auto Current = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
  if (!Current)
    return llvm::createStringError(Path + ": cannot read it again: " +
                                   Current.getError().message());
  if ((*Current)->getBuffer() != Expected)
    return llvm::createStringError(Path + ": changed on disk since it was read; not written");
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(Path, Status))
    return llvm::createStringError(Path + ": " + EC.message());
  llvm::SmallString<256> Temp;
  int FD = -1;
  llvm::SmallString<256> Model(llvm::sys::path::parent_path(Path));
  llvm::sys::path::append(Model, "." + llvm::sys::path::filename(Path) + ".abi3port-%%%%%%");
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Model, FD, Temp))
    return llvm::createStringError(Path + ": cannot create a temporary file beside it: " +
                                   EC.message());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Contents;
    OS.flush();
    if (OS.has_error()) {
      llvm::sys::fs::remove(Temp);
      return llvm::createStringError(Path + ": writing failed: " + OS.error().message());
    }
  }
  if (std::error_code EC = llvm::sys::fs::setPermissions(Temp, Status.permissions())) {
    llvm::sys::fs::remove(Temp);
    return llvm::createStringError(Path + ": " + EC.message());
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    llvm::sys::fs::remove(Temp);
    return llvm::createStringError(Path + ": rename failed: " + EC.message());
  }
  return llvm::Error::success();
}

} // namespace abi3port
