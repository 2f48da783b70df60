//===- PythonFreeFilesTest.cpp - files the AST walks may skip -------------===//
///
/// Which project files of a C unit `pythonFreeFiles` (PythonFreeFiles.h)
/// finds Python-free: the ones whose text names nothing of CPython's, or of
/// another project file, directly or through a macro.
///
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "transforms/PythonFreeFiles.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

#include <set>

namespace abi3port::test {
namespace {

class RecordFreeFiles : public clang::ASTConsumer {
public:
  RecordFreeFiles(clang::CompilerInstance &CI, std::set<std::string> &Out)
      : CI(CI), Files(CI.getSourceManager(), systemPythonInclude()), Out(Out) {}
  void HandleTranslationUnit(clang::ASTContext &) override {
    const clang::SourceManager &SM = CI.getSourceManager();
    for (clang::FileID FID : pythonFreeFiles(CI, Files))
      if (auto FE = SM.getFileEntryRefForID(FID))
        Out.insert(llvm::sys::path::filename(FE->getName()).str());
  }

private:
  clang::CompilerInstance &CI;
  FileClassifier Files;
  std::set<std::string> &Out;
};

class RecordFreeFilesAction : public clang::ASTFrontendAction {
public:
  explicit RecordFreeFilesAction(std::set<std::string> &Out) : Out(Out) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &CI,
                                                        llvm::StringRef) override {
    return std::make_unique<RecordFreeFiles>(CI, Out);
  }

private:
  std::set<std::string> &Out;
};

/// The Python-free files of `/src/main.c` with these headers next to it.
std::set<std::string> freeFiles(const std::string &Main,
                                const std::map<std::string, std::string> &Headers,
                                const std::string &Language = "-xc") {
  std::set<std::string> Out;
  clang::tooling::FileContentMappings Mapped;
  for (const auto &[Name, Text] : Headers)
    Mapped.push_back({"/src/" + Name, Text});
  bool Ok = clang::tooling::runToolOnCodeWithArgs(
      std::make_unique<RecordFreeFilesAction>(Out), Main,
      {Language, "-fsyntax-only", "-I" + systemPythonInclude()}, "/src/main.c", "abi3port-test",
      std::make_shared<clang::PCHContainerOperations>(), Mapped);
  EXPECT_TRUE(Ok);
  return Out;
}

const char *MainIncludesAll = "#include <Python.h>\n"
                              "#include \"lib.h\"\n"
                              "static PyObject *f(PyObject *o) { return PyLong_FromLong(lib(1)); }\n";

TEST(PythonFreeFiles, PlainCLibraryIsFree) {
  auto Free = freeFiles(MainIncludesAll,
                        {{"lib.h", "#include <string.h>\n#define TWICE(x) ((x) * 2)\n"
                                   "static int lib(int x) { char b[4]; memset(b, 0, 4);\n"
                                   "  return TWICE(x) + b[0]; }\n"}});
  EXPECT_EQ(Free, std::set<std::string>{"lib.h"});
}

TEST(PythonFreeFiles, MainFileAndPythonUsersAreNot) {
  // A CPython name, even in a block the preprocessor skips.
  EXPECT_TRUE(freeFiles(MainIncludesAll, {{"lib.h", "static int lib(int x) {\n#if 0\n"
                                                    "  Py_INCREF(0);\n#endif\n  return x; }\n"}})
                  .empty());
  // A project declaration of another file (which could be a PyObject).
  EXPECT_TRUE(freeFiles("#include <Python.h>\nstatic int shared;\n#include \"lib.h\"\n",
                        {{"lib.h", "static int lib(int x) { return x + shared; }\n"}})
                  .empty());
  // A project macro of another file whose body names CPython.
  EXPECT_TRUE(freeFiles("#include <Python.h>\n#define OBJ PyObject\n#include \"lib.h\"\n",
                        {{"lib.h", "static OBJ *lib(OBJ *o) { return o; }\n"}})
                  .empty());
  // ... but a project switch with an empty body is no Python.
  EXPECT_EQ(freeFiles("#include <Python.h>\n#define LIB_FAST\n#include \"lib.h\"\n",
                      {{"lib.h", "#ifdef LIB_FAST\nstatic int lib(int x) { return x; }\n#endif\n"}}),
            std::set<std::string>{"lib.h"});
}

TEST(PythonFreeFiles, IncludesDecide) {
  // A free file that includes a file using Python is not free.
  EXPECT_TRUE(freeFiles("#include <Python.h>\n#include \"outer.h\"\n",
                        {{"outer.h", "#include \"inner.h\"\nstatic int outer;\n"},
                         {"inner.h", "static PyObject *inner;\n"}})
                  .count("outer.h") == 0);
  // Nor one that includes CPython's headers.
  EXPECT_TRUE(freeFiles("#include \"lib.h\"\n",
                        {{"lib.h", "#include <Python.h>\nstatic int lib;\n"}})
                  .empty());
  EXPECT_EQ(freeFiles("#include <Python.h>\n#include \"outer.h\"\n",
                      {{"outer.h", "#include \"inner.h\"\nstatic int outer(void) { return inner(); }\n"},
                       {"inner.h", "static int inner(void) { return 1; }\n"}}),
            (std::set<std::string>{"inner.h", "outer.h"}));
}

TEST(PythonFreeFiles, NotForCxx) {
  EXPECT_TRUE(freeFiles(MainIncludesAll, {{"lib.h", "static int lib(int x) { return x; }\n"}},
                        "-xc++")
                  .empty());
}

} // namespace
} // namespace abi3port::test
