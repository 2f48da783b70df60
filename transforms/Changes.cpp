#include "transforms/Changes.h"
#include "transforms/Output.h"
#include "transforms/Registry.h"
#include "transforms/Verify.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <functional>

namespace abi3port {
using clang::tooling::Replacement;

std::string changeUnitOf(const RuleEdit &Edit, StateMode State) {
  std::string Unit = unitOf(Edit, State);
  if (Unit.empty())
    return "creation:" + Edit.Replacement.getFilePath().str();
  return Unit;
}

namespace {

/// The identifiers of a text, in order, joined by ','.
std::string identifiersOf(llvm::StringRef Text) {
  std::string Out;
  for (size_t I = 0; I < Text.size();) {
    char C = Text[I];
    if (!llvm::isAlpha(C) && C != '_') {
      ++I;
      continue;
    }
    size_t End = I;
    while (End < Text.size() && (llvm::isAlnum(Text[End]) || Text[End] == '_'))
      ++End;
    Out += Text.slice(I, End).str() + ",";
    I = End;
  }
  return Out;
}

/// A text on one line, at most `Max` characters.
std::string oneLine(llvm::StringRef Text, size_t Max = 60) {
  std::string Out;
  bool Space = false;
  for (char C : Text) {
    if (llvm::isSpace(C)) {
      Space = !Out.empty();
      continue;
    }
    if (Space)
      Out += ' ';
    Space = false;
    Out += C;
  }
  if (Out.size() > Max)
    Out = Out.substr(0, Max - 3) + "...";
  return Out;
}

void collectRules(const RuleEdit &E, std::set<std::string> &Rules) {
  Rules.insert(E.Rule);
  for (const RuleEdit &Inner : E.Replaced)
    collectRules(Inner, Rules);
}

/// What the ids are computed from: rule, file and names.
std::string signatureOf(const ChangeGroup &C, const FileEdits &First, const ChangeContext &Ctx) {
  llvm::StringRef Unit = C.Unit;
  std::string File = displayPath(C.File, Ctx.WorkingDir);
  if (Unit.consume_front("type:"))
    return "static-type-object|" +
           displayPath(Ctx.TypeFiles.count(Unit.str()) ? Ctx.TypeFiles.at(Unit.str()) : C.File,
                       Ctx.WorkingDir) +
           "|" + Unit.str();
  if (Unit == "state")
    return "module-state|" + File;
  if (Unit.starts_with("creation:"))
    return "type-creation|" + File;
  const Replacement &R = C.Edits.front().Replacement;
  std::string Names = identifiersOf(llvm::StringRef(First.Original).substr(R.getOffset(), R.getLength()));
  if (Names.empty())
    Names = "+" + identifiersOf(R.getReplacementText());
  return C.Rule + "|" + File + "|" + Names;
}

std::string summaryOf(const ChangeGroup &C, const FileEdits &First) {
  llvm::StringRef Unit = C.Unit;
  if (Unit.consume_front("type:"))
    return "convert the static type '" + Unit.str() +
           "' to a heap type created from a PyType_Spec, with every use that assumes it";
  if (Unit == "state")
    return "move the module's types and globals into per-module state, with multi-phase init";
  if (Unit.starts_with("creation:"))
    return "create the converted types in the module's init function";
  const Replacement &R = C.Edits.front().Replacement;
  if (C.Rule == "limited-api-macro")
    return "define Py_LIMITED_API (" + oneLine(R.getReplacementText()) + ")";
  std::string Before = oneLine(llvm::StringRef(First.Original).substr(R.getOffset(), R.getLength()));
  std::string After = oneLine(R.getReplacementText());
  std::string Text = Before.empty() ? "insert '" + After + "'"
                     : After.empty() ? "remove '" + Before + "'"
                                     : "'" + Before + "' -> '" + After + "'";
  if (C.Edits.size() > 1)
    Text += " (and " + std::to_string(C.Edits.size() - 1) + " more edit" +
            (C.Edits.size() == 2 ? "" : "s") + ")";
  return Text;
}

void addUnique(std::vector<std::string> &List, const std::string &Item) {
  if (!Item.empty() && !llvm::is_contained(List, Item))
    List.push_back(Item);
}

/// The abi3port_* / ABI3PORT_* names a text spells (helper guards aside).
std::set<std::string> portNamesIn(llvm::StringRef Text) {
  std::set<std::string> Names;
  std::string Identifiers = identifiersOf(Text);
  llvm::SmallVector<llvm::StringRef> Words;
  llvm::StringRef(Identifiers).split(Words, ',', -1, false);
  for (llvm::StringRef W : Words)
    if ((W.starts_with("abi3port_") || W.starts_with("ABI3PORT_")) &&
        !W.starts_with("ABI3PORT_HELPER_"))
      Names.insert(W.str());
  return Names;
}

bool isHelper(const ChangeGroup &C) {
  return llvm::any_of(C.Edits, [](const RuleEdit &E) {
    return E.Replacement.getReplacementText().starts_with("#ifndef ABI3PORT_HELPER_");
  });
}

/// A change that calls a helper another change inserts needs it; the helper
/// is of use while one of its callers stays.
void addHelperDependencies(std::vector<ChangeGroup> &Changes) {
  std::vector<std::set<std::string>> Uses(Changes.size());
  for (size_t I = 0; I < Changes.size(); ++I)
    for (const RuleEdit &E : Changes[I].Edits)
      for (const std::string &N : portNamesIn(E.Replacement.getReplacementText()))
        Uses[I].insert(N);
  for (size_t H = 0; H < Changes.size(); ++H) {
    if (!isHelper(Changes[H]))
      continue;
    const std::set<std::string> &Defined = Uses[H];
    for (size_t U = 0; U < Changes.size(); ++U) {
      if (U == H || Changes[U].File != Changes[H].File)
        continue;
      if (llvm::none_of(Uses[U], [&](const std::string &N) { return Defined.count(N) > 0; }))
        continue;
      if (isHelper(Changes[U]) && llvm::is_contained(Changes[H].DependsOn, Changes[U].Id))
        continue; // two helpers naming each other: keep the first direction
      addUnique(Changes[U].DependsOn, Changes[H].Id);
      addUnique(Changes[H].DependsOnAny, Changes[U].Id);
    }
  }
}

bool namesWord(llvm::StringRef Text, llvm::StringRef Word) {
  auto IsWord = [](char C) { return llvm::isAlnum(C) || C == '_'; };
  for (size_t At = Text.find(Word); At != llvm::StringRef::npos; At = Text.find(Word, At + 1)) {
    size_t End = At + Word.size();
    if ((At == 0 || !IsWord(Text[At - 1])) && (End >= Text.size() || !IsWord(Text[End])))
      return true;
  }
  return false;
}

/// A type's conversion needs the changes that rewrite its other uses
/// (`Vector_Type.tp_name` made a string literal, `Py_INCREF(&Vector_Type)`
/// removed): without them a use would name a type that is gone. With
/// module state, the conversions are the `state` change's.
void addTypeUseDependencies(std::vector<ChangeGroup> &Changes,
                            const std::map<std::string, const FileEdits *> &ByFile,
                            const ChangeContext &Ctx) {
  std::map<std::string, size_t> TypeChange; // type name -> the change converting it
  for (size_t I = 0; I < Changes.size(); ++I) {
    llvm::StringRef Unit = Changes[I].Unit;
    if (Unit.consume_front("type:"))
      TypeChange[Unit.str()] = I;
    else if (Unit == "state")
      for (const auto &[Type, File] : Ctx.TypeFiles)
        TypeChange[Type] = I;
  }
  for (ChangeGroup &C : Changes) {
    if (llvm::StringRef(C.Unit).starts_with("type:") || C.Unit == "state")
      continue;
    for (const RuleEdit &E : C.Edits) {
      auto File = ByFile.find(E.Replacement.getFilePath().str());
      if (File == ByFile.end() || !E.Replacement.getLength())
        continue;
      llvm::StringRef Text = llvm::StringRef(File->second->Original)
                                 .substr(E.Replacement.getOffset(), E.Replacement.getLength());
      for (const auto &[Type, Index] : TypeChange)
        if (namesWord(Text, Type))
          addUnique(Changes[Index].DependsOn, C.Id);
    }
  }
}

void computeDependencies(std::vector<ChangeGroup> &Changes, const ChangeContext &Ctx,
                         const std::map<std::string, const FileEdits *> &ByFile) {
  std::map<std::string, std::string> IdOf = idsByUnit(Changes);
  auto TypeId = [&](const std::string &Var) {
    auto It = IdOf.find("type:" + Var);
    return It == IdOf.end() ? std::string() : It->second;
  };
  for (ChangeGroup &C : Changes) {
    llvm::StringRef Unit = C.Unit;
    if (Unit.consume_front("type:"))
      if (auto It = Ctx.TypeBases.find(Unit.str()); It != Ctx.TypeBases.end())
        for (const std::string &Base : It->second)
          addUnique(C.DependsOn, TypeId(Base));
    std::function<void(const RuleEdit &)> Visit = [&](const RuleEdit &E) {
      for (const std::string &T : E.Assumes)
        addUnique(C.DependsOn, TypeId(T));
      for (const std::string &T : E.AssumesAny)
        addUnique(C.DependsOnAny, TypeId(T));
      for (const RuleEdit &Inner : E.Replaced) {
        auto It = IdOf.find(changeUnitOf(Inner, Ctx.State));
        if (It != IdOf.end())
          addUnique(C.DependsOn, It->second);
        Visit(Inner);
      }
    };
    for (const RuleEdit &E : C.Edits)
      Visit(E);
    if (Unit.starts_with("creation:"))
      for (const ChangeGroup &T : Changes)
        if (llvm::StringRef(T.Unit).starts_with("type:"))
          addUnique(C.DependsOnAny, T.Id);
  }
  addHelperDependencies(Changes);
  addTypeUseDependencies(Changes, ByFile, Ctx);
  // Py_LIMITED_API is defined only once nothing blocks it: alone, or with a
  // part of the port, the file would not build.
  for (ChangeGroup &C : Changes)
    if (C.Rule == "limited-api-macro")
      for (const ChangeGroup &Other : Changes)
        if (Other.Rule != "limited-api-macro")
          addUnique(C.DependsOn, Other.Id);
  for (ChangeGroup &C : Changes) {
    llvm::erase(C.DependsOn, C.Id);
    llvm::erase(C.DependsOnAny, C.Id);
  }
}

} // namespace

std::vector<ChangeGroup> changeGroups(const std::vector<FileEdits> &Files,
                                      const ChangeContext &Ctx) {
  std::vector<ChangeGroup> Changes;
  std::map<std::string, size_t> ByUnit;
  std::map<std::string, const FileEdits *> FirstFile;
  for (const FileEdits &F : Files) {
    std::vector<const RuleEdit *> Sorted;
    for (const RuleEdit &E : F.AppliedEdits)
      Sorted.push_back(&E);
    llvm::stable_sort(Sorted, [](const RuleEdit *A, const RuleEdit *B) {
      return A->Replacement.getOffset() < B->Replacement.getOffset();
    });
    for (const RuleEdit *E : Sorted) {
      std::string Unit = changeUnitOf(*E, Ctx.State);
      auto [It, New] = ByUnit.try_emplace(Unit, Changes.size());
      if (New) {
        ChangeGroup C;
        C.Unit = Unit;
        C.Rule = llvm::StringRef(Unit).starts_with("type:") ? "static-type-object"
                 : Unit == "state"                          ? "module-global-state"
                                                            : E->Rule;
        C.File = F.File;
        std::tie(C.Line, C.Column) = F.originalLines().lineAndColumn(E->Replacement.getOffset());
        Changes.push_back(std::move(C));
        FirstFile[Unit] = &F;
      }
      ChangeGroup &C = Changes[It->second];
      C.Edits.push_back(*E);
      collectRules(*E, C.Rules);
    }
  }
  // Ids: signature, then the order among equal signatures.
  std::map<std::string, unsigned> Seen;
  std::set<std::string> Taken;
  if (Ctx.Known)
    for (const auto &[Unit, Id] : *Ctx.Known)
      Taken.insert(Id);
  for (ChangeGroup &C : Changes) {
    const FileEdits &First = *FirstFile[C.Unit];
    C.Summary = summaryOf(C, First);
    if (Ctx.Known)
      if (auto It = Ctx.Known->find(C.Unit); It != Ctx.Known->end()) {
        C.Id = It->second;
        continue;
      }
    std::string Signature = signatureOf(C, First, Ctx);
    for (unsigned &N = Seen[Signature];; ++N) {
      std::string Hash = llvm::utohexstr(llvm::xxh3_64bits(Signature + "#" + std::to_string(N)),
                                         /*LowerCase=*/true);
      std::string Id = C.Rule + "-" + Hash.substr(0, 8);
      if (Taken.insert(Id).second) {
        C.Id = Id;
        ++N;
        break;
      }
    }
  }
  std::map<std::string, const FileEdits *> ByFile;
  for (const FileEdits &F : Files)
    ByFile[F.File] = &F;
  computeDependencies(Changes, Ctx, ByFile);
  return Changes;
}

std::map<std::string, std::string> idsByUnit(const std::vector<ChangeGroup> &Changes) {
  std::map<std::string, std::string> Ids;
  for (const ChangeGroup &C : Changes)
    Ids[C.Unit] = C.Id;
  return Ids;
}

bool editFixes(const RuleEdit &E, const SourcePosition &Pos, const std::string &Rule,
               const LineTable &Lines, bool AnyRule) {
  if (E.Replacement.getFilePath() != Pos.File)
    return false;
  unsigned Begin = Lines.offsetOf(Pos.Line, Pos.Column);
  unsigned End = Lines.offsetOf(Pos.EndLine, Pos.EndColumn) + 1;
  const Replacement &R = E.Replacement;
  unsigned REnd = R.getOffset() + R.getLength();
  if (E.Rule == Rule && !AnyRule && R.getOffset() <= End && REnd >= Begin)
    return true;
  return R.getLength() && R.getOffset() <= Begin && REnd >= End;
}

void attachFixes(std::vector<ChangeGroup> &Changes, const std::vector<FileEdits> &Files,
                 const std::vector<Finding> &Findings) {
  std::map<std::string, const FileEdits *> ByFile;
  for (const FileEdits &F : Files)
    ByFile[F.File] = &F;
  for (const Finding &F : Findings) {
    const SourcePosition &Pos = F.OriginalPos ? *F.OriginalPos : F.Pos;
    std::vector<const SourcePosition *> Places = {&Pos};
    if (F.SpelledAt)
      Places.push_back(&*F.SpelledAt);
    ChangeGroup *Fixer = nullptr;
    for (const SourcePosition *P : Places) {
      auto File = ByFile.find(P->File);
      if (File == ByFile.end())
        continue;
      for (ChangeGroup &C : Changes)
        if (!Fixer && llvm::any_of(C.Edits, [&](const RuleEdit &E) {
              return editFixes(E, *P, F.Rule, File->second->originalLines(), false);
            }))
          Fixer = &C;
    }
    if (Fixer)
      Fixer->Fixes.push_back(F);
  }
}

const ChangeGroup *changeFixing(const std::vector<ChangeGroup> &Changes, const Finding &F) {
  for (const ChangeGroup &C : Changes)
    for (const Finding &Fix : C.Fixes)
      if (Fix.Rule == F.Rule && Fix.Pos.File == F.Pos.File && Fix.Pos.Line == F.Pos.Line &&
          Fix.Pos.Column == F.Pos.Column)
        return &C;
  return nullptr;
}

std::vector<Refusal> refusedChanges(const std::vector<ChangeGroup> &Changes,
                                    const ChangeSelection &Selection,
                                    std::vector<std::string> &Unknown) {
  std::map<std::string, const ChangeGroup *> ById;
  for (const ChangeGroup &C : Changes)
    ById[C.Id] = &C;
  for (const std::set<std::string> *Ids : {&Selection.Only, &Selection.Skip})
    for (const std::string &Id : *Ids)
      if (!ById.count(Id))
        Unknown.push_back(Id);
  std::vector<Refusal> Refused;
  std::set<std::string> Out;
  for (const ChangeGroup &C : Changes) {
    std::string Why = Selection.Skip.count(C.Id)                            ? "--skip"
                      : !Selection.Only.empty() && !Selection.Only.count(C.Id) ? "not in --only"
                                                                            : "";
    // The type-creation code and the Py_LIMITED_API definitions follow the
    // other changes: --only does not refuse them by omission.
    bool Follows = llvm::StringRef(C.Unit).starts_with("creation:") ||
                   C.Rule == "limited-api-macro";
    if (Why == "not in --only" && Follows)
      continue;
    if (!Why.empty() && Out.insert(C.Id).second)
      Refused.push_back({&C, Why});
  }
  for (bool Grew = true; Grew;) {
    Grew = false;
    for (const ChangeGroup &C : Changes) {
      if (Out.count(C.Id))
        continue;
      auto RefusedDep = llvm::find_if(C.DependsOn, [&](const std::string &D) { return Out.count(D) > 0; });
      bool AllAnyRefused = !C.DependsOnAny.empty() &&
                           llvm::all_of(C.DependsOnAny, [&](const std::string &D) {
                             return Out.count(D) > 0;
                           });
      if (RefusedDep == C.DependsOn.end() && !AllAnyRefused)
        continue;
      Out.insert(C.Id);
      Refused.push_back({&C, "depends on " +
                                 (RefusedDep != C.DependsOn.end() ? *RefusedDep
                                                                  : C.DependsOnAny.front()) +
                                 ", which is refused"});
      Grew = true;
    }
  }
  return Refused;
}

} // namespace abi3port
