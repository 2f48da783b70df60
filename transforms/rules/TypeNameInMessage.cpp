//===- TypeNameInMessage.cpp - rule `type-name-in-message` ----------------===//
///
/// Rewrites: `Py_TYPE(x)->tp_name` passed to a `%s` of a format call that
/// is a whole statement (`PyErr_Format(...);`, `return PyErr_Format(...);`,
/// `return PyUnicode_FromFormat(...);`).
///
/// From 3.13, `%T` formats the type of an object:
/// \code
///   PyErr_Format(PyExc_TypeError, "not %.200s", Py_TYPE(o)->tp_name);
///   ->  PyErr_Format(PyExc_TypeError, "not %T", (PyObject *)(o));
/// \endcode
/// Below 3.13, the type's `__name__` is fetched first (PyType_GetName from
/// 3.11, the `__name__` attribute below), formatted with `%U`, and released:
/// \code
///   {
///       PyObject *abi3port_type_name_0 = PyType_GetName(Py_TYPE(o));
///       if (abi3port_type_name_0 != NULL) {
///           PyErr_Format(PyExc_TypeError, "not %.200U", abi3port_type_name_0);
///           Py_DECREF(abi3port_type_name_0);
///       }
///   }
/// \endcode
/// The message text keeps the type's name: for built-in types and classes
/// defined in Python `__name__` equals `tp_name`; for static extension types
/// `tp_name` also carries the module ("pkg.Name"), which `__name__` drops.
///
/// Leaves for manual change: a format call whose value is used other than by
/// `return`; a format string that is not a literal; a `tp_name` in a `%`
/// conversion other than `s`.
///
/// Requires: 3.2 (`%T` from 3.13, PyType_GetName from 3.11).
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/TargetInfo.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "type-name-in-message";

/// Index of the format argument of a format function, or -1.
int formatArgIndex(llvm::StringRef Function) {
  // PyBytes_FromFormat has no %U or %T; PyErr_WarnFormat returns int.
  return llvm::StringSwitch<int>(Function)
      .Case("PyErr_Format", 1)
      .Case("PyUnicode_FromFormat", 0)
      .Default(-1);
}

/// The `%...s` conversions of a format literal, in argument order: the byte
/// range of each conversion in the literal.
std::vector<std::pair<unsigned, unsigned>> conversions(llvm::StringRef Format) {
  std::vector<std::pair<unsigned, unsigned>> Out;
  for (size_t I = 0; I < Format.size(); ++I) {
    if (Format[I] != '%')
      continue;
    if (I + 1 < Format.size() && Format[I + 1] == '%') {
      ++I;
      continue;
    }
    size_t J = I + 1;
    while (J < Format.size() && llvm::StringRef("-0123456789.lzt").contains(Format[J]))
      ++J;
    Out.push_back({unsigned(I), unsigned(J)}); // Format[J] is the conversion letter
    I = J;
  }
  return Out;
}

/// `Py_TYPE(o)->tp_name` or `T->tp_name` / `T.tp_name`.
const MemberExpr *typeNameArgument(const Expr *Arg) {
  const auto *ME = dyn_cast<MemberExpr>(Arg->IgnoreParenImpCasts());
  if (!ME || ME->getMemberDecl()->getName() != "tp_name")
    return nullptr;
  const auto *Record = dyn_cast<RecordDecl>(ME->getMemberDecl()->getDeclContext());
  return Record && Record->getName() == "_typeobject" ? ME : nullptr;
}

/// The text of the type object (`PyTypeObject *`) whose tp_name is read.
std::string typeObjectText(PortContext &Ctx, const MemberExpr *ME) {
  std::string Text = Ctx.rewrittenText(ME->getBase());
  return ME->isArrow() ? Text : "&" + Text;
}

/// The object whose type it is, for `%T`: `o` in `Py_TYPE(o)->tp_name`.
std::optional<std::string> instanceText(PortContext &Ctx, const MemberExpr *ME) {
  const auto *Call = dyn_cast<CallExpr>(ME->getBase()->IgnoreParenImpCasts());
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || FD->getName() != "Py_TYPE" || Call->getNumArgs() != 1)
    return std::nullopt;
  const Expr *Arg = Call->getArg(0)->IgnoreParenImpCasts();
  if (const auto *Cast = dyn_cast<CStyleCastExpr>(Arg))
    Arg = Cast->getSubExpr()->IgnoreParenImpCasts();
  CharSourceRange R = CharSourceRange::getTokenRange(Ctx.SM.getSpellingLoc(Arg->getBeginLoc()),
                                                     Ctx.SM.getSpellingLoc(Arg->getEndLoc()));
  return "(PyObject *)(" + Ctx.text(R) + ")";
}

