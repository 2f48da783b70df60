//===- StrInternals.cpp - rule `str-internals` ----------------------------===//
///
/// Rewrites: reads of a str's internal representation that have a Limited
/// API form with the same results for every input.
/// \code
///   int kind = PyUnicode_KIND(s);          (removed)
///   const void *data = PyUnicode_DATA(s);  (removed)
///   ch = PyUnicode_READ(kind, data, i);    ->  ch = PyUnicode_ReadChar(s, i);
///   if (PyUnicode_READY(s) < 0)            ->  if ((PyUnicode_GetLength(s) < 0 ? -1 : 0) < 0)
/// \endcode
/// The kind/data pair is rewritten when `kind` and `data` are locals set once,
/// from the same variable `s` that the function never assigns again, and are
/// used only as PyUnicode_READ's first two arguments: each READ then reads
/// the same character through PyUnicode_ReadChar (3.7), a function call per
/// character where the macro read memory; each such function gets one
/// non-blocking report line saying so. `PyUnicode_READY` readies a legacy
/// string and fails only when that fails; `PyUnicode_GetLength` readies it
/// the same way (before 3.12; from 3.12 both always succeed on a str).
///
/// Leaves for manual change: kind-specialised code (`kind` compared, switched
/// on, or passed elsewhere; `data` cast to `Py_UCS1 *`, indexed, written),
/// which the audit reports; `PyUnicode_WRITE`, `PyUnicode_New` followed by
/// writes, `PyUnicode_1BYTE_DATA`, `PyUnicode_IS_ASCII`.
///
/// Requires: 3.7 (PyUnicode_ReadChar, PyUnicode_GetLength).
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "str-internals";

/// A local set once from `NAME(s)`: the variable, its setting expression
/// (the VarDecl's initialiser or an assignment) and `s`.
struct SetFrom {
  const VarDecl *Local = nullptr;
  const Expr *Setting = nullptr; ///< the `x = NAME(s)` assignment, or null for an initialiser
  const VarDecl *Str = nullptr;
};

class StrInternals {
public:
  explicit StrInternals(PortContext &Ctx) : Ctx(Ctx) {}

  void run() {
    for (const ApiReference &Ref : Ctx.references()) {
      if (Ref.InsideUserMacro || !Ref.Expansion)
        continue;
      if (Ref.Name == "PyUnicode_READY")
        rewriteReady(Ref);
      else if (Ref.Name == "PyUnicode_KIND")
        rewriteKindDataPair(Ref);
    }
  }

private:
  void rewriteReady(const ApiReference &Ref) {
    if (Ref.Args.size() != 1)
      return;
    Ctx.replaceComposed(Rule, Ref.WholeRange,
                        "(PyUnicode_GetLength(" + Ctx.rewrittenRange(Ref.Args[0]) +
                            ") < 0 ? -1 : 0)");
  }

