//===- PreambleTest.cpp - what the shared preamble of a file is -----------===//
#include "transforms/PreambleScan.h"

#include "llvm/Support/FileSystem.h"
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

  std::optional<std::string> preambleOf(const std::string &MainText) {
    make("src/main.c", MainText);
    IncludeSearch S = includeSearchOf({"-I", "inc", "-I" + Root + "/py"}, Root, Root + "/py");
    return sharedPreamble(Root + "/src/main.c", MainText, S);
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
  auto P = preambleOf("#define MODULE\n#include \"proj.h\"\n#include <stdio.h>\n");
  ASSERT_TRUE(P);
  // proj.h's guard is not defined (its text must still be parsed); its code
  // ends the preamble, so stdio.h after it is not part of it.
  EXPECT_EQ(*P, "#define MODULE\n#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
                "#include <stdlib.h>\n");
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

} // namespace
} // namespace abi3port
