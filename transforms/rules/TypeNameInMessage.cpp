//===- TypeNameInMessage.cpp - rule `type-name-in-message` ----------------===//
///
/// Rewrites: a type's `tp_name` passed to a `%s` of `PyErr_Format` or
/// `PyUnicode_FromFormat`, keeping the message text.
///
///  - The name of a static type of the project is known: it is inlined.
///    \code
///      PyErr_Format(E, "need %s", Foo_Type.tp_name)  ->  PyErr_Format(E, "need %s", "m.Foo")
///    \endcode
///  - Otherwise, at every target, the name is fetched first with a helper
///    generated once per file, `abi3port_type_name(type)`, which rebuilds what
///    CPython keeps in tp_name from Limited API calls ("int"; "module.Name" for static types and
///    types made from a spec; `__name__` for classes defined in Python),
///    formatted with `%U`, and released. The call must be a statement,
///    the value of a `return`, or assigned by a statement:
///    \code
///      {
///          PyObject *abi3port_type_name_0 = abi3port_type_name(Py_TYPE(o));
///          if (abi3port_type_name_0 != NULL)
///              PyErr_Format(E, "not %.200U", abi3port_type_name_0);
///          Py_XDECREF(abi3port_type_name_0);
///      }
///    \endcode
///
/// `%T` (3.13) is never used: it prints the fully qualified name, which is not
/// tp_name for classes defined in Python ("pkg.mod.f.<locals>.Sub" instead of
/// "Sub") nor for heap types whose `__module__` or `__qualname__` was set, and
/// it drops the precision ("%.200s"). A message keeps its text at every target.
///
/// Leaves for manual change: other uses of the call's value; a format string
/// that is not a literal; a tp_name formatted by something other than `%s`;
/// other format functions (PyBytes_FromFormat has no %U).
///
/// Requires: 3.2.
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"
#include "transforms/types/TypeObjectAnalysis.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "type-name-in-message";

/// Index of the format argument of a format function, or -1.
int formatArgIndex(llvm::StringRef Function) {
  // PyBytes_FromFormat has no %U; PyErr_WarnFormat returns int.
  return llvm::StringSwitch<int>(Function)
      .Case("PyErr_Format", 1)
      .Case("PyUnicode_FromFormat", 0)
      .Default(-1);
}

/// Byte ranges of the `%...X` conversions of a format, in argument order:
/// (start of '%', position of the conversion letter).
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
    Out.push_back({unsigned(I), unsigned(J)});
    I = J;
  }
  return Out;
}

/// `Py_TYPE(o)->tp_name`, `T->tp_name` or `T.tp_name`.
const MemberExpr *typeNameArgument(const Expr *Arg) {
  const auto *ME = dyn_cast<MemberExpr>(Arg->IgnoreParenImpCasts());
  if (!ME || ME->getMemberDecl()->getName() != "tp_name")
    return nullptr;
  const auto *Record = dyn_cast<RecordDecl>(ME->getMemberDecl()->getDeclContext());
  return Record && Record->getName() == "_typeobject" ? ME : nullptr;
}

/// The tp_name literal of `Foo_Type.tp_name` when Foo_Type is a static type
/// defined in the project.
std::optional<std::string> knownName(const MemberExpr *ME) {
  const auto *D = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
  const auto *V = D ? dyn_cast<VarDecl>(D->getDecl()) : nullptr;
  const VarDecl *Def = V ? V->getDefinition() : nullptr;
  if (ME->isArrow() || !Def || !isStaticTypeDefinition(Def))
    return std::nullopt;
  const auto *Init = cast<InitListExpr>(Def->getInit());
  if (Init->isSyntacticForm() && Init->getSemanticForm())
    Init = Init->getSemanticForm();
  const RecordDecl *RD = Def->getType()->getAsRecordDecl();
  unsigned I = 0;
  for (const FieldDecl *F : RD->fields()) {
    if (I >= Init->getNumInits())
      break;
    const Expr *V = Init->getInit(I++);
    if (F->getName() == "tp_name")
      if (const auto *Lit = dyn_cast<StringLiteral>(V->IgnoreParenImpCasts()))
        return Lit->getString().str();
  }
  return std::nullopt;
}

