//===- SkippedBodiesTest.cpp - parses that skip Python-free bodies --------===//
///
/// The parse of SkippedBodies.h skips the function bodies of the files it is
/// given, and fingerprints what their names mean: equal when the rest of the
/// unit changed in ways those bodies cannot see, different when a name they
/// use would resolve to something else (a macro, a project declaration, a
/// header the Limited API no longer includes).
///
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "transforms/ClangSetup.h"
#include "transforms/SkippedBodies.h"
#include "transforms/SourceMapping.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

namespace abi3port::test {
namespace {

struct Parsed {
  std::vector<std::string> Warnings; ///< messages
  MeaningFingerprints Fingerprints;
};

class Messages : public clang::DiagnosticConsumer {
public:
  explicit Messages(std::vector<std::string> &Out) : Out(Out) {}
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override {
    if (Level < clang::DiagnosticsEngine::Warning)
      return;
    llvm::SmallString<128> Text;
    Info.FormatDiagnostic(Text);
    Out.push_back(Text.str().str());
  }

private:
  std::vector<std::string> &Out;
};

const char *Lib = "#ifndef LIB_BUF\n"
                  "#define LIB_BUF 16\n"
                  "#endif\n"
                  "int lib_offset(void);\n"
                  "static int lib(const char *s) {\n"
                  "  int unused_in_body;\n"
                  "  char buf[LIB_BUF];\n"
                  "  return (int)strlen(s) + lib_offset() + (int)sizeof buf;\n"
                  "}\n";

/// `/src/main.c` with `/src/lib.h` (Lib) beside it, skipping lib.h's bodies.
Parsed parse(const std::string &Main) {
  Parsed Out;
  std::string LibPath = canonicalPath("/src/lib.h");
  clang::tooling::FixedCompilationDatabase DB(
      "/", {"-xc", "-Wall", "-I" + systemPythonInclude(), clangResourceDirArg()});
  clang::tooling::ClangTool Tool(DB, {"/src/main.c"});
  Tool.mapVirtualFile("/src/main.c", Main);
  Tool.mapVirtualFile("/src/lib.h", Lib);
  Messages Recorder(Out.Warnings);
  Tool.setDiagnosticConsumer(&Recorder);
  auto Factory = skippingBodiesOf({LibPath}, systemPythonInclude(), Out.Fingerprints);
  Tool.run(Factory.get());
  return Out;
}

const char *Original = "#include <Python.h>\n"
                       "#include \"lib.h\"\n"
                       "int lib_offset(void) { return 1; }\n"
                       "static PyObject *f(PyObject *o) { return PyLong_FromLong(lib(\"x\")); }\n"
                       "PyObject *g(void) { return f(NULL); }\n";

bool contains(const std::vector<std::string> &Messages, llvm::StringRef Part) {
  return llvm::any_of(Messages, [&](const std::string &M) { return M.find(Part) != M.npos; });
}

TEST(SkippedBodies, SkipsTheBodiesOfTheFilesGiven) {
  Parsed P = parse(Original);
  EXPECT_FALSE(contains(P.Warnings, "unused_in_body")) << "lib.h's body was parsed";
  ASSERT_EQ(P.Fingerprints.size(), 1u);
  // The rest of the unit is parsed as usual.
  Parsed Q = parse(std::string(Original) + "void h(void) { int unused_in_main; }\n");
  EXPECT_TRUE(contains(Q.Warnings, "unused_in_main"));
}

TEST(SkippedBodies, SameMeaningWhenTheRestChanges) {
  Parsed Before = parse(Original);
  // Code that uses Python, moved and added, a new function, a header that
  // Python.h includes already: nothing lib.h names means anything else.
  Parsed After = parse(std::string("#include <string.h>\n") + Original +
                       "static PyObject *made_by_port(PyObject *m) { Py_RETURN_NONE; }\n");
  EXPECT_EQ(Before.Fingerprints, After.Fingerprints);
}

TEST(SkippedBodies, DifferentWhenAMacroItNamesIsDefined) {
  Parsed Before = parse(Original);
  Parsed After = parse(std::string("#define LIB_BUF 32\n") + Original);
  EXPECT_NE(Before.Fingerprints, After.Fingerprints);
}

TEST(SkippedBodies, DifferentWhenANameGetsAProjectDeclarationBeforeIt) {
  Parsed Before = parse(Original);
  std::string Moved = Original;
  // lib_offset defined before the include: lib.h's declaration of it now
  // redeclares the project's.
  std::string Definition = "int lib_offset(void) { return 1; }\n";
  Moved.erase(Moved.find(Definition), Definition.size());
  Moved.insert(Moved.find("#include \"lib.h\""), Definition);
  Parsed After = parse(Moved);
  EXPECT_NE(Before.Fingerprints, After.Fingerprints);
}

TEST(SkippedBodies, DifferentWhenAHeaderItReliesOnIsGone) {
  // As under the Limited API of 3.13, whose Python.h stops including
  // <string.h>: strlen in lib.h's body is no longer declared.
  std::string Rest = "#include \"lib.h\"\nint lib_offset(void) { return 1; }\n";
  Parsed Before = parse("#include <stdio.h>\n#include <string.h>\n" + Rest);
  Parsed After = parse("#include <stdio.h>\n" + Rest);
  EXPECT_NE(Before.Fingerprints, After.Fingerprints);
}

class RecordNamedInBodies : public clang::ASTConsumer {
public:
  explicit RecordNamedInBodies(std::set<std::string> &Out) : Out(Out) {}
  void HandleTranslationUnit(clang::ASTContext &Ctx) override {
    Out = namedInBodies(Ctx, {canonicalPath("/src/lib.h")});
  }

private:
  std::set<std::string> &Out;
};

class RecordNamedInBodiesAction : public clang::ASTFrontendAction {
public:
  explicit RecordNamedInBodiesAction(std::set<std::string> &Out) : Out(Out) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &,
                                                        llvm::StringRef) override {
    return std::make_unique<RecordNamedInBodies>(Out);
  }

private:
  std::set<std::string> &Out;
};

TEST(SkippedBodies, UnusedOnlyBecauseTheBodiesWereSkipped) {
  // helper is named only in lib.h's skipped body: the skipped parse calls
  // it unused, the whole parse does not.
  const char *Main = "#include <Python.h>\n#include \"lib.h\"\n"
                     "PyObject *g(void) { return PyLong_FromLong(lib()); }\n";
  const char *WithHelper = "static int helper(void) { return 1; }\n"
                           "static int sized(void) { return 2; }\n"
                           "static int lib(void) { return helper() + (int)sizeof(sized()); }\n";
  std::set<std::string> Named;
  ASSERT_TRUE(clang::tooling::runToolOnCodeWithArgs(
      std::make_unique<RecordNamedInBodiesAction>(Named), Main,
      {"-xc", "-I" + systemPythonInclude()}, "/src/main.c", "abi3port-test",
      std::make_shared<clang::PCHContainerOperations>(),
      {{"/src/lib.h", WithHelper}}));
  std::string Lib = canonicalPath("/src/lib.h");
  EXPECT_TRUE(Named.count(Lib + "#helper"));
  EXPECT_TRUE(Named.count(Lib + "#lib") == 0);
  EXPECT_FALSE(Named.count(Lib + "#sized")) << "sizeof does not evaluate its operand";
  EXPECT_TRUE(unusedOnlyBecauseSkipped(Lib, "unused function 'helper' [-Wunused-function]", Named));
  // Unused in the whole parse too (only under sizeof), or another warning.
  EXPECT_FALSE(unusedOnlyBecauseSkipped(Lib, "unused function 'sized' [-Wunused-function]", Named));
  EXPECT_FALSE(unusedOnlyBecauseSkipped(Lib, "unused variable 'helper' [-Wunused-value]", Named));
  EXPECT_FALSE(unusedOnlyBecauseSkipped("/src/other.h", "unused function 'helper' [-Wunused-function]",
                                        Named));
}

TEST(SkippedBodies, PragmaLines) {
  EXPECT_EQ(pragmaLines("int a;\n#pragma once\n  #  line 5\nint b; _Pragma(\"x\")\n#define P 1\n"),
            "#pragma once\n#  line 5\nint b; _Pragma(\"x\")\n");
  EXPECT_EQ(pragmaLines("#include <x.h>\n#if A\n#endif\n"), "");
}

TEST(SkippedBodies, CounterIsNeverSkipped) {
  EXPECT_FALSE(bodiesMayBeSkipped("int x = __COUNTER__;"));
  EXPECT_TRUE(bodiesMayBeSkipped("int x = __LINE__;"));
}

} // namespace
} // namespace abi3port::test
