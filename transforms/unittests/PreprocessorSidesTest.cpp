//===- PreprocessorSidesTest.cpp - the second, limited parse --------------===//
///
/// Which files `check` parses a second time with Py_LIMITED_API defined
/// (PreprocessorSides.h), and what full-build-only sites do to the summary.
///
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "transforms/Check.h"
#include "transforms/PreprocessorSides.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

namespace abi3port::test {
namespace {

/// How many limited parses `check` does on a file with this text.
unsigned long limitedParsesFor(llvm::StringRef Text) {
  llvm::SmallString<128> Path;
  int FD = -1;
  if (llvm::sys::fs::createTemporaryFile("abi3port-sides", "c", FD, Path))
    ADD_FAILURE() << "cannot create a temporary file";
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Text;
  }
  InputOptions Inputs;
  Inputs.Files = {Path.str().str()};
  Inputs.HaveCompilerArgs = true;
  Inputs.PythonInclude = systemPythonInclude();
  Inputs.Jobs = 1;
  auto FE = Frontend::create(Inputs);
  EXPECT_TRUE(bool(FE));
  if (!FE) {
    llvm::consumeError(FE.takeError());
    return ~0ul;
  }
  unsigned long Before = limitedSideParses();
  CheckResult Result = checkFiles(*FE, knowledgeFor(PythonVersion{3, 11}));
  EXPECT_TRUE(Result.Failures.empty());
  llvm::sys::fs::remove(Path);
  return limitedSideParses() - Before;
}

TEST(PreprocessorSides, OnlyLimitedConditionalsCostASecondParse) {
  EXPECT_EQ(limitedParsesFor("#include <Python.h>\n"
                             "static PyObject *f(PyObject *o) { return PyObject_Str(o); }\n"),
            0u);
  // Macros the limited headers define too answer the same in both builds.
  EXPECT_EQ(limitedParsesFor("#include <Python.h>\n"
                             "#if PY_VERSION_HEX >= 0x030B0000 && defined(PY_MAJOR_VERSION)\n"
                             "#endif\n#ifdef Py_DEBUG\n#endif\n#ifndef MY_OWN\n#endif\n"),
            0u);
  // The file defines Py_LIMITED_API itself: its only parse is the limited one.
  EXPECT_EQ(limitedParsesFor("#define Py_LIMITED_API 0x030B0000\n#include <Python.h>\n"
                             "#ifndef Py_LIMITED_API\n#endif\n"),
            0u);
  EXPECT_EQ(limitedParsesFor("#include <Python.h>\n#ifndef Py_LIMITED_API\n#endif\n"), 1u);
  EXPECT_EQ(limitedParsesFor("#include <Python.h>\n#if 1\n#elif defined(Py_LIMITED_API)\n#endif\n"),
            1u);
  // A macro only the full headers define.
  EXPECT_EQ(limitedParsesFor("#include <Python.h>\n#ifndef _PyArg_UnpackKeywords\n#endif\n"), 1u);
  EXPECT_EQ(limitedParsesFor("#include <Python.h>\n#if defined(PyTuple_GET_ITEM)\n#endif\n"), 1u);
}

TEST(PreprocessorSides, FullBuildOnlySitesDoNotLowerTheTarget) {
  Finding Private; // no replacement at any version, but the limited build skips it
  Private.Pos = {"/src/ext/mod.c", 10, 1, 10, 5};
  Private.Blocker = false;
  Private.FullBuildOnly = true;
  Finding Utf8;
  Utf8.Pos = {"/src/ext/mod.c", 30, 1, 30, 10};
  Utf8.MinVersion = PythonVersion{3, 10};
  Finding Late = Private; // newer than anything else in the file
  Late.Pos.Line = 40;
  Late.MinVersion = PythonVersion{3, 13};
  std::vector<FileSummary> S = summarize({Private, Utf8, Late});
  ASSERT_EQ(S.size(), 1u);
  EXPECT_EQ(S[0].Sites, 3u);
  EXPECT_EQ(S[0].Blockers, 1u);
  ASSERT_TRUE(S[0].LowestTarget);
  EXPECT_EQ(*S[0].LowestTarget, (PythonVersion{3, 10}));
}

} // namespace
} // namespace abi3port::test
