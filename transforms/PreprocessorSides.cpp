#include "transforms/PreprocessorSides.h"
#include "transforms/ClangSetup.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "llvm/Support/Path.h"
#include <atomic>

using namespace clang;

namespace abi3port {
namespace {

std::atomic<unsigned long> LimitedParses{0};

/// The directive's text on its line (continuations and comments dropped).
std::string directiveText(const SourceManager &SM, SourceLocation Loc) {
  auto [FID, Offset] = SM.getDecomposedLoc(SM.getFileLoc(Loc));
  llvm::StringRef Buffer = SM.getBufferData(FID);
  size_t Start = Buffer.take_front(Offset).rfind('\n');
  Start = Start == llvm::StringRef::npos ? 0 : Start + 1;
  llvm::StringRef Line = Buffer.substr(Start);
  Line = Line.take_until([](char C) { return C == '\n' || C == '\r'; });
  for (llvm::StringRef Comment : {"//", "/*"})
    Line = Line.take_front(Line.find(Comment));
  Line = Line.rtrim(" \t\\").trim();
  std::string Text;
  for (char C : Line) // `#  ifndef  X` -> `# ifndef X`
    if (!(C == ' ' || C == '\t') || (!Text.empty() && Text.back() != ' '))
      Text += C == '\t' ? ' ' : C;
  return Text.size() > 80 ? Text.substr(0, 77) + "..." : Text;
}

/// The condition of the directive at `Loc`, to the end of its logical line.
llvm::StringRef conditionText(const SourceManager &SM, SourceLocation Loc) {
  auto [FID, Offset] = SM.getDecomposedLoc(SM.getFileLoc(Loc));
  llvm::StringRef Rest = SM.getBufferData(FID).substr(Offset);
  size_t End = 0;
  while (End < Rest.size() && Rest[End] != '\n')
    End += Rest[End] == '\\' && End + 1 < Rest.size() ? 2 : 1;
  return Rest.take_front(End);
}

class AuditSideAction : public ASTFrontendAction {
public:
  AuditSideAction(const ApiKnowledge &K, const AuditOptions &O, std::vector<Finding> &Out,
                  PreprocessorSide &Side)
      : Knowledge(K), Options(O), Out(Out), Side(Side) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, llvm::StringRef) override {
    recordPreprocessorSide(CI.getPreprocessor(), Options.PythonIncludeDir, Knowledge.surface(),
                           Side);
    return createAuditConsumer(CI, Knowledge, Options, Out);
  }

private:
  const ApiKnowledge &Knowledge;
  const AuditOptions &Options;
  std::vector<Finding> &Out;
  PreprocessorSide &Side;
};

class PreprocessSideAction : public PreprocessOnlyAction {
public:
  PreprocessSideAction(const ApiKnowledge &K, std::string IncludeDir, PreprocessorSide &Side)
      : Knowledge(K), IncludeDir(std::move(IncludeDir)), Side(Side) {}
  bool BeginSourceFileAction(CompilerInstance &CI) override {
    recordPreprocessorSide(CI.getPreprocessor(), IncludeDir, Knowledge.surface(), Side);
    return PreprocessOnlyAction::BeginSourceFileAction(CI);
  }

private:
  const ApiKnowledge &Knowledge;
  std::string IncludeDir;
  PreprocessorSide &Side;
};

/// QuietActionFactory (ClangSetup.h) for an action made by a function.
class MadeActionFactory : public QuietActionFactory<SyntaxOnlyAction> {
public:
  explicit MadeActionFactory(std::function<std::unique_ptr<FrontendAction>()> Make)
      : Make(std::move(Make)) {}
  std::unique_ptr<FrontendAction> create() override { return Make(); }

private:
  std::function<std::unique_ptr<FrontendAction>()> Make;
};

std::string suffixFor(const SkippedRegion &R, bool FullBuild, bool WithLines = true,
                      llvm::StringRef InFile = "") {
  std::string Where = R.describe(WithLines, InFile);
  return FullBuild ? "; compiled only without Py_LIMITED_API (" + Where +
                         "), so it does not block the Limited API build"
                   : "; in code compiled only with Py_LIMITED_API (" + Where + ")";
}

} // namespace

