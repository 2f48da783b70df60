//===- PreambleTest.cpp - what the shared preamble of a file is -----------===//
#include "TestSupport.h"
#include "transforms/ClangSetup.h"
#include "transforms/Preamble.h"
#include "transforms/PreambleScan.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <map>

namespace abi3port {
namespace {

/// A project in memory: files by absolute path, `/p/inc` on the -I path and
/// `/py` as CPython's include directory (the scanner reads files through
/// `Read`; it only asks the disk whether a candidate exists, so the tests
/// use paths that resolve to the files given through a real temp dir).
class PreambleScanTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> Dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("preamble-test", Dir));
    Root = canonical(std::string(Dir));
    make("inc/.keep", "");
    make("py/Python.h", "");
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  static std::string canonical(const std::string &P) {
    llvm::SmallString<256> Real;
    llvm::sys::fs::real_path(P, Real);
    return std::string(Real);
  }

  void make(const std::string &Rel, const std::string &Text) {
    std::string Path = Root + "/" + Rel;
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path));
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Text;
  }

  std::optional<SharedPreamble> scanOf(const std::string &MainText) {
    make("src/main.c", MainText);
    IncludeSearch S = includeSearchOf({"-I", "inc", "-I" + Root + "/py"}, Root, Root + "/py");
    return sharedPreamble(Root + "/src/main.c", MainText, S);
  }

  std::optional<std::string> preambleOf(const std::string &MainText) {
    std::optional<SharedPreamble> P = scanOf(MainText);
    return P ? std::optional<std::string>(P->Text) : std::nullopt;
  }

  std::string Root;
};

TEST_F(PreambleScanTest, DefinesAndForeignIncludesWithoutComments) {
  auto P = preambleOf("/* module */\n// more\n#define PY_SSIZE_T_CLEAN /* why */\n"
                      "#include <Python.h>\n#include <stdio.h> // io\nint x;\n#include <string.h>\n");
  ASSERT_TRUE(P);
  EXPECT_EQ(*P, "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n#include <stdio.h>\n");
}

TEST_F(PreambleScanTest, CommentsDoNotChangeIt) {
  auto A = preambleOf("#include <Python.h>\n");
  auto B = preambleOf("/* licence\n text */\n#include <Python.h> /* the API */\n");
  ASSERT_TRUE(A && B);
  EXPECT_EQ(*A, *B);
}

TEST_F(PreambleScanTest, FollowsProjectHeadersPastTheirGuard) {
  make("inc/proj.h", "#ifndef PROJ_H\n#define PROJ_H\n#define PY_SSIZE_T_CLEAN\n"
                     "#include <Python.h>\n#include \"sub.h\"\ntypedef int proj_t;\n#endif\n");
  make("inc/sub.h", "#pragma once\n#include <stdlib.h>\n");
  auto P = scanOf("#define MODULE\n#include \"proj.h\"\n#include <stdio.h>\n");
  ASSERT_TRUE(P);
  // proj.h's guard is not defined (its text must still be parsed); the scan
  // goes past its code, and stdio.h after it is moved before that code
  // (Preamble.cpp checks the move when it builds the PCH).
  EXPECT_EQ(P->Text, "#define MODULE\n#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
                     "#include <stdlib.h>\n#include <stdio.h>\n");
  EXPECT_EQ(P->Hoisted, "typedef int proj_t;\n\n");
  EXPECT_EQ(P->HoistLine, 5u);
}

TEST_F(PreambleScanTest, AHeaderOfDirectivesOnlyContinuesInTheIncluder) {
  make("src/config.h", "#ifndef CONFIG_H\n#define CONFIG_H\n#define HAVE_X 1\n#endif /* CONFIG_H */\n");
  auto P = preambleOf("#include \"config.h\"\n#include <Python.h>\nint x;\n");
  ASSERT_TRUE(P);
  EXPECT_EQ(*P, "#define HAVE_X 1\n#include <Python.h>\n");
}

TEST_F(PreambleScanTest, CPythonHeadersAreNeverTheProjects) {
  make("py/structmember.h", "");
  auto P = preambleOf("#include \"Python.h\"\n#include \"structmember.h\"\n");
  ASSERT_TRUE(P);
  EXPECT_EQ(*P, "#include \"Python.h\"\n#include \"structmember.h\"\n");
}

