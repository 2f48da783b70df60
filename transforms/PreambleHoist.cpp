#include "transforms/PreambleHoist.h"
#include "transforms/SourceMapping.h"

#include "clang/AST/Decl.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Sema/IdentifierResolver.h"
#include "clang/Sema/Sema.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace clang;

namespace abi3port {
namespace {

/// The identifiers of a text, raw-lexed (keywords included).
llvm::StringSet<> identifiersOf(llvm::StringRef Text, const LangOptions &LO) {
  llvm::StringSet<> Names;
  Lexer Raw(SourceLocation(), LO, Text.begin(), Text.begin(), Text.end());
  Token Tok;
  for (Raw.LexFromRawLexer(Tok); Tok.isNot(tok::eof); Raw.LexFromRawLexer(Tok))
    if (Tok.is(tok::raw_identifier))
      Names.insert(Tok.getRawIdentifier());
  return Names;
}

class HoistCheck {
public:
  HoistCheck(CompilerInstance &CI, unsigned HoistLine)
      : CI(CI), PP(CI.getPreprocessor()), SM(CI.getSourceManager()),
        Point(SM.translateLineCol(SM.getMainFileID(), HoistLine, 1)) {}

  bool run(llvm::StringRef Hoisted) {
    if (Point.isInvalid() || !CI.hasSema())
      return false;
    llvm::StringSet<> Declared; // the names the code declares (or uses unknown)
    for (const auto &Entry : identifiersOf(Hoisted, PP.getLangOpts())) {
      IdentifierInfo *II = PP.getIdentifierInfo(Entry.getKey());
      bool Known = false;
      if (!meaningComesBefore(II, Known))
        return false;
      if (!Known && II->getTokenID() == tok::identifier)
        Declared.insert(Entry.getKey());
    }
    return Declared.empty() || !movedTextNames(Declared);
  }

private:
  /// False when the name has a declaration or macro in the moved part;
  /// `Known` when it has one before it.
  bool meaningComesBefore(IdentifierInfo *II, bool &Known) {
    if (II->isOutOfDate() && PP.getExternalSource())
      PP.getExternalSource()->updateOutOfDateIdentifier(*II);
    IdentifierResolver &Resolver = CI.getSema().IdResolver;
    for (auto It = Resolver.begin(DeclarationName(II)); It != Resolver.end(); ++It)
      for (const Decl *R : (*It)->redecls()) {
        if (moved(R->getLocation()))
          return false;
        Known = true;
      }
    if (!II->hadMacroDefinition())
      return true;
    for (MacroDirective *MD = PP.getLocalMacroDirectiveHistory(II); MD; MD = MD->getPrevious()) {
      if (moved(MD->getLocation()))
        return false;
      Known = true;
    }
    return true;
  }

  /// Whether a location lies in the moved part: at or after the hoist point
  /// of the PCH's text, or in a file entered from there.
  bool moved(SourceLocation Loc) const {
    if (Loc.isInvalid())
      return false; // built in, or the command line
    return !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(Loc), Point);
  }

  /// Whether the moved part, or a file it enters, names one of `Names`.
  bool movedTextNames(const llvm::StringSet<> &Names) const {
    auto NamesOne = [&](llvm::StringRef Text) {
      for (const auto &Name : identifiersOf(Text, PP.getLangOpts()))
        if (Names.contains(Name.getKey()))
          return true;
      return false;
    };
    if (NamesOne(SM.getBufferData(SM.getMainFileID()).drop_front(SM.getFileOffset(Point))))
      return true;
    for (const EnteredFileID &E : filesEntered(SM)) {
      if (!moved(E.IncludeLoc))
        continue;
      std::optional<llvm::MemoryBufferRef> Buffer = SM.getBufferOrNone(E.File);
      if (!Buffer || NamesOne(Buffer->getBuffer()))
        return true;
    }
    return false;
  }

  CompilerInstance &CI;
  Preprocessor &PP;
  const SourceManager &SM;
  SourceLocation Point;
};

} // namespace

bool hoistChangesNothing(CompilerInstance &CI, llvm::StringRef Hoisted, unsigned HoistLine) {
  return HoistCheck(CI, HoistLine).run(Hoisted);
}

} // namespace abi3port
