//===- PreambleTest.cpp - which prefixes become a precompiled preamble ----===//
#include "transforms/Preamble.h"

#include "gtest/gtest.h"

namespace abi3port {
namespace {

TEST(Preamble, DefinesAndCommentsUpToPythonH) {
  const char *Source = "/* module */\n// more\n#define PY_SSIZE_T_CLEAN\n"
                       "#include <Python.h>\n#include \"local.h\"\nint x;\n";
  std::optional<std::string> P = pythonPreamble(Source);
  ASSERT_TRUE(P);
  EXPECT_EQ(*P, "/* module */\n// more\n#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n");
}

TEST(Preamble, AnythingElseFirstMeansNoPreamble) {
  EXPECT_FALSE(pythonPreamble("#include \"local.h\"\n#include <Python.h>\n"));
  EXPECT_FALSE(pythonPreamble("#ifdef X\n#include <Python.h>\n#endif\n"));
  EXPECT_FALSE(pythonPreamble("int x;\n#include <Python.h>\n"));
  EXPECT_FALSE(pythonPreamble("#define M(a) \\\n  (a)\n#include <Python.h>\n"));
  EXPECT_FALSE(pythonPreamble("int main(void) { return 0; }\n"));
}

} // namespace
} // namespace abi3port
