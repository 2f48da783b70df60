//===- BuildConfig.h - port --build-config: the build of an abi3 wheel ----===//
///
/// \file
/// Once every source of a module defines Py_LIMITED_API, the build must
/// make an abi3 wheel of it (docs/rules/build-config.md):
///   - setuptools, setup.py: `py_limited_api=True` and the Py_LIMITED_API
///     define on each `Extension(...)`, `options={"bdist_wheel":
///     {"py_limited_api": "cp3X"}}` on `setup(...)`; read with Python's own
///     parser (an embedded script run by python3), edited where the call is
///     a literal;
///   - scikit-build-core, pyproject.toml: `wheel.py-api = "cp3X"`; CMake:
///     `USE_SABI X.Y` on `Python_add_library(...)`;
///   - meson-python, pyproject.toml: `limited-api = true`; meson.build:
///     `limited_api: 'X.Y'` on `py.extension_module(...)`.
/// What is not understood (a computed argument, `**kwargs`, another
/// backend) is a report site with the exact text to add. While a source
/// keeps the full API, the build is left alone and the report says why.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_BUILD_BUILDCONFIG_H
#define ABI3PORT_BUILD_BUILDCONFIG_H

#include "transforms/Finding.h"
#include "transforms/api/PythonVersion.h"
#include "transforms/edit/EditSet.h"

#include <string>
#include <vector>

namespace abi3port {

struct BuildConfigPort {
  std::string ProjectDir;       ///< where pyproject.toml / setup.py is; "" for none
  std::vector<FileEdits> Files; ///< build files whose text changes
  std::vector<Finding> Sites;   ///< what is left for a human
};

/// The build files of the project holding `Sources` (the nearest directory
/// at or above the first source, up to `Root`, with a pyproject.toml or a
/// setup.py), ported for `Target`. `FullApiSources` are the sources that
/// keep the full API; with any, nothing is edited.
BuildConfigPort portBuildConfig(const std::vector<std::string> &Sources, llvm::StringRef Root,
                                PythonVersion Target,
                                const std::vector<std::string> &FullApiSources);

} // namespace abi3port

#endif
