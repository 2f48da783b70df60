//===- EditSetTest.cpp - merging, conflicts, diffs and safe writes --------===//
#include "transforms/edit/EditSet.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <sys/stat.h>

namespace abi3port {
namespace {

using clang::tooling::Replacement;

const std::string File = "/src/m.c";
const std::string Text = "int a = X(1);\nint b = Y(2);\nint c = 3;\n";

RuleEdit edit(const char *Rule, unsigned Offset, unsigned Length, const char *New) {
  return {Rule, Replacement(File, Offset, Length, New), "", {}};
}

std::vector<FileEdits> merge(const std::vector<RuleEdit> &Edits,
                             std::vector<EditConflict> &Conflicts) {
  EditSet Set;
  Set.addAll(Edits);
  return Set.merge({{File, Text}}, Conflicts);
}

TEST(EditSet, IdenticalEditsFromSeveralUnitsApplyOnce) {
  std::vector<EditConflict> Conflicts;
  auto Files = merge({edit("r", 8, 1, "Z"), edit("r", 8, 1, "Z")}, Conflicts);
  ASSERT_EQ(Files.size(), 1u);
  EXPECT_TRUE(Conflicts.empty());
  EXPECT_EQ(Files[0].Rewritten, "int a = Z(1);\nint b = Y(2);\nint c = 3;\n");
}

TEST(EditSet, NewLinesInACrlfFileAreCrlf) {
  const std::string Crlf = "int a;\r\nint b;\r\n";
  EditSet Set;
  Set.add({"r", Replacement(File, 8, 0, "int x;\nint y;\r\n"), "", {}});
  std::vector<EditConflict> Conflicts;
  auto Files = Set.merge({{File, Crlf}}, Conflicts);
  ASSERT_EQ(Files.size(), 1u);
  EXPECT_EQ(Files[0].Rewritten, "int a;\r\nint x;\r\nint y;\r\nint b;\r\n");
}

TEST(EditSet, NewLinesInAnLfFileStayLf) {
  std::vector<EditConflict> Conflicts;
  auto Files = merge({edit("r", 14, 0, "int x;\n")}, Conflicts);
  ASSERT_EQ(Files.size(), 1u);
  EXPECT_EQ(Files[0].Rewritten, "int a = X(1);\nint x;\nint b = Y(2);\nint c = 3;\n");
}

TEST(EditSet, OverlappingEditsConflictAndNeitherApplies) {
  std::vector<EditConflict> Conflicts;
  auto Files = merge({edit("rule-a", 8, 4, "P(1)"), edit("rule-b", 10, 1, "9"),
                      edit("rule-c", 22, 1, "W")},
                     Conflicts);
  ASSERT_EQ(Conflicts.size(), 1u);
  EXPECT_EQ(Conflicts[0].RuleA, "rule-a");
  EXPECT_EQ(Conflicts[0].RuleB, "rule-b");
  ASSERT_EQ(Files.size(), 1u);
  EXPECT_EQ(Files[0].Rewritten, "int a = X(1);\nint b = W(2);\nint c = 3;\n");
}

TEST(EditSet, TwoInsertionsAtOnePointConflict) {
  std::vector<EditConflict> Conflicts;
  merge({edit("a", 0, 0, "x"), edit("b", 0, 0, "y")}, Conflicts);
  EXPECT_EQ(Conflicts.size(), 1u);
}

TEST(EditSet, UnifiedDiffAppliesWithContext) {
  std::vector<EditConflict> Conflicts;
  auto Files = merge({edit("r", 22, 1, "W")}, Conflicts);
  ASSERT_EQ(Files.size(), 1u);
  EXPECT_EQ(unifiedDiff(Files[0], "m.c"), "--- a/m.c\n+++ b/m.c\n@@ -1,3 +1,3 @@\n"
                                          " int a = X(1);\n-int b = Y(2);\n+int b = W(2);\n"
                                          " int c = 3;\n");
}

TEST(EditSet, LineAndColumn) {
  EXPECT_EQ(lineAndColumn(Text, 0), std::make_pair(1u, 1u));
  EXPECT_EQ(lineAndColumn(Text, 22), std::make_pair(2u, 9u));
}

class AtomicWrite : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("abi3port-write", Dir));
    Path = (Dir + "/m.c").str();
    write(Path, "old\n");
    ::chmod(Path.c_str(), 0640);
  }
  void TearDown() override {
    ::chmod(Dir.c_str(), 0755);
    llvm::sys::fs::remove_directories(Dir);
  }
  static void write(const std::string &P, const char *S) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    OS << S;
  }
  static std::string read(const std::string &P) {
    return (*llvm::MemoryBuffer::getFile(P))->getBuffer().str();
  }
  llvm::SmallString<128> Dir;
  std::string Path;
};

TEST_F(AtomicWrite, ReplacesContentsAndKeepsMode) {
  ASSERT_FALSE(bool(writeAtomically(Path, "old\n", "new\n")));
  EXPECT_EQ(read(Path), "new\n");
  struct stat St;
  ASSERT_EQ(::stat(Path.c_str(), &St), 0);
  EXPECT_EQ(St.st_mode & 0777, 0640u);
}

TEST_F(AtomicWrite, RefusesAFileChangedSinceItWasRead) {
  write(Path, "edited by someone else\n");
  llvm::Error Err = writeAtomically(Path, "old\n", "new\n");
  ASSERT_TRUE(bool(Err));
  EXPECT_NE(llvm::toString(std::move(Err)).find("changed on disk"), std::string::npos);
  EXPECT_EQ(read(Path), "edited by someone else\n");
}

TEST_F(AtomicWrite, UnwritableDirectoryLosesNothing) {
  // Root ignores permission bits, so as root use a read-only file system.
  std::string Target = Path;
  if (::geteuid() == 0)
    Target = "/proc/version";
  else
    ::chmod(Dir.c_str(), 0555);
  std::string Before = read(Target);
  llvm::Error Err = writeAtomically(Target, Before, "new\n");
  ASSERT_TRUE(bool(Err));
  EXPECT_NE(llvm::toString(std::move(Err)).find("temporary file"), std::string::npos);
  EXPECT_EQ(read(Target), Before);
}

TEST_F(AtomicWrite, LeavesNoTemporaryFileBehind) {
  ASSERT_FALSE(bool(writeAtomically(Path, "old\n", "new\n")));
  std::error_code EC;
  unsigned Count = 0;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
    ++Count;
  EXPECT_EQ(Count, 1u);
}

} // namespace
TEST(LineTable, AgreesWithScanningTheText) {
  for (llvm::StringRef Text : {"", "a", "a\n", "\n\n", "ab\ncd\n\nlast", "x\r\ny\r\n"}) {
    LineTable Lines(Text);
    for (unsigned Offset = 0; Offset <= Text.size() + 1; ++Offset) {
      auto Expected = lineAndColumn(Text, Offset);
      EXPECT_EQ(Lines.lineAndColumn(Offset), Expected) << Text.str() << " @" << Offset;
      if (Offset <= Text.size()) {
        EXPECT_EQ(Lines.offsetOf(Expected.first, Expected.second), Offset) << Text.str();
      }
    }
  }
  LineTable Lines("ab\ncd");
  EXPECT_EQ(Lines.offsetOf(9, 1), 5u); // past the last line: the end
  EXPECT_EQ(Lines.offsetOf(2, 40), 5u); // past the end of the text: clamped
}

} // namespace abi3port
