//===- DatetimeApi.cpp - rule `datetime-api` ------------------------------===//
///
/// Rewrites: the datetime C API (<datetime.h>, which has no Limited API form
/// at any version) through the datetime module's Python objects, kept in a
/// per-file cache as `PyDateTimeAPI` is. The names and their forms are data:
/// api/DatetimeApi.def.
/// \code
///   PyDateTime_IMPORT;                 ->  ABI3PORT_DATETIME_IMPORT();
///   if (!PyDateTimeAPI)                ->  if (!abi3port_datetime.module)
///   PyDate_Check(o)                    ->  PyObject_TypeCheck((PyObject *)(o),
///                                              (PyTypeObject *)abi3port_datetime.date)
///   PyDate_FromDate(y, m, d)           ->  PyObject_CallFunction(abi3port_datetime.date,
///                                              "iii", (int)(y), (int)(m), (int)(d))
///   PyDateTime_GET_YEAR(o)             ->  abi3port_datetime_int(abi3port_datetime.date,
///                                              (PyObject *)(o), "year")
///   PyDateTimeAPI->DateTimeType        ->  ((PyTypeObject *)abi3port_datetime.datetime)
/// \endcode
/// `ABI3PORT_DATETIME_IMPORT()` is `abi3port_datetime_import()` in a Limited
/// API build, and in a full-API build also still `PyDateTime_IMPORT`: any use
/// of the C API left as written (a name without a row, a site left manual,
/// code only the full build compiles) still finds PyDateTimeAPI set.
/// Semantics: the type checks are the macros' own test (PyObject_TypeCheck,
/// not isinstance: no __instancecheck__); constructors call the exact type,
/// as the C functions build it; a field is read through the base type's
/// descriptor, so a subclass's property does not change the answer. The
/// cost is a Python-level call where the macro read a struct field: each
/// file that gets the helper gets one non-blocking report line saying so.
///
/// Leaves for manual change: the capsule's structs (`PyDateTime_DateTime *`
/// and their fields such as `hastzinfo`: opaque, reported by the audit);
/// capsule functions without a row, or with a type argument other than the
/// exact type; uses inside the project's own macros.
///
/// Requires: 3.2 (PyImport_ImportModule, PyObject_CallFunction).
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include <set>

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "datetime-api";

struct DatetimeRow {
  llvm::StringRef Name, Template, Requires, Note;
};

const DatetimeRow *datetimeRow(llvm::StringRef Name) {
  static const DatetimeRow Rows[] = {
#define DATETIME(NAME, TEMPLATE, REQUIRES, NOTE) {NAME, TEMPLATE, REQUIRES, NOTE},
#include "transforms/api/DatetimeApi.def"
  };
  for (const DatetimeRow &Row : Rows)
    if (Row.Name == Name)
      return &Row;
  return nullptr;
}

/// The helpers, each inserted (once per file) only where a rewrite uses it:
/// an unused static function would be a new warning.
const char *CacheHelper =
    "/* abi3port: the datetime C API from the datetime module's objects (the\n"
    "   capsule API is outside the Limited API). One cache per file, filled by\n"
    "   abi3port_datetime_import() where PyDateTime_IMPORT was, process-wide as\n"
    "   PyDateTimeAPI is. */\n"
    "static struct abi3port_datetime_cache {\n"
    "    PyObject *module, *date, *datetime, *time, *delta, *tzinfo, *timezone, *utc;\n"
    "} abi3port_datetime;\n";

