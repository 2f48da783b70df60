//===- PrivateHelpers.cpp - The table of PrivateHelpers.def ---------------===//
#include "transforms/api/PrivateHelpers.h"

namespace abi3port {

namespace {

std::optional<PythonVersion> since(unsigned Major, unsigned Minor) {
  if (!Major)
    return std::nullopt;
  return PythonVersion{Major, Minor};
}

} // namespace

const PrivateHelper *privateHelper(llvm::StringRef Name) {
  static const PrivateHelper Table[] = {
#define PRIVATE_HELPER(NAME, HELPER, PUBLIC, MAJOR, MINOR, REPLACEMENT, TEXT)                      \
  {NAME, HELPER, PUBLIC, since(MAJOR, MINOR), REPLACEMENT, TEXT},
#include "transforms/api/PrivateHelpers.def"
  };
  for (const PrivateHelper &Row : Table)
    if (Row.Name == Name)
      return &Row;
  return nullptr;
}

} // namespace abi3port
