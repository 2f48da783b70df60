//===- CheckedCalls.cpp - rule `checked-calls` ----------------------------===//
///
/// Rewrites: unchecked accessor macros to the checked Limited API calls.
/// \code
///   PyList_GET_ITEM(l, i)          ->  PyList_GetItem(l, i)
///   PyStructSequence_SET_ITEM(s, i, v) -> PyStructSequence_SetItem(s, i, v)
///   PyTuple_SET_ITEM(fresh, i, v)  ->  PyTuple_SetItem(fresh, i, v)
///   PySequence_Fast_GET_ITEM(s, i) ->  (PyList_Check(s) ? PyList_GetItem(s, i)
///                                                     : PyTuple_GetItem(s, i))
///   PyUnicode_AsUTF8(o)            ->  PyUnicode_AsUTF8AndSize(o, NULL)   (3.10)
///   PyObject_CallOneArg(f, a)      ->  PyObject_CallFunctionObjArgs(f, a, NULL)
///   Py_UNICODE_ISSPACE(ch)         ->  abi3port_unicode_is(ch, "isspace")  (a helper)
///   Py_SETREF(dst, src)            ->  do { PyObject *abi3port_old = (PyObject *)(dst);
///                                           (dst) = (src); Py_DECREF(abi3port_old); } while (0)
/// \endcode
/// Both spellings are matched: the macro, and the static inline function of
/// newer headers (the user's call of a function with the macro's name).
///
/// Why no error check is added after a getter: the checked call fails only
/// on inputs where the macro was undefined behaviour (wrong type, index out
/// of range), so code that was correct keeps its behaviour, and the result
/// is the same borrowed reference. `PyUnicode_AsUTF8` and its replacement
/// fail in the same cases, so the caller's existing check still applies.
///
/// Setters differ: `PyTuple_SetItem` fails unless the tuple's refcount is 1,
/// and `PyList_SetItem` releases the old item. A setter becomes the checked
/// call when its container is provably fresh: a local variable assigned from
/// `PyTuple_New`/`PyList_New` in the same function (any other assignment,
/// such as `PyTuple_Pack(...)`, only in the other branch of an `if` that
/// holds every store and runs once per call), used before the last store
/// only by stores, NULL tests, size reads, and not in a loop that also
/// stores after the use. Any other `PyList_SET_ITEM` becomes
/// `abi3port_list_set_item`, a helper that takes a reference to the old item
/// before `PyList_SetItem` releases it: the macro's behaviour exactly.
///
/// A rename spelled inside a project macro (`#define Bytes_AS_STRING
/// PyBytes_AS_STRING`) is done on the macro's body token, once.
///
/// `PySequence_Fast_ITEMS(seq)` assigned to a local that is only read as
/// `items[i]` becomes the getter on `seq` at each `items[i]`.
///
/// Leaves for manual change: other uses of `PySequence_Fast_ITEMS` (the item
/// array has no Limited API form);
/// `PyTuple_SET_ITEM` on a tuple that is not provably fresh (no Limited API
/// call stores into a shared tuple); setters, and calls other than renames,
/// inside the user's macros; a
/// `PySequence_Fast_GET_ITEM` whose sequence expression has side effects
/// (it would be evaluated twice);
/// `PyUnicode_AsUTF8` below 3.10.
///
/// Requires: 3.2 (3.7 for the str accessors, 3.10 for PyUnicode_AsUTF8).
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"
#include <set>

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "checked-calls";

