#include "transforms/StringifiedArguments.h"
#include "transforms/SourceMapping.h"

#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/Preprocessor.h"

#include <tuple>

using namespace clang;

namespace abi3port {

void StringifiedArgumentRecorder::MacroExpands(const Token &NameTok, const MacroDefinition &MD,
                                               SourceRange, const MacroArgs *Args) {
  const MacroInfo *MI = MD.getMacroInfo();
  if (!MI || !Args || !MI->isFunctionLike())
    return;
  SourceManager &SM = PP.getSourceManager();
  llvm::StringRef Name = NameTok.getIdentifierInfo()->getName();
  if (Name == "assert" && SM.isInSystemHeader(MI->getDefinitionLoc()))
    return;
  llvm::ArrayRef<Token> Body = MI->tokens();
  for (size_t I = 0; I + 1 < Body.size(); ++I) {
    if (!Body[I].isOneOf(tok::hash, tok::hashat) || !Body[I + 1].getIdentifierInfo())
      continue;
    int Param = MI->getParameterNum(Body[I + 1].getIdentifierInfo());
    if (Param < 0 || unsigned(Param) >= Args->getNumMacroArguments())
      continue;
    const Token *First = Args->getUnexpArgument(Param);
    if (First->is(tok::eof))
      continue;
    const Token *Last = First;
    for (const Token *T = First; T->isNot(tok::eof); ++T)
      Last = T;
    SourceLocation B = SM.getSpellingLoc(First->getLocation());
    SourceLocation E = SM.getSpellingLoc(Last->getLocation()).getLocWithOffset(Last->getLength());
    if (B.isFileID() && Files.isUser(B) && SM.getFileID(B) == SM.getFileID(E) &&
        SM.getFileOffset(B) <= SM.getFileOffset(E))
      Found.push_back({B, E, Name.str()});
  }
}

StringifiedArgumentRecorder &attachStringifiedArgumentRecorder(Preprocessor &PP,
                                                               const FileClassifier &Files) {
  auto Recorder = std::make_unique<StringifiedArgumentRecorder>(PP, Files);
  StringifiedArgumentRecorder &R = *Recorder;
  PP.addPPCallbacks(std::move(Recorder));
  return R;
}

const StringifiedArgument *stringifiedAt(const std::vector<StringifiedArgument> &Arguments,
                                         const SourceManager &SM, CharSourceRange Chars) {
  if (Chars.isInvalid())
    return nullptr;
  FileID F = SM.getFileID(Chars.getBegin());
  unsigned B = SM.getFileOffset(Chars.getBegin()), E = SM.getFileOffset(Chars.getEnd());
  for (const StringifiedArgument &S : Arguments) {
    if (SM.getFileID(S.Begin) != F)
      continue;
    if (B <= SM.getFileOffset(S.End) && SM.getFileOffset(S.Begin) <= E)
      return &S;
  }
  return nullptr;
}

std::vector<SourcePosition> positionsOf(const std::vector<StringifiedArgument> &Arguments,
                                        const SourceManager &SM, const LangOptions &LO) {
  std::vector<SourcePosition> Out;
  for (const StringifiedArgument &S : Arguments)
    Out.push_back(positionOf(SM, LO, CharSourceRange::getCharRange(S.Begin, S.End)));
  return Out;
}

bool overlaps(const SourcePosition &A, const SourcePosition &B) {
  using LineColumn = std::tuple<unsigned, unsigned>;
  return A.File == B.File &&
         LineColumn{A.Line, A.Column} <= LineColumn{B.EndLine, B.EndColumn} &&
         LineColumn{B.Line, B.Column} <= LineColumn{A.EndLine, A.EndColumn};
}

} // namespace abi3port