const char *ImportHelper =
    "/* Where PyDateTime_IMPORT was. The full-API build still sets PyDateTimeAPI\n"
    "   too, for any use of the C API left as written. */\n"
    "#ifdef Py_LIMITED_API\n"
    "#define ABI3PORT_DATETIME_IMPORT() abi3port_datetime_import()\n"
    "#else\n"
    "#define ABI3PORT_DATETIME_IMPORT() (PyDateTime_IMPORT, abi3port_datetime_import())\n"
    "#endif\n"
    "\n"
    "static int\n"
    "abi3port_datetime_import(void)\n"
    "{\n"
    "    PyObject *m;\n"
    "    if (abi3port_datetime.module != NULL)\n"
    "        return 0;\n"
    "    m = PyImport_ImportModule(\"datetime\");\n"
    "    if (m == NULL)\n"
    "        return -1;\n"
    "    abi3port_datetime.date = PyObject_GetAttrString(m, \"date\");\n"
    "    abi3port_datetime.datetime = PyObject_GetAttrString(m, \"datetime\");\n"
    "    abi3port_datetime.time = PyObject_GetAttrString(m, \"time\");\n"
    "    abi3port_datetime.delta = PyObject_GetAttrString(m, \"timedelta\");\n"
    "    abi3port_datetime.tzinfo = PyObject_GetAttrString(m, \"tzinfo\");\n"
    "    abi3port_datetime.timezone = PyObject_GetAttrString(m, \"timezone\");\n"
    "    abi3port_datetime.utc = abi3port_datetime.timezone\n"
    "        ? PyObject_GetAttrString(abi3port_datetime.timezone, \"utc\") : NULL;\n"
    "    if (!abi3port_datetime.date || !abi3port_datetime.datetime || !abi3port_datetime.time ||\n"
    "        !abi3port_datetime.delta || !abi3port_datetime.tzinfo || !abi3port_datetime.utc) {\n"
    "        Py_CLEAR(abi3port_datetime.date);\n"
    "        Py_CLEAR(abi3port_datetime.datetime);\n"
    "        Py_CLEAR(abi3port_datetime.time);\n"
    "        Py_CLEAR(abi3port_datetime.delta);\n"
    "        Py_CLEAR(abi3port_datetime.tzinfo);\n"
    "        Py_CLEAR(abi3port_datetime.timezone);\n"
    "        Py_CLEAR(abi3port_datetime.utc);\n"
    "        Py_DECREF(m);\n"
    "        return -1;\n"
    "    }\n"
    "    abi3port_datetime.module = m;\n"
    "    return 0;\n"
    "}\n";

const char *IntHelper =
    "/* type.field of obj through the base type's descriptor, as the macro reads\n"
    "   the C field whatever a subclass defines; -1 with an exception on error. */\n"
    "static int\n"
    "abi3port_datetime_int(PyObject *type, PyObject *obj, const char *field)\n"
    "{\n"
    "    PyObject *descr = PyObject_GetAttrString(type, field), *value;\n"
    "    long n;\n"
    "    if (descr == NULL)\n"
    "        return -1;\n"
    "    value = PyObject_CallMethod(descr, \"__get__\", \"O\", obj);\n"
    "    Py_DECREF(descr);\n"
    "    if (value == NULL)\n"
    "        return -1;\n"
    "    n = PyLong_AsLong(value);\n"
    "    Py_DECREF(value);\n"
    "    return (int)n;\n"
    "}\n";

const char *BorrowedHelper =
    "/* type.field of obj through the base type's descriptor; borrowed, as the\n"
    "   macro's (obj keeps its own reference). */\n"
    "static PyObject *\n"
    "abi3port_datetime_borrowed(PyObject *type, PyObject *obj, const char *field)\n"
    "{\n"
    "    PyObject *descr = PyObject_GetAttrString(type, field), *value;\n"
    "    if (descr == NULL)\n"
    "        return NULL;\n"
    "    value = PyObject_CallMethod(descr, \"__get__\", \"O\", obj);\n"
    "    Py_DECREF(descr);\n"
    "    Py_XDECREF(value);\n"
    "    return value;\n"
    "}\n";

const char *CallHelper =
    "/* type.method(*args), as the capsule's class-method functions. */\n"
    "static PyObject *\n"
    "abi3port_datetime_call(PyObject *type, const char *method, PyObject *args)\n"
    "{\n"
    "    PyObject *f = PyObject_GetAttrString(type, method), *result;\n"
    "    if (f == NULL)\n"
    "        return NULL;\n"
    "    result = PyObject_Call(f, args, NULL);\n"
    "    Py_DECREF(f);\n"
    "    return result;\n"
    "}\n";

