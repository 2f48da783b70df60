//===- TypeObjectToSpec.cpp - rule `static-type-object` -------------------===//
///
/// Rewrites: a static `PyTypeObject` (designated or positional initialiser)
/// into a `PyType_Slot` array and a `PyType_Spec`, and the variable into a
/// `PyTypeObject *` that the module's init function fills, bases first
/// (`--state global`: one process-wide pointer per type).
/// \code
///   static PyTypeObject Foo_Type = {           static PyTypeObject *Foo_Type;
///       PyVarObject_HEAD_INIT(NULL, 0)         static PyType_Slot Foo_Type_slots[] = {
///       .tp_name = "m.Foo",            ->          {Py_tp_dealloc, (void *)Foo_dealloc},
///       .tp_dealloc = Foo_dealloc,                 {Py_nb_add, (void *)Foo_add}, ...
///       .tp_as_number = &Foo_as_number,            {0, NULL}};
///       ...                                    static PyType_Spec Foo_Type_spec = {
///   };                                             "m.Foo", sizeof(FooObject), 0,
///                                                  Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
///                                                  Foo_Type_slots};
/// \endcode
/// Every use follows: `&Foo_Type` becomes `Foo_Type`; `if (PyType_Ready(&Foo_Type)
/// < 0) ...` is removed (the type is created at the top of `PyInit_*`);
/// `Foo_Type.tp_new = f;` statements become slots; forward and `extern`
/// declarations become pointers (`extern` ones also declare the spec).
///
/// Heap-type semantics (shared/NOTES.md): the dealloc releases the type
/// after freeing the instance; tp_traverse visits the type (3.9+);
/// `Py_TPFLAGS_IMMUTABLETYPE` keeps the type immutable (honoured from 3.10);
/// a type without tp_new (and no base) stays non-instantiable, with
/// `Py_TPFLAGS_DISALLOW_INSTANTIATION` from 3.10 and a `tp_new` that raises
/// TypeError below; tp_dictoffset / tp_weaklistoffset become
/// `__dictoffset__` / `__weaklistoffset__` members; tp_base is passed at run
/// time (PyType_FromSpecWithBases).
///
/// Leaves for manual change: types defined by a macro; tp_name that is not a
/// literal; sub-structs not defined in the file; slots the target lacks
/// (buffer slots below 3.11, vectorcall below 3.12/3.14); deallocs that
/// return early or are not functions of the project; a module without a
/// `PyInit_*` among the files given (the type would never be created).
///
/// Requires: 3.3 (PyType_FromSpecWithBases); the flags take effect from 3.10.
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"
#include "transforms/types/TypeObjectAnalysis.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include <set>

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "static-type-object";

bool isTypeObjectVar(const VarDecl *VD) {
  const RecordDecl *RD = VD->getType()->getAsRecordDecl();
  return RD && RD->getName() == "_typeobject";
}

/// `&Var` where Var is a type variable.
const VarDecl *addressedType(const Expr *E) {
  const auto *U = dyn_cast<UnaryOperator>(E->IgnoreParenCasts());
  if (!U || U->getOpcode() != UO_AddrOf)
    return nullptr;
  const auto *D = dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParens());
  const auto *V = D ? dyn_cast<VarDecl>(D->getDecl()) : nullptr;
  return V && isTypeObjectVar(V) ? V : nullptr;
}

/// `Var.field = value;` statements: extra slots, set before PyType_Ready.
struct FieldAssignment {
  const VarDecl *Var;
  std::string Field;
  const Expr *Value;
  const Stmt *Statement;
};

class AssignmentFinder : public RecursiveASTVisitor<AssignmentFinder> {
public:
  explicit AssignmentFinder(PortContext &Ctx) : Ctx(Ctx) {}
  bool VisitBinaryOperator(BinaryOperator *B) {
    const auto *ME = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParens());
    if (B->getOpcode() != BO_Assign || !ME || ME->isArrow())
      return true;
    const auto *D = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParens());
    const auto *V = D ? dyn_cast<VarDecl>(D->getDecl()) : nullptr;
    if (!V || !isTypeObjectVar(V) || !Ctx.Files.isUser(Ctx.fileBegin(B->getBeginLoc())))
      return true;
    DynTypedNodeList Parents = Ctx.Ctx.getParents(*B);
    if (Parents.empty() || !Parents[0].get<CompoundStmt>())
      return true;
    Found.push_back({V->getCanonicalDecl(), ME->getMemberDecl()->getName().str(), B->getRHS(),
                     B});
    return true;
  }
  std::vector<FieldAssignment> Found;

