#include "transforms/PythonFreeFiles.h"
#include "transforms/ParsedDecls.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/ExternalPreprocessorSource.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Sema/IdentifierResolver.h"
#include "clang/Sema/Sema.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace abi3port {
namespace {

/// What the identifiers of one file F name outside F.
struct NamesOutside {
  bool Python = false; ///< something of CPython's headers
  /// Project files whose declarations F's identifiers name: F is
  /// Python-free only if they are.
  llvm::SmallVector<FileID, 4> ProjectFiles;
  void add(const NamesOutside &Other) {
    Python |= Other.Python;
    for (FileID G : Other.ProjectFiles)
      if (!llvm::is_contained(ProjectFiles, G))
        ProjectFiles.push_back(G);
  }
};

/// Reads, for one file F at a time, what the identifiers of F's text name
/// outside F.
class OutsideNames {
public:
  OutsideNames(CompilerInstance &CI, const FileClassifier &Files)
      : PP(CI.getPreprocessor()), SM(CI.getSourceManager()), Resolver(CI.getSema().IdResolver),
        Files(Files) {}

  /// Over every identifier of F's raw text.
  NamesOutside ofText(FileID F) {
    NamesOutside Out;
    std::optional<llvm::MemoryBufferRef> Buffer = SM.getBufferOrNone(F);
    if (!Buffer) {
      Out.Python = true;
      return Out;
    }
    Lexer Raw(SM.getLocForStartOfFile(F), PP.getLangOpts(), Buffer->getBufferStart(),
              Buffer->getBufferStart(), Buffer->getBufferEnd());
    Token Tok;
    for (Raw.LexFromRawLexer(Tok); Tok.isNot(tok::eof) && !Out.Python; Raw.LexFromRawLexer(Tok)) {
      if (Tok.isNot(tok::raw_identifier))
        continue;
      IdentifierInfo *II = PP.getIdentifierInfo(Tok.getRawIdentifier());
      if (II->getTokenID() == tok::identifier)
        Out.add(of(II, F, 0));
    }
    return Out;
  }

private:
  NamesOutside of(IdentifierInfo *II, FileID F, unsigned Depth) {
    auto Key = std::make_pair(static_cast<const IdentifierInfo *>(II), F.getHashValue());
    if (auto It = Memo.find(Key); It != Memo.end())
      return It->second;
    NamesOutside Cycle;
    Cycle.Python = true; // a cycle of macros: assume the worst
    Memo[Key] = Cycle;
    if (II->isOutOfDate() && PP.getExternalSource())
      PP.getExternalSource()->updateOutOfDateIdentifier(*II);
    NamesOutside Out;
    Out.Python = Depth > 8;
    addDeclarations(II, F, Out);
    addMacros(II, F, Depth, Out);
    Memo[Key] = Out;
    return Out;
  }

  /// The file-scope declarations of the name (all that remain visible at
  /// the end of the unit: those of every project file included).
  void addDeclarations(IdentifierInfo *II, FileID F, NamesOutside &Out) {
    for (auto It = Resolver.begin(DeclarationName(II)); It != Resolver.end(); ++It) {
      SourceLocation Loc = (*It)->getLocation();
      if (Loc.isInvalid())
        continue; // built in
      SourceLocation Expansion = SM.getExpansionLoc(Loc);
      FileID G = SM.getFileID(Expansion);
      if (G == F)
        continue;
      if (Files.isPython(Expansion))
        Out.Python = true;
      else if (Files.isUser(Expansion))
        Out.add({false, {G}});
    }
  }

  /// Every definition of the name in the unit: CPython's bring Python; a
  /// project file's bring what their bodies name (F's own are lexed with
  /// F; a system header's or the command line's bring nothing).
  void addMacros(IdentifierInfo *II, FileID F, unsigned Depth, NamesOutside &Out) {
    if (!II->hadMacroDefinition())
      return;
    MacroDirective *MD = PP.getLocalMacroDirectiveHistory(II);
    if (!MD)
      Out.Python = true; // defined somewhere we cannot see
    for (; MD && !Out.Python; MD = MD->getPrevious()) {
      auto *Def = llvm::dyn_cast<DefMacroDirective>(MD);
      if (!Def)
        continue;
      SourceLocation Loc = Def->getInfo()->getDefinitionLoc();
      if (Loc.isInvalid() || SM.getFileID(SM.getExpansionLoc(Loc)) == F)
        continue;
      if (Files.isPython(Loc)) {
        Out.Python = true;
        continue;
      }
      if (!Files.isUser(Loc))
        continue;
      for (const Token &T : Def->getInfo()->tokens())
        if (IdentifierInfo *Body = T.getIdentifierInfo())
          if (Body->getTokenID() == tok::identifier)
            Out.add(of(Body, F, Depth + 1));
    }
  }