/// The simple renames: same arguments, same (borrowed or plain) result.
llvm::StringRef renamedTo(llvm::StringRef Name) {
  return llvm::StringSwitch<llvm::StringRef>(Name)
      .Case("PyList_GET_ITEM", "PyList_GetItem")
      .Case("PyList_GET_SIZE", "PyList_Size")
      .Case("PyTuple_GET_ITEM", "PyTuple_GetItem")
      .Case("PyTuple_GET_SIZE", "PyTuple_Size")
      .Case("PyBytes_AS_STRING", "PyBytes_AsString")
      .Case("PyBytes_GET_SIZE", "PyBytes_Size")
      .Case("PyByteArray_AS_STRING", "PyByteArray_AsString")
      .Case("PyByteArray_GET_SIZE", "PyByteArray_Size")
      .Case("PyFloat_AS_DOUBLE", "PyFloat_AsDouble")
      .Case("PyDict_GET_SIZE", "PyDict_Size")
      .Case("PySet_GET_SIZE", "PySet_Size")
      .Case("PyLong_AS_LONG", "PyLong_AsLong")
      .Case("PyThreadState_GET", "PyThreadState_Get")
      .Case("PyUnicode_GET_LENGTH", "PyUnicode_GetLength")
      .Case("PyUnicode_READ_CHAR", "PyUnicode_ReadChar")
      .Case("PyWeakref_GET_OBJECT", "PyWeakref_GetObject")
      .Case("PySequence_Fast_GET_SIZE", "PySequence_Size")
      // CPython's functions are these macros, without checks.
      .Case("PyStructSequence_GET_ITEM", "PyStructSequence_GetItem")
      .Case("PyStructSequence_SET_ITEM", "PyStructSequence_SetItem")
      .Default("");
}

/// Calls whose Limited API form takes a NULL-terminated argument list.
llvm::StringRef nullTerminatedForm(llvm::StringRef Name) {
  return llvm::StringSwitch<llvm::StringRef>(Name)
      .Case("PyObject_CallMethodNoArgs", "PyObject_CallMethodObjArgs")
      .Case("PyObject_CallMethodOneArg", "PyObject_CallMethodObjArgs")
      .Case("PyObject_CallNoArgs", "PyObject_CallFunctionObjArgs")
      .Case("PyObject_CallOneArg", "PyObject_CallFunctionObjArgs")
      .Default("");
}

/// `Py_UNICODE_IS*(ch)`: the str method that answers the same question.
llvm::StringRef unicodeClassMethod(llvm::StringRef Name) {
  return llvm::StringSwitch<llvm::StringRef>(Name)
      .Case("Py_UNICODE_ISSPACE", "isspace")
      .Case("Py_UNICODE_ISALPHA", "isalpha")
      .Case("Py_UNICODE_ISALNUM", "isalnum")
      .Case("Py_UNICODE_ISDECIMAL", "isdecimal")
      .Case("Py_UNICODE_ISDIGIT", "isdigit")
      .Case("Py_UNICODE_ISNUMERIC", "isnumeric")
      .Case("Py_UNICODE_ISLOWER", "islower")
      .Case("Py_UNICODE_ISUPPER", "isupper")
      .Case("Py_UNICODE_ISTITLE", "istitle")
      .Case("Py_UNICODE_ISPRINTABLE", "isprintable")
      .Default("");
}

const char *UnicodeClassHelper =
    "/* abi3port: Py_UNICODE_IS*(ch) from Limited API calls: the answer of the\n"
    "   str method on a one-character string. Failures (memory) answer 0. */\n"
    "static int\n"
    "abi3port_unicode_is(Py_UCS4 ch, const char *method)\n"
    "{\n"
    "    PyObject *s = PyUnicode_FromOrdinal((int)ch), *r;\n"
    "    int answer;\n"
    "    if (s == NULL) {\n"
    "        PyErr_Clear();\n"
    "        return 0;\n"
    "    }\n"
    "    r = PyObject_CallMethod(s, method, NULL);\n"
    "    Py_DECREF(s);\n"
    "    if (r == NULL) {\n"
    "        PyErr_Clear();\n"
    "        return 0;\n"
    "    }\n"
    "    answer = PyObject_IsTrue(r) > 0;\n"
    "    Py_DECREF(r);\n"
    "    return answer;\n"
    "}\n\n";