/// The helpers after the cache, in the order they are written, with the
/// call that needs each.
constexpr std::pair<llvm::StringLiteral, const char *const *> HelperPieces[] = {
    {"ABI3PORT_DATETIME_IMPORT(", &ImportHelper},
    {"abi3port_datetime_int(", &IntHelper},
    {"abi3port_datetime_borrowed(", &BorrowedHelper},
    {"abi3port_datetime_call(", &CallHelper}};

/// The template with `$N` replaced by the arguments' texts; nullopt when an
/// argument it names is missing.
std::optional<std::string> instantiate(llvm::StringRef Template,
                                       const std::vector<std::string> &Args) {
  std::string Out;
  for (size_t I = 0; I < Template.size(); ++I) {
    if (Template[I] != '$' || I + 1 == Template.size() || !llvm::isDigit(Template[I + 1])) {
      Out += Template[I];
      continue;
    }
    size_t N = Template[++I] - '0';
    if (N == 0 || N > Args.size())
      return std::nullopt;
    Out += Args[N - 1];
  }
  return Out;
}

/// `$N=TEXT`: argument N must be exactly TEXT (spaces ignored).
bool requirementHolds(llvm::StringRef Requires, const std::vector<std::string> &Args) {
  if (Requires.empty())
    return true;
  auto [Index, Want] = Requires.drop_front().split('=');
  unsigned N = 0;
  if (Index.getAsInteger(10, N) || N == 0 || N > Args.size())
    return false;
  std::string Got;
  for (char C : Args[N - 1])
    if (!llvm::isSpace(C))
      Got += C;
  return Got == Want;
}

/// One use of the datetime API to rewrite: the file range it replaces and
/// its arguments' file ranges (their text is read when the site is
/// rewritten, so sites nested in the arguments are rewritten first).
struct DatetimeSite {
  const DatetimeRow *Row;
  CharSourceRange Range;
  std::vector<CharSourceRange> Args;
  const Stmt *User;
};

class DatetimeRewriter : public RecursiveASTVisitor<DatetimeRewriter> {
public:
  explicit DatetimeRewriter(PortContext &Ctx) : Ctx(Ctx) {}

  /// The function-like macros (PyDate_Check(o), PyDateTime_GET_YEAR(o)...),
  /// also inside the arguments of CPython's macros (Py_INCREF(...)).
  void collectMacroCalls() {
    for (const ApiReference &Ref : Ctx.references()) {
      const DatetimeRow *Row = Ref.IsMacro ? datetimeRow(Ref.Name) : nullptr;
      if (!Row)
        continue;
      SourceLocation Name = Ref.NameRange.getBegin(); // where the user wrote it
      std::optional<std::vector<CharSourceRange>> Args =
          Ref.InsideUserMacro ? argumentsAfter(Name) : Ref.Args;
      const Stmt *User = Ref.Expansion ? Ref.Expansion : containingExpansion(Name);
      if (!Args || !User || !Ctx.Files.isUser(Name) || inUserMacroBody(Ref)) {
        Ctx.manual(Rule, CharSourceRange::getTokenRange(
                             Ctx.SM.getExpansionLoc(Ref.WholeRange.getBegin())),
                   Ref.Name + " is used inside a macro of this project (or outside an "
                              "expression); rewrite it by hand through the datetime module",
                   std::nullopt);
        continue;
      }
      SourceLocation End = Args->empty() ? Name : closingParen(Args->back().getEnd());
      add({Row, CharSourceRange::getTokenRange(Name, End), *Args, User});
    }
  }