//===----------------------------------------------------------------------===//
// The recorder
//===----------------------------------------------------------------------===//

PreprocessorSideRecorder::PreprocessorSideRecorder(Preprocessor &PP,
                                                   llvm::StringRef PythonIncludeDir,
                                                   const LimitedSurface &Surface,
                                                   PreprocessorSide &Out)
    : PP(PP), Files(PP.getSourceManager(), PythonIncludeDir), Surface(Surface), Out(Out) {
  for (const auto &[Macro, Undef] : PP.getPreprocessorOpts().Macros)
    if (!Undef && llvm::StringRef(Macro).take_until([](char C) { return C == '='; }) ==
                      "Py_LIMITED_API")
      Out.LimitedDefined = true;
}

PreprocessorSideRecorder &recordPreprocessorSide(Preprocessor &PP,
                                                 llvm::StringRef PythonIncludeDir,
                                                 const LimitedSurface &Surface,
                                                 PreprocessorSide &Out) {
  auto Recorder = std::make_unique<PreprocessorSideRecorder>(PP, PythonIncludeDir, Surface, Out);
  PreprocessorSideRecorder &R = *Recorder;
  PP.addPPCallbacks(std::move(Recorder));
  return R;
}

void PreprocessorSideRecorder::testsName(SourceLocation Loc, llvm::StringRef Name,
                                         const MacroInfo *MI) {
  if (Out.DependsOnLimited || !Files.isUser(Loc))
    return;
  if (Name == "Py_LIMITED_API")
    Out.DependsOnLimited = true;
  else if (MI && Files.isPython(MI->getDefinitionLoc()) && !Surface.defines(Name))
    Out.DependsOnLimited = true; // `#ifndef _PyArg_UnpackKeywords`
}

void PreprocessorSideRecorder::testsCondition(SourceLocation Loc) {
  if (Out.DependsOnLimited || !Files.isUser(Loc))
    return;
  llvm::StringRef Text = conditionText(PP.getSourceManager(), Loc);
  auto IsIdent = [](char C) { return isalnum(static_cast<unsigned char>(C)) || C == '_'; };
  while (!Text.empty() && !Out.DependsOnLimited) {
    Text = Text.drop_until([&](char C) { return IsIdent(C); });
    llvm::StringRef Word = Text.take_while(IsIdent);
    Text = Text.drop_front(Word.size());
    if (Word.empty() || isdigit(static_cast<unsigned char>(Word[0])) || Word == "defined")
      continue;
    const MacroInfo *MI = nullptr;
    if (IdentifierInfo *II = PP.getIdentifierInfo(Word))
      MI = PP.getMacroInfo(II);
    testsName(Loc, Word, MI);
  }
}

void PreprocessorSideRecorder::opens(SourceLocation Loc, SourceLocation IfLoc) {
  const SourceManager &SM = PP.getSourceManager();
  if (!Files.isUser(Loc))
    return;
  SourceLocation At = SM.getFileLoc(Loc);
  Openings[{SM.getFileID(At).getHashValue(), SM.getSpellingLineNumber(At)}] = IfLoc;
}

void PreprocessorSideRecorder::SourceRangeSkipped(SourceRange Range, SourceLocation EndifLoc) {
  if (!Files.isUser(Range.getBegin()))
    return;
  Ranges.push_back(Range);
  const SourceManager &SM = PP.getSourceManager();
  OptionalFileEntryRef FE = SM.getFileEntryRefForID(SM.getFileID(Range.getBegin()));
  if (!FE)
    return;
  SkippedRegion R;
  R.File = canonicalPath(FE->getName());
  R.BeginLine = SM.getSpellingLineNumber(Range.getBegin());
  R.EndLine = SM.getSpellingLineNumber(EndifLoc.isValid() ? EndifLoc : Range.getEnd());
  Out.Skipped.push_back(std::move(R)); // named at the end, once every #else's #if is known
  Named.push_back(Range.getBegin());
}