/// PyWeakref_GetObject is deprecated in 3.13 and gone from the 3.15 headers:
/// from 3.13 the borrowed reference comes from PyWeakref_GetRef, as CPython's
/// own PyWeakref_GetObject gets it.
const char *WeakrefObjectHelper =
    "/* abi3port: PyWeakref_GET_OBJECT(ref) from PyWeakref_GetRef (3.13), as\n"
    "   CPython's PyWeakref_GetObject does it: a borrowed reference, Py_None for\n"
    "   a dead reference, NULL with an exception if ref is not a weak reference. */\n"
    "static PyObject *\n"
    "abi3port_weakref_object(PyObject *ref)\n"
    "{\n"
    "    PyObject *obj;\n"
    "    int found = PyWeakref_GetRef(ref, &obj);\n"
    "    if (found <= 0)\n"
    "        return found < 0 ? NULL : Py_None;\n"
    "    Py_DECREF(obj);\n"
    "    return obj;\n"
    "}\n\n";

void rewriteWeakrefObject(PortContext &Ctx, const ApiReference &Ref) {
  auto Change = Ctx.change();
  Ctx.insertHelperOnce(Rule, "abi3port_weakref_object", *Ref.Expansion, WeakrefObjectHelper);
  Ctx.replace(Rule, Ref.NameRange, "abi3port_weakref_object");
}

void rewriteUnicodeClass(PortContext &Ctx, const ApiReference &Ref) {
  if (Ref.Args.size() != 1 || !Ref.Expansion)
    return;
  Ctx.insertHelperOnce(Rule, "abi3port_unicode_is", *Ref.Expansion, UnicodeClassHelper);
  Ctx.replaceComposed(Rule, Ref.WholeRange,
              "abi3port_unicode_is(" + Ctx.rewrittenRange(Ref.Args[0]) + ", \"" +
                  unicodeClassMethod(Ref.Name).str() + "\")");
}


bool isCreationCall(const Expr *E, llvm::StringRef Creator) {
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->getName() == Creator;
}

/// Whether `Var`, a local of `Function`, is a container fresh from
/// `Creator` at every `Setter` on it (see the file comment).
class FreshnessCheck : public RecursiveASTVisitor<FreshnessCheck> {
public:
  FreshnessCheck(const VarDecl *Var, llvm::StringRef Creator, ASTContext &Ctx,
                 const std::vector<SourceLocation> &Stores)
      : Var(Var), Creator(Creator), Ctx(Ctx), SM(Ctx.getSourceManager()), Stores(Stores) {}

  bool fresh(const FunctionDecl *Function) {
    if (!Var->isLocalVarDecl() || !Function || !Function->hasBody())
      return false;
    if (Var->hasInit()) {
      if (isCreationCall(Var->getInit(), Creator)) {
        SawCreation = true;
        Creations.push_back(Var->getLocation());
      } else if (!Var->getInit()->isNullPointerConstant(Ctx,
                                                         Expr::NPC_ValueDependentIsNull)) {
        return false;
      }
    }
    TraverseStmt(Function->getBody());
    if (!Ok || !SawCreation)
      return false;
    return llvm::all_of(OtherAssignments, [&](const BinaryOperator *A) {
      return onAnotherBranch(A, Function);
    });
  }

  bool TraverseStmt(Stmt *S) {
    if (!S)
      return true;
    bool IsLoop = isa<ForStmt, WhileStmt, DoStmt>(S);
    if (IsLoop)
      Loops.push_back(S);
    bool R = RecursiveASTVisitor::TraverseStmt(S);
    if (IsLoop)
      Loops.pop_back();
    return R;
  }