std::string indentationOf(PortContext &Ctx, SourceLocation Loc) {
  auto [FID, Offset] = Ctx.SM.getDecomposedLoc(Ctx.SM.getFileLoc(Loc));
  llvm::StringRef Buffer = Ctx.SM.getBufferData(FID);
  size_t LineStart = Buffer.take_front(Offset).rfind('\n') + 1;
  llvm::StringRef Line = Buffer.substr(LineStart);
  return Line.take_while([](char C) { return C == ' ' || C == '\t'; }).str();
}

/// Rewrites one statement-level format call.
class MessageRewrite {
public:
  MessageRewrite(PortContext &Ctx, const CallExpr *Call, const Stmt *Statement, bool Returned)
      : Ctx(Ctx), Call(Call), Statement(Statement), Returned(Returned) {}

  void run(const StringLiteral *Format, unsigned FirstVarArg) {
    std::vector<std::pair<unsigned, unsigned>> Specs = conversions(Format->getString());
    std::string Text = Format->getString().str();
    std::vector<std::pair<const MemberExpr *, unsigned>> Names; // arg, conversion index
    for (unsigned I = FirstVarArg; I < Call->getNumArgs(); ++I)
      if (const MemberExpr *ME = typeNameArgument(Call->getArg(I))) {
        unsigned Spec = I - FirstVarArg;
        if (Spec >= Specs.size() || Text[Specs[Spec].second] != 's')
          return manual("the type name is not formatted with %s");
        Names.push_back({ME, Spec});
      }
    if (Names.empty())
      return;
    Ctx.Target >= PythonVersion{3, 13} ? withPercentT(Format, Specs, Names)
                                      : withNameObjects(Format, Specs, Names);
  }

private:
  void manual(llvm::StringRef Why) {
    Ctx.manual(Rule, CharSourceRange::getTokenRange(Call->getSourceRange()),
               "Py_TYPE(x)->tp_name in a message: " + Why.str() +
                   "; use %T (3.13) or the type's __name__",
               PythonVersion{3, 2});
  }

  /// The format literal with the given conversions turned into `Letter`.
  std::string rewrittenFormat(const StringLiteral *Format,
                              const std::vector<std::pair<unsigned, unsigned>> &Specs,
                              const std::vector<std::pair<const MemberExpr *, unsigned>> &Names,
                              bool DropPrecision, char Letter) {
    std::string Text = Format->getString().str();
    for (auto It = Names.rbegin(); It != Names.rend(); ++It) {
      auto [Begin, LetterAt] = Specs[It->second];
      if (DropPrecision)
        Text.replace(Begin + 1, LetterAt - Begin - 1, "");
      Text[DropPrecision ? Begin + 1 : LetterAt] = Letter;
    }
    std::string Quoted;
    llvm::raw_string_ostream OS(Quoted);
    OS << '"';
    OS.write_escaped(Text);
    OS << '"';
    return Quoted;
  }

