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
/// forward and `extern` declarations become pointers (`extern` ones also
/// declare the spec). `Foo_Type.field = value;` statements go into the
/// creation: a constant becomes a slot (`tp_flags =`, `|=`, `&=`: the spec's
/// flags), `tp_base` the bases argument, another value a `{Py_x, NULL}`
/// entry that the creation code fills in (`Foo_Type_spec.slots[i].pfunc =
/// ...;`) just before the call; `tp_new = PyBaseObject_Type.tp_new` on a
/// base `object` is dropped (inherited).
///
/// Heap-type semantics (shared/NOTES.md): the dealloc releases the type
/// after freeing the instance; tp_traverse visits the type (3.9+);
/// `Py_TPFLAGS_IMMUTABLETYPE` keeps the type immutable (honoured from 3.10);
/// a type without tp_new that would inherit none (no base, `object`, or a
/// project base without one) stays non-instantiable, with
/// `Py_TPFLAGS_DISALLOW_INSTANTIATION` from 3.10 and a `tp_new` that raises
/// TypeError below; tp_dictoffset / tp_weaklistoffset become
/// `__dictoffset__` / `__weaklistoffset__` members; tp_base is passed at run
/// time (PyType_FromSpecWithBases).
///
/// Leaves for manual change: types defined by a macro, or whose slot
/// designators a macro writes; types named in an initialiser of static
/// storage (a table, a static object); run-time slot values the creation
/// point cannot compute (a local, a global code may set, a call after other
/// code, outside the init function); tp_name that is not a
/// literal, or without a dot (`__module__` 'builtins'); function slots holding
/// data; types passed to code that rewrites their slots at run time; subtypes
/// of a static base set up in code; sub-structs not defined in the file; slots the target lacks
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

/// `Var.field = value;` (or `op=`) statements: extra slots, set before PyType_Ready.
struct FieldAssignment {
  const VarDecl *Var;
  std::string Field;
  const Expr *Value;
  const Stmt *Statement;
  BinaryOperatorKind Op;
};

class AssignmentFinder : public RecursiveASTVisitor<AssignmentFinder> {
public:
  explicit AssignmentFinder(PortContext &Ctx) : Ctx(Ctx) {}
  bool VisitBinaryOperator(BinaryOperator *B) {
    const auto *ME = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParens());
    if (!B->isAssignmentOp() || !ME || ME->isArrow())
      return true;
    const auto *D = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParens());
    const auto *V = D ? dyn_cast<VarDecl>(D->getDecl()) : nullptr;
    if (!V || !isTypeObjectVar(V) || !Ctx.Files.isUser(Ctx.fileBegin(B->getBeginLoc())))
      return true;
    DynTypedNodeList Parents = Ctx.Ctx.getParents(*B);
    if (Parents.empty() || !Parents[0].get<CompoundStmt>())
      return true;
    Found.push_back({V->getCanonicalDecl(), ME->getMemberDecl()->getName().str(), B->getRHS(),
                     B, B->getOpcode()});
    return true;
  }
  std::vector<FieldAssignment> Found;

private:
  PortContext &Ctx;
};

/// Whether `E` needs no parentheses as an operand of `|`.
bool bindsAsOrOperand(const Expr *E) {
  E = E->IgnoreImpCasts();
  if (const auto *B = dyn_cast<BinaryOperator>(E))
    return B->getOpcode() <= BO_Or;
  return !isa<ConditionalOperator>(E);
}

/// A global variable that code of the unit assigns (`PyDateTimeAPI =` in
/// `PyDateTime_IMPORT`): its value depends on when it is read.
std::set<const VarDecl *> assignedGlobals(ASTContext &Ctx) {
  struct Finder : RecursiveASTVisitor<Finder> {
    std::set<const VarDecl *> Found;
    void add(const Expr *E) {
      if (const auto *D = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()))
        if (const auto *V = dyn_cast<VarDecl>(D->getDecl()); V && V->hasGlobalStorage())
          Found.insert(V->getCanonicalDecl());
    }
    bool VisitBinaryOperator(BinaryOperator *B) {
      if (B->isAssignmentOp())
        add(B->getLHS());
      return true;
    }
    bool VisitUnaryOperator(UnaryOperator *U) {
      if (U->isIncrementDecrementOp())
        add(U->getSubExpr());
      return true;
    }
  } F;
  traverseParsedDecls(F, Ctx);
  return F.Found;
}

/// Converts the static types of one translation unit.
class TypeConverter {
public:
  explicit TypeConverter(PortContext &Ctx) : Ctx(Ctx) {}