  bool VisitBinaryOperator(BinaryOperator *B) {
    if (!B->isAssignmentOp())
      return true;
    if (const auto *L = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts());
        L && L->getDecl() == Var) {
      Assignments.insert(L);
      if (isCreationCall(B->getRHS(), Creator)) {
        SawCreation = true;
        Creations.push_back(B->getBeginLoc());
      } else if (!B->getRHS()->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNull)) {
        // PyTuple_Pack(...), another tuple: harmless only outside loops.
        if (Loops.empty())
          OtherAssignments.push_back(B);
        else
          Ok = false;
      }
    }
    return true;
  }

  bool VisitGotoStmt(GotoStmt *G) {
    if (G->getLabel()->getStmt() &&
        SM.isBeforeInTranslationUnit(G->getLabel()->getStmt()->getBeginLoc(), G->getBeginLoc()))
      BackwardGoto = true; // a loop the structure does not show
    return true;
  }
  bool VisitIndirectGotoStmt(IndirectGotoStmt *) {
    BackwardGoto = true;
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() != Var || Assignments.count(E))
      return true;
    SourceLocation Loc = SM.getFileLoc(E->getLocation());
    for (SourceLocation Store : Stores)
      if (SM.getFileLoc(Store) == SM.getExpansionLoc(E->getBeginLoc()) ||
          SM.isPointWithin(Loc, Store, Store))
        return true; // the setter's own argument
    if (harmlessUse(E))
      return true;
    if (!laterThanEveryStore(Loc) || insideLoopWithStore())
      Ok = false;
    return true;
  }

private:
  /// NULL tests, returns and releases cannot make a later store fail.
  bool harmlessUse(const DeclRefExpr *E) {
    SourceLocation Expansion = SM.getExpansionLoc(E->getBeginLoc());
    if (E->getBeginLoc().isMacroID()) {
      llvm::StringRef Macro = Lexer::getSourceText(
          CharSourceRange::getTokenRange(Expansion), SM, Ctx.getLangOpts());
      return Macro == "Py_DECREF" || Macro == "Py_XDECREF" || Macro == "Py_CLEAR";
    }
    const Stmt *Child = E;
    DynTypedNodeList Parents = Ctx.getParents(*Child);
    while (!Parents.empty() && Parents[0].get<Expr>() &&
           isa<ImplicitCastExpr, ParenExpr>(Parents[0].get<Expr>())) {
      Child = Parents[0].get<Expr>();
      Parents = Ctx.getParents(*Child);
    }
    if (Parents.empty())
      return false;
    if (Parents[0].get<ReturnStmt>())
      return true;
    if (const auto *U = Parents[0].get<UnaryOperator>())
      return U->getOpcode() == UO_LNot;
    if (const auto *B = Parents[0].get<BinaryOperator>())
      return B->isEqualityOp() &&
             (B->getLHS()->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNull) ||
              B->getRHS()->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNull));
    if (const auto *If = Parents[0].get<IfStmt>())
      return If->getCond() == Child;
    return false;
  }

  bool laterThanEveryStore(SourceLocation Loc) const {
    for (SourceLocation Store : Stores)
      if (!SM.isBeforeInTranslationUnit(SM.getFileLoc(Store), Loc))
        return false;
    return true;
  }
  bool within(SourceLocation Loc, const Stmt *S) const {
    return SM.isPointWithin(SM.getFileLoc(Loc), SM.getFileLoc(S->getBeginLoc()),
                            SM.getFileLoc(S->getEndLoc()));
  }
  /// A loop that stores, uses, and stores again in the next iteration, unless
  /// the container is created afresh inside the loop.
  bool insideLoopWithStore() const {
    for (const Stmt *Loop : Loops) {
      if (llvm::any_of(Creations, [&](SourceLocation C) { return within(C, Loop); }))
        continue;
      if (llvm::any_of(Stores, [&](SourceLocation S) { return within(S, Loop); }))
        return true;
    }
    return false;
  }

  /// An assignment of something else (`PyTuple_Pack(...)`), outside every
  /// loop, does not reach the stores when it lies in one branch of an `if`
  /// and every store in the other, and there is no backward jump in the
  /// function: that `if` then runs at most once per call.
  bool onAnotherBranch(const BinaryOperator *A, const FunctionDecl *Function) {
    if (BackwardGoto)
      return false;
    const Stmt *Child = A;
    for (DynTypedNodeList Parents = Ctx.getParents(*Child); !Parents.empty();
         Parents = Ctx.getParents(*Child)) {
      const Stmt *Parent = Parents[0].get<Stmt>();
      if (!Parent || Parent == Function->getBody())
        return false;
      if (const auto *If = dyn_cast<IfStmt>(Parent); If && If->getElse()) {
        const Stmt *Other = Child == If->getThen()   ? If->getElse()
                            : Child == If->getElse() ? If->getThen()
                                                     : nullptr;
        if (Other && llvm::all_of(Stores, [&](SourceLocation S) { return within(S, Other); }))
          return true;
      }
      Child = Parent;
    }
    return false;
  }

  const VarDecl *Var;
  llvm::StringRef Creator;
  ASTContext &Ctx;
  const SourceManager &SM;
  const std::vector<SourceLocation> &Stores;
  std::vector<const Stmt *> Loops;
  llvm::SmallPtrSet<const DeclRefExpr *, 4> Assignments;
  std::vector<SourceLocation> Creations;
  std::vector<const BinaryOperator *> OtherAssignments;
  bool BackwardGoto = false;
  bool Ok = true;
  bool SawCreation = false;
};

