//===- CLibraryHeaders.h - C library names that came only through Python.h ===//
///
/// \file
/// The analysis behind rule `c-library-headers`, shared by the audit (the
/// findings) and the rule (the includes): a use, in the user's text, of a C
/// library name that the file got only through Python.h's include of a header
/// that Python.h stops including under the Limited API at the target
/// (api/StandardHeaders.h). See rules/CLibraryHeaders.cpp.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_RULES_CLIBRARYHEADERS_H
#define ABI3PORT_RULES_CLIBRARYHEADERS_H

#include "transforms/SourceMapping.h"
#include "transforms/api/PythonVersion.h"

#include "clang/AST/ASTContext.h"
#include "clang/Lex/Preprocessor.h"
#include <string>
#include <vector>

namespace clang {
class CompilerInstance;
} // namespace clang

namespace abi3port {

struct CLibraryUse {
  std::string Name;
  std::string Kind;   ///< "function", "variable", "constant", "type", "macro"
  bool Tested = false; ///< a macro only tested (#ifdef, defined()): no error, a silent change
  std::string Header; ///< "string.h"
  clang::SourceLocation Loc; ///< the name as the user spelled it (a file location)
  /// Where `#include <Header>` goes: the end of the line of the `#include`
  /// that brings Python.h, or (BeforeLine) the start of the file's first
  /// line after its leading comments; invalid when the use cannot be fixed.
  clang::SourceLocation InsertAt;
  bool BeforeLine = false;
  std::string LinePrefix = "#include "; ///< as the anchoring directive spells it
  std::string Newline = "\n";            ///< the anchoring line's
};

/// Records, while the file is preprocessed, every `#include` directive (also
/// those include guards make no-ops) and every use of a macro defined in a
/// system header. Owned by the preprocessor; reads the instance's Sema,
/// which exists by the time the unit is analysed.
class CLibraryHeaderRecorder;

CLibraryHeaderRecorder *attachCLibraryHeaderRecorder(clang::CompilerInstance &CI,
                                                     const FileClassifier &Files);

/// The uses of the translation unit at `Target`, sorted by position. With
/// `HeaderView`, a use in a project header counts unless the header itself
/// (its own includes, Python.h's remaining ones) provides the name, whatever
/// the main file included before it: the same in every unit (port). Without,
/// every user file of the unit counts (check: what fails in this unit).
std::vector<CLibraryUse> cLibraryUses(CLibraryHeaderRecorder &Recorder, clang::ASTContext &Ctx,
                                      PythonVersion Target, bool HeaderView);

/// The finding's message.
std::string cLibraryUseMessage(const CLibraryUse &Use, PythonVersion Target);

} // namespace abi3port

#endif