  Preprocessor &PP;
  const SourceManager &SM;
  IdentifierResolver &Resolver;
  const FileClassifier &Files;
  llvm::DenseMap<std::pair<const IdentifierInfo *, unsigned>, NamesOutside> Memo;
};

/// A file the parse entered, and what it needs to be Python-free.
struct EnteredFile {
  FileID File, Includer;
  bool Free = false;
  NamesOutside Names;
};

/// The files of this parse, in the order they were entered: an included
/// file comes after the file that includes it.
std::vector<EnteredFile> enteredFiles(const SourceManager &SM) {
  std::vector<EnteredFile> Order;
  for (unsigned I = 1, N = SM.local_sloc_entry_size(); I < N; ++I) {
    const SrcMgr::SLocEntry &E = SM.getLocalSLocEntry(I);
    if (!E.isFile())
      continue;
    EnteredFile Entered;
    Entered.File = SM.getFileID(SourceLocation::getFromRawEncoding(E.getOffset()));
    SourceLocation IncludeLoc = E.getFile().getIncludeLoc();
    if (IncludeLoc.isValid())
      Entered.Includer = SM.getFileID(IncludeLoc);
    Order.push_back(std::move(Entered));
  }
  return Order;
}

} // namespace

llvm::DenseSet<FileID> pythonFreeFiles(CompilerInstance &CI, const FileClassifier &Files) {
  llvm::DenseSet<FileID> Free;
  if (!CI.hasSema() || CI.getLangOpts().CPlusPlus)
    return Free;
  const SourceManager &SM = CI.getSourceManager();
  std::vector<EnteredFile> Order = enteredFiles(SM);
  OutsideNames Names(CI, Files);
  llvm::DenseMap<FileID, size_t> Index;
  for (size_t I = 0; I < Order.size(); ++I) {
    EnteredFile &E = Order[I];
    Index[E.File] = I;
    if (!Files.isUser(SM.getLocForStartOfFile(E.File)))
      continue;
    E.Names = Names.ofText(E.File);
    E.Free = !E.Names.Python;
  }
  // The greatest fixed point: a file stops being Python-free when it names
  // a declaration of a project file that is not, or includes one, or
  // includes a CPython header.
  auto IsFree = [&](FileID G) {
    auto It = Index.find(G);
    return It != Index.end() && Order[It->second].Free;
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (size_t I = Order.size(); I-- > 0;) {
      EnteredFile &E = Order[I];
      SourceLocation Start = SM.getLocForStartOfFile(E.File);
      bool Clean = E.Free || !(Files.isUser(Start) || Files.isPython(Start));
      if (E.Free && !llvm::all_of(E.Names.ProjectFiles, IsFree)) {
        E.Free = Clean = false;
        Changed = true;
      }
      if (Clean || E.Includer.isInvalid()) // the main file has no includer
        continue;
      if (auto Parent = Index.find(E.Includer);
          Parent != Index.end() && Order[Parent->second].Free) {
        Order[Parent->second].Free = false;
        Changed = true;
      }
    }
  }
  for (const EnteredFile &E : Order)
    if (E.Free)
      Free.insert(E.File);
  return Free;
}

llvm::DenseSet<FileID> limitWalksToPythonCode(CompilerInstance &CI, const FileClassifier &Files) {
  ASTContext &Ctx = CI.getASTContext();
  if (walksAreLimited(Ctx))
    return {};
  llvm::DenseSet<FileID> Free = pythonFreeFiles(CI, Files);
  const SourceManager &SM = Ctx.getSourceManager();
  auto InFreeFile = [&](const Decl *D) {
    if (Free.empty() || D->getBeginLoc().isInvalid() || D->getEndLoc().isInvalid())
      return false;
    FileID Begin = SM.getFileID(SM.getExpansionLoc(D->getBeginLoc()));
    FileID End = SM.getFileID(SM.getExpansionLoc(D->getEndLoc()));
    return Begin == End && Free.contains(Begin);
  };
  std::vector<Decl *> Walked;
  for (Decl *D : allParsedDecls(Ctx))
    if (!InFreeFile(D))
      Walked.push_back(D);
  setWalkedDecls(Ctx, std::move(Walked));
  return Free;
}

} // namespace abi3port