  void run() {
    AssignmentFinder Assignments(Ctx);
    traverseParsedDecls(Assignments, Ctx.Ctx);
    collectTypes();
    FieldAssignments = std::move(Assignments.Found);
    for (const FieldAssignment &A : FieldAssignments)
      if (Infos.count(A.Var))
        addAssignedSlot(A);
    dropInheritedSlots();
    blockUnknownInstantiability();
    for (bool Changed = true; Changed;) {
      blockSubtypesOfPreparedStaticBases(FieldAssignments);
      blockTypesSharingWithStatic(Infos);
      Changed = blockTypesInConstantInitialisers(Ctx.Ctx, Ctx.Files, Infos);
    }
    findModuleInit();
    // In source order: the output must not follow pointer order.
    std::vector<std::pair<const VarDecl *, TypeObjectInfo *>> Ordered;
    for (auto &[Var, Info] : Infos)
      Ordered.push_back({Var, &Info});
    llvm::sort(Ordered, [&](const auto &A, const auto &B) {
      return Ctx.SM.isBeforeInTranslationUnit(A.second->Var->getLocation(),
                                              B.second->Var->getLocation());
    });
    for (auto &[Var, InfoPtr] : Ordered) {
      TypeObjectInfo &Info = *InfoPtr;
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
  }

  /// After the other rules: they may rewrite statements that use the types
  /// whole (claiming them), so the uses are rewritten only where unclaimed.
  void finish() {
    // The values set at creation time, with the other rules' edits inside
    // them (type-slot-access: `PyBaseObject_Type.tp_new` read with
    // PyType_GetSlot), before their statements go.
    for (PortContext::TypeToCreate &T : Ctx.TypesToCreate)
      for (PortContext::TypeToCreate::SlotFill &F : T.Fills)
        F.Value = text(FillValues.at(T.Var).at(&F - T.Fills.data()));
    for (const FieldAssignment &A : FieldAssignments)
      if (Ctx.isConverted(A.Var) && !ExternOnly.count(A.Var))
        removeStatement(A.Statement, A.Var);
    rewriteUses();
  }

private:
  void collectTypes() { Infos = Ctx.staticTypes(); }

  /// `X.field = value;` in code: a constant joins the spec's slots (flags:
  /// its flags); another value is set at creation time (a base: the bases
  /// argument; a slot: the slot array, just before the creation call), if
  /// it can be computed there; otherwise the type stays static.
  void addAssignedSlot(const FieldAssignment &A) {
    TypeObjectInfo &Info = Infos.at(A.Var);
    std::string Where = A.Var->getName().str() + "." + A.Field;
    auto Block = [&](const std::string &Why) {
      Info.Blockers.push_back({Where + " " + Why, std::nullopt});
    };
    if (!atTopOfFunction(*A.Statement))
      return Block("is set inside a nested block, which a condition or loop may skip; a "
                   "spec's slots are set unconditionally");
    if (A.Field == "tp_flags")
      return assignFlags(A, Info, Block);
    if (A.Op != BO_Assign)
      return Block("is updated in code (" + BinaryOperator::getOpcodeStr(A.Op).str() +
                   "); only a plain assignment can become a slot");
    std::string Id = "Py_" + A.Field;
    if (A.Field == "tp_base") {
      // Passed at creation time, as a base of the definition is.
      if (std::optional<std::string> Why = notAtCreation(A, /*IsBase=*/true))
        return Block(*Why);
      AssignedBase[A.Var] = A.Value;
      Info.Base = A.Value;
      return;
    }
    if (A.Field == "tp_new")
      Info.HasNew = true;
    if (!Ctx.Knowledge.lookup(Id).Available)
      return Block("is assigned in code and has no slot in the Limited API");
    // The last assignment wins, over the definition's value too.
    llvm::erase_if(Info.Slots, [&](const TypeSlot &S) { return S.Id == Id; });
    llvm::erase_if(RunTimeSlots[A.Var], [&](const TypeSlot &S) { return S.Id == Id; });
    if (A.Field == "tp_new")
      ObjectNew.erase(A.Var);
    if (A.Field == "tp_new" && isObjectNew(A.Value)) {
      ObjectNew[A.Var] = &A; // dropped, or set at creation, once the base is known
      return;
    }
    if (A.Value->isConstantInitializer(Ctx.Ctx, false) && !namesProjectType(A.Value)) {
      Info.Slots.push_back({Id, A.Value});
      return;
    }
    if (std::optional<std::string> Why = notAtCreation(A, /*IsBase=*/false))
      return Block(*Why);
    RunTimeSlots[A.Var].push_back({Id, A.Value});
  }

  /// `X.tp_flags = F;`, `|= F`, `&= F` with a constant F: the spec's flags.
  template <typename BlockFn>
  void assignFlags(const FieldAssignment &A, TypeObjectInfo &Info, BlockFn Block) {
    if (!A.Value->isIntegerConstantExpr(Ctx.Ctx))
      return Block("is set in code to a value known only at run time; a spec's flags are "
                   "a constant");
    std::string Value = text(A.Value);
    if (!bindsAsOrOperand(A.Value))
      Value = "(" + Value + ")";
    auto [It, New] = FlagsText.try_emplace(
        A.Var, Info.Flags ? text(Info.Flags) : std::string("Py_TPFLAGS_DEFAULT"));
    std::string &Flags = It->second;
    if (A.Op == BO_Assign)
      Flags = Value;
    else if (A.Op == BO_OrAssign)
      Flags += " | " + Value;
    else if (A.Op == BO_AndAssign)
      Flags = "(" + Flags + ") & " + Value;
    else
      Block("is updated in code (" + BinaryOperator::getOpcodeStr(A.Op).str() +
            "); only =, |= and &= fold into the spec's flags");
  }

  /// `PyBaseObject_Type.tp_new`.
  static bool isObjectNew(const Expr *E) {
    const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenCasts());
    const auto *D = ME && !ME->isArrow()
                        ? dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts())
                        : nullptr;
    return D && D->getDecl()->getName() == "PyBaseObject_Type" &&
           ME->getMemberDecl()->getName() == "tp_new";
  }

  /// What a heap type inherits anyway is dropped: `X.tp_new =
  /// PyBaseObject_Type.tp_new` when its base is `object` (a heap type
  /// inherits its base's tp_new; the type stays instantiable, HasNew). With
  /// another base it is set at creation time.
  void dropInheritedSlots() {
    for (auto &[Var, A] : ObjectNew) {
      TypeObjectInfo &Info = Infos.at(Var);
      const VarDecl *B = Info.Base ? addressedType(Info.Base) : nullptr;
      if (!Info.Base || (B && B->getName() == "PyBaseObject_Type"))
        continue;
      if (std::optional<std::string> Why = notAtCreation(*A, /*IsBase=*/false))
        Info.Blockers.push_back({Var->getName().str() + ".tp_new " + *Why, std::nullopt});
      else
        RunTimeSlots[Var].push_back({"Py_tp_new", A->Value});
    }
  }

  /// Whether `S` is a statement of its function's body itself, so it runs
  /// whenever the function does (up to an earlier return).
  bool atTopOfFunction(const Stmt &S) {
    const FunctionDecl *In = Ctx.enclosingFunction(S);
    const auto *Body = In ? dyn_cast_or_null<CompoundStmt>(In->getBody()) : nullptr;
    return Body && llvm::is_contained(Body->body(), &S);
  }

  /// Whether `E` names a type of the project (`&Other_Type`): converted, it
  /// would read a pointer made at run time, in an order not known here.
  bool namesProjectType(const Expr *E) {
    return Ctx.namesVariable(*E, [&](const VarDecl &V) {
      return isTypeObjectVar(&V) && Ctx.Files.isUser(Ctx.fileBegin(V.getLocation()));
    });
  }

  /// Why the value of `A` cannot be computed where the heap type is created
  /// (at the top of the module's init function, after its declarations), or
  /// nullopt. A constant always can.
  std::optional<std::string> notAtCreation(const FieldAssignment &A, bool IsBase) {
    if (A.Value->isConstantInitializer(Ctx.Ctx, false) &&
        (IsBase || !namesProjectType(A.Value)))
      return std::nullopt;
    const FunctionDecl *Init = Ctx.moduleInitFunction();
    const FunctionDecl *In = Ctx.enclosingFunction(*A.Statement);
    if (!Init || !In || In->getCanonicalDecl() != Init->getCanonicalDecl())
      return "is set to a value known only at run time outside the module's init function" +
             (In ? " (in '" + In->getName().str() + "')" : std::string()) +
             "; the heap type is created in the init function, with every slot";
    std::string Top = "the heap type is created at the top of '" + Init->getName().str() + "'";
    const auto *Body = cast<CompoundStmt>(Init->getBody()); // a statement of it (addAssignedSlot)
    if (!Assigned)
      Assigned = assignedGlobals(Ctx.Ctx);
    struct Reads : RecursiveASTVisitor<Reads> {
      TypeConverter &Self;
      const Expr *Value;
      bool IsBase;
      std::optional<std::string> Why;
      bool Calls = false;
      bool VisitCallExpr(CallExpr *) { return (Calls = true); }
      bool VisitMemberExpr(MemberExpr *ME) {
        const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
        if (F && F->getParent()->getName() == "_typeobject" &&
            Self.Ctx.Target < PythonVersion{3, 10})
          Why = "reads PyTypeObject." + F->getName().str() +
                ", which PyType_GetSlot reads on static types only from 3.10";
        return !Why;
      }
      bool VisitDeclRefExpr(DeclRefExpr *D) {
        const auto *V = dyn_cast<VarDecl>(D->getDecl());
        if (!V)
          return true;
        std::string Name = "'" + V->getName().str() + "'";
        DynTypedNodeList Parents = Self.Ctx.Ctx.getParents(*D);
        const auto *U = Parents.empty() ? nullptr : Parents[0].get<UnaryOperator>();
        bool Address = U && U->getOpcode() == UO_AddrOf;
        bool User = Self.Ctx.Files.isUser(Self.Ctx.fileBegin(V->getLocation()));
        if (!V->hasGlobalStorage())
          Why = "uses the local variable " + Name;
        else if (User && isTypeObjectVar(V) && !(IsBase && Address && U == Value->IgnoreParenCasts()))
          Why = "names the type " + Name + ", whose creation order is not known here";
        else if (Address)
          return true;
        else if (User && !V->getType().isConstQualified())
          Why = "reads the variable " + Name + ", which code before may set";
        else if (Self.Assigned->count(V->getCanonicalDecl()))
          Why = "reads " + Name + ", which the module's code sets";
        return !Why;
      }
    } R{{}, *this, A.Value, IsBase, std::nullopt};
    R.TraverseStmt(const_cast<Expr *>(A.Value));
    if (R.Why && llvm::StringRef(*R.Why).starts_with("reads PyTypeObject."))
      return *R.Why; // as the analysis says it (blockSlotsReadFromStaticTypes)
    if (R.Why)
      return *R.Why + "; " + Top;
    if (R.Calls && IsBase)
      return "is set to the result of a call, which may be NULL; a base of a heap type must "
             "be known";
    if (R.Calls && !onlyInertBefore(Body, A.Statement))
      return "is set to the result of a call made after other code of '" +
             Init->getName().str() + "' ran; " + Top + ", before that code";
    return std::nullopt;
  }

  /// Whether the statements of `Body` before `S` (past its leading
  /// declarations, which run before the creation code too) change nothing a
  /// call could see: declarations without side effects, assignments to type
  /// fields from values without side effects.
  bool onlyInertBefore(const CompoundStmt *Body, const Stmt *S) {
    bool Leading = true;
    for (const Stmt *Before : Body->body()) {
      if (Before == S)
        return true;
      if (const auto *DS = dyn_cast<DeclStmt>(Before)) {
        if (Leading)
          continue;
        for (const Decl *D : DS->decls())
          if (const auto *V = dyn_cast<VarDecl>(D);
              V && V->getInit() && V->getInit()->HasSideEffects(Ctx.Ctx))
            return false;
        continue;
      }
      Leading = false;
      if (isa<NullStmt>(Before))
        continue;
      bool TypeField = llvm::any_of(FieldAssignments, [&](const FieldAssignment &A) {
        return A.Statement == Before && !A.Value->HasSideEffects(Ctx.Ctx);
      });
      if (!TypeField)
        return false;
    }
    return true;
  }

  /// A converted subtype of a base that stays static is created after
  /// `PyType_Ready(&Base)`, at the top of the init function: too early when
  /// the init sets fields of the base before readying it.
  void blockSubtypesOfPreparedStaticBases(const std::vector<FieldAssignment> &Assigned) {
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (auto &[Var, Info] : Infos) {
        const VarDecl *B = Info.Base ? addressedType(Info.Base) : nullptr;
        auto It = B ? Infos.find(B->getCanonicalDecl()) : Infos.end();
        if (!Info.Blockers.empty() || It == Infos.end() || It->second.Blockers.empty())
          continue;
        if (llvm::none_of(Assigned, [&](const FieldAssignment &A) { return A.Var == It->first; }))
          continue;
        Info.Blockers.push_back({"its base '" + B->getName().str() +
                                     "' stays static and is set up in code before it is "
                                     "readied; the heap type would be created before that",
                                 std::nullopt});
        Changed = true;
      }
    }
  }

  /// A type other files can see, with neither tp_new nor tp_base here:
  /// another file may set them before PyType_Ready (`X.tp_new =
  /// PyType_GenericNew;`, `X.tp_base = &PyList_Type;`), so whether the static
  /// type could be instantiated, and so the spec's flags, is not known here.
  void blockUnknownInstantiability() {
    for (auto &[Var, Info] : Infos)
      if (Info.Blockers.empty() && Info.Var->isExternallyVisible() && !Info.HasNew &&
          !Info.Base && !AssignedBase.count(Var))
        Info.Blockers.push_back(
            {"it has neither tp_new nor tp_base here and other files can set them before "
             "PyType_Ready, so whether it can be instantiated is not known (make it static, "
             "or set them in its definition or in this file)",
             std::nullopt});
  }

  void reportBlocked(const TypeObjectInfo &Info) {
    std::set<std::string> Said; // the analysis and the rule may give one reason twice
    for (const auto &[Why, From] : Info.Blockers)
      if (Said.insert(Why).second)
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
    if (const DeclRefExpr *F = functionReference(E))
      return text(F); // `(destructor)&f` -> f
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
    bool Disallow = !instantiable(Info);
    if (Disallow && Ctx.Target < PythonVersion{3, 10})
      Out += "static PyObject *\n" + Name +
             "_new(PyTypeObject *type, PyObject *args, PyObject *kwds)\n{\n"
             "    (void)type;\n    (void)args;\n    (void)kwds;\n"
             "    PyErr_SetString(PyExc_TypeError, \"cannot create '" +
             Info.Name + "' instances\");\n    return NULL;\n}\n";
    Out += "static PyType_Slot " + Name + "_slots[] = {\n";
    for (const TypeSlot &S : Slots)
      Out += "    {" + S.Id + ", (void *)" + slotValue(S.Value) + "},\n";
    std::vector<PortContext::TypeToCreate::SlotFill> Fills;
    for (const TypeSlot &S : RunTimeSlots[Var]) {
      Fills.push_back({unsigned(Slots.size() + Fills.size()), S.Id, ""});
      FillValues[Name].push_back(S.Value);
      Out += "    {" + S.Id + ", NULL}, /* set when the type is created */\n";
    }
    if (!Members.empty() && !Info.Members)
      Out += "    {Py_tp_members, " + Name + "_members},\n";
    if (Disallow && Ctx.Target < PythonVersion{3, 10})
      Out += "    {Py_tp_new, (void *)" + Name + "_new},\n";
    Out += "    {0, NULL},\n};\n";
    auto Folded = FlagsText.find(Var);
    std::string Flags = Folded != FlagsText.end() ? Folded->second
                        : Info.Flags              ? text(Info.Flags)
                                                  : "Py_TPFLAGS_DEFAULT";
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
    // Before the definition's edit, which carries the base's assumption.
    std::string BaseText = Info.Base ? text(Info.Base) : "";
    assume(Var);
    Ctx.replaceComposed(Rule, Definition, Out);
    for (const VarDecl *Sub : Info.SubStructs)
      removeSubStruct(Sub, Var);
    // A dealloc (traverse) that ends in another type's leaves the type to it.
    if (Info.Dealloc && !Info.DeallocCalls)
      releaseTypeInDealloc(Info.Dealloc);
    if (Info.Traverse && !Info.TraverseCalls && Ctx.Target >= PythonVersion{3, 9})
      visitTypeInTraverse(Info.Traverse);
    declareElsewhere(Var);
    // Last: the helper is a change of its own, which ends the current one.
    if (Ctx.Target < PythonVersion{3, 10})
      Ctx.insertHelperOnce(Rule, "heap-type-flags", *Var->getInit(),
                           "/* abi3port: flags CPython honours from 3.10; older headers lack "
                           "them. */\n#ifndef Py_TPFLAGS_IMMUTABLETYPE\n"
                           "#define Py_TPFLAGS_IMMUTABLETYPE (1UL << 8)\n#endif\n\n",
                           Name);

    PortContext::TypeToCreate T;
    T.Var = Name;
    T.Spec = Name + "_spec";
    T.DefinedIn = canonicalPath(Ctx.SM.getFilename(Ctx.fileBegin(Var->getLocation())));
    T.External = !Static;
    T.Fills = std::move(Fills);
    if (Info.Base) {
      T.Bases.push_back(BaseText);
      // Built-in bases (&PyList_Type) are neither created nor in module state.
      if (const VarDecl *B = addressedType(Info.Base); B && Ctx.isConverted(B))
        T.DependsOn.push_back(B->getName().str());
      else if (B && Ctx.Files.isUser(Ctx.fileBegin(B->getLocation())))
        T.ReadyFirst.push_back(BaseText); // a project type that stays static
    }
    Ctx.TypesToCreate.push_back(std::move(T));
  }

  /// Whether the static type could be instantiated: a tp_new of its own, or
  /// one inherited from a base other than `object` (PyType_Ready gives a
  /// static type whose base is `object` no tp_new, a heap type object's).
  bool instantiable(const TypeObjectInfo &Info, unsigned Depth = 0) {
    if (Info.HasNew)
      return true;
    const Expr *Base = Info.Base;
    if (auto It = AssignedBase.find(Info.Var->getCanonicalDecl()); It != AssignedBase.end())
      Base = It->second; // set in code before PyType_Ready
    if (!Base || isNullValue(Base))
      return false;
    const VarDecl *B = addressedType(Base);
    if (!B)
      return true; // (PyTypeObject *)PyExc_Exception, an imported type: has a tp_new
    if (B->getName() == "PyBaseObject_Type")
      return false;
    auto It = Infos.find(B->getCanonicalDecl());
    if (It == Infos.end() || Depth > 32)
      return true; // a built-in (&PyList_Type) or another file's type: assume a tp_new
    return instantiable(It->second, Depth + 1);
  }

  bool isNullValue(const Expr *E) {
    return E->IgnoreParenCasts()->isNullPointerConstant(Ctx.Ctx,
                                                         Expr::NPC_ValueDependentIsNull);
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
    assume(Info.Var);
    Ctx.insert(Rule, At, Text);
  }

  void removeSubStruct(const VarDecl *Sub, const VarDecl *Var) {
    if (!RemovedSubStructs.insert(Sub).second)
      return;
    CharSourceRange Range = CharSourceRange::getCharRange(
        Ctx.fileBegin(Sub->getBeginLoc()),
        Lexer::findLocationAfterToken(Ctx.fileEnd(Sub->getEndLoc()), tok::semi, Ctx.SM,
                                      Ctx.LO, false));
    assume(Var);
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
    if (releasesType(Dealloc))
      return; // Py_DECREF(Py_TYPE(self)) already: released once
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
    assumeUsersOf(Dealloc);
    Ctx.insert(Rule, LBrace.getLocWithOffset(1),
               (OneLine ? " " : "\n" + Indent) + "PyTypeObject *abi3port_type = Py_TYPE(" +
                   objectText(Dealloc->getParamDecl(0)) + ");");
    SourceLocation RBrace = Ctx.fileBegin(Body->getRBracLoc());
    if (SourceLocation End = trashcanEndLine(LBrace, RBrace); End.isValid()) {
      // Inside the guard: a deferred dealloc skips the body, and runs it
      // again. At the end of the line before (the guard's own line may be
      // wrapped by rule trashcan).
      assumeUsersOf(Dealloc);
      Ctx.insert(Rule, End.getLocWithOffset(-1), "\n" + Indent + "Py_DECREF(abi3port_type);");
      return;
    }
    SourceLocation LineStart =
        RBrace.getLocWithOffset(-int(Ctx.SM.getSpellingColumnNumber(RBrace) - 1));
    bool BraceAlone = Ctx.text(CharSourceRange::getCharRange(LineStart, RBrace))
                          .find_first_not_of(" \t") == std::string::npos;
    assumeUsersOf(Dealloc);
    if (BraceAlone)
      Ctx.insert(Rule, LineStart, Indent + "Py_DECREF(abi3port_type);\n");
    else
      Ctx.insert(Rule, RBrace, "Py_DECREF(abi3port_type); ");
  }

  /// The start of the line of a dealloc's `Py_TRASHCAN_END` (or `_SAFE_END`),
  /// when it is alone at the start of its line; invalid otherwise.
  SourceLocation trashcanEndLine(SourceLocation LBrace, SourceLocation RBrace) const {
    auto [FID, Begin] = Ctx.SM.getDecomposedLoc(LBrace);
    llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
    llvm::StringRef Body = Buffer.slice(Begin, Ctx.SM.getFileOffset(RBrace));
    size_t At = Body.rfind("Py_TRASHCAN_END");
    if (At == llvm::StringRef::npos)
      At = Body.rfind("Py_TRASHCAN_SAFE_END");
    if (At == llvm::StringRef::npos)
      return {};
    size_t LineStart = Body.take_front(At).rfind('\n') + 1;
    if (!Body.slice(LineStart, At).trim().empty())
      return {};
    return LBrace.getLocWithOffset(LineStart);
  }

  /// `Py_TYPE(self)`, `self->ob_type` (through casts), or a local variable
  /// initialised or assigned from one of these.
  static bool isTypeOf(const Expr *E, const ParmVarDecl *Self,
                       const std::set<const VarDecl *> &TypeVars) {
    E = E->IgnoreParenCasts();
    auto IsSelf = [&](const Expr *X) {
      const auto *D = dyn_cast<DeclRefExpr>(X->IgnoreParenCasts());
      return D && D->getDecl() == Self;
    };
    if (const auto *D = dyn_cast<DeclRefExpr>(E))
      return TypeVars.count(dyn_cast<VarDecl>(D->getDecl())) > 0;
    if (const auto *M = dyn_cast<MemberExpr>(E))
      return M->getMemberDecl()->getName() == "ob_type" && IsSelf(M->getBase());
    const auto *Call = dyn_cast<CallExpr>(E);
    const FunctionDecl *F = Call ? Call->getDirectCallee() : nullptr;
    return F && (F->getName() == "Py_TYPE" || F->getName() == "_Py_TYPE") &&
           Call->getNumArgs() == 1 && IsSelf(Call->getArg(0));
  }

  /// Whether the dealloc already releases its type: `Py_DECREF(Py_TYPE(self))`,
  /// or `Py_DECREF(tp)` with `tp = Py_TYPE(self)`.
  static bool releasesType(const FunctionDecl *Dealloc) {
    struct Finder : RecursiveASTVisitor<Finder> {
      const ParmVarDecl *Self;
      std::set<const VarDecl *> TypeVars;
      bool Found = false;
      bool VisitVarDecl(VarDecl *V) {
        if (V->hasInit() && isTypeOf(V->getInit(), Self, TypeVars))
          TypeVars.insert(V);
        return true;
      }
      bool VisitBinaryOperator(BinaryOperator *B) {
        if (const auto *D = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParens()))
          if (B->getOpcode() == BO_Assign && isTypeOf(B->getRHS(), Self, TypeVars))
            if (const auto *V = dyn_cast<VarDecl>(D->getDecl()))
              TypeVars.insert(V);
        return true;
      }
      bool VisitCallExpr(CallExpr *Call) {
        const FunctionDecl *F = Call->getDirectCallee();
        if (!F || Call->getNumArgs() == 0)
          return true;
        llvm::StringRef N = F->getName();
        if (N == "Py_DECREF" || N == "_Py_DECREF" || N == "Py_XDECREF" || N == "_Py_XDECREF" ||
            N == "Py_DecRef" || N == "Py_XDecRef")
          Found |= isTypeOf(Call->getArg(Call->getNumArgs() - 1), Self, TypeVars);
        return true;
      }
    } F;
    F.Self = Dealloc->getParamDecl(0);
    F.TraverseStmt(Dealloc->getBody());
    return F.Found;
  }

  /// Whether the traverse already visits its type: `Py_VISIT(Py_TYPE(self))`.
  static bool visitsType(const FunctionDecl *Traverse) {
    struct Finder : RecursiveASTVisitor<Finder> {
      const ParmVarDecl *Self, *Visit;
      bool Found = false;
      bool VisitCallExpr(CallExpr *Call) {
        const auto *D = dyn_cast<DeclRefExpr>(Call->getCallee()->IgnoreParenCasts());
        if (D && D->getDecl() == Visit && Call->getNumArgs() == 2)
          Found |= isTypeOf(Call->getArg(0), Self, {});
        return true;
      }
    } F;
    F.Self = Traverse->getParamDecl(0);
    F.Visit = Traverse->getParamDecl(1);
    F.TraverseStmt(Traverse->getBody());
    return F.Found;
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
    if (visitsType(Traverse))
      return; // Py_VISIT(Py_TYPE(self)) already
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
    assumeUsersOf(Traverse);
    Ctx.insert(Rule, Ctx.fileBegin(Body->getLBracLoc()).getLocWithOffset(1),
               "\n" + Indent + Text);
  }

  /// Forward and extern declarations become pointers; extern ones declare
  /// the spec too.
  void declareElsewhere(const VarDecl *Var) {
    for (const VarDecl *D : Var->redecls()) {
      if (D == Var || D->hasInit())
        continue;
      rewriteDeclaration(D, Var);
    }
  }

  void rewriteDeclaration(const VarDecl *D, const VarDecl *Type) {
    std::string Name = Type->getName().str();
    SourceLocation NameLoc = Ctx.fileBegin(D->getLocation());
    if (!Ctx.Files.isUser(NameLoc))
      return;
    if (Ctx.State == StateMode::Module)
      return moveDeclaration(D, Type);
    assume(Type);
    Ctx.insert(Rule, NameLoc, "*");
    if (D->hasExternalStorage()) {
      SourceLocation Semi = Lexer::findLocationAfterToken(Ctx.fileEnd(D->getEndLoc()), tok::semi,
                                                          Ctx.SM, Ctx.LO, false);
      if (Semi.isValid()) {
        assume(Type);
        Ctx.insert(Rule, Semi, "\nextern PyType_Spec " + Name + "_spec;");
      }
    }
  }

  /// Module state: the type lives in module_state, so its declarations go;
  /// an `extern` one declares the spec instead.
  void moveDeclaration(const VarDecl *D, const VarDecl *Type) {
    std::string Name = Type->getName().str();
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
    assume(Type);
    Ctx.replace(Rule, Range, Spec);
  }

  void removeStatement(const Stmt *S, const VarDecl *Var) {
    CharSourceRange Lines = Ctx.wholeLines(S);
    if (Lines.isInvalid()) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(S->getSourceRange()),
                 "this assignment to a type field became a slot of the spec; remove it",
                 PythonVersion{3, 2});
      return;
    }
    assume(Var);
    Ctx.replaceComposed(Rule, Lines, ""); // with what other rules edited inside
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
            Self.removeReady(Call, V);
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
          auto Change = Self.Ctx.change();
          Self.rewriteDeclaration(VD, VD);
        }
        return true;
      }
    } U{{}, *this};
    traverseParsedDecls(U, Ctx.Ctx);
  }

  /// Marks the next edit as valid only if `V` is converted: defined in
  /// another file (the driver checks that one converts it), or here (the
  /// verification stage withdraws what relies on a withdrawn conversion).
  void assume(const VarDecl *V) { Ctx.assumeConverted(V->getName()); }

  /// Assumes every converted type whose dealloc or traverse `F` is, or ends in.
  void assumeUsersOf(const FunctionDecl *F) {
    for (const TypeObjectInfo *Info : Converted)
      for (const FunctionDecl *G :
           {Info->Dealloc, Info->Traverse, Info->DeallocCalls, Info->TraverseCalls})
        if (G && G->getCanonicalDecl() == F->getCanonicalDecl()) {
          assume(Info->Var);
          break;
        }
  }

  /// Removes `if (PyType_Ready(&T) < 0) ...;` when the condition checks
  /// nothing else. Anything else stays (`PyType_Ready(T)` on the heap type,
  /// already ready, does nothing): `PyType_Ready(&A) < 0 || PyType_Ready(&B)
  /// < 0` keeps B's, which may stay static or be converted by another file.
  void removeReady(const CallExpr *Call, const VarDecl *V) {
    DynTypedNodeList Parents = Ctx.Ctx.getParents(*Call);
    const Stmt *Child = Call;
    while (!Parents.empty() && Parents[0].get<Expr>()) {
      Child = Parents[0].get<Expr>();
      Parents = Ctx.Ctx.getParents(*Child);
    }
    const auto *If = Parents.empty() ? nullptr : Parents[0].get<IfStmt>();
    if (!If || If->getCond() != Child || If->getElse() || !onlyChecks(If->getCond(), Call))
      return;
    CharSourceRange Lines = Ctx.wholeLines(If);
    if (Lines.isInvalid())
      return;
    assume(V);
    Ctx.replace(Rule, Lines, "");
  }

  /// `Call`, `Call < 0`, `Call != 0`, `Call == -1`, `0 > Call`...
  bool onlyChecks(const Expr *Cond, const CallExpr *Call) {
    Cond = Cond->IgnoreParenImpCasts();
    if (Cond == Call)
      return true;
    const auto *B = dyn_cast<BinaryOperator>(Cond);
    if (!B || !B->isComparisonOp())
      return false;
    const Expr *L = B->getLHS()->IgnoreParenImpCasts(), *R = B->getRHS()->IgnoreParenImpCasts();
    if (R == Call)
      std::swap(L, R);
    return L == Call && R->isIntegerConstantExpr(Ctx.Ctx);
  }

  PortContext &Ctx;
  std::map<const VarDecl *, TypeObjectInfo> Infos;
  std::vector<const TypeObjectInfo *> Converted;
  std::set<const VarDecl *> ExternOnly;
  /// `X.tp_base = value;` in code, by type.
  std::map<const VarDecl *, const Expr *> AssignedBase;
  /// `X.tp_new = PyBaseObject_Type.tp_new;`, by type.
  std::map<const VarDecl *, const FieldAssignment *> ObjectNew;
  /// Slots assigned in code whose values are set at creation time.
  std::map<const VarDecl *, std::vector<TypeSlot>> RunTimeSlots;
  /// Their values, by type name, in the order of TypeToCreate::Fills.
  std::map<std::string, std::vector<const Expr *>> FillValues;
  /// The spec's flags as `X.tp_flags |= F;` statements leave them.
  std::map<const VarDecl *, std::string> FlagsText;
  /// Global variables the unit assigns, computed once.
  std::optional<std::set<const VarDecl *>> Assigned;
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