  /// `PyDateTimeAPI` itself: spelled by the user, or in an object-like
  /// macro (PyDateTime_IMPORT, PyDateTime_TimeZone_UTC).
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const auto *V = dyn_cast<VarDecl>(E->getDecl());
    if (!V || V->getName() != "PyDateTimeAPI" || !Ctx.Files.isPython(V->getLocation()))
      return true;
    SourceLocation Loc = E->getLocation();
    if (Loc.isMacroID() && !Ctx.SM.isMacroArgExpansion(Loc))
      return objectLikeMacro(E);
    if (!Ctx.Files.isUser(Ctx.SM.getFileLoc(Loc)))
      return true; // spelled by the user, maybe in an argument of CPython's macro
    const auto *Member = parentAs<MemberExpr>(E);
    if (!Member) {
      add({datetimeRow("PyDateTimeAPI"), CharSourceRange::getTokenRange(Ctx.SM.getFileLoc(Loc)), {},
           E});
      return true;
    }
    std::string Name = "PyDateTimeAPI->" + Member->getMemberDecl()->getName().str();
    const DatetimeRow *Row = datetimeRow(Name);
    const auto *Call = parentAs<CallExpr>(Member);
    bool Callee = Call && Call->getCallee()->IgnoreParenImpCasts() == Member;
    bool Field = Row && !Row->Template.contains('$');
    if (Row && Callee && !Field) {
      std::vector<CharSourceRange> Args;
      for (const Expr *A : Call->arguments())
        Args.push_back(Lexer::makeFileCharRange(
            CharSourceRange::getTokenRange(A->getSourceRange()), Ctx.SM, Ctx.LO));
      add({Row, CharSourceRange::getTokenRange(Call->getSourceRange()), Args, Call});
    } else if (Field && !Callee) {
      add({Row, CharSourceRange::getTokenRange(Member->getSourceRange()), {}, Member});
    } else {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(Member->getSourceRange()),
                 Name + " has no rewrite through the datetime module; port it by hand",
                 std::nullopt);
      if (Callee) // its arguments stay as written too
        Blocked.push_back(Lexer::makeFileCharRange(
            CharSourceRange::getTokenRange(Call->getSourceRange()), Ctx.SM, Ctx.LO));
    }
    return true;
  }

  /// Rewrites the sites, innermost first; then, per file, inserts the
  /// helpers the rewrites call (the cache first) before the first of them,
  /// with one report line on the cost.
  void finish() {
    std::stable_sort(Sites.begin(), Sites.end(), [&](const DatetimeSite &A, const DatetimeSite &B) {
      return length(A.Range) < length(B.Range);
    });
    for (const DatetimeSite &S : Sites)
      if (llvm::none_of(Blocked, [&](CharSourceRange B) {
            return B.isValid() && Ctx.SM.isPointWithin(S.Range.getBegin(), B.getBegin(), B.getEnd());
          }))
        apply(S);
    for (auto &[File, H] : Helpers) {
      std::string Text = CacheHelper;
      for (size_t Piece : H.Pieces)
        Text += std::string("\n") + *HelperPieces[Piece].second;
      Ctx.insertHelperOnce(Rule, "abi3port_datetime", *H.FirstUser, Text);
      // At the function of the first site: the site itself is rewritten.
      const FunctionDecl *Function = Ctx.enclosingFunction(*H.FirstUser);
      CharSourceRange Where =
          Function ? CharSourceRange::getTokenRange(Ctx.fileBegin(Function->getLocation()))
                   : H.FirstSite;
      Finding &F = Ctx.manual(Rule, Where,
                              std::to_string(H.Sites) +
                                  " datetime C API site(s) in this file now go through the "
                                  "datetime module's Python objects: a Python-level call or "
                                  "lookup where the macro read a struct field or called C "
                                  "(slower; the results are the same)",
                              PythonVersion{3, 2});
      F.Blocker = false;
    }
  }