TEST_F(PreambleScanTest, StopsWhereOnlyThePreprocessorKnows) {
    EXPECT_FALSE(preambleOf("int x;\n#include <Python.h>\n"));
  EXPECT_FALSE(preambleOf("#include HEADER\n#include <Python.h>\n"));
  EXPECT_FALSE(preambleOf("#pragma GCC visibility push(hidden)\n#include <Python.h>\n"));
  EXPECT_FALSE(preambleOf("/* never ends\n#include <Python.h>\n"));
  EXPECT_FALSE(preambleOf("int main(void) { return 0; }\n"));
  make("inc/cond.h", "#ifndef COND_H\n#define COND_H\n#ifdef WIN\nint win;\n#endif\n#endif\n");
  EXPECT_FALSE(preambleOf("#include \"cond.h\"\n#include <Python.h>\n"));
  // A guard whose define names another macro is no guard.
  make("inc/odd.h", "#ifndef ODD_H\n#define OTHER\n#include <Python.h>\n#endif\n");
  EXPECT_FALSE(preambleOf("#include \"odd.h\"\n"));
}

TEST_F(PreambleScanTest, MultiLineDefinesAreJoined) {
  auto P = preambleOf("#define M(a) \\\n  ((a) + 1)\n#include <Python.h>\n");
  ASSERT_TRUE(P);
  EXPECT_EQ(*P, "#define M(a)    ((a) + 1)\n#include <Python.h>\n");
}

TEST_F(PreambleScanTest, ConditionalsOfDirectivesAreKeptWhole) {
  make("inc/cfg.h", "#ifndef CFG_H\n#define CFG_H\n#if LEVEL < 2\n#error too old\n#endif\n"
                    "#include <Python.h>\n#endif\n");
  auto P = preambleOf("#if defined(_WIN32)\n#include <windows.h>\n#elif defined(__linux__)\n"
                      "# include <sys/types.h>\n#else\n#define OTHER 1\n#endif\n"
                      "#include \"cfg.h\"\nint x;\n");
  ASSERT_TRUE(P);
  EXPECT_EQ(*P, "#if defined(_WIN32)\n#include <windows.h>\n#elif defined(__linux__)\n"
                "#include <sys/types.h>\n#else\n#define OTHER 1\n#endif\n"
                "#if LEVEL < 2\n#error too old\n#endif\n#include <Python.h>\n");
  // A condition that reads the file it is in: the PCH is another file.
  EXPECT_FALSE(preambleOf("#if __has_include(\"cfg.h\")\n#include <stdio.h>\n#endif\n"
                          "#include <Python.h>\n"));
  EXPECT_FALSE(preambleOf("#ifdef A\n#elif __INCLUDE_LEVEL__ > 0\n#include <stdio.h>\n#endif\n"
                          "#include <Python.h>\n"));
  // Code or a project header inside: the preamble ends before the block.
  make("inc/proj.h", "");
  EXPECT_FALSE(preambleOf("#ifdef X\n#include \"proj.h\"\n#endif\n#include <Python.h>\n"));
  EXPECT_FALSE(preambleOf("#ifdef __cplusplus\nextern \"C\" {\n#endif\n#include <Python.h>\n"));
  auto Q = preambleOf("#include <Python.h>\n#ifdef X\nint y;\n#endif\n#include <stdio.h>\n");
  ASSERT_TRUE(Q);
  EXPECT_EQ(*Q, "#include <Python.h>\n");
}