private:
  PortContext &Ctx;
};

/// Converts the static types of one translation unit.
class TypeConverter {
public:
  explicit TypeConverter(PortContext &Ctx) : Ctx(Ctx) {}

  void run() {
    AssignmentFinder Assignments(Ctx);
    traverseParsedDecls(Assignments, Ctx.Ctx);
    collectTypes();
    for (const FieldAssignment &A : Assignments.Found)
      if (Infos.count(A.Var))
        addAssignedSlot(A);
    findModuleInit();
    for (auto &[Var, Info] : Infos) {
      if (!Info.Blockers.empty()) {
        reportBlocked(Info);
        Ctx.StaticTypesRemain = true;
        continue;
      }
      Ctx.markConverted(Var, /*Assumed=*/false);
      Ctx.ConvertedTypes.emplace(Var, Info);
      Converted.push_back(&Info);
    }
    markExternTypes();
    for (const TypeObjectInfo *Info : Converted)
      convert(*Info);
    FieldAssignments = std::move(Assignments.Found);
  }

  /// After the other rules: they may rewrite statements that use the types
  /// whole (claiming them), so the uses are rewritten only where unclaimed.
  void finish() {
    for (const FieldAssignment &A : FieldAssignments)
      if (Ctx.isConverted(A.Var) && !ExternOnly.count(A.Var))
        removeStatement(A.Statement);
    rewriteUses();
  }

private:
  void collectTypes() { Infos = analyzeStaticTypes(Ctx.Ctx, Ctx.Knowledge, Ctx.Files); }

  void addAssignedSlot(const FieldAssignment &A) {
    TypeObjectInfo &Info = Infos.at(A.Var);
    std::string Id = "Py_" + A.Field;
    if (A.Field == "tp_new")
      Info.HasNew = true;
    if (!Ctx.Knowledge.lookup(Id).Available)
      Info.Blockers.push_back({A.Var->getName().str() + "." + A.Field +
                                   " is assigned in code and has no slot in the Limited API",
                               std::nullopt});
    else
      Info.Slots.push_back({Id, A.Value});
  }

  void reportBlocked(const TypeObjectInfo &Info) {
    for (const auto &[Why, From] : Info.Blockers)
      Ctx.manual(Rule,
                 CharSourceRange::getTokenRange(Ctx.fileBegin(Info.Var->getBeginLoc()),
                                                Ctx.fileEnd(Info.Var->getEndLoc())),
                 "static PyTypeObject '" + Info.Var->getName().str() +
                     "' cannot be converted automatically: " + Why,
                 From);
  }

  /// Types declared `extern` here and defined in another file.
  void markExternTypes() {
    struct Finder : RecursiveASTVisitor<Finder> {
      TypeConverter &Self;
      bool VisitVarDecl(VarDecl *VD) {
        if (!isTypeObjectVar(VD) || !VD->hasExternalStorage() ||
            !Self.Ctx.Files.isUser(Self.Ctx.fileBegin(VD->getLocation())))
          return true;
        if (VD->getDefinition() || Self.Infos.count(VD->getCanonicalDecl()))
          return true;
        Self.Ctx.markConverted(VD, /*Assumed=*/true);
        Self.ExternOnly.insert(VD->getCanonicalDecl());
        return true;
      }
    } F{{}, *this};
    traverseParsedDecls(F, Ctx.Ctx);
  }

  void findModuleInit() {
    if (const FunctionDecl *Init = Ctx.moduleInitFunction())
      Ctx.ModuleInit = Ctx.initSite(*Init);
  }

  std::string text(const Expr *E) { return Ctx.rewrittenText(E); }

  /// A slot's value without the casts to the slot's function type (the
  /// Limited API lacks several of those typedefs; the slot takes void *).
  std::string slotValue(const Expr *E) {
    const Expr *Bare = E->IgnoreParenCasts();
    return isa<DeclRefExpr>(Bare) ? text(Bare) : text(E);
  }