/// The helper that rebuilds tp_name. CPython derives a static or spec-made
/// type's `__module__` from the text of tp_name before its last dot and
/// `__name__` from the rest, so "module.name" restores it; classes defined
/// in Python (mutable heap types) keep their bare `__name__` in tp_name.
std::string typeNameHelper() {
  return "#ifndef Py_TPFLAGS_IMMUTABLETYPE /* 3.8 and 3.9 headers */\n"
         "#define Py_TPFLAGS_IMMUTABLETYPE (1UL << 8)\n#endif\n"
         "/* abi3port: what CPython keeps in tp_name, from Limited API calls:\n"
         "   \"module.Name\" for static types and types made from a spec (immutable),\n"
         "   \"Name\" for built-ins and for classes defined in Python. */\n"
         "static PyObject *\nabi3port_type_name(PyTypeObject *type)\n{\n"
         "    PyObject *name, *module, *result;\n"
         "    unsigned long flags = PyType_GetFlags(type);\n"
         "    name = PyObject_GetAttrString((PyObject *)type, \"__name__\");\n"
         "    if (name == NULL ||\n"
         "        ((flags & Py_TPFLAGS_HEAPTYPE) && !(flags & Py_TPFLAGS_IMMUTABLETYPE)))\n"
         "        return name;\n"
         "    module = PyObject_GetAttrString((PyObject *)type, \"__module__\");\n"
         "    if (module == NULL) {\n        Py_DECREF(name);\n        return NULL;\n    }\n"
         "    if (PyUnicode_Check(module) &&\n"
         "        PyUnicode_CompareWithASCIIString(module, \"builtins\") != 0)\n"
         "        result = PyUnicode_FromFormat(\"%U.%U\", module, name);\n"
         "    else {\n        result = name;\n        Py_INCREF(result);\n    }\n"
         "    Py_DECREF(module);\n    Py_DECREF(name);\n    return result;\n}\n\n";
}

/// Where the value of the format call goes.
enum class Use { Statement, Return, Assign, Other };

struct NameUse {
  const MemberExpr *Name;
  unsigned Arg, Spec;
  std::optional<std::string> Literal;
};

class MessageRewrite {
public:
  MessageRewrite(PortContext &Ctx, const CallExpr *Call, const StringLiteral *Format,
                 unsigned FormatIndex)
      : Ctx(Ctx), Call(Call), Format(Format), FormatIndex(FormatIndex),
        Specs(conversions(Format->getString())) {}

  void run() {
    for (unsigned I = FormatIndex + 1; I < Call->getNumArgs(); ++I)
      if (const MemberExpr *ME = typeNameArgument(Call->getArg(I))) {
        unsigned Spec = I - FormatIndex - 1;
        if (Spec >= Specs.size() || Format->getString()[Specs[Spec].second] != 's')
          return manual("the type name is not formatted with %s", std::nullopt);
        Names.push_back({ME, I, Spec, knownName(ME)});
      }
    if (Names.empty())
      return;
    bool AllKnown = llvm::all_of(Names, [](const NameUse &N) { return N.Literal.has_value(); });
    if (AllKnown)
      return replaceCall(formatText('s'), {});
    classifyUse();
    if (Kind == Use::Other)
      return manual("the call's value is used inside an expression; make the call a "
                    "statement, a return or an assignment statement and port again (%T, "
                    "3.13, prints another text for classes defined in Python)",
                    std::nullopt);
    withNameObjects();
  }

private:
  void manual(llvm::StringRef Why, std::optional<PythonVersion> From) {
    Ctx.manual(Rule, CharSourceRange::getTokenRange(Call->getSourceRange()),
               "Py_TYPE(x)->tp_name in a message: " + Why.str(), From);
  }

  /// The format with each dynamic name's conversion letter set to `Letter`.
  std::string formatText(char Letter) {
    std::string Text = Format->getString().str();
    for (auto It = Names.rbegin(); It != Names.rend(); ++It) {
      if (It->Literal)
        continue;
      Text[Specs[It->Spec].second] = Letter;
    }
    return quoted(Text);
  }

