#include "CaseFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include <algorithm>

namespace abi3port::test {
namespace {

/// Turns `:[[@LINE-1]]:17: text{{re}}` into an anchored regex.
std::string toRegex(llvm::StringRef Text, unsigned DirectiveLine) {
  std::string Out = "^";
  while (!Text.empty()) {
    size_t Line = Text.find("[[@LINE");
    size_t Re = Text.find("{{");
    size_t Next = std::min(Line, Re);
    Out += llvm::Regex::escape(Text.take_front(Next));
    if (Next == llvm::StringRef::npos)
      break;
    Text = Text.drop_front(Next);
    if (Next == Line) {
      size_t Close = Text.find("]]");
      llvm::StringRef Expr = Text.slice(7, Close); // "-1", "+2" or ""
      int Offset = 0;
      if (!Expr.empty())
        Expr.consume_front("+"), Expr.getAsInteger(10, Offset);
      Out += std::to_string(int(DirectiveLine) + Offset);
      Text = Text.drop_front(Close + 2);
    } else {
      size_t Close = Text.find("}}");
      Out += "(" + Text.slice(2, Close).str() + ")";
      Text = Text.drop_front(Close + 2);
    }
  }
  return Out + "$";
}

} // namespace

CaseFile parseCaseFile(const std::string &Path) {
  CaseFile Case;
  Case.Path = Path;
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return Case;
  llvm::SmallVector<llvm::StringRef> Lines;
  (*Buffer)->getBuffer().split(Lines, '\n');
  for (unsigned I = 0; I < Lines.size(); ++I) {
    llvm::StringRef Line = Lines[I].trim();
    if (!Line.consume_front("//"))
      continue;
    Line = Line.trim();
    if (Line.consume_front("ARGS:")) {
      llvm::SmallVector<llvm::StringRef> Words;
      Line.split(Words, ' ', -1, false);
      for (size_t W = 0; W + 1 < Words.size(); ++W)
        if (Words[W] == "--target")
          Case.Target = Words[W + 1].str();
        else if (Words[W] == "--state")
          Case.State = Words[W + 1].str();
    } else if (Line.consume_front("CHECK-IGNORE:")) {
      Case.IgnoredRules.push_back(Line.trim().str());
    } else if (Line.consume_front("CHECK-MESSAGES:")) {
      Case.Expected.push_back({I + 1, toRegex(Line.trim(), I + 1)});
    } else if (Line.consume_front("CHECK-FIXES-NOT:")) {
      Case.AbsentFixes.push_back({I + 1, Line.trim().str()});
    } else if (Line.consume_front("CHECK-FIXES:")) {
      Case.Fixes.push_back({I + 1, Line.trim().str()});
    } else if (Line.consume_front("CHECK-MANUAL:")) {
      std::string Pattern = toRegex(Line.trim(), I + 1);
      // Unanchored after the line number: the message is matched as a search.
      Pattern.pop_back();
      Case.Manual.push_back({I + 1, Pattern});
    }
  }
  return Case;
}

std::string renderForCheck(const Finding &F) {
  return ":" + std::to_string(F.Pos.Line) + ":" + std::to_string(F.Pos.Column) +
         ": warning: " + F.Message + (F.Fixable ? " (fixable)" : "") + " [" + F.Rule + "]";
}

std::vector<std::string> compareFixes(const CaseFile &Case, llvm::StringRef Rewritten) {
  std::vector<std::string> Problems;
  llvm::SmallVector<llvm::StringRef> Lines;
  Rewritten.split(Lines, '\n');
  size_t Next = 0;
  for (const ExpectedMessage &Fix : Case.Fixes) {
    bool Found = false;
    for (; Next < Lines.size() && !Found; ++Next)
      Found = !Lines[Next].contains("CHECK-") && Lines[Next].trim() == Fix.Pattern;
    if (!Found)
      Problems.push_back("line " + std::to_string(Fix.DirectiveLine) +
                         ": rewritten file has no line (in order) '" + Fix.Pattern + "'");
  }
  for (const ExpectedMessage &Absent : Case.AbsentFixes)
    for (llvm::StringRef Line : Lines)
      if (!Line.contains("CHECK-") && Line.trim() == Absent.Pattern)
        Problems.push_back("line " + std::to_string(Absent.DirectiveLine) +
                           ": rewritten file has the line '" + Absent.Pattern + "'");
  return Problems;
}

std::string renderManual(const Finding &F) {
  unsigned Line = F.OriginalPos ? F.OriginalPos->Line : F.Pos.Line;
  return std::to_string(Line) + " " + F.Message + " [" + F.Rule + "]";
}

std::string caseTestName(llvm::StringRef Path) {
  std::string Name = (llvm::sys::path::filename(llvm::sys::path::parent_path(Path)) + "_" +
                      llvm::sys::path::stem(Path))
                         .str();
  for (char &C : Name)
    if (!isalnum(static_cast<unsigned char>(C)))
      C = '_';
  return Name;
}

std::vector<std::string> findCaseFiles(const std::string &Dir) {
  std::vector<std::string> Files;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::StringRef Ext = llvm::sys::path::extension(It->path());
    if (Ext == ".c" || Ext == ".cpp")
      Files.push_back(It->path());
  }
  llvm::sort(Files);
  return Files;
}

std::vector<std::string> compareWithExpectations(const CaseFile &Case,
                                                 const std::vector<Finding> &Findings) {
  std::vector<std::string> Problems;
  std::vector<bool> Used(Case.Expected.size(), false);
  for (const Finding &F : Findings) {
    if (llvm::is_contained(Case.IgnoredRules, F.Rule))
      continue;
    std::string Text = renderForCheck(F);
    bool Matched = false;
    for (size_t I = 0; I < Case.Expected.size() && !Matched; ++I) {
      if (Used[I] || !llvm::Regex(Case.Expected[I].Pattern).match(Text))
        continue;
      Used[I] = Matched = true;
    }
    if (!Matched)
      Problems.push_back("unexpected finding " + Text);
  }
  for (size_t I = 0; I < Case.Expected.size(); ++I)
    if (!Used[I])
      Problems.push_back("line " + std::to_string(Case.Expected[I].DirectiveLine) +
                         ": no finding matches " + Case.Expected[I].Pattern);
  return Problems;
}

} // namespace abi3port::test