  void convert(const TypeObjectInfo &Info) {
    auto Change = Ctx.change();
    const VarDecl *Var = Info.Var;
    std::string Name = Var->getName().str();
    bool Static = Var->getStorageClass() == SC_Static;
    std::string Storage = Static ? "static " : "";
    std::string Out;
    // A static forward declaration already defines the pointer (a tentative
    // definition); `extern` declarations do not.
    bool Declared = false;
    for (const VarDecl *D = Var->getPreviousDecl(); D; D = D->getPreviousDecl())
      Declared |= !D->hasExternalStorage();
    if (!Declared && Ctx.State == StateMode::Global)
      Out += Storage + "PyTypeObject *" + Name + ";\n";
    std::vector<TypeSlot> Slots = Info.Slots;
    std::string Members = memberEntries(Info);
    if (!Members.empty() && !Info.Members) {
      Out += "static PyMemberDef " + Name + "_members[] = {\n" + Members +
             "    {NULL, 0, 0, 0, NULL},\n};\n";
    }
    bool Disallow = !Info.HasNew && !Info.Base;
    if (Disallow && Ctx.Target < PythonVersion{3, 10})
      Out += "static PyObject *\n" + Name +
             "_new(PyTypeObject *type, PyObject *args, PyObject *kwds)\n{\n"
             "    (void)type;\n    (void)args;\n    (void)kwds;\n"
             "    PyErr_SetString(PyExc_TypeError, \"cannot create '" +
             Info.Name + "' instances\");\n    return NULL;\n}\n";
    Out += "static PyType_Slot " + Name + "_slots[] = {\n";
    for (const TypeSlot &S : Slots)
      Out += "    {" + S.Id + ", (void *)" + slotValue(S.Value) + "},\n";
    if (!Members.empty() && !Info.Members)
      Out += "    {Py_tp_members, " + Name + "_members},\n";
    if (Disallow && Ctx.Target < PythonVersion{3, 10})
      Out += "    {Py_tp_new, (void *)" + Name + "_new},\n";
    Out += "    {0, NULL},\n};\n";
    std::string Flags = Info.Flags ? text(Info.Flags) : "Py_TPFLAGS_DEFAULT";
    Flags += " | Py_TPFLAGS_IMMUTABLETYPE";
    if (Disallow && Ctx.Target >= PythonVersion{3, 10})
      Flags += " | Py_TPFLAGS_DISALLOW_INSTANTIATION";
    Out += Storage + "PyType_Spec " + Name + "_spec = {\n    " + quoted(Info.Name) + ",\n    " +
           (Info.BasicSize ? text(Info.BasicSize) : "0") + ",\n    " +
           (Info.ItemSize ? text(Info.ItemSize) : "0") + ",\n    " + Flags + ",\n    " + Name +
           "_slots,\n};";
    CharSourceRange Definition = CharSourceRange::getCharRange(
        Ctx.fileBegin(Var->getBeginLoc()),
        Lexer::findLocationAfterToken(Ctx.fileEnd(Var->getEndLoc()), tok::semi, Ctx.SM, Ctx.LO,
                                      false));
    if (!Definition.getEnd().isValid()) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(Var->getSourceRange()),
                 "the definition of '" + Name + "' does not end with ';'", std::nullopt);
      return;
    }
    if (!Members.empty() && Info.Members)
      appendMembers(Info, Members);
    if (!Members.empty() && Ctx.Target < PythonVersion{3, 12} && !includesStructmember())
      Out = "#include <structmember.h>\n" + Out;
    if (Ctx.Target < PythonVersion{3, 10})
      Ctx.insertHelperOnce(Rule, "heap-type-flags", *Var->getInit(),
                           "/* abi3port: flags CPython honours from 3.10; older headers lack "
                           "them. */\n#ifndef Py_TPFLAGS_IMMUTABLETYPE\n"
                           "#define Py_TPFLAGS_IMMUTABLETYPE (1UL << 8)\n#endif\n\n");
    Ctx.replaceComposed(Rule, Definition, Out);
    for (const VarDecl *Sub : Info.SubStructs)
      removeSubStruct(Sub);
    if (Info.Dealloc)
      releaseTypeInDealloc(Info.Dealloc);
    if (Info.Traverse && Ctx.Target >= PythonVersion{3, 9})
      visitTypeInTraverse(Info.Traverse);
    declareElsewhere(Var);

    PortContext::TypeToCreate T;
    T.Var = Name;
    T.Spec = Name + "_spec";
    T.DefinedIn = canonicalPath(Ctx.SM.getFilename(Ctx.fileBegin(Var->getLocation())));
    T.External = !Static;
    if (Info.Base) {
      T.Bases.push_back(text(Info.Base));
      if (const VarDecl *B = addressedType(Info.Base))
        T.DependsOn.push_back(B->getName().str());
    }
    Ctx.TypesToCreate.push_back(std::move(T));
  }

  std::string memberEntries(const TypeObjectInfo &Info) {
    bool New = Ctx.Target >= PythonVersion{3, 12};
    std::string Out;
    for (const auto &[Member, Value] : Info.OffsetMembers)
      Out += "    {\"" + Member + "\", " + (New ? "Py_T_PYSSIZET" : "T_PYSSIZET") + ", " +
             text(Value) + ", " + (New ? "Py_READONLY" : "READONLY") + ", NULL},\n";
    return Out;
  }

  bool includesStructmember() {
    for (auto It = Ctx.SM.fileinfo_begin(); It != Ctx.SM.fileinfo_end(); ++It)
      if (llvm::StringRef(It->first.getName()).ends_with("structmember.h"))
        return true;
    return false;
  }

  /// Inserts the offset members before the sentinel of the type's own
  /// PyMemberDef array.
  void appendMembers(const TypeObjectInfo &Info, const std::string &Members) {
    const auto *Ref = dyn_cast<DeclRefExpr>(Info.Members->IgnoreParenImpCasts());
    const auto *Array = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    const auto *Init = Array && Array->hasInit() ? dyn_cast<InitListExpr>(Array->getInit())
                                                 : nullptr;
    if (!Init || Init->getNumInits() == 0) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(Info.Members->getSourceRange()),
                 "add the members __dictoffset__/__weaklistoffset__ to tp_members by hand",
                 PythonVersion{3, 2});
      return;
    }
    const Expr *Sentinel = Init->getInit(Init->getNumInits() - 1);
    SourceLocation At = Ctx.fileBegin(Sentinel->getBeginLoc());
    std::string Indent = Ctx.indentation(At);
    At = At.getLocWithOffset(-int(Ctx.SM.getSpellingColumnNumber(At) - 1));
    std::string Text = Members;
    if (Indent != "    ")
      Text = llvm::join(llvm::split(Text, "\n    "), "\n" + Indent);
    Ctx.insert(Rule, At, Text);
  }

  void removeSubStruct(const VarDecl *Sub) {
    if (!RemovedSubStructs.insert(Sub).second)
      return;
    CharSourceRange Range = CharSourceRange::getCharRange(
        Ctx.fileBegin(Sub->getBeginLoc()),
        Lexer::findLocationAfterToken(Ctx.fileEnd(Sub->getEndLoc()), tok::semi, Ctx.SM,
                                      Ctx.LO, false));
    Ctx.replace(Rule, Range, "/* " + Sub->getName().str() + ": now slots of the type spec */");
  }

  std::string objectText(const ParmVarDecl *Self) {
    const RecordDecl *RD = Self->getType()->getPointeeType().isNull()
                               ? nullptr
                               : Self->getType()->getPointeeType()->getAsRecordDecl();
    if (RD && RD->getName() == "_object")
      return Self->getName().str();
    return "(PyObject *)" + Self->getName().str();
  }

  void releaseTypeInDealloc(const FunctionDecl *Dealloc) {
    if (!DoneFunctions.insert(Dealloc).second)
      return;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(Dealloc->getBody());
    if (!Body || Dealloc->getNumParams() != 1) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(Dealloc->getSourceRange()),
                 "this dealloc must release the heap type: Py_DECREF(Py_TYPE(self)) after "
                 "freeing the instance",
                 PythonVersion{3, 2});
      return;
    }
    struct Returns : RecursiveASTVisitor<Returns> {
      bool Found = false;
      bool VisitReturnStmt(ReturnStmt *) { return !(Found = true); }
    } R;
    R.TraverseStmt(const_cast<CompoundStmt *>(Body));
    if (R.Found) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(Dealloc->getSourceRange()),
                 "this dealloc returns early; release the heap type on every path: "
                 "Py_DECREF(Py_TYPE(self)) after freeing the instance",
                 PythonVersion{3, 2});
      return;
    }
    std::string Indent =
        Body->body_empty() ? "    " : Ctx.indentation(Body->body_front()->getBeginLoc());
    SourceLocation LBrace = Ctx.fileBegin(Body->getLBracLoc());
    bool OneLine = Ctx.SM.getSpellingLineNumber(LBrace) ==
                   Ctx.SM.getSpellingLineNumber(Ctx.fileBegin(Body->getRBracLoc()));
    Ctx.insert(Rule, LBrace.getLocWithOffset(1),
               (OneLine ? " " : "\n" + Indent) + "PyTypeObject *abi3port_type = Py_TYPE(" +
                   objectText(Dealloc->getParamDecl(0)) + ");");
    SourceLocation RBrace = Ctx.fileBegin(Body->getRBracLoc());
    SourceLocation LineStart =
        RBrace.getLocWithOffset(-int(Ctx.SM.getSpellingColumnNumber(RBrace) - 1));
    bool BraceAlone = Ctx.text(CharSourceRange::getCharRange(LineStart, RBrace))
                          .find_first_not_of(" \t") == std::string::npos;
    if (BraceAlone)
      Ctx.insert(Rule, LineStart, Indent + "Py_DECREF(abi3port_type);\n");
    else
      Ctx.insert(Rule, RBrace, "Py_DECREF(abi3port_type); ");
  }

  void visitTypeInTraverse(const FunctionDecl *Traverse) {
    if (!DoneFunctions.insert(Traverse).second)
      return;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(Traverse->getBody());
    if (!Body || Traverse->getNumParams() != 3) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(Traverse->getSourceRange()),
                 "this tp_traverse must visit the heap type: Py_VISIT(Py_TYPE(self))",
                 PythonVersion{3, 9});
      return;
    }
    std::string Self = objectText(Traverse->getParamDecl(0));
    std::string Visit = Traverse->getParamDecl(1)->getName().str();
    std::string Arg = Traverse->getParamDecl(2)->getName().str();
    std::string Indent =
        Body->body_empty() ? "    " : Ctx.indentation(Body->body_front()->getBeginLoc());
    std::string Text =
        Visit == "visit" && Arg == "arg"
            ? "Py_VISIT(Py_TYPE(" + Self + "));"
            : "{\n" + Indent + "    int abi3port_vret = " + Visit + "((PyObject *)Py_TYPE(" +
                  Self + "), " + Arg + ");\n" + Indent + "    if (abi3port_vret)\n" + Indent +
                  "        return abi3port_vret;\n" + Indent + "}";
    Ctx.insert(Rule, Ctx.fileBegin(Body->getLBracLoc()).getLocWithOffset(1),
               "\n" + Indent + Text);
  }

  /// Forward and extern declarations become pointers; extern ones declare
  /// the spec too.
  void declareElsewhere(const VarDecl *Var) {
    for (const VarDecl *D : Var->redecls()) {
      if (D == Var || D->hasInit())
        continue;
      rewriteDeclaration(D, Var->getName().str());
    }
  }

  void rewriteDeclaration(const VarDecl *D, const std::string &Name) {
    SourceLocation NameLoc = Ctx.fileBegin(D->getLocation());
    if (!Ctx.Files.isUser(NameLoc))
      return;
    if (Ctx.State == StateMode::Module)
      return moveDeclaration(D, Name);
    Ctx.insert(Rule, NameLoc, "*");
    if (D->hasExternalStorage()) {
      SourceLocation Semi = Lexer::findLocationAfterToken(Ctx.fileEnd(D->getEndLoc()), tok::semi,
                                                          Ctx.SM, Ctx.LO, false);
      if (Semi.isValid())
        Ctx.insert(Rule, Semi, "\nextern PyType_Spec " + Name + "_spec;");
    }
  }

  /// Module state: the type lives in module_state, so its declarations go;
  /// an `extern` one declares the spec instead.
  void moveDeclaration(const VarDecl *D, const std::string &Name) {
    SourceLocation Begin = Ctx.fileBegin(D->getBeginLoc());
    SourceLocation Semi = Lexer::findLocationAfterToken(Ctx.fileEnd(D->getEndLoc()), tok::semi,
                                                        Ctx.SM, Ctx.LO, false);
    if (Semi.isInvalid()) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(D->getSourceRange()),
                 "the declaration of '" + Name + "' does not end with ';'", std::nullopt);
      return;
    }
    std::string Spec = D->hasExternalStorage() ? "extern PyType_Spec " + Name + "_spec;" : "";
    CharSourceRange Range = CharSourceRange::getCharRange(Begin, Semi);
    auto [FID, Offset] = Ctx.SM.getDecomposedLoc(Semi);
    llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
    if (Spec.empty() && Offset < Buffer.size() && Buffer[Offset] == '\n' &&
        Buffer.take_front(Ctx.SM.getFileOffset(Begin)).ends_with("\n"))
      Range.setEnd(Semi.getLocWithOffset(1)); // the whole line
    Ctx.replace(Rule, Range, Spec);
  }

  void removeStatement(const Stmt *S) {
    CharSourceRange Lines = Ctx.wholeLines(S);
    if (Lines.isInvalid()) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(S->getSourceRange()),
                 "this assignment to a type field became a slot of the spec; remove it",
                 PythonVersion{3, 2});
      return;
    }
    Ctx.replace(Rule, Lines, "");
  }

  /// `&Foo_Type` -> `Foo_Type`; `if (PyType_Ready(&Foo_Type) < 0) ...;` removed;
  /// forward/extern declarations of assumed types become pointers.
  void rewriteUses() {
    struct Uses : RecursiveASTVisitor<Uses> {
      TypeConverter &Self;
      bool VisitCallExpr(CallExpr *Call) {
        const FunctionDecl *FD = Call->getDirectCallee();
        if (FD && FD->getName() == "PyType_Ready" && Call->getNumArgs() == 1)
          if (const VarDecl *V = addressedType(Call->getArg(0)); V && Self.Ctx.isConverted(V))
            Self.removeReady(Call);
        return true;
      }
      bool VisitUnaryOperator(UnaryOperator *U) {
        if (U->getOpcode() != UO_AddrOf)
          return true;
        const VarDecl *V = addressedType(U);
        if (!V || !Self.Ctx.isConverted(V) || Self.Ctx.State == StateMode::Module)
          return true; // module state: module-global-state spells it state->X
        // The `&` as written: in the file, a macro argument, or the body of
        // one of the project's macros (edited once for all its uses).
        SourceLocation Amp = Self.Ctx.SM.getSpellingLoc(U->getBeginLoc());
        if (!Self.Ctx.Files.isUser(Amp) || Self.Ctx.isClaimed(Amp))
          return true;
        Self.assume(V);
        auto Change = Self.Ctx.change();
        Self.Ctx.replace(Rule, CharSourceRange::getCharRange(Amp, Amp.getLocWithOffset(1)), "");
        return true;
      }
      bool VisitVarDecl(VarDecl *VD) {
        if (Self.ExternOnly.count(VD->getCanonicalDecl()) && !VD->hasInit() &&
            Self.Ctx.Files.isUser(Self.Ctx.fileBegin(VD->getLocation()))) {
          Self.assume(VD);
          auto Change = Self.Ctx.change();
          Self.rewriteDeclaration(VD, VD->getName().str());
        }
        return true;
      }
    } U{{}, *this};
    traverseParsedDecls(U, Ctx.Ctx);
  }

  /// Marks the next edit as valid only if `V`, defined elsewhere, is converted.
  void assume(const VarDecl *V) {
    if (ExternOnly.count(V->getCanonicalDecl()))
      Ctx.assumeConverted(V->getName());
  }

  void removeReady(const CallExpr *Call) {
    DynTypedNodeList Parents = Ctx.Ctx.getParents(*Call);
    const Stmt *Child = Call;
    while (!Parents.empty() && Parents[0].get<Expr>()) {
      Child = Parents[0].get<Expr>();
      Parents = Ctx.Ctx.getParents(*Child);
    }
    const auto *If = Parents.empty() ? nullptr : Parents[0].get<IfStmt>();
    if (!If || If->getCond() != Child || If->getElse())
      return; // PyType_Ready(Foo_Type) on a ready heap type does nothing
    CharSourceRange Lines = Ctx.wholeLines(If);
    if (Lines.isInvalid())
      return;
    Ctx.replace(Rule, Lines, "");
  }

  PortContext &Ctx;
  std::map<const VarDecl *, TypeObjectInfo> Infos;
  std::vector<const TypeObjectInfo *> Converted;
  std::set<const VarDecl *> ExternOnly;
  std::set<const VarDecl *> RemovedSubStructs;
  std::set<const FunctionDecl *> DoneFunctions;
  std::vector<FieldAssignment> FieldAssignments;
};

} // namespace

void staticTypeObject(PortContext &Ctx) {
  auto Converter = std::make_shared<TypeConverter>(Ctx);
  Converter->run();
  Ctx.defer([Converter] { Converter->finish(); });
}

} // namespace abi3port