  /// The call with the format, the known names inlined, and `Dynamic` args.
  std::string callText(const std::string &FormatText,
                       const std::map<unsigned, std::string> &Dynamic) {
    std::string Out = Call->getDirectCallee()->getName().str() + "(";
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      std::optional<std::string> Text;
      if (I == FormatIndex)
        Text = FormatText;
      for (const NameUse &N : Names)
        if (N.Arg == I)
          Text = N.Literal ? quoted(*N.Literal) : Dynamic.at(I);
      // Only the arguments kept as written are rewritten text (which may
      // assume converted types).
      Out += (I ? ", " : "") + (Text ? *Text : Ctx.rewrittenText(Call->getArg(I)));
    }
    return Out + ")";
  }

  void replaceCall(const std::string &FormatText, const std::map<unsigned, std::string> &Dyn) {
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Call->getSourceRange()), Ctx.SM, Ctx.LO);
    Ctx.replaceComposed(Rule, R, callText(FormatText, Dyn));
  }

  /// A statement, `return call;`, or `lhs = call;`.
  void classifyUse() {
    DynTypedNodeList Parents = Ctx.Ctx.getParents(*Call);
    const Stmt *Child = Call;
    while (!Parents.empty() && Parents[0].get<ImplicitCastExpr>()) {
      Child = Parents[0].get<ImplicitCastExpr>();
      Parents = Ctx.Ctx.getParents(*Child);
    }
    if (Parents.empty())
      return;
    if (const auto *Ret = Parents[0].get<ReturnStmt>()) {
      Kind = Use::Return;
      Statement = Ret;
    } else if (const auto *B = Parents[0].get<BinaryOperator>();
               B && B->getOpcode() == BO_Assign && B->getRHS()->IgnoreImpCasts() == Call) {
      DynTypedNodeList Up = Ctx.Ctx.getParents(*B);
      if (!Up.empty() && Up[0].get<Stmt>() && !Up[0].get<Expr>()) {
        Kind = Use::Assign;
        Statement = B;
        Target = Ctx.rewrittenText(B->getLHS());
      }
    } else if (Parents[0].get<Stmt>() && !Parents[0].get<Expr>()) {
      Kind = Use::Statement;
      Statement = Call;
    }
  }

  void ensureHelper() {
    Ctx.insertHelperOnce(Rule, "abi3port_type_name", *Statement, typeNameHelper());
  }

  void withNameObjects() {
    ensureHelper();
    std::string Indent = Ctx.indentation(Statement->getBeginLoc());
    std::string In = Indent + "    ";
    std::map<unsigned, std::string> Dynamic;
    std::string Fetch, Release, Guard;
    unsigned Count = 0;
    for (const NameUse &N : Names) {
      if (N.Literal)
        continue;
      std::string Var = "abi3port_type_name_" + std::to_string(Count++);
      Fetch += In + "PyObject *" + Var + " = abi3port_type_name(" +
               Ctx.typeObjectText(N.Name) + ");\n";
      Release += In + "Py_XDECREF(" + Var + ");\n";
      Guard += (Guard.empty() ? "" : " && ") + Var + " != NULL";
      Dynamic[N.Arg] = Var;
    }
    std::string NewCall = callText(formatText('U'), Dynamic);
    std::string Block = "{\n" + Fetch;
    if (Kind == Use::Return && Call->getDirectCallee()->getName() == "PyUnicode_FromFormat") {
      Block += In + "PyObject *abi3port_message = NULL;\n" + In + "if (" + Guard + ")\n" + In +
               "    abi3port_message = " + NewCall + ";\n" + Release + In +
               "return abi3port_message;\n";
    } else if (Kind == Use::Assign) {
      Block += In + Target + " = NULL;\n" + In + "if (" + Guard + ")\n" + In + "    " + Target +
               " = " + NewCall + ";\n" + Release;
    } else {
      Block += In + "if (" + Guard + ")\n" + In + "    " + NewCall + ";\n" + Release;
      if (Kind == Use::Return)
        Block += In + "return NULL;\n";
    }
    Block += Indent + "}";
    SourceLocation End = Lexer::findLocationAfterToken(Ctx.fileEnd(Statement->getEndLoc()),
                                                       tok::semi, Ctx.SM, Ctx.LO, false);
    if (End.isInvalid())
      return manual("the statement's end was not found", std::nullopt);
    Ctx.replaceComposed(
        Rule, CharSourceRange::getCharRange(Ctx.fileBegin(Statement->getBeginLoc()), End),
        Block);
  }

  PortContext &Ctx;
  const CallExpr *Call;
  const StringLiteral *Format;
  unsigned FormatIndex;
  std::vector<std::pair<unsigned, unsigned>> Specs;
  std::vector<NameUse> Names;
  Use Kind = Use::Other;
  const Stmt *Statement = nullptr;
  std::string Target;
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
    const auto *Format =
        dyn_cast<StringLiteral>(Call->getArg(FormatIndex)->IgnoreParenImpCasts());
    if (!Format) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(Call->getSourceRange()),
                 "Py_TYPE(x)->tp_name in a message whose format is not a string literal; "
                 "format the type's name as CPython keeps it in tp_name (%T, 3.13, prints "
                 "another text for classes defined in Python)",
                 std::nullopt);
      continue;
    }
    MessageRewrite(Ctx, Call, Format, FormatIndex).run();
  }
}

} // namespace abi3port