  /// The local that `Ref`'s expansion initialises or is assigned to.
  std::optional<SetFrom> localSetBy(const ApiReference &Ref) {
    if (Ref.Args.size() != 1)
      return std::nullopt;
    const Stmt *Child = Ref.Expansion;
    DynTypedNodeList Parents = Ctx.Ctx.getParents(*Child);
    while (!Parents.empty() && Parents[0].get<Expr>() &&
           isa<ImplicitCastExpr, ParenExpr, CStyleCastExpr>(Parents[0].get<Expr>()))
      Parents = Ctx.Ctx.getParents(*Parents[0].get<Expr>());
    SetFrom Out;
    if (Parents.empty())
      return std::nullopt;
    if (const auto *V = Parents[0].get<VarDecl>()) {
      Out.Local = V;
    } else if (const auto *B = Parents[0].get<BinaryOperator>();
               B && B->getOpcode() == BO_Assign) {
      const auto *L = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParens());
      Out.Local = L ? dyn_cast<VarDecl>(L->getDecl()) : nullptr;
      Out.Setting = B;
    }
    Out.Str = Ctx.argumentVariable(Ref, 0);
    if (!Out.Local || !Out.Local->isLocalVarDecl() || !Out.Str)
      return std::nullopt;
    return Out;
  }

  void rewriteKindDataPair(const ApiReference &KindRef) {
    std::optional<SetFrom> Kind = localSetBy(KindRef);
    const FunctionDecl *Function = Ctx.enclosingFunction(*KindRef.Expansion);
    if (!Kind || !Function)
      return; // the audit reports the name
    std::optional<SetFrom> Data;
    for (const ApiReference &Ref : Ctx.references())
      if (Ref.Name == "PyUnicode_DATA" && !Ref.InsideUserMacro && Ref.Expansion &&
          Ctx.enclosingFunction(*Ref.Expansion) == Function)
        if (std::optional<SetFrom> D = localSetBy(Ref); D && D->Str == Kind->Str)
          Data = D;
    if (!Data)
      return;
    std::vector<const ApiReference *> Reads;
    for (const ApiReference &Ref : Ctx.references())
      if (Ref.Name == "PyUnicode_READ" && Ref.Expansion && Ref.Args.size() == 3 &&
          Ctx.enclosingFunction(*Ref.Expansion) == Function)
        Reads.push_back(&Ref);
    std::string Why = onlyReadArguments(*Function, *Kind, *Data, Reads);
    if (!Why.empty()) {
      Ctx.manual(Rule, KindRef.NameRange,
                 "kind-specialised code on '" + Kind->Str->getName().str() + "': " + Why +
                     "; read the characters with PyUnicode_ReadChar (3.7) or "
                     "PyUnicode_AsUCS4Copy",
                 std::nullopt);
      return;
    }
    auto Change = Ctx.change();
    if (!removeSetting(*Kind) || !removeSetting(*Data))
      return;
    std::string Str = Kind->Str->getName().str();
    for (const ApiReference *Read : Reads)
      Ctx.replaceComposed(Rule, Read->WholeRange,
                          "PyUnicode_ReadChar(" + Str + ", " +
                              Ctx.rewrittenRange(Read->Args[2]) + ")");
    Finding &F = Ctx.manual(
        Rule, CharSourceRange::getTokenRange(Ctx.fileBegin(Function->getLocation())),
        std::to_string(Reads.size()) + " PyUnicode_READ on the data of '" + Str +
            "' became PyUnicode_ReadChar: a function call per character where the macro read "
            "memory (slower; the same characters)",
        PythonVersion{3, 7});
    F.Blocker = false;
  }

  /// Why the pair is not only PyUnicode_READ's arguments ("" when it is).
  std::string onlyReadArguments(const FunctionDecl &Function, const SetFrom &Kind,
                                const SetFrom &Data,
                                const std::vector<const ApiReference *> &Reads) {
    if (Reads.empty())
      return "no PyUnicode_READ uses the kind and data";
    for (const ApiReference *Read : Reads)
      if (Ctx.text(Read->Args[0]) != Kind.Local->getName() ||
          Ctx.text(Read->Args[1]) != Data.Local->getName())
        return "a PyUnicode_READ reads other data";
    struct Uses : RecursiveASTVisitor<Uses> {
      StrInternals &Self;
      const SetFrom &Kind, &Data;
      const std::vector<const ApiReference *> &Reads;
      std::string Why;
      bool VisitDeclRefExpr(DeclRefExpr *E) {
        const auto *V = dyn_cast<VarDecl>(E->getDecl());
        if (!Why.empty() || !V)
          return true;
        if (V == Kind.Str->getCanonicalDecl() || V == Kind.Str)
          return checkStrUse(E);
        if (V != Kind.Local && V != Data.Local)
          return true;
        if (isSetting(E, Kind) || isSetting(E, Data))
          return true;
        size_t Arg = V == Kind.Local ? 0 : 1;
        SourceLocation At = Self.Ctx.SM.getSpellingLoc(E->getLocation());
        if (llvm::none_of(Reads, [&](const ApiReference *R) {
              CharSourceRange A = R->Args[Arg];
              return Self.Ctx.SM.isPointWithin(At, A.getBegin(), A.getEnd());
            }))
          Why = "'" + V->getName().str() + "' is used other than as PyUnicode_READ's " +
                (Arg ? "second" : "first") + " argument";
        return true;
      }
      bool isSetting(const DeclRefExpr *E, const SetFrom &S) {
        const auto *B = dyn_cast_or_null<BinaryOperator>(S.Setting);
        return B && B->getLHS()->IgnoreParens() == E;
      }
      bool checkStrUse(const DeclRefExpr *E) {
        DynTypedNodeList P = Self.Ctx.Ctx.getParents(*E);
        const auto *B = P.empty() ? nullptr : P[0].get<BinaryOperator>();
        const auto *U = P.empty() ? nullptr : P[0].get<UnaryOperator>();
        if ((B && B->isAssignmentOp() && B->getLHS()->IgnoreParens() == E) ||
            (U && (U->getOpcode() == UO_AddrOf || U->isIncrementDecrementOp())))
          Why = "'" + E->getDecl()->getName().str() + "' is assigned in the function";
        return true;
      }
    } U{{}, *this, Kind, Data, Reads, ""};
    U.TraverseStmt(Function.getBody());
    if (!U.Why.empty())
      return U.Why;
    for (const SetFrom *S : {&Kind, &Data}) {
      unsigned Sets = 0;
      struct Count : RecursiveASTVisitor<Count> {
        const VarDecl *V;
        unsigned &N;
        bool VisitBinaryOperator(BinaryOperator *B) {
          if (const auto *L = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParens());
              B->isAssignmentOp() && L && L->getDecl() == V)
            ++N;
          return true;
        }
      } C{{}, S->Local, Sets};
      C.TraverseStmt(Function.getBody());
      if (Sets + (S->Setting ? 0 : 1) != 1 || (S->Setting && S->Local->hasInit()))
        return "'" + S->Local->getName().str() + "' is set more than once";
    }
    return "";
  }

  /// Deletes `kind = PyUnicode_KIND(s);` / the declaration, or says why not.
  bool removeSetting(const SetFrom &S) {
    auto Manual = [&](const std::string &Why) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(S.Local->getLocation()),
                 "'" + S.Local->getName().str() + "' could not be removed: " + Why,
                 std::nullopt);
      return false;
    };
    if (S.Setting) {
      CharSourceRange Lines = Ctx.wholeLines(S.Setting);
      if (Lines.isInvalid())
        return Manual("its assignment shares its line with other code");
      Ctx.replace(Rule, Lines, "");
    }
    DynTypedNodeList P = Ctx.Ctx.getParents(*S.Local);
    const auto *Decl = P.empty() ? nullptr : P[0].get<DeclStmt>();
    if (Decl && Decl->isSingleDecl()) {
      CharSourceRange Lines = Ctx.wholeLines(Decl);
      if (Lines.isInvalid())
        return Manual("its declaration shares its line with other code");
      Ctx.replace(Rule, Lines, "");
      return true;
    }
    if (!S.Setting || !Ctx.removeDeclarator(Rule, S.Local))
      return Manual("it is declared with other variables");
    return true;
  }

  PortContext &Ctx;
};

} // namespace

void strInternals(PortContext &Ctx) { StrInternals(Ctx).run(); }

} // namespace abi3port
