//===- TestSupport.h - Shared helpers for the unit tests ------------------===//
#ifndef ABI3PORT_UNITTESTS_TESTSUPPORT_H
#define ABI3PORT_UNITTESTS_TESTSUPPORT_H

#include "transforms/Frontend.h"
#include "transforms/api/ApiKnowledge.h"

#include <map>
#include <memory>
#include <string>

namespace abi3port::test {

/// The system interpreter's include directory (python3-dev).
inline const std::string &systemPythonInclude() {
  static const std::string Dir = askPythonForInclude("/usr/bin/python3");
  return Dir;
}

/// One probe per target for the whole test binary.
inline const ApiKnowledge &knowledgeFor(PythonVersion Target) {
  static std::map<std::string, std::unique_ptr<ApiKnowledge>> Cache;
  std::unique_ptr<ApiKnowledge> &Slot = Cache[Target.str()];
  if (!Slot) {
    auto Surface = probeLimitedSurface(systemPythonInclude(), Target);
    if (!Surface)
      llvm::report_fatal_error(Surface.takeError());
    Slot = std::make_unique<ApiKnowledge>(std::move(*Surface));
  }
  return *Slot;
}

inline std::string testdataPath(const std::string &Relative) {
  return std::string(ABI3PORT_TESTDATA_DIR) + "/" + Relative;
}

} // namespace abi3port::test

#endif