/// Where the project macro that holds `Ref` is used.
CharSourceRange useOfUserMacro(PortContext &Ctx, const ApiReference &Ref) {
  return CharSourceRange::getTokenRange(Ctx.SM.getExpansionLoc(Ref.WholeRange.getBegin()));
}

/// PyList_SET_ITEM on a list that is not provably fresh: the helper keeps
/// the macro's behaviour exactly, the item it replaces is not released.
const char *ListSetItemHelper =
    "/* abi3port: PyList_SET_ITEM(list, i, v) from Limited API calls: stores v\n"
    "   (stolen) at i and, like the macro, does not release the item it\n"
    "   replaces (PyList_SetItem would; the extra reference keeps it alive). */\n"
    "static void\n"
    "abi3port_list_set_item(PyObject *list, Py_ssize_t i, PyObject *v)\n"
    "{\n"
    "    PyObject *old = PyList_GetItem(list, i);\n"
    "    Py_XINCREF(old);\n"
    "    (void)PyList_SetItem(list, i, v);\n"
    "}\n\n";

/// How a setter is rewritten: into `Checked` on a container fresh from
/// `Creator`, else (when there is one) through an exact helper.
struct SetterForm {
  llvm::StringRef Setter, Creator, Checked, Why;
  llvm::StringRef Helper = "", HelperText = "";
};

/// A store the fresh-container proof does not cover: the helper when the
/// setter has one, else a manual site.
void rewriteUnprovenStore(PortContext &Ctx, const SetterForm &Form, const ApiReference &Ref,
                          const std::string &Reason) {
  if (!Form.Helper.empty() && Ref.Expansion) {
    Ctx.insertHelperOnce(Rule, Form.Helper, *Ref.Expansion, Form.HelperText.data());
    Ctx.replace(Rule, Ref.NameRange, Form.Helper);
    return;
  }
  Ctx.manual(Rule, Ref.NameRange, Reason + ": " + Form.Why.str(), PythonVersion{3, 2});
}

void rewriteSetters(PortContext &Ctx, const SetterForm &Form) {
  llvm::StringRef Setter = Form.Setter, Creator = Form.Creator;
  // Group the stores by container variable.
  std::map<const VarDecl *, std::vector<const ApiReference *>> ByVar;
  for (const ApiReference &Ref : Ctx.references()) {
    if (Ref.Name != Setter)
      continue;
    if (Ref.InsideUserMacro) {
      Ctx.manual(Rule, useOfUserMacro(Ctx, Ref),
                 Setter.str() + " is used inside a macro of this project: " + Form.Why.str(),
                 PythonVersion{3, 2});
      continue;
    }
    const VarDecl *Var = Ctx.argumentVariable(Ref, 0);
    if (!Var) {
      rewriteUnprovenStore(Ctx, Form, Ref,
                           Setter.str() + " on an expression that is not a local variable");
      continue;
    }
    ByVar[Var].push_back(&Ref);
  }
  for (auto &[Var, Refs] : ByVar) {
    std::vector<SourceLocation> Stores;
    for (const ApiReference *Ref : Refs)
      Stores.push_back(Ref->WholeRange.getBegin());
    const FunctionDecl *Function =
        Refs.front()->Expansion ? Ctx.enclosingFunction(*Refs.front()->Expansion) : nullptr;
    bool Fresh = FreshnessCheck(Var, Creator, Ctx.Ctx, Stores).fresh(Function);
    for (const ApiReference *Ref : Refs) {
      if (Fresh)
        Ctx.replace(Rule, Ref->NameRange, Form.Checked);
      else
        rewriteUnprovenStore(Ctx, Form, *Ref,
                             Setter.str() + " on '" + Var->getName().str() +
                                 "', which is not provably fresh from " + Creator.str());
    }
  }
}

