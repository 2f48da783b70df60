//===- TrashcanGuard.cpp - rule `trashcan` --------------------------------===//
///
/// Rewrites: the trashcan macros of a dealloc, which the Limited API lacks,
/// into code only the full-API build compiles.
/// \code
///   Py_TRASHCAN_BEGIN(self, Foo_dealloc)      #ifndef Py_LIMITED_API
///   ...                                   ->      Py_TRASHCAN_BEGIN(self, Foo_dealloc)
///   Py_TRASHCAN_END                            #endif
///                                              ...
///                                              #ifndef Py_LIMITED_API
///                                                  Py_TRASHCAN_END
///                                              #endif
/// \endcode
/// (also Py_TRASHCAN_SAFE_BEGIN(op) / Py_TRASHCAN_SAFE_END(op)).
///
/// The decision: a file that keeps the full API keeps the guard exactly. A
/// file that gets Py_LIMITED_API deallocates without it: destroying a very
/// deeply nested structure (a chain of a million of these objects, each
/// holding the next) recurses once per level and can exhaust the C stack,
/// where the trashcan deferred the deeper levels. The Limited API has no
/// equivalent: Py_EnterRecursiveCall (3.9) raises RecursionError, which a
/// dealloc can neither propagate nor survive without leaking. Each guard
/// gets a non-blocking report line saying so.
///
/// Leaves for manual change: a BEGIN and END not alone on their lines, an END
/// not found in the same function, uses inside the project's macros.
///
/// Requires: nothing (preprocessor conditionals).
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"

#include "clang/Lex/Lexer.h"

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "trashcan";

class TrashcanGuard {
public:
  explicit TrashcanGuard(PortContext &Ctx) : Ctx(Ctx) {}

  void run() {
    for (const ApiReference &Ref : Ctx.references()) {
      llvm::StringRef End = Ref.Name == "Py_TRASHCAN_BEGIN"        ? "Py_TRASHCAN_END"
                            : Ref.Name == "Py_TRASHCAN_SAFE_BEGIN" ? "Py_TRASHCAN_SAFE_END"
                                                                   : "";
      if (!End.empty())
        guard(Ref, End);
    }
  }

private:
  void manual(CharSourceRange At, const std::string &Why) {
    Ctx.manual(Rule, At,
               "the trashcan macros are not in the Limited API and " + Why +
                   "; put them under #ifndef Py_LIMITED_API (a Limited API dealloc has no "
                   "guard against deep nesting)",
               std::nullopt);
  }

  void guard(const ApiReference &Begin, llvm::StringRef EndName) {
    CharSourceRange Invocation = Lexer::makeFileCharRange(Begin.WholeRange, Ctx.SM, Ctx.LO);
    if (Begin.InsideUserMacro || Invocation.isInvalid())
      return manual(Begin.NameRange, "this use is inside a macro of the project");
    const FunctionDecl *Function = functionAt(Invocation.getBegin());
    if (!Function)
      return manual(Invocation, "this use is not in a function body");
    SourceLocation End = findToken(Invocation.getEnd(),
                                   Ctx.fileEnd(Function->getBody()->getEndLoc()), EndName);
    if (End.isInvalid())
      return manual(Invocation, EndName.str() + " is not found after it in the function");
    CharSourceRange EndRange = CharSourceRange::getTokenRange(End);
    if (EndName == "Py_TRASHCAN_SAFE_END")
      EndRange = CharSourceRange::getCharRange(End, afterParens(End));
    std::optional<CharSourceRange> BeginLines = ownLines(Invocation),
                                   EndLines = ownLines(EndRange);
    if (!BeginLines || !EndLines)
      return manual(Invocation, "they share their lines with other code");
    auto Change = Ctx.change();
    for (CharSourceRange Lines : {*BeginLines, *EndLines})
      Ctx.replaceComposed(Rule, Lines,
                          "#ifndef Py_LIMITED_API\n" + Ctx.rewrittenRange(Lines) + "#endif\n");
    Finding &F = Ctx.manual(
        Rule, CharSourceRange::getTokenRange(Ctx.fileBegin(Function->getLocation())),
        "'" + Function->getName().str() +
            "' keeps its trashcan guard only in the full-API build: with Py_LIMITED_API "
            "it deallocates without one, and destroying a very deeply nested structure of "
            "these objects can exhaust the C stack (the Limited API has no trashcan)",
        std::nullopt);
    F.Blocker = false;
  }

  const FunctionDecl *functionAt(SourceLocation Loc) {
    for (Decl *D : parsedDecls(Ctx.Ctx)) {
      const auto *FD = dyn_cast<FunctionDecl>(D);
      if (!FD || !FD->doesThisDeclarationHaveABody())
        continue;
      SourceLocation B = Ctx.fileBegin(FD->getBody()->getBeginLoc()),
                     E = Ctx.fileEnd(FD->getBody()->getEndLoc());
      if (Ctx.SM.getFileID(B) == Ctx.SM.getFileID(Loc) && Ctx.SM.isPointWithin(Loc, B, E))
        return FD;
    }
    return nullptr;
  }

  /// The first raw identifier `Name` in [From, To), or invalid.
  SourceLocation findToken(SourceLocation From, SourceLocation To, llvm::StringRef Name) {
    auto [FID, Offset] = Ctx.SM.getDecomposedLoc(From);
    unsigned Stop = Ctx.SM.getFileOffset(To);
    llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
    Lexer Raw(Ctx.SM.getLocForStartOfFile(FID), Ctx.LO, Buffer.begin(), Buffer.begin() + Offset,
              Buffer.end());
    Token Tok;
    while (!Raw.LexFromRawLexer(Tok) && Ctx.SM.getFileOffset(Tok.getLocation()) < Stop)
      if (Tok.is(tok::raw_identifier) && Tok.getRawIdentifier() == Name)
        return Tok.getLocation();
    return {};
  }

  /// Just past the `(...)` that follows `Name`.
  SourceLocation afterParens(SourceLocation Name) {
    auto [FID, Offset] = Ctx.SM.getDecomposedLoc(Name);
    llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
    size_t Close = Buffer.find(')', Offset);
    return Close == llvm::StringRef::npos ? Name
                                          : Ctx.SM.getLocForStartOfFile(FID).getLocWithOffset(Close + 1);
  }

  /// The whole lines of `R` (through the newline), when nothing else is on them.
  std::optional<CharSourceRange> ownLines(CharSourceRange R) {
    CharSourceRange Chars = Lexer::makeFileCharRange(R, Ctx.SM, Ctx.LO);
    if (Chars.isInvalid())
      return std::nullopt;
    auto [FID, Begin] = Ctx.SM.getDecomposedLoc(Chars.getBegin());
    unsigned End = Ctx.SM.getFileOffset(Chars.getEnd());
    llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
    size_t LineStart = Buffer.take_front(Begin).rfind('\n') + 1;
    size_t NL = Buffer.find('\n', End);
    if (NL == llvm::StringRef::npos || !Buffer.slice(LineStart, Begin).trim().empty())
      return std::nullopt;
    llvm::StringRef After = Buffer.slice(End, NL).trim();
    if (!After.empty() && After != ";" && !After.starts_with("//"))
      return std::nullopt;
    SourceLocation Start = Ctx.SM.getLocForStartOfFile(FID);
    return CharSourceRange::getCharRange(Start.getLocWithOffset(LineStart),
                                         Start.getLocWithOffset(NL + 1));
  }

  PortContext &Ctx;
};

} // namespace

void trashcanGuard(PortContext &Ctx) { TrashcanGuard(Ctx).run(); }

} // namespace abi3port