SkippedRegion::Directive PreprocessorSideRecorder::directiveAt(SourceLocation Loc) const {
  const SourceManager &SM = PP.getSourceManager();
  PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(Loc));
  return {llvm::sys::path::filename(P.getFilename()).str(), P.getLine(), directiveText(SM, Loc)};
}

std::string SkippedRegion::describe(bool WithLines, llvm::StringRef InFile) const {
  auto One = [&](const Directive &D) {
    std::string Where = WithLines ? D.FileName + ":" + std::to_string(D.Line) + " "
                        : llvm::sys::path::filename(InFile) != D.FileName ? D.FileName + " "
                                                                           : "";
    return Where + "'" + D.Text + "'";
  };
  return One(Start) + (Opening ? " of " + One(*Opening) : "");
}

void PreprocessorSideRecorder::If(SourceLocation Loc, SourceRange, ConditionValueKind) {
  testsCondition(Loc);
}
void PreprocessorSideRecorder::Elif(SourceLocation Loc, SourceRange, ConditionValueKind,
                                    SourceLocation IfLoc) {
  opens(Loc, IfLoc);
  testsCondition(Loc);
}
void PreprocessorSideRecorder::Ifdef(SourceLocation Loc, const Token &Name,
                                     const MacroDefinition &MD) {
  testsName(Loc, Name.getIdentifierInfo()->getName(), MD.getMacroInfo());
}
void PreprocessorSideRecorder::Ifndef(SourceLocation Loc, const Token &Name,
                                      const MacroDefinition &MD) {
  testsName(Loc, Name.getIdentifierInfo()->getName(), MD.getMacroInfo());
}
void PreprocessorSideRecorder::Elifdef(SourceLocation Loc, const Token &Name,
                                       const MacroDefinition &MD) {
  testsName(Loc, Name.getIdentifierInfo()->getName(), MD.getMacroInfo());
}
void PreprocessorSideRecorder::Elifdef(SourceLocation Loc, SourceRange, SourceLocation IfLoc) {
  opens(Loc, IfLoc);
  testsCondition(Loc);
}
void PreprocessorSideRecorder::Elifndef(SourceLocation Loc, const Token &Name,
                                        const MacroDefinition &MD) {
  testsName(Loc, Name.getIdentifierInfo()->getName(), MD.getMacroInfo());
}
void PreprocessorSideRecorder::Elifndef(SourceLocation Loc, SourceRange, SourceLocation IfLoc) {
  opens(Loc, IfLoc);
  testsCondition(Loc);
}
void PreprocessorSideRecorder::Else(SourceLocation Loc, SourceLocation IfLoc) {
  opens(Loc, IfLoc);
}

void PreprocessorSideRecorder::MacroDefined(const Token &Name, const MacroDirective *) {
  if (Name.getIdentifierInfo()->getName() == "Py_LIMITED_API" &&
      !Files.isPython(Name.getLocation()))
    Out.LimitedDefined = true;
}

void PreprocessorSideRecorder::EndOfMainFile() {
  const SourceManager &SM = PP.getSourceManager();
  for (size_t I = 0; I < Named.size(); ++I) {
    SkippedRegion &R = Out.Skipped[I];
    R.Start = directiveAt(Named[I]);
    SourceLocation At = SM.getFileLoc(Named[I]);
    auto It = Openings.find({SM.getFileID(At).getHashValue(), SM.getSpellingLineNumber(At)});
    if (It != Openings.end() && It->second.isValid())
      R.Opening = directiveAt(It->second);
  }
}

