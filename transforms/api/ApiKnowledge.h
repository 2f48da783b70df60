//===- ApiKnowledge.h - What the Limited API contains, per version --------===//
///
/// \file
/// Two sources of truth answer "may this extension use NAME when it targets
/// Python X.Y under the Limited API?":
///
///  - the **manifest** (CPython's Misc/stable_abi.toml, compiled into
///    StableAbiManifest.inc by scripts/gen_api_table.py) says when each item
///    entered the Limited API, and whether it is ABI-only;
///  - the **installed headers**, preprocessed and parsed once per run with
///    `-DPy_LIMITED_API=<target>` (a `LimitedSurface`), say what actually
///    compiles: they define names the manifest omits (`Py_TPFLAGS_IMMUTABLETYPE`)
///    and inline helpers usable at every version (`Py_INCREF`, `Py_TYPE`).
///
/// A name is available at a target if the surface defines it, or, for targets
/// newer than the installed headers, if the manifest lists it at or below the
/// target. `disagreements()` lists the names on which the two sources differ.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_API_APIKNOWLEDGE_H
#define ABI3PORT_API_APIKNOWLEDGE_H

#include "transforms/api/PythonVersion.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace clang {
class RecordDecl;
}

namespace abi3port {

/// The name the surface keys a record by: its tag, or the typedef that
/// names an anonymous one ("PyListObject").
std::string recordName(const clang::RecordDecl *RD);

enum class ItemKind { Function, Data, Const, Macro, Struct, Typedef, FeatureMacro };
llvm::StringRef kindName(ItemKind Kind);

/// One row of the manifest.
struct ManifestItem {
  llvm::StringRef Name;
  ItemKind Kind;
  PythonVersion Added;
  bool AbiOnly;
  llvm::StringRef Ifdef;
  llvm::StringRef StructAbiKind;
  llvm::StringRef Members; ///< space separated, for 'members' structs
};

/// CPython's Limited API manifest, compiled in.
class Manifest {
public:
  static const Manifest &get();
  const ManifestItem *lookup(llvm::StringRef Name) const;
  const std::vector<ManifestItem> &items() const { return Items; }

private:
  Manifest();
  std::vector<ManifestItem> Items;
  llvm::StringMap<size_t> Index;
};

/// A full-API name with a Limited API replacement (Replacements.def).
struct ApiReplacement {
  llvm::StringRef FullApiName;
  llvm::StringRef Replacement;
  PythonVersion Since;
  llvm::StringRef FixRule; ///< empty: a human has to port it
  llvm::StringRef Note;
};
const ApiReplacement *lookupReplacement(llvm::StringRef FullApiName);
const std::vector<ApiReplacement> &allReplacements();

/// What the installed headers expose under `-DPy_LIMITED_API=<target>`.
struct LimitedSurface {
  PythonVersion Target;
  PythonVersion HeaderVersion;   ///< PY_MAJOR_VERSION.PY_MINOR_VERSION
  llvm::StringSet<> Names;       ///< functions, variables, typedefs, tags, enumerators
  llvm::StringSet<> Macros;      ///< every macro the headers define
  llvm::StringSet<> Fields;      ///< "Record.field" of complete records
  llvm::StringSet<> CompleteRecords;
  /// Macros the headers define but whose expansion needs a name they do
  /// not define, with that name: unusable although defined.
  llvm::StringMap<std::string> UnusableMacros;
  bool defines(llvm::StringRef Name) const {
    return Names.contains(Name) || Macros.contains(Name);
  }
};

/// Parses `#define Py_LIMITED_API <hex>` + `#include <Python.h>` with the
/// given include directory and records what it defines.
llvm::Expected<LimitedSurface> probeLimitedSurface(llvm::StringRef PythonInclude,
                                                   PythonVersion Target,
                                                   const std::vector<std::string> &ExtraArgs = {});

/// The answer to "may I use NAME at the target?".
struct Availability {
  bool Available = false;
  /// The first Limited API version that has NAME (nullopt: none does).
  std::optional<PythonVersion> AvailableFrom;
  /// A replacement to use instead, if NAME is not available.
  const ApiReplacement *Replacement = nullptr;
};

/// A disagreement between the manifest and the headers at one target.
struct Disagreement {
  std::string Name;
  std::string What;
};

class ApiKnowledge {
public:
  ApiKnowledge(LimitedSurface Surface) : Surface(std::move(Surface)) {}

  PythonVersion target() const { return Surface.Target; }
  const LimitedSurface &surface() const { return Surface; }

  /// Availability of a function, data, type, tag or macro name.
  Availability lookup(llvm::StringRef Name) const;
  /// Whether `Record.Field` may be accessed directly at the target.
  bool fieldAvailable(llvm::StringRef Record, llvm::StringRef Field) const;
  bool recordComplete(llvm::StringRef Record) const {
    return Surface.CompleteRecords.contains(Record);
  }
  /// Names on which the manifest and the headers disagree at the target,
  /// restricted to items the headers could know about (added at or below the
  /// header version, no platform ifdef).
  std::vector<Disagreement> disagreements() const;

private:
  LimitedSurface Surface;
};

} // namespace abi3port

#endif