bool hasSideEffects(const ApiReference &Ref, size_t Arg, PortContext &Ctx) {
  std::string Text = Ctx.text(Ref.Args[Arg]);
  for (char C : Text)
    if (!(isalnum(static_cast<unsigned char>(C)) || C == '_' || C == ' ' || C == '.' ||
          C == '-' || C == '>'))
      return true; // calls, increments, assignments, subscripts...
  return Text.find("--") != std::string::npos;
}

void rewriteFastGetItem(PortContext &Ctx, const ApiReference &Ref) {
  if (Ref.Args.size() != 2 || hasSideEffects(Ref, 0, Ctx)) {
    Ctx.manual(Rule, Ref.NameRange,
               "PySequence_Fast_GET_ITEM on an expression with side effects: it would be "
               "evaluated twice; use PyList_GetItem or PyTuple_GetItem",
               PythonVersion{3, 2});
    return;
  }
  std::string Seq = Ctx.text(Ref.Args[0]), Index = Ctx.text(Ref.Args[1]);
  Ctx.replace(Rule, Ref.WholeRange,
              "(PyList_Check(" + Seq + ") ? PyList_GetItem(" + Seq + ", " + Index +
                  ") : PyTuple_GetItem(" + Seq + ", " + Index + "))");
}

/// Inserts `Text` right after the last argument.
void appendArgument(PortContext &Ctx, const ApiReference &Ref, llvm::StringRef Text) {
  CharSourceRange Last = Lexer::makeFileCharRange(Ref.Args.back(), Ctx.SM, Ctx.LO);
  Ctx.insert(Rule, Last.getEnd(), Text);
}

/// `Py_SETREF(dst, src)` / `Py_XSETREF`: in the Limited API only from 3.16,
/// spelled out the way the macro expands (dst is evaluated twice there too).
void rewriteSetRef(PortContext &Ctx, const ApiReference &Ref) {
  if (Ref.Args.size() != 2)
    return;
  std::string Dst = Ctx.rewrittenRange(Ref.Args[0]), Src = Ctx.rewrittenRange(Ref.Args[1]);
  std::string Release = Ref.Name == "Py_SETREF" ? "Py_DECREF" : "Py_XDECREF";
  Ctx.replaceComposed(Rule, Ref.WholeRange,
              "do { PyObject *abi3port_old = (PyObject *)(" + Dst + "); (" + Dst + ") = (" + Src +
                  "); " + Release + "(abi3port_old); } while (0)");
}

