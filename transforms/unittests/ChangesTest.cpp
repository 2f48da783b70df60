//===- ChangesTest.cpp - change ids, refusals and text diffs --------------===//
#include "transforms/Changes.h"
#include "transforms/edit/TextDiff.h"

#include "llvm/ADT/StringExtras.h"
#include "gtest/gtest.h"

#include <random>

namespace abi3port {
namespace {

using clang::tooling::Replacement;

//===----------------------------------------------------------------------===//
// TextDiff
//===----------------------------------------------------------------------===//

/// Applies unified hunks to a text, checking every context and removed line
/// (as `git apply` would refuse a hunk that does not match).
std::string applyHunks(llvm::StringRef Old, llvm::StringRef Hunks) {
  std::vector<std::string> Lines;
  for (llvm::StringRef Rest = Old; !Rest.empty();) {
    size_t End = Rest.find('\n');
    End = End == llvm::StringRef::npos ? Rest.size() : End + 1;
    Lines.push_back(Rest.take_front(End).str());
    Rest = Rest.drop_front(End);
  }
  std::vector<std::string> Out;
  size_t Next = 0; // next line of Old to copy
  llvm::SmallVector<llvm::StringRef> HunkLines;
  Hunks.split(HunkLines, '\n');
  std::string *Last = nullptr;
  for (llvm::StringRef L : HunkLines) {
    if (L.starts_with("@@ -")) {
      unsigned Start = 0, Length = 0;
      llvm::StringRef Range = L.drop_front(4).split(' ').first;
      auto [S, N] = Range.split(',');
      S.getAsInteger(10, Start);
      N.getAsInteger(10, Length);
      size_t First = Length ? Start - 1 : Start;
      EXPECT_GE(First, Next) << "hunks overlap";
      while (Next < First)
        Out.push_back(Lines[Next++]);
      continue;
    }
    if (L.starts_with("\\ No newline")) {
      if (Last && llvm::StringRef(*Last).ends_with("\n"))
        Last->pop_back();
      continue;
    }
    if (L.empty())
      continue;
    std::string Line = L.drop_front().str() + "\n";
    if (L[0] == '+') {
      Out.push_back(Line);
      Last = &Out.back();
      continue;
    }
    EXPECT_LT(Next, Lines.size());
    if (Next >= Lines.size())
      return "";
    std::string Have = Lines[Next];
    if (!llvm::StringRef(Have).ends_with("\n"))
      Have += "\n"; // compared before the no-newline marker
    EXPECT_EQ(Have, Line) << "context or removed line does not match";
    ++Next;
    if (L[0] == ' ') {
      Out.push_back(Lines[Next - 1]);
      Last = &Out.back();
    } else {
      Last = nullptr;
    }
  }
  while (Next < Lines.size())
    Out.push_back(Lines[Next++]);
  // A kept last line without "\n" was pushed from Lines as is.
  std::string Text;
  for (const std::string &Line : Out)
    Text += Line;
  return Text;
}

TEST(TextDiff, EqualTextsHaveNoDiff) {
  EXPECT_EQ(unifiedTextDiff("a\nb\n", "a\nb\n", "m.c"), "");
}

TEST(TextDiff, OneChangedLineWithThreeLinesOfContext) {
  std::string Old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string New = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  EXPECT_EQ(unifiedTextDiff(Old, New, "src/m.c"),
            "diff --git a/src/m.c b/src/m.c\n--- a/src/m.c\n+++ b/src/m.c\n"
            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(TextDiff, DistantChangesAreTwoHunksNearOnesOne) {
  std::string Old, Far, Near;
  for (int I = 1; I <= 20; ++I)
    Old += std::to_string(I) + "\n";
  Far = Old, Near = Old;
  Far.replace(Far.find("2\n"), 2, "two\n");
  Far.replace(Far.find("19\n"), 3, "nineteen\n");
  Near.replace(Near.find("2\n"), 2, "two\n");
  Near.replace(Near.find("8\n"), 2, "eight\n");
  std::string FarHunks = unifiedTextHunks(Old, Far), NearHunks = unifiedTextHunks(Old, Near);
  EXPECT_EQ(llvm::StringRef(FarHunks).count("@@ -"), 2u) << FarHunks;
  EXPECT_EQ(llvm::StringRef(NearHunks).count("@@ -"), 1u) << NearHunks;
  EXPECT_EQ(applyHunks(Old, FarHunks), Far);
  EXPECT_EQ(applyHunks(Old, NearHunks), Near);
}

TEST(TextDiff, MissingNewlineAtEndIsMarked) {
  std::string Hunks = unifiedTextHunks("a\nb", "a\nc");
  EXPECT_EQ(Hunks, "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"
                   "\\ No newline at end of file\n");
  EXPECT_EQ(applyHunks("a\nb", Hunks), "a\nc");
  EXPECT_EQ(applyHunks("a\nb", unifiedTextHunks("a\nb", "a\nb\n")), "a\nb\n");
}

TEST(TextDiff, InsertionIntoAnEmptyFileAndDeletionOfAll) {
  EXPECT_EQ(unifiedTextHunks("", "x\n"), "@@ -0,0 +1,1 @@\n+x\n");
  EXPECT_EQ(unifiedTextHunks("x\n", ""), "@@ -1,1 +0,0 @@\n-x\n");
}

TEST(TextDiff, RandomEditsApplyBack) {
  std::mt19937 Random(12345);
  for (int Round = 0; Round < 300; ++Round) {
    std::vector<std::string> Lines;
    int N = Random() % 40;
    for (int I = 0; I < N; ++I)
      Lines.push_back("l" + std::to_string(Random() % 6) + "\n");
    std::string Old;
    for (const std::string &L : Lines)
      Old += L;
    std::vector<std::string> Edited = Lines;
    int Edits = Random() % 6;
    for (int E = 0; E < Edits; ++E) {
      size_t At = Edited.empty() ? 0 : Random() % (Edited.size() + 1);
      switch (Random() % 3) {
      case 0: Edited.insert(Edited.begin() + At, "new" + std::to_string(E) + "\n"); break;
      case 1: if (At < Edited.size()) Edited.erase(Edited.begin() + At); break;
      default: if (At < Edited.size()) Edited[At] = "changed\n";
      }
    }
    std::string New;
    for (const std::string &L : Edited)
      New += L;
    if (Round % 7 == 0 && !New.empty())
      New.pop_back(); // no newline at the end
    ASSERT_EQ(applyHunks(Old, unifiedTextHunks(Old, New)), New) << "round " << Round;
  }
}

//===----------------------------------------------------------------------===//
// Change groups
//===----------------------------------------------------------------------===//

const std::string File = "/src/m.c";

std::vector<FileEdits> merged(const std::string &Text, const std::vector<RuleEdit> &Edits) {
  EditSet Set;
  Set.addAll(Edits);
  std::vector<EditConflict> Conflicts;
  return Set.merge({{File, Text}}, Conflicts);
}

RuleEdit renameAt(const std::string &Text, const std::string &Old, const std::string &New,
                  size_t Occurrence = 0) {
  size_t At = Text.find(Old);
  while (Occurrence--)
    At = Text.find(Old, At + 1);
  return {"checked-calls", Replacement(File, At, Old.size(), New), "", {}};
}

std::vector<std::string> idsOf(const std::vector<ChangeGroup> &Changes) {
  std::vector<std::string> Ids;
  for (const ChangeGroup &C : Changes)
    Ids.push_back(C.Id);
  return Ids;
}

TEST(ChangeGroups, IdsComeFromNamesNotOffsets) {
  std::string Text = "x = PyList_GET_ITEM(a, 0);\ny = PyList_GET_ITEM(a, 0);\n";
  ChangeContext Ctx;
  auto Before = changeGroups(
      merged(Text, {renameAt(Text, "PyList_GET_ITEM", "PyList_GetItem", 0),
                    renameAt(Text, "PyList_GET_ITEM", "PyList_GetItem", 1)}),
      Ctx);
  ASSERT_EQ(Before.size(), 2u);
  EXPECT_NE(Before[0].Id, Before[1].Id) << "equal names, told apart by order";
  EXPECT_TRUE(llvm::StringRef(Before[0].Id).starts_with("checked-calls-"));
  std::string Moved = "/* a new comment */\n\n" + Text;
  auto After = changeGroups(
      merged(Moved, {renameAt(Moved, "PyList_GET_ITEM", "PyList_GetItem", 0),
                     renameAt(Moved, "PyList_GET_ITEM", "PyList_GetItem", 1)}),
      Ctx);
  EXPECT_EQ(idsOf(Before), idsOf(After));
  EXPECT_EQ(After[0].Line, 3u);
}

TEST(ChangeGroups, KnownIdsAreKeptAndNewOnesDoNotCollide) {
  std::string Text = "x = PyList_GET_ITEM(a, 0);\ny = PyList_GET_ITEM(a, 0);\n";
  ChangeContext Ctx;
  auto Offered = changeGroups(
      merged(Text, {renameAt(Text, "PyList_GET_ITEM", "PyList_GetItem", 0),
                    renameAt(Text, "PyList_GET_ITEM", "PyList_GetItem", 1)}),
      Ctx);
  std::map<std::string, std::string> Known = idsByUnit(Offered);
  Ctx.Known = &Known;
  // The first is refused: the second keeps its id.
  auto Final = changeGroups(merged(Text, {renameAt(Text, "PyList_GET_ITEM", "PyList_GetItem", 1)}), Ctx);
  ASSERT_EQ(Final.size(), 1u);
  EXPECT_EQ(Final[0].Id, Offered[1].Id);
}

TEST(ChangeGroups, EditsAssumingATypeAreItsChange) {
  std::string Text = "PyTypeObject T = {0};\nint f(void) { return T.tp_flags; }\n";
  RuleEdit Spec{"static-type-object", Replacement(File, 0, 20, "static PyType_Spec T_spec;"),
                "", {"T"}};
  RuleEdit Use{"type-slot-access", Replacement(File, Text.find("T.tp_flags"), 10,
                                               "PyType_GetFlags(T)"),
               "", {"T"}};
  ChangeContext Ctx;
  auto Changes = changeGroups(merged(Text, {Spec, Use}), Ctx);
  ASSERT_EQ(Changes.size(), 1u);
  EXPECT_EQ(Changes[0].Unit, "type:T");
  EXPECT_EQ(Changes[0].Rule, "static-type-object");
  EXPECT_EQ(Changes[0].Edits.size(), 2u);
  EXPECT_EQ(Changes[0].Rules, (std::set<std::string>{"static-type-object", "type-slot-access"}));
}

TEST(ChangeGroups, ACallerOfAHelperNeedsIt) {
  std::string Text = "int g(void) { return _PyX(1); }\n";
  RuleEdit Helper{"private-api",
                  Replacement(File, 0, 0,
                              "#ifndef ABI3PORT_HELPER_ABI3PORT_X\n#define "
                              "ABI3PORT_HELPER_ABI3PORT_X\n/* abi3port: _PyX from Limited "
                              "API calls, a comment long enough to leave the small-string "
                              "buffer */\nstatic int abi3port_x(int v) "
                              "{ return v; }\n#endif\n\n"),
                  File + "#private-api#1", {}};
  RuleEdit Call{"private-api", Replacement(File, Text.find("_PyX"), 4, "abi3port_x"), "", {}};
  ChangeContext Ctx;
  auto Changes = changeGroups(merged(Text, {Helper, Call}), Ctx);
  ASSERT_EQ(Changes.size(), 2u);
  EXPECT_EQ(Changes[1].DependsOn, std::vector<std::string>{Changes[0].Id});
  EXPECT_EQ(Changes[0].DependsOnAny, std::vector<std::string>{Changes[1].Id});
}

ChangeGroup change(const std::string &Id, std::vector<std::string> Deps = {},
                   std::vector<std::string> Any = {}, const std::string &Unit = "") {
  ChangeGroup C;
  C.Id = Id;
  C.Unit = Unit.empty() ? "group:" + Id : Unit;
  C.Rule = "checked-calls";
  C.DependsOn = std::move(Deps);
  C.DependsOnAny = std::move(Any);
  return C;
}

std::map<std::string, std::string> refusals(const std::vector<ChangeGroup> &Changes,
                                            const ChangeSelection &S,
                                            std::vector<std::string> &Unknown) {
  std::map<std::string, std::string> Out;
  for (const Refusal &R : refusedChanges(Changes, S, Unknown))
    Out[R.Change->Id] = R.Why;
  return Out;
}

TEST(Refusals, DependantsGoWithTheRefusedChange) {
  std::vector<ChangeGroup> Changes = {change("a"), change("b", {"a"}), change("c", {"b"}),
                                      change("d")};
  std::vector<std::string> Unknown;
  auto Out = refusals(Changes, {{}, {"a"}}, Unknown);
  EXPECT_EQ(Out, (std::map<std::string, std::string>{
                     {"a", "--skip"},
                     {"b", "depends on a, which is refused"},
                     {"c", "depends on b, which is refused"}}));
  EXPECT_TRUE(Unknown.empty());
}

TEST(Refusals, AHelperGoesWhenAllItsUsersGo) {
  std::vector<ChangeGroup> Changes = {change("h", {}, {"u1", "u2"}), change("u1", {"h"}),
                                      change("u2", {"h"})};
  std::vector<std::string> Unknown;
  EXPECT_EQ(refusals(Changes, {{}, {"u1"}}, Unknown).count("h"), 0u);
  EXPECT_EQ(refusals(Changes, {{}, {"u1", "u2"}}, Unknown).count("h"), 1u);
}

TEST(Refusals, OnlyKeepsWhatFollowsAndNamesUnknownIds) {
  std::vector<ChangeGroup> Changes = {change("a"), change("b"),
                                      change("create", {}, {"a"}, "creation:/src/m.c")};
  std::vector<std::string> Unknown;
  auto Out = refusals(Changes, {{"a", "zzz"}, {}}, Unknown);
  EXPECT_EQ(Out, (std::map<std::string, std::string>{{"b", "not in --only"}}));
  EXPECT_EQ(Unknown, std::vector<std::string>{"zzz"});
}

} // namespace
} // namespace abi3port
