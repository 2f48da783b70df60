//===- OutputTest.cpp - text, JSON and SARIF renderings -------------------===//
#include "transforms/Output.h"

#include "llvm/Support/JSON.h"
#include "gtest/gtest.h"

namespace abi3port {
namespace {

std::vector<Finding> sample() {
  Finding A;
  A.Pos = {"/src/ext/mod.c", 12, 5, 14, 2};
  A.Rule = "static-type-object";
  A.Message = "static PyTypeObject 'Foo'";
  A.MinVersion = PythonVersion{3, 2};
  Finding B;
  B.Pos = {"/src/ext/mod.c", 20, 9, 20, 23};
  B.Rule = "private-api";
  B.Message = "'_PyLong_Sign' is private";
  return {A, B};
}

std::string render(OutputFormat Format) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  writeFindings(OS, Format, sample(), {{3, 11}, "/src"});
  return Out;
}

TEST(Output, TextIsCompilerStyleWithRelativePaths) {
  std::string Text = render(OutputFormat::Text);
  EXPECT_NE(Text.find("ext/mod.c:12:5: warning: static PyTypeObject 'Foo' "
                      "[static-type-object]\n"),
            std::string::npos)
      << Text;
  EXPECT_NE(Text.find("ext/mod.c: 2 sites, 0 fixable, 2 blocking"), std::string::npos);
  EXPECT_NE(Text.find("lowest target once fixed: none"), std::string::npos);
}

TEST(Output, JsonHasTheDocumentedFields) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(render(OutputFormat::Json));
  ASSERT_TRUE(bool(V)) << llvm::toString(V.takeError());
  const llvm::json::Object *Root = V->getAsObject();
  ASSERT_TRUE(Root);
  EXPECT_EQ(Root->getString("target"), "3.11");
  const llvm::json::Array *Findings = Root->getArray("findings");
  ASSERT_TRUE(Findings);
  ASSERT_EQ(Findings->size(), 2u);
  const llvm::json::Object *F = (*Findings)[0].getAsObject();
  EXPECT_EQ(F->getString("file"), "/src/ext/mod.c");
  EXPECT_EQ(F->getInteger("line"), 12);
  EXPECT_EQ(F->getInteger("column"), 5);
  EXPECT_EQ(F->getInteger("end_line"), 14);
  EXPECT_EQ(F->getString("rule"), "static-type-object");
  EXPECT_EQ(F->getBoolean("fixable"), false);
  EXPECT_EQ(F->getString("min_version"), "3.2");
  EXPECT_TRUE((*Findings)[1].getAsObject()->get("min_version")->getAsNull());
}

TEST(Output, SarifIsVersion210WithRegionsAndRules) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(render(OutputFormat::Sarif));
  ASSERT_TRUE(bool(V));
  const llvm::json::Object *Root = V->getAsObject();
  EXPECT_EQ(Root->getString("version"), "2.1.0");
  const llvm::json::Object *Run = (*Root->getArray("runs"))[0].getAsObject();
  const llvm::json::Array *Rules =
      Run->getObject("tool")->getObject("driver")->getArray("rules");
  ASSERT_TRUE(Rules);
  EXPECT_GT(Rules->size(), 5u);
  const llvm::json::Object *Result = (*Run->getArray("results"))[0].getAsObject();
  EXPECT_EQ(Result->getString("ruleId"), "static-type-object");
  const llvm::json::Object *Region = (*Result->getArray("locations"))[0]
                                         .getAsObject()
                                         ->getObject("physicalLocation")
                                         ->getObject("region");
  EXPECT_EQ(Region->getInteger("startLine"), 12);
  EXPECT_EQ(Region->getInteger("endLine"), 14);
  // SARIF end columns are exclusive.
  EXPECT_EQ(Region->getInteger("endColumn"), 3);
}

TEST(Findings, DuplicatesFromSharedHeadersAreReportedOnce) {
  std::vector<Finding> Findings = sample();
  Findings.push_back(sample()[0]);
  sortAndDeduplicate(Findings);
  EXPECT_EQ(Findings.size(), 2u);
}

TEST(Findings, SummaryGivesTheLowestTarget) {
  std::vector<Finding> Findings = sample();
  Findings.pop_back(); // drop the private call: no replacement at any version
  Finding Utf8;
  Utf8.Pos = {"/src/ext/mod.c", 30, 1, 30, 10};
  Utf8.MinVersion = PythonVersion{3, 10};
  Utf8.Fixable = true;
  Findings.push_back(Utf8);
  std::vector<FileSummary> S = summarize(Findings);
  ASSERT_EQ(S.size(), 1u);
  EXPECT_EQ(S[0].Sites, 2u);
  EXPECT_EQ(S[0].Fixable, 1u);
  ASSERT_TRUE(S[0].LowestTarget);
  EXPECT_EQ(*S[0].LowestTarget, (PythonVersion{3, 10}));
}

TEST(Findings, CauseKeepsTheLeadingNameAndDropsTheOthers) {
  EXPECT_EQ(causeOf("'PyDateTimeAPI' (data) is not in the Limited API for 3.11"),
            "'PyDateTimeAPI' (data) is not in the Limited API for 3.11");
  EXPECT_EQ(causeOf("process-global 'Err' is shared; the static type's name is 'm.X' (line 905)"),
            "process-global '\xE2\x80\xA6' is shared; the static type's name is "
            "'\xE2\x80\xA6' (line \xE2\x80\xA6)");
  EXPECT_EQ(causeOf("no quotes here"), "no quotes here");
  EXPECT_EQ(causeOf("8 datetime C API site(s) in 'x'"), "N datetime C API site(s) in '\xE2\x80\xA6'");
  EXPECT_EQ(causeOf("an unclosed 'quote"), "an unclosed 'quote");
}

TEST(Findings, GroupsCountSitesByCauseMostFirst) {
  auto Site = [](std::string Rule, std::string Message, bool Blocker) {
    Finding F;
    F.Rule = std::move(Rule);
    F.Message = std::move(Message);
    F.Blocker = Blocker;
    return F;
  };
  std::vector<CauseGroup> G = groupByCause(
      {Site("module-global-state", "process-global 'a' is shared", false),
       Site("module-global-state", "process-global 'b' is shared", false),
       Site("non-limited-api", "'PyDateTimeAPI' (data) is not limited", true),
       Site("module-global-state", "process-global 'c' is shared", false)});
  ASSERT_EQ(G.size(), 2u);
  EXPECT_EQ(G[0].Rule, "module-global-state");
  EXPECT_EQ(G[0].Sites, 3u);
  EXPECT_EQ(G[0].Blockers, 0u);
  EXPECT_EQ(G[1].Cause, "'PyDateTimeAPI' (data) is not limited");
  EXPECT_EQ(G[1].Blockers, 1u);
}

} // namespace
} // namespace abi3port