/// `items = PySequence_Fast_ITEMS(seq);` where `items` is a local only read
/// as `items[i]`: each `items[i]` becomes the checked getter on `seq` (a
/// borrowed reference, as before) and the assignment goes.
void rewriteFastItems(PortContext &Ctx, const ApiReference &Ref) {
  auto Manual = [&](const std::string &Why) {
    Ctx.manual(Rule, Ref.NameRange,
               "PySequence_Fast_ITEMS exposes the item array, which the Limited API does "
               "not: " + Why + "; index the sequence with PyList_GetItem/PyTuple_GetItem",
               std::nullopt);
  };
  if (!Ref.Expansion || Ref.Args.size() != 1 || hasSideEffects(Ref, 0, Ctx))
    return Manual("its argument is not a plain variable");
  // The statement `items = ITEMS(seq);` (an assignment in a block).
  DynTypedNodeList Parents = Ctx.Ctx.getParents(*Ref.Expansion);
  while (!Parents.empty() && Parents[0].get<ImplicitCastExpr>())
    Parents = Ctx.Ctx.getParents(*Parents[0].get<ImplicitCastExpr>());
  const auto *Assign = Parents.empty() ? nullptr : Parents[0].get<BinaryOperator>();
  const auto *Lhs = Assign && Assign->getOpcode() == BO_Assign
                        ? dyn_cast<DeclRefExpr>(Assign->getLHS()->IgnoreParens())
                        : nullptr;
  const auto *Items = Lhs ? dyn_cast<VarDecl>(Lhs->getDecl()) : nullptr;
  const FunctionDecl *Function = Ctx.enclosingFunction(*Ref.Expansion);
  if (!Items || !Items->isLocalVarDecl() || !Function)
    return Manual("its value is not assigned to a local variable by a statement");
  // Every other use must be `items[i]` read.
  struct Uses : RecursiveASTVisitor<Uses> {
    const VarDecl *Items;
    const DeclRefExpr *Assigned;
    ASTContext &Ctx;
    std::vector<const ArraySubscriptExpr *> Subscripts;
    bool Other = false;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (E->getDecl() != Items || E == Assigned)
        return true;
      DynTypedNodeList P = Ctx.getParents(*E);
      while (!P.empty() && P[0].get<ImplicitCastExpr>())
        P = Ctx.getParents(*P[0].get<ImplicitCastExpr>());
      const auto *Sub = P.empty() ? nullptr : P[0].get<ArraySubscriptExpr>();
      if (Sub && Sub->getBase()->IgnoreImpCasts() == E)
        Subscripts.push_back(Sub);
      else
        Other = true;
      return true;
    }
  } U{{}, Items, Lhs, Ctx.Ctx, {}};
  U.TraverseStmt(Function->getBody());
  if (U.Other)
    return Manual("'" + Items->getName().str() + "' is used other than as " +
                  Items->getName().str() + "[i]");
  CharSourceRange Statement = Ctx.wholeLines(Assign);
  if (Statement.isInvalid())
    return Manual("the assignment shares its line with other code");
  std::string Seq = Ctx.text(Ref.Args[0]);
  auto Change = Ctx.change();
  Ctx.replace(Rule, Statement, "");
  // `items` is no longer used: out of its declaration list (alone, it stays).
  Ctx.removeDeclarator(Rule, Items);
  for (const ArraySubscriptExpr *Sub : U.Subscripts) {
    std::string Index = Ctx.rewrittenText(Sub->getIdx());
    Ctx.replace(Rule,
                Lexer::makeFileCharRange(CharSourceRange::getTokenRange(Sub->getSourceRange()),
                                         Ctx.SM, Ctx.LO),
                "(PyList_Check(" + Seq + ") ? PyList_GetItem(" + Seq + ", " + Index +
                    ") : PyTuple_GetItem(" + Seq + ", " + Index + "))");
  }
}

void rewriteAsUTF8(PortContext &Ctx, const ApiReference &Ref) {
  if (Ctx.Target < PythonVersion{3, 10}) {
    Ctx.manual(Rule, Ref.NameRange,
               "PyUnicode_AsUTF8 is not in the Limited API; PyUnicode_AsUTF8AndSize is "
               "from 3.10 (below: PyUnicode_AsUTF8String and PyBytes_AsString, which "
               "need the bytes object kept alive)",
               PythonVersion{3, 10});
    return;
  }
  if (Ref.Args.size() != 1)
    return;
  auto Change = Ctx.change();
  Ctx.replace(Rule, Ref.NameRange, "PyUnicode_AsUTF8AndSize");
  appendArgument(Ctx, Ref, ", NULL");
}