TEST_F(PreambleScanTest, GoesPastAHeadersCodeButNotTheMainFiles) {
  // As pybase64: a first header with defines, a C header and a prototype.
  make("inc/flags.h", "#define F_SSE2 1\n#include <stdint.h>\n\n"
                      "uint32_t get_flags(void); /* a # here is no directive */\n");
  auto P = scanOf("#include \"flags.h\"\n#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
                  "static int x;\n#include <stdio.h>\n");
  ASSERT_TRUE(P);
  EXPECT_EQ(P->Text, "#define F_SSE2 1\n#include <stdint.h>\n#define PY_SSIZE_T_CLEAN\n"
                     "#include <Python.h>\n");
  EXPECT_EQ(P->Hoisted, "uint32_t get_flags(void); /* a # here is no directive */\n\n");
  EXPECT_EQ(P->HoistLine, 3u);
  // Code at the end with nothing after it moves nothing.
  make("inc/last.h", "#include <stdint.h>\nint last(void);\n");
  auto Q = scanOf("#include \"last.h\"\nint y;\n");
  ASSERT_TRUE(Q);
  EXPECT_EQ(Q->Text, "#include <stdint.h>\n");
  EXPECT_TRUE(Q->Hoisted.empty());
  EXPECT_EQ(Q->HoistLine, 0u);
  // _Pragma in the code, or a comment that runs on, stops the scan there.
  make("inc/prag.h", "#include <stdint.h>\n_Pragma(\"pack(1)\") struct s { int a; };\n");
  auto R = scanOf("#include \"prag.h\"\n#include <Python.h>\n");
  ASSERT_TRUE(R);
  EXPECT_EQ(R->Text, "#include <stdint.h>\n");
}

} // namespace
} // namespace abi3port

namespace abi3port {
namespace {

/// The PCH's text for a project whose first header is `FlagsH`, or "" when
/// no PCH was built.
class PreambleHoistTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> Dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("preamble-hoist", Dir));
    llvm::SmallString<256> Real;
    llvm::sys::fs::real_path(Dir, Real);
    Root = std::string(Real);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  std::string pchTextFor(const std::string &FlagsH) {
    write(Root + "/inc/flags.h", FlagsH);
    std::string Main = Root + "/src/main.c";
    write(Main, "#include \"flags.h\"\n#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
                "static int x;\n");
    clang::tooling::CompileCommand Command(Root + "/src", Main,
                                           {"clang", "-I" + Root + "/inc", Main}, "");
    std::optional<std::string> Pch =
        preamblePch(Main, Command, {clangResourceDirArg(), "-I" + test::systemPythonInclude()},
                    "test-headers", test::systemPythonInclude(), {});
    if (!Pch)
      return "";
    llvm::SmallString<256> Header(*Pch);
    llvm::sys::path::replace_extension(Header, ".h");
    auto Buffer = llvm::MemoryBuffer::getFile(Header);
    return Buffer ? (*Buffer)->getBuffer().str() : "";
  }

  static void write(const std::string &Path, const std::string &Text) {
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path));
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Text;
  }

  std::string Root;
};

TEST_F(PreambleHoistTest, APrototypeOfItsOwnNamesIsMovedOver) {
  std::string Text = pchTextFor("#define F_SSE2 1\n#include <stdint.h>\n"
                                "uint32_t abi3port_test_get_flags(void);\n");
  EXPECT_NE(Text.find("#include <Python.h>"), std::string::npos) << Text;
}

TEST_F(PreambleHoistTest, CodeThatNamesWhatTheMovedHeadersDeclareIsNot) {
  // Py_ssize_t is declared by Python.h, which the file includes after.
  std::string Text = pchTextFor("#include <stdint.h>\nint count(Py_ssize_t n);\n");
  EXPECT_EQ(Text.find("Python.h"), std::string::npos) << Text;
  EXPECT_NE(Text.find("#include <stdint.h>"), std::string::npos) << Text;
}

TEST_F(PreambleHoistTest, CodeThatDeclaresANameTheMovedHeadersUseIsNot) {
  // tp_name is no declaration of CPython's headers, but their text names it.
  std::string Text = pchTextFor("#include <stdint.h>\nint tp_name(void);\n");
  EXPECT_EQ(Text.find("Python.h"), std::string::npos) << Text;
}

TEST_F(PreambleHoistTest, CodeThatAMovedMacroWouldChangeIsNot) {
  // PY_SSIZE_T_CLEAN is defined by the moved part.
  std::string Text = pchTextFor("#include <stdint.h>\nint PY_SSIZE_T_CLEAN;\n");
  EXPECT_EQ(Text.find("Python.h"), std::string::npos) << Text;
}

} // namespace
} // namespace abi3port