const SkippedRegion *PreprocessorSide::regionAt(llvm::StringRef File, unsigned Line) const {
  for (const SkippedRegion &R : Skipped)
    if (R.contains(File, Line))
      return &R;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// The second parse, and what it adds
//===----------------------------------------------------------------------===//

std::unique_ptr<tooling::FrontendActionFactory>
makeAuditSideActionFactory(const ApiKnowledge &Knowledge, const AuditOptions &Options,
                           std::vector<Finding> &Out, PreprocessorSide &Side) {
  return std::make_unique<MadeActionFactory>(
      [K = &Knowledge, O = &Options, Found = &Out, S = &Side] {
        return std::make_unique<AuditSideAction>(*K, *O, *Found, *S);
      });
}

LimitedSide parseLimitedSide(const Frontend &FE, size_t I, const ApiKnowledge &Knowledge,
                             bool Audit) {
  ++LimitedParses;
  LimitedSide L;
  AuditOptions Options{FE.pythonInclude()};
  // The arguments of the self-verification's limited parse (Port.cpp), so
  // that both use one preamble PCH.
  std::vector<std::string> Args = {"-w", "-ferror-limit=0",
                                   "-DPy_LIMITED_API=" + Knowledge.target().hexString()};
  bool Ran = true;
  std::vector<CompilerDiagnostic> Diagnostics = FE.diagnoseWith(
      I, {}, Args,
      [&]() -> std::unique_ptr<tooling::FrontendActionFactory> {
        L = LimitedSide{}; // a parse again without the PCH starts afresh
        if (Audit)
          return makeAuditSideActionFactory(Knowledge, Options, L.Findings, L.Side);
        return std::make_unique<MadeActionFactory>([&] {
          return std::make_unique<PreprocessSideAction>(Knowledge, Options.PythonIncludeDir,
                                                        L.Side);
        });
      },
      Ran);
  if (Audit)
    for (CompilerDiagnostic &D : Diagnostics)
      if (D.Error && !D.UserFile.empty())
        L.Errors.push_back(std::move(D));
  return L;
}

void markFullBuildOnly(std::vector<Finding> &Findings, const PreprocessorSide &Limited,
                       bool WithLines) {
  for (Finding &F : Findings) {
    if (F.FullBuildOnly)
      continue;
    const SkippedRegion *R = Limited.regionAt(F.Pos.File, F.Pos.Line);
    if (!R)
      continue;
    F.FullBuildOnly = true;
    F.Blocker = false;
    F.Message += suffixFor(*R, /*FullBuild=*/true, WithLines, F.Pos.File);
  }
}

std::vector<Finding> limitedOnlyFindings(const LimitedSide &Limited, const PreprocessorSide &Full,
                                         PythonVersion Target) {
  std::vector<Finding> Out;
  for (const Finding &F : Limited.Findings)
    if (const SkippedRegion *R = Full.regionAt(F.Pos.File, F.Pos.Line)) {
      Out.push_back(F);
      Out.back().Fixable = false; // port's rules never saw this code
      Out.back().Message += suffixFor(*R, /*FullBuild=*/false);
    }
  size_t Audited = Out.size();
  for (const CompilerDiagnostic &D : Limited.Errors) {
    const SkippedRegion *R = Full.regionAt(D.UserFile, D.UserLine);
    if (!R)
      continue;
    bool Covered = false;
    for (size_t I = 0; I < Out.size() && !Covered; ++I)
      Covered = Out[I].Pos.File == D.UserFile &&
                (I < Audited ? Out[I].Pos.Line <= D.UserLine && D.UserLine <= Out[I].Pos.EndLine
                             : Out[I].Pos.Line == D.UserLine);
    if (Covered)
      continue;
    Finding F;
    F.Rule = "limited-compile-error";
    F.Pos = {D.UserFile, D.UserLine, D.UserColumn, D.UserLine, D.UserColumn};
    F.Message = "does not compile with Py_LIMITED_API=" + Target.str() + ": " + D.Message +
                suffixFor(*R, /*FullBuild=*/false);
    Out.push_back(std::move(F));
  }
  return Out;
}

unsigned long limitedSideParses() { return LimitedParses.load(); }

} // namespace abi3port