/// A rename spelled in the body of a project macro (`#define Bytes_AS_STRING
/// PyBytes_AS_STRING`, `#define ITEM(t) PyTuple_GET_ITEM(t, 0)`): the name
/// token itself is renamed, so every expansion gets the checked call. A
/// rename takes the same arguments, so it is right wherever the macro is.
bool isPlainRenameInMacroBody(PortContext &Ctx, const ApiReference &Ref) {
  if (renamedTo(Ref.Name).empty() ||
      (Ref.Name == "PyWeakref_GET_OBJECT" && Ctx.Target >= PythonVersion{3, 13}))
    return false;
  return Ctx.text(Ref.NameRange) == Ref.Name;
}

} // namespace

void checkedCalls(PortContext &Ctx) {
  std::set<unsigned> RenamedBodyTokens; // one edit per token, however often expanded
  for (const ApiReference &Ref : Ctx.references()) {
    if (Ctx.Knowledge.lookup(Ref.Name).Available)
      continue; // already limited at the target
    bool Known = !renamedTo(Ref.Name).empty() || !nullTerminatedForm(Ref.Name).empty() ||
                 Ref.Name == "PySequence_Fast_GET_ITEM" || Ref.Name == "Py_SETREF" ||
                 Ref.Name == "Py_XSETREF" ||
                 Ref.Name == "PySequence_Fast_ITEMS" || Ref.Name == "PyUnicode_AsUTF8" ||
                 !unicodeClassMethod(Ref.Name).empty();
    if (!Known)
      continue;
    if (Ref.InsideUserMacro && isPlainRenameInMacroBody(Ctx, Ref)) {
      if (RenamedBodyTokens.insert(Ref.NameRange.getBegin().getRawEncoding()).second)
        Ctx.replace(Rule, Ref.NameRange, renamedTo(Ref.Name));
      continue;
    }
    if (Ref.InsideUserMacro) {
      Ctx.manual(Rule, useOfUserMacro(Ctx, Ref),
                 Ref.Name + " is used inside a macro of this project; rewrite the macro "
                            "by hand",
                 PythonVersion{3, 2});
      continue;
    }
    if (Ref.Name == "PyWeakref_GET_OBJECT" && Ctx.Target >= PythonVersion{3, 13} &&
        Ref.Expansion)
      rewriteWeakrefObject(Ctx, Ref);
    else if (llvm::StringRef New = renamedTo(Ref.Name); !New.empty())
      Ctx.replace(Rule, Ref.NameRange, New);
    else if (llvm::StringRef Vararg = nullTerminatedForm(Ref.Name);
             !Vararg.empty() && !Ref.Args.empty()) {
      auto Change = Ctx.change();
      Ctx.replace(Rule, Ref.NameRange, Vararg);
      appendArgument(Ctx, Ref, ", NULL");
    } else if (Ref.Name == "Py_SETREF" || Ref.Name == "Py_XSETREF" ||
               !unicodeClassMethod(Ref.Name).empty())
      continue; // below, once the accessors inside its arguments are rewritten
    else if (Ref.Name == "PySequence_Fast_GET_ITEM")
      rewriteFastGetItem(Ctx, Ref);
    else if (Ref.Name == "PyUnicode_AsUTF8")
      rewriteAsUTF8(Ctx, Ref);
    else
      rewriteFastItems(Ctx, Ref);
  }
  for (const ApiReference &Ref : Ctx.references()) {
    if (Ref.InsideUserMacro || Ctx.Knowledge.lookup(Ref.Name).Available)
      continue;
    if (Ref.Name == "Py_SETREF" || Ref.Name == "Py_XSETREF")
      rewriteSetRef(Ctx, Ref);
    else if (!unicodeClassMethod(Ref.Name).empty())
      rewriteUnicodeClass(Ctx, Ref);
  }
  rewriteSetters(Ctx, {"PyTuple_SET_ITEM", "PyTuple_New", "PyTuple_SetItem",
                      "PyTuple_SetItem fails unless the tuple is fresh"});
  rewriteSetters(Ctx, {"PyList_SET_ITEM", "PyList_New", "PyList_SetItem",
                      "PyList_SetItem releases the item it replaces", "abi3port_list_set_item",
                      ListSetItemHelper});
}

} // namespace abi3port