  std::string callText(const std::string &FormatText,
                       const std::map<const Expr *, std::string> &ArgTexts) {
    std::string Out = Call->getDirectCallee()->getName().str() + "(";
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      const Expr *Arg = Call->getArg(I);
      auto It = ArgTexts.find(Arg);
      std::string Text;
      if (I == unsigned(formatArgIndex(Call->getDirectCallee()->getName())))
        Text = FormatText;
      else if (It != ArgTexts.end())
        Text = It->second;
      else
        Text = Ctx.rewrittenText(Arg);
      Out += (I ? ", " : "") + Text;
    }
    return Out + ")";
  }

  void withPercentT(const StringLiteral *Format,
                    const std::vector<std::pair<unsigned, unsigned>> &Specs,
                    const std::vector<std::pair<const MemberExpr *, unsigned>> &Names) {
    std::map<const Expr *, std::string> Args;
    for (auto [ME, Spec] : Names) {
      std::optional<std::string> Instance = instanceText(Ctx, ME);
      if (!Instance)
        return manual("the type is not Py_TYPE(x)");
      Args[Call->getArg(FirstArgOf(ME))] = *Instance;
    }
    replaceCall(callText(rewrittenFormat(Format, Specs, Names, true, 'T'), Args));
  }

  unsigned FirstArgOf(const MemberExpr *ME) {
    for (unsigned I = 0; I < Call->getNumArgs(); ++I)
      if (Call->getArg(I)->IgnoreParenImpCasts() == ME)
        return I;
    return 0;
  }

  void replaceCall(const std::string &NewCall) {
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Call->getSourceRange()), Ctx.SM, Ctx.LO);
    Ctx.replace(Rule, R, NewCall);
  }

  void withNameObjects(const StringLiteral *Format,
                       const std::vector<std::pair<unsigned, unsigned>> &Specs,
                       const std::vector<std::pair<const MemberExpr *, unsigned>> &Names) {
    std::string Indent = indentationOf(Ctx, Statement->getBeginLoc());
    std::string In = Indent + "    ";
    std::map<const Expr *, std::string> Args;
    std::string Fetch, Release;
    for (size_t I = 0; I < Names.size(); ++I) {
      std::string Var = "abi3port_type_name_" + std::to_string(I);
      std::string Type = typeObjectText(Ctx, Names[I].first);
      std::string Get = Ctx.Target >= PythonVersion{3, 11}
                            ? "PyType_GetName(" + Type + ")"
                            : "PyObject_GetAttrString((PyObject *)" + Type + ", \"__name__\")";
      Fetch += In + "PyObject *" + Var + " = " + Get + ";\n";
      Release += In + "Py_XDECREF(" + Var + ");\n";
      Args[Call->getArg(FirstArgOf(Names[I].first))] = Var;
    }
    std::string Guard;
    for (size_t I = 0; I < Names.size(); ++I)
      Guard += std::string(I ? " && " : "") + "abi3port_type_name_" + std::to_string(I) +
               " != NULL";
    std::string NewCall = callText(rewrittenFormat(Format, Specs, Names, false, 'U'), Args);
    std::string Block = "{\n" + Fetch;
    bool ValueUsed = Returned && Call->getDirectCallee()->getName().contains("FromFormat");
    if (ValueUsed) {
      Block += In + "PyObject *abi3port_message = NULL;\n";
      Block += In + "if (" + Guard + ")\n" + In + "    abi3port_message = " + NewCall + ";\n";
      Block += Release + In + "return abi3port_message;\n";
    } else {
      Block += In + "if (" + Guard + ")\n" + In + "    " + NewCall + ";\n" + Release;
      if (Returned)
        Block += In + "return NULL;\n";
    }
    Block += Indent + "}";
    SourceLocation End = Lexer::findLocationAfterToken(
        Ctx.fileEnd(Statement->getEndLoc()), tok::semi, Ctx.SM, Ctx.LO, false);
    if (End.isInvalid())
      return manual("the statement's end was not found");
    Ctx.replace(Rule,
                CharSourceRange::getCharRange(Ctx.fileBegin(Statement->getBeginLoc()), End),
                Block);
  }

  PortContext &Ctx;
  const CallExpr *Call;
  const Stmt *Statement;
  bool Returned;
};

} // namespace

void typeNameInMessage(PortContext &Ctx) {
  for (const ApiReference &Ref : Ctx.references()) {
    const auto *Call = dyn_cast_or_null<CallExpr>(Ref.Expansion);
    int FormatIndex = formatArgIndex(Ref.Name);
    if (!Call || Ref.IsMacro || FormatIndex < 0 || Call->getNumArgs() <= unsigned(FormatIndex))
      continue;
    if (llvm::none_of(Call->arguments(), [](const Expr *A) { return typeNameArgument(A); }))
      continue;
    DynTypedNodeList Parents = Ctx.Ctx.getParents(*Call);
    const Stmt *Statement = nullptr;
    bool Returned = false;
    if (!Parents.empty() && Parents[0].get<ReturnStmt>()) {
      Statement = Parents[0].get<ReturnStmt>();
      Returned = true;
    } else if (!Parents.empty() && Parents[0].get<Stmt>() && !Parents[0].get<Expr>()) {
      Statement = Call; // an expression statement (in a block, an if, a loop)
    } else if (!Parents.empty() && Parents[0].get<ImplicitCastExpr>()) {
      DynTypedNodeList Up = Ctx.Ctx.getParents(*Parents[0].get<ImplicitCastExpr>());
      if (!Up.empty() && Up[0].get<ReturnStmt>()) {
        Statement = Up[0].get<ReturnStmt>();
        Returned = true;
      }
    }
    MessageRewrite Rewrite(Ctx, Call, Statement, Returned);
    const auto *Format =
        dyn_cast<StringLiteral>(Call->getArg(FormatIndex)->IgnoreParenImpCasts());
    if (!Statement && Ctx.Target < PythonVersion{3, 13}) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(Call->getSourceRange()),
                 "Py_TYPE(x)->tp_name in a format call whose value is used: fetch the "
                 "type's __name__ (PyType_GetName, 3.11) first, or use %T (3.13)",
                 PythonVersion{3, 13});
      continue;
    }
    if (!Format) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(Call->getSourceRange()),
                 "the format is not a string literal; use %T (3.13) or the type's __name__",
                 PythonVersion{3, 13});
      continue;
    }
    Rewrite.run(Format, FormatIndex + 1);
  }
}

} // namespace abi3port