private:
  template <typename T> const T *parentAs(const Stmt *S) {
    DynTypedNodeList Parents = Ctx.Ctx.getParents(*S);
    while (!Parents.empty()) {
      if (const auto *Hit = Parents[0].get<T>())
        return Hit;
      const auto *E = Parents[0].get<Expr>();
      if (!E || !isa<ImplicitCastExpr, ParenExpr>(E))
        return nullptr;
      Parents = Ctx.Ctx.getParents(*E);
    }
    return nullptr;
  }

  unsigned length(CharSourceRange R) const {
    CharSourceRange F = Lexer::makeFileCharRange(R, Ctx.SM, Ctx.LO);
    return F.isValid() ? Ctx.SM.getFileOffset(F.getEnd()) - Ctx.SM.getFileOffset(F.getBegin())
                       : 0;
  }

  /// Ranges become file ranges (a site may be an argument of CPython's macro).
  void add(DatetimeSite S) {
    S.Range = Lexer::makeFileCharRange(S.Range, Ctx.SM, Ctx.LO);
    for (CharSourceRange &A : S.Args)
      A = Lexer::makeFileCharRange(A, Ctx.SM, Ctx.LO);
    if (S.Range.isValid() &&
        Seen.insert({S.Range.getBegin().getRawEncoding(), length(S.Range)}).second)
      Sites.push_back(std::move(S));
  }

  /// The expression of the CPython macro whose argument holds `Loc` (a
  /// reference nested in another has none of its own).
  const Stmt *containingExpansion(SourceLocation Loc) const {
    for (const ApiReference &Outer : Ctx.references()) {
      if (!Outer.Expansion || Outer.InsideUserMacro)
        continue;
      CharSourceRange R = Lexer::makeFileCharRange(Outer.WholeRange, Ctx.SM, Ctx.LO);
      if (R.isValid() && Ctx.SM.isPointWithin(Loc, R.getBegin(), R.getEnd()))
        return Outer.Expansion;
    }
    return nullptr;
  }

  /// A reference whose name token is written in the body of a project macro
  /// (not in an argument of CPython's macro).
  bool inUserMacroBody(const ApiReference &Ref) const {
    return Ref.InsideUserMacro && !Ctx.SM.isMacroArgExpansion(Ref.WholeRange.getBegin());
  }

  /// The arguments of the call whose name token is at `Name` (a file
  /// location), split at top-level commas; nullopt without parentheses.
  std::optional<std::vector<CharSourceRange>> argumentsAfter(SourceLocation Name) const {
    Token Tok;
    SourceLocation L = Lexer::getLocForEndOfToken(Name, 0, Ctx.SM, Ctx.LO);
    if (Lexer::getRawToken(L, Tok, Ctx.SM, Ctx.LO, /*IgnoreWhiteSpace=*/true) ||
        Tok.isNot(tok::l_paren))
      return std::nullopt;
    std::vector<CharSourceRange> Args;
    SourceLocation ArgBegin, Last;
    for (int Depth = 0;;) {
      L = Lexer::getLocForEndOfToken(Tok.getLocation(), 0, Ctx.SM, Ctx.LO);
      if (Lexer::getRawToken(L, Tok, Ctx.SM, Ctx.LO, true) || Tok.is(tok::eof))
        return std::nullopt;
      bool Closes = Tok.is(tok::r_paren) && Depth == 0;
      if ((Closes || (Tok.is(tok::comma) && Depth == 0))) {
        if (ArgBegin.isValid())
          Args.push_back(CharSourceRange::getTokenRange(ArgBegin, Last));
        ArgBegin = {};
        if (Closes)
          return Args;
        continue;
      }
      Depth += Tok.isOneOf(tok::l_paren, tok::l_square, tok::l_brace);
      Depth -= Tok.isOneOf(tok::r_paren, tok::r_square, tok::r_brace);
      if (ArgBegin.isInvalid())
        ArgBegin = Tok.getLocation();
      Last = Tok.getLocation();
    }
  }

  /// The `)` after the last argument's end.
  SourceLocation closingParen(SourceLocation ArgEnd) const {
    Token Tok;
    SourceLocation L = Lexer::getLocForEndOfToken(ArgEnd, 0, Ctx.SM, Ctx.LO);
    if (Lexer::getRawToken(L, Tok, Ctx.SM, Ctx.LO, true))
      return ArgEnd;
    return Tok.getLocation();
  }

  /// An object-like datetime macro somewhere up the expansion chain of
  /// `PyDateTimeAPI`, whose name the user wrote.
  bool objectLikeMacro(const DeclRefExpr *E) {
    for (SourceLocation L = E->getLocation(); L.isMacroID();
         L = Ctx.SM.getImmediateMacroCallerLoc(L)) {
      if (Ctx.SM.isMacroArgExpansion(L))
        continue;
      SourceLocation Written = Ctx.SM.getImmediateExpansionRange(L).getBegin();
      if (Written.isMacroID() && !Ctx.SM.isMacroArgExpansion(Written))
        return true; // written in another macro's body (ours: ABI3PORT_DATETIME_IMPORT)
      SourceLocation Use = Ctx.SM.getSpellingLoc(Written);
      llvm::StringRef Name = Lexer::getImmediateMacroName(L, Ctx.SM, Ctx.LO);
      const DatetimeRow *Row = datetimeRow(Name);
      if (!Row || Row->Template.contains('$') || !Ctx.Files.isUser(Use))
        continue; // a function-like row: collectMacroCalls has it
      add({Row, CharSourceRange::getTokenRange(Use), {}, E});
      return true;
    }
    return true;
  }

  void apply(const DatetimeSite &S) {
    std::vector<std::string> Args, Written;
    for (CharSourceRange A : S.Args) {
      Args.push_back(Ctx.rewrittenRange(A));
      Written.push_back(Ctx.text(Lexer::makeFileCharRange(A, Ctx.SM, Ctx.LO)));
    }
    const DatetimeRow &Row = *S.Row;
    std::optional<std::string> Text = instantiate(Row.Template, Args);
    if (!Text || !requirementHolds(Row.Requires, Written)) {
      Ctx.manual(Rule, S.Range,
                 Row.Name.str() + (Text ? " with a type argument other than the exact type ("
                                          + Row.Requires.drop_front(3).str() + ")"
                                        : " with other arguments than expected") +
                     ": the datetime module's constructor builds the exact type; port it by "
                     "hand",
                 std::nullopt);
      return;
    }
    Ctx.replaceComposed(Rule, S.Range, *Text);
    SourceLocation At = Ctx.fileBegin(S.Range.getBegin());
    HelpersOfFile &H = Helpers[canonicalPath(Ctx.SM.getFilename(At))];
    if (!H.Sites++ || Ctx.SM.isBeforeInTranslationUnit(At, H.FirstSite.getBegin())) {
      H.FirstSite = CharSourceRange::getTokenRange(At);
      H.FirstUser = S.User;
    }
    for (size_t Piece = 0; Piece < std::size(HelperPieces); ++Piece)
      if (llvm::StringRef(*Text).contains(HelperPieces[Piece].first))
        H.Pieces.insert(Piece);
  }

  /// Per file: which helpers the rewrites call, and the first rewrite.
  struct HelpersOfFile {
    unsigned Sites = 0;
    CharSourceRange FirstSite;
    const Stmt *FirstUser = nullptr;
    std::set<size_t> Pieces; ///< indices into HelperPieces
  };

  PortContext &Ctx;
  std::vector<DatetimeSite> Sites;
  std::vector<CharSourceRange> Blocked; ///< calls left manual, arguments included
  std::set<std::pair<unsigned, unsigned>> Seen; ///< sites by (begin, length)
  std::map<std::string, HelpersOfFile> Helpers;
};

} // namespace

void datetimeApi(PortContext &Ctx) {
  DatetimeRewriter Rewriter(Ctx);
  Rewriter.collectMacroCalls();
  traverseParsedDecls(Rewriter, Ctx.Ctx);
  Rewriter.finish();
}

} // namespace abi3port
