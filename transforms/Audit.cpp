#include "transforms/Audit.h"
#include "transforms/StringifiedArguments.h"
#include "transforms/ParsedDecls.h"
#include "transforms/PythonFreeFiles.h"
#include "transforms/Registry.h"
#include "transforms/SourceMapping.h"
#include "transforms/api/PrivateHelpers.h"
#include "transforms/rules/CLibraryHeaders.h"
#include "transforms/rules/UncastObjectArguments.h"
#include "transforms/types/TypeObjectAnalysis.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"
#include <set>

using namespace clang;

namespace abi3port {
namespace {

//===----------------------------------------------------------------------===//
// Shared state of one translation unit's audit
//===----------------------------------------------------------------------===//

/// Where findings go, plus the classification every check needs.
class AuditSink {
public:
  AuditSink(const ApiKnowledge &Knowledge, const AuditOptions &Options,
            SourceManager &SM, const LangOptions &LO, std::vector<Finding> &Out)
      : Knowledge(Knowledge), Target(Knowledge.target()),
        Files(SM, Options.PythonIncludeDir), SM(SM), LO(LO), Out(Out) {}

  const ApiKnowledge &Knowledge;
  const PythonVersion Target;
  FileClassifier Files;
  SourceManager &SM;
  const LangOptions &LO;
  SharedStaticTypes *StaticTypes = nullptr; ///< the port's, when it audits in its parse

  /// A token the user wrote: its spelling is in a user file.
  bool spelledByUser(SourceLocation Loc) const {
    return Loc.isValid() && Files.isUser(SM.getSpellingLoc(Loc));
  }

  Finding &report(llvm::StringRef Rule, CharSourceRange Range, std::string Message) {
    Finding F;
    F.Pos = positionOf(SM, LO, Range);
    F.Rule = Rule.str();
    F.Message = std::move(Message);
    Out.push_back(std::move(F));
    return Out.back();
  }

  /// The range the user sees for a token: its own spelling when it is
  /// written in the file, else the whole macro invocation that produced it.
  CharSourceRange userRange(SourceLocation Begin, SourceLocation End) const {
    if (Begin.isFileID() && End.isFileID())
      return CharSourceRange::getTokenRange(Begin, End);
    if (SM.isMacroArgExpansion(Begin) && SM.isMacroArgExpansion(End)) {
      SourceLocation B = SM.getSpellingLoc(Begin), E = SM.getSpellingLoc(End);
      if (Files.isUser(B) && SM.getFileID(B) == SM.getFileID(E))
        return CharSourceRange::getTokenRange(B, E);
    }
    return CharSourceRange::getTokenRange(SM.getExpansionRange(Begin).getBegin(),
                                          SM.getExpansionRange(End).getEnd());
  }

  /// Reports a CPython name the user spelled, unless the target has it.
  void classifyName(llvm::StringRef Name, CharSourceRange Range, llvm::StringRef What) {
    if (Name.starts_with("_Py")) {
      reportPrivate(Name, Range);
      return;
    }
    Availability A = Knowledge.lookup(Name);
    if (A.Available)
      return;
    std::string Message = "'" + Name.str() + "' (" + What.str() +
                          ") is not in the Limited API for " + Target.str();
    if (A.AvailableFrom)
      Message += "; it is from " + A.AvailableFrom->str();
    Finding &F = report("non-limited-api", Range, "");
    F.MinVersion = A.AvailableFrom;
    if (const ApiReplacement *R = A.Replacement) {
      Message += "; use " + R->Replacement.str() + " (" + R->Since.str() + ")";
      if (!R->Note.empty())
        Message += ": " + R->Note.str();
      F.Replacement = R->Replacement.str();
      if (!F.MinVersion || R->Since < *F.MinVersion)
        F.MinVersion = R->Since;
      F.Fixable = !R->FixRule.empty() && R->Since <= Target &&
                  portCanFix(R->FixRule, Target);
      if (F.Fixable)
        F.Rule = R->FixRule.str();
    }
    F.Message = std::move(Message);
  }

  void reportPrivate(llvm::StringRef Name, CharSourceRange Range) {
    Finding &F = report("private-api", Range,
                        "'" + Name.str() +
                            "' is a private CPython API: no stability promise, "
                            "not in the Limited API; replace it with public calls");
    F.Blocker = !Knowledge.surface().defines(Name);
    const PrivateHelper *Row = privateHelper(Name); // what rules/PrivateApi.cpp rewrites
    F.Fixable = Row && portCanFix("private-api", Target);
    if (F.Fixable) {
      F.MinVersion = PythonVersion{3, 2};
      F.Replacement = Row->PublicSince && Target >= *Row->PublicSince ? Row->PublicName.str()
                                                                     : Row->Replacement.str();
    }
  }

  /// Every finding so far, of every unit this sink's output collects.
  std::vector<Finding> &findings() { return Out; }

private:
  std::vector<Finding> &Out;
};

//===----------------------------------------------------------------------===//
// Preprocessor: macros, includes, Py_LIMITED_API
//===----------------------------------------------------------------------===//

/// Names that structmember.h defines in the old spelling (Py_T_* from 3.12).
bool isOldStructmemberName(llvm::StringRef Name) {
  return (Name.starts_with("T_") && Name != "T_") || Name == "READONLY" ||
         Name == "READ_RESTRICTED" || Name == "PY_WRITE_RESTRICTED" ||
         Name == "RESTRICTED";
}

class AuditPPCallbacks : public PPCallbacks {
public:
  AuditPPCallbacks(AuditSink &Sink, Preprocessor &PP) : Sink(Sink), PP(PP) {}

  void MacroExpands(const Token &NameTok, const MacroDefinition &MD,
                    SourceRange Range, const MacroArgs *) override {
    const MacroInfo *MI = MD.getMacroInfo();
    if (!MI || !Sink.Files.isPython(MI->getDefinitionLoc()) ||
        !Sink.spelledByUser(NameTok.getLocation()))
      return;
    llvm::StringRef Name = NameTok.getIdentifierInfo()->getName();
    CharSourceRange UserRange = Sink.userRange(Range.getBegin(), Range.getEnd());
    if (Name == "PyModule_Create" || Name == "PyModule_Create2") {
      reportSinglePhase(UserRange);
      return;
    }
    if (isOldStructmemberName(Name) &&
        Sink.Files.isStructmemberHeader(MI->getDefinitionLoc())) {
      reportStructmember(Name, UserRange);
      return;
    }
    size_t Before = Sink.findings().size();
    Sink.classifyName(Name, UserRange, "macro");
    SourceLocation NameLoc = NameTok.getLocation();
    if (NameLoc.isMacroID() && Sink.findings().size() > Before)
      Sink.findings().back().SpelledAt = positionOf(
          Sink.SM, Sink.LO, CharSourceRange::getTokenRange(Sink.SM.getSpellingLoc(NameLoc)));
  }

  void InclusionDirective(SourceLocation HashLoc, const Token &, llvm::StringRef FileName,
                          bool, CharSourceRange FilenameRange, OptionalFileEntryRef File,
                          llvm::StringRef, llvm::StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    if (!Sink.Files.isUser(HashLoc))
      return;
    CharSourceRange Line = CharSourceRange::getCharRange(HashLoc, FilenameRange.getEnd());
    if (FileName == "Python.h" && Sink.SM.isInMainFile(HashLoc) && PythonHInclude.isInvalid())
      PythonHInclude = HashLoc;
    bool Internal = FileName.starts_with("cpython/") || FileName.starts_with("internal/");
    if (!Internal && File && Sink.Files.isPythonPath(File->getFileEntry().tryGetRealPathName()))
      Internal = File->getName().contains("/cpython/") || File->getName().contains("/internal/");
    if (Internal) {
      Sink.report("cpython-header", Line,
                  "'" + FileName.str() +
                      "' is a CPython implementation header, outside the Limited API; "
                      "include <Python.h> only");
      return;
    }
    if (FileName == "structmember.h" && Sink.Target >= PythonVersion{3, 12})
      reportStructmember("structmember.h", Line);
  }

  void MacroDefined(const Token &NameTok, const MacroDirective *MD) override {
    if (NameTok.getIdentifierInfo()->getName() != "Py_LIMITED_API")
      return;
    SourceLocation Loc = NameTok.getLocation();
    LimitedDefine = Loc;
    LimitedDefineAfterPythonH = PythonHInclude.isValid();
    LimitedValue = readValue(MD->getMacroInfo());
  }

  void EndOfMainFile() override { checkLimitedApiMacro(); }

private:
  void reportSinglePhase(CharSourceRange Range) {
    Finding &F = Sink.report(
        "single-phase-init", Range,
        "single-phase initialisation with PyModule_Create keeps one module object "
        "per process; use multi-phase init (PyModuleDef_Init with a Py_mod_exec slot)");
    F.Blocker = false;
    F.MinVersion = PythonVersion{3, 5};
    F.Replacement = "PyModuleDef_Init";
    F.Fixable = portCanFix("single-phase-init", Sink.Target);
  }

  void reportStructmember(llvm::StringRef Name, CharSourceRange Range) {
    if (Sink.Target < PythonVersion{3, 12})
      return;
    std::string Replacement =
        Name == "structmember.h"      ? "the Py_T_* names in <Python.h>"
        : Name == "T_OBJECT"          ? "Py_T_OBJECT_EX (it raises AttributeError for NULL "
                                        "instead of returning None)"
        : Name == "T_NONE"            ? "nothing: the member type is deprecated"
        : Name.starts_with("T_")      ? "Py_" + Name.str()
        : Name == "READONLY"          ? "Py_READONLY"
        : Name == "PY_WRITE_RESTRICTED" ? "nothing: the flag has no effect"
                                        : "Py_AUDIT_READ";
    Finding &F = Sink.report("structmember-names", Range,
                             "'" + Name.str() + "' is deprecated at " + Sink.Target.str() +
                                 "; use " + Replacement);
    F.Blocker = false;
    F.MinVersion = PythonVersion{3, 12};
    F.Replacement = Replacement;
    F.Fixable = portCanFix("structmember-names", Sink.Target);
  }

  std::optional<unsigned long long> readValue(const MacroInfo *MI) {
    if (!MI || MI->getNumTokens() != 1)
      return std::nullopt;
    unsigned long long Value = 0;
    std::string Text = PP.getSpelling(MI->getReplacementToken(0));
    llvm::StringRef Digits = llvm::StringRef(Text).rtrim("uUlL");
    if (Digits.getAsInteger(0, Value))
      return std::nullopt;
    return Value;
  }

  void checkLimitedApiMacro() {
    SourceManager &SM = Sink.SM;
    SourceLocation MainStart = SM.getLocForStartOfFile(SM.getMainFileID());
    bool FromCommandLine = LimitedDefine.isValid() && !SM.isInMainFile(LimitedDefine) &&
                           !Sink.Files.isUser(LimitedDefine);
    std::string Wanted = "#define Py_LIMITED_API " + Sink.Target.hexString();
    auto Report = [&](SourceLocation At, std::string Message) {
      Finding &F = Sink.report("limited-api-macro", CharSourceRange::getTokenRange(At, At),
                               std::move(Message));
      F.MinVersion = OldestTarget; // a definition is possible at every target
      F.Replacement = Wanted;
      F.Blocker = false;
      F.Fixable = true;
    };
    if (LimitedDefine.isInvalid()) {
      SourceLocation At = PythonHInclude.isValid() ? PythonHInclude : MainStart;
      Report(At, "Py_LIMITED_API is not defined; add '" + Wanted +
                     "' before the first #include <Python.h>");
      return;
    }
    if (FromCommandLine)
      return; // the build defines it; its value is the build's business
    if (LimitedDefineAfterPythonH) {
      Report(LimitedDefine, "Py_LIMITED_API is defined after <Python.h> was included, "
                            "so the full API was used; move it before the first include");
      return;
    }
    if (!LimitedValue) { // `#define Py_LIMITED_API` alone means 3.2
      Report(LimitedDefine, "Py_LIMITED_API has no value, which means 3.2; the target is " +
                                Sink.Target.str() + " (" + Sink.Target.hexString() + ")");
      return;
    }
    if (PythonVersion::fromHex(*LimitedValue) != Sink.Target)
      Report(LimitedDefine, "Py_LIMITED_API is " +
                                PythonVersion::fromHex(*LimitedValue).hexString() +
                                " but the target is " + Sink.Target.str() + " (" +
                                Sink.Target.hexString() + ")");
  }

  AuditSink &Sink;
  Preprocessor &PP;
  SourceLocation PythonHInclude;
  SourceLocation LimitedDefine;
  bool LimitedDefineAfterPythonH = false;
  std::optional<unsigned long long> LimitedValue;
};

//===----------------------------------------------------------------------===//
// AST: names, fields, definitions, globals
//===----------------------------------------------------------------------===//

/// Format functions whose `%s` argument may be `Py_TYPE(x)->tp_name`.
bool isFormatFunction(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("PyErr_Format", "PyErr_FormatV", "PyUnicode_FromFormat",
             "PyUnicode_FromFormatV", "PyErr_WarnFormat", "PyBytes_FromFormat", true)
      .Cases("PyErr_WarnExplicitFormat", "PyErr_ResourceWarning", true)
      .Default(false);
}

bool isTypeSubStruct(llvm::StringRef Record) {
  return llvm::StringSwitch<bool>(Record)
      .Cases("_typeobject", "PyTypeObject", "PyNumberMethods", "PySequenceMethods", true)
      .Cases("PyMappingMethods", "PyAsyncMethods", "PyBufferProcs", true)
      .Default(false);
}

class AuditVisitor : public RecursiveASTVisitor<AuditVisitor> {
public:
  AuditVisitor(AuditSink &Sink, ASTContext &Ctx) : Sink(Sink), Ctx(Ctx) {}

  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier())
      return true;
    if (isFormatFunction(Callee->getName())) {
      bool Rewritable = portRewritesMessage(Call, Callee->getName());
      for (const Expr *Arg : Call->arguments())
        if (const auto *ME = dyn_cast<MemberExpr>(Arg->IgnoreParenImpCasts()))
          TypeNamesInMessages[ME] = Rewritable;
    }
    checkUncastObjectArguments(Call, Callee);
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const ValueDecl *D = E->getDecl();
    if (!D->getIdentifier() || !Sink.Files.isPython(D->getLocation()) ||
        !Sink.spelledByUser(E->getLocation()))
      return true;
    if (const auto *V = dyn_cast<VarDecl>(D); V && V->isLocalVarDeclOrParm())
      return true; // declared in the user's function by a CPython macro (`_save`)
    if (D->getName() == "PyModule_Create2") {
      return true; // reported with the macro, see AuditPPCallbacks
    }
    Sink.classifyName(D->getName(), Sink.userRange(E->getBeginLoc(), E->getEndLoc()),
                      isa<FunctionDecl>(D) ? "function" : "data");
    return true;
  }

  bool VisitTypedefTypeLoc(TypedefTypeLoc TL) {
    const TypedefNameDecl *D = TL.getTypedefNameDecl();
    if (Sink.Files.isPython(D->getLocation()) && Sink.spelledByUser(TL.getNameLoc()))
      classifyType(D->getName(), TL.getNameLoc());
    return true;
  }

  bool VisitTagTypeLoc(TagTypeLoc TL) {
    const TagDecl *D = TL.getDecl();
    if (D->getIdentifier() && Sink.Files.isPython(D->getLocation()) &&
        Sink.spelledByUser(TL.getNameLoc()))
      classifyType(D->getName(), TL.getNameLoc());
    return true;
  }

  bool VisitMemberExpr(MemberExpr *ME) {
    const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!Field || !Sink.Files.isPython(Field->getLocation()) ||
        !Sink.spelledByUser(ME->getMemberLoc()))
      return true;
    std::string Record = recordName(Field->getParent());
    if (Record.empty() || Sink.Knowledge.fieldAvailable(Record, Field->getName()))
      return true;
    CharSourceRange Range = Sink.userRange(ME->getBeginLoc(), ME->getEndLoc());
    if (Record == "_typeobject")
      reportTypeField(ME, Field->getName(), Range);
    else
      reportOpaqueField(Record, Field->getName(), Range);
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (isa<ParmVarDecl>(VD) || !Sink.spelledByUser(VD->getLocation()))
      return true;
    checkOpaqueDefinition(VD);
    checkGlobalState(VD);
    return true;
  }

private:
  void classifyType(llvm::StringRef Name, SourceLocation Loc) {
    // A definition of an opaque type is reported whole by VisitVarDecl.
    if (OpaqueDefinitionTypeLocs.count(Loc.getRawEncoding()))
      return;
    Sink.classifyName(Name, Sink.userRange(Loc, Loc), "type");
  }

  /// Mirrors rules/TypeNameInMessage.cpp: PyErr_Format and
  /// PyUnicode_FromFormat with a literal format, as a statement, returned,
  /// or assigned by a statement.
  bool portRewritesMessage(const CallExpr *Call, llvm::StringRef Name) {
    unsigned FormatIndex = Name == "PyErr_Format" ? 1 : Name == "PyUnicode_FromFormat" ? 0 : 99;
    if (FormatIndex >= Call->getNumArgs() ||
        !isa<StringLiteral>(Call->getArg(FormatIndex)->IgnoreParenImpCasts()))
      return false;
    DynTypedNodeList Parents = Ctx.getParents(*Call);
    while (!Parents.empty() && Parents[0].get<ImplicitCastExpr>())
      Parents = Ctx.getParents(*Parents[0].get<ImplicitCastExpr>());
    if (Parents.empty())
      return false;
    if (const auto *B = Parents[0].get<BinaryOperator>()) { // lhs = call;
      DynTypedNodeList Up = Ctx.getParents(*B);
      return B->getOpcode() == BO_Assign && !Up.empty() && Up[0].get<Stmt>() &&
             !Up[0].get<Expr>();
    }
    return Parents[0].get<Stmt>() && (!Parents[0].get<Expr>() || Parents[0].get<ReturnStmt>());
  }

  void reportTypeField(const MemberExpr *ME, llvm::StringRef Field, CharSourceRange Range) {
    auto InMessage = TypeNamesInMessages.find(ME);
    if (Field == "tp_name" && InMessage != TypeNamesInMessages.end()) {
      Finding &F = Sink.report(
          "type-name-in-message", Range,
          "Py_TYPE(x)->tp_name reads the type struct; in a message use %T (3.13) "
          "or the type's name from PyType_GetName (3.11) / __name__");
      F.MinVersion = PythonVersion{3, 2};
      F.Replacement = Sink.Target >= PythonVersion{3, 13} ? "%T" : "__name__ of the type";
      F.Fixable = InMessage->second && portCanFix("type-name-in-message", Sink.Target);
      return;
    }
    Finding &F = Sink.report("type-slot-access", Range,
                             "direct access to PyTypeObject." + Field.str() +
                                 ": the type struct is opaque in the Limited API; " +
                                 typeFieldAdvice(Field));
    F.MinVersion = typeFieldVersion(Field);
    // Mirrors rules/TypeSlotAccess.cpp: reads of tp_flags at any version,
    // of fields with a slot id from 3.10.
    F.Fixable = portCanFix("type-slot-access", Sink.Target) && isFieldRead(Ctx, ME) &&
                (Field == "tp_flags" ||
                 (hasSlotId(Field) && Sink.Target >= PythonVersion{3, 10}));
  }

  bool hasSlotId(llvm::StringRef Field) const {
    return Sink.Knowledge.lookup(("Py_" + Field).str()).Available;
  }

  std::string typeFieldAdvice(llvm::StringRef Field) const {
    if (Field == "tp_flags")
      return "use PyType_GetFlags(type) (3.2)";
    if (Field == "tp_name")
      return "use PyType_GetName (3.11) or the type's __name__";
    if (Field == "tp_dict")
      return "use PyObject_GetAttrString(type, \"__dict__\"), a new reference to a "
             "read-only mapping proxy";
    if (Field == "tp_mro" || Field == "tp_bases")
      return "use PyObject_GetAttrString(type, \"__" + Field.drop_front(3).str() +
             "__\") (a new reference)";
    if (hasSlotId(Field))
      return "read it with PyType_GetSlot(type, Py_" + Field.str() +
             ") (3.4; static types from 3.10), or set it as a PyType_Slot";
    return "the Limited API has no access to it; keep the value you gave the type's spec";
  }

  std::optional<PythonVersion> typeFieldVersion(llvm::StringRef Field) const {
    if (Field == "tp_flags" || Field == "tp_name" || Field == "tp_dict" ||
        Field == "tp_mro" || Field == "tp_bases")
      return PythonVersion{3, 2};
    if (!hasSlotId(Field))
      return std::nullopt;
    return PythonVersion{3, 4};
  }


  void reportOpaqueField(llvm::StringRef Record, llvm::StringRef Field, CharSourceRange Range) {
    bool Complete = Sink.Knowledge.recordComplete(Record);
    Finding &F = Sink.report(
        "opaque-struct-field", Range,
        "'" + Record.str() + "." + Field.str() + "' is not accessible in the Limited API for " +
            Sink.Target.str() +
            (Complete ? ": the field is not part of the Limited API"
                      : ": the struct is opaque; use the accessor functions"));
    F.MinVersion = std::nullopt;
  }

  /// See UncastObjectArguments.h.
  void checkUncastObjectArguments(const CallExpr *Call, const FunctionDecl *Callee) {
    for (const Expr *UserArg : uncastObjectArguments(*Call, Sink.Knowledge.surface(), Sink.SM,
                                                     Sink.LO, Sink.Files)) {
      Finding &F = Sink.report(
          "object-pointer-cast", Sink.userRange(UserArg->getBeginLoc(), UserArg->getEndLoc()),
          "in the Limited API for " + Sink.Target.str() + " " + Callee->getName().str() +
              "() takes a PyObject *, and this argument is '" +
              UserArg->getType().getAsString() + "'; cast it with (PyObject *)");
      F.MinVersion = PythonVersion{3, 2};
      F.Replacement = "(PyObject *)";
      F.Fixable = portCanFix("object-pointer-cast", Sink.Target);
    }
  }

  /// `static PyTypeObject Foo = {...};`, `static PyNumberMethods nb = {...};`
  /// and any other object whose type is opaque at the target: the whole
  /// definition fails to compile, so the finding spans it.
  void checkOpaqueDefinition(const VarDecl *VD) {
    if (VD->hasExternalStorage())
      return;
    QualType T = VD->getType();
    while (const ArrayType *AT = T->getAsArrayTypeUnsafe())
      T = AT->getElementType();
    const RecordDecl *RD = T->getAsRecordDecl();
    if (!RD || !Sink.Files.isPython(RD->getLocation()))
      return;
    std::string Record = recordName(RD);
    std::string Spelled = T.getUnqualifiedType().getAsString();
    if (Record.empty() || Sink.Knowledge.recordComplete(Record) ||
        Sink.Knowledge.recordComplete(Spelled))
      return;
    if (TypeSourceInfo *TSI = VD->getTypeSourceInfo())
      OpaqueDefinitionTypeLocs.insert(TSI->getTypeLoc().getBeginLoc().getRawEncoding());
    CharSourceRange Range = Sink.userRange(VD->getBeginLoc(), VD->getEndLoc());
    bool TypeObject = isTypeSubStruct(Record) || isTypeSubStruct(Spelled);
    Finding &F = Sink.report(
        TypeObject ? "static-type-object" : "non-limited-api", Range,
        TypeObject ? "static " + Spelled + " '" + VD->getName().str() +
                         "': define the type with PyType_Spec and PyType_Slot and "
                         "create it at module init (PyType_FromSpec)"
                   : "'" + VD->getName().str() + "' has type " + Spelled +
                         ", which is opaque in the Limited API for " + Sink.Target.str());
    F.MinVersion = TypeObject ? std::optional(PythonVersion{3, 3})
                              : Sink.Knowledge.lookup(Spelled).AvailableFrom;
    F.Replacement = TypeObject ? "PyType_FromSpecWithBases" : "";
    // Mirrors rules/TypeObjectToSpec.cpp: a PyTypeObject the analysis can
    // convert (sub-structs are converted with their type).
    if (isStaticTypeDefinition(VD)) {
      auto It = staticTypes().find(VD->getCanonicalDecl());
      TypeObjectInfo Info = It != staticTypes().end() ? It->second
                                                      : analyzeTypeObject(VD, Ctx, Sink.Knowledge);
      F.Fixable = Info.Blockers.empty() && portCanFix("static-type-object", Sink.Target);
      bool NoVersion = false;
      for (const auto &[Why, From] : Info.Blockers) {
        F.Message += "; not automatic: " + Why;
        NoVersion |= !From;
        if (From && F.MinVersion && *F.MinVersion < *From)
          F.MinVersion = From;
      }
      if (NoVersion)
        F.MinVersion.reset();
    } else if (TypeObject) {
      // A forward declaration or a sub-struct goes with its type.
      bool Converted = false;
      for (const auto &[Type, Info] : staticTypes())
        Converted |= Info.Blockers.empty() &&
                     (Type == VD->getCanonicalDecl() || llvm::is_contained(Info.SubStructs, VD));
      F.Fixable = Converted && portCanFix("static-type-object", Sink.Target);
    }
  }

  /// `static PyObject *Error;` at file scope: shared by every interpreter
  /// and module object in the process.
  void checkGlobalState(const VarDecl *VD) {
    if (!VD->hasGlobalStorage() || VD->isStaticLocal() || VD->hasExternalStorage() ||
        !VD->getDeclContext()->isFileContext())
      return;
    QualType T = VD->getType();
    bool Array = false;
    while (const ArrayType *AT = T->getAsArrayTypeUnsafe()) {
      T = AT->getElementType();
      Array = true;
    }
    if (!T->isPointerType())
      return;
    const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
    if (!RD || (recordName(RD) != "_object" && recordName(RD) != "_typeobject"))
      return;
    Finding &F = Sink.report(
        "module-global-state",
        Sink.userRange(VD->getLocation(), VD->getLocation()),
        "process-global '" + VD->getName().str() +
            "' is shared by every module object and interpreter; move it into "
            "per-module state (PyModule_GetState)");
    F.Blocker = false;
    F.MinVersion = PythonVersion{3, 5};
    F.Replacement = "module state";
    // Mirrors rules/ModuleGlobalState.cpp: arrays and globals initialised
    // at file scope stay.
    const Expr *Init = VD->getInit();
    bool Initialised =
        Init && !Init->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNull);
    F.Fixable = portCanFix("module-global-state", Sink.Target) && !Array && !Initialised;
  }

public:
  /// The unit's static types, analysed once (as the port analyses them).
  const std::map<const VarDecl *, TypeObjectInfo> &staticTypes() {
    if (Sink.StaticTypes)
      return Sink.StaticTypes->get(Ctx, Sink.Knowledge, Sink.Files);
    if (!StaticTypes)
      StaticTypes = analyzeStaticTypes(Ctx, Sink.Knowledge, Sink.Files);
    return *StaticTypes;
  }

private:
  AuditSink &Sink;
  ASTContext &Ctx;
  std::optional<std::map<const VarDecl *, TypeObjectInfo>> StaticTypes;
  /// tp_name reads passed to a format call, and whether port rewrites them.
  llvm::DenseMap<const MemberExpr *, bool> TypeNamesInMessages;
  std::set<unsigned> OpaqueDefinitionTypeLocs;
};

//===----------------------------------------------------------------------===//
// Action plumbing
//===----------------------------------------------------------------------===//

class AuditConsumer : public ASTConsumer {
public:
  AuditConsumer(CompilerInstance &CI, std::unique_ptr<AuditSink> Sink,
                CLibraryHeaderRecorder *CLibrary, StringifiedArgumentRecorder &Stringified)
      : CI(CI), Sink(std::move(Sink)), CLibrary(CLibrary), Stringified(Stringified),
        FirstFinding(this->Sink->findings().size()) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    limitWalksToPythonCode(CI, Sink->Files);
    AuditVisitor Visitor(*Sink, Ctx);
    // Declarations parsed in this run only: those a precompiled preamble
    // (Preamble.h) brings are CPython's, which the audit skips anyway; nor
    // those of Python-free files (PythonFreeFiles.h).
    for (Decl *D : parsedDecls(Ctx))
      Visitor.TraverseDecl(D);
    keepModuleStatePromise(Visitor.staticTypes());
    reportCLibraryUses(Ctx);
    keepStringifiedArgumentsPromise();
  }

  /// Port refuses edits in a macro argument that the macro stringifies
  /// (StringifiedArguments.h): such sites are not fixable.
  void keepStringifiedArgumentsPromise() {
    if (Stringified.Found.empty())
      return;
    std::vector<SourcePosition> Arguments = positionsOf(Stringified.Found, Sink->SM, Sink->LO);
    std::vector<Finding> &Found = Sink->findings();
    for (size_t I = FirstFinding; I < Found.size(); ++I)
      if (Found[I].Fixable && llvm::any_of(Arguments, [&](const SourcePosition &P) {
            return overlaps(P, Found[I].Pos);
          }))
        Found[I].Fixable = false;
  }

  /// Names the file got only through Python.h's includes of C headers that
  /// the Limited API drops (rules/CLibraryHeaders.cpp).
  void reportCLibraryUses(ASTContext &Ctx) {
    for (const CLibraryUse &U : cLibraryUses(*CLibrary, Ctx, Sink->Target, /*HeaderView=*/false)) {
      Finding &F = Sink->report("c-library-headers",
                                CharSourceRange::getTokenRange(U.Loc, U.Loc),
                                cLibraryUseMessage(U, Sink->Target));
      F.MinVersion = OldestTarget; // an #include works at every target
      F.Replacement = "#include <" + U.Header + ">";
      F.Fixable = U.InsertAt.isValid() && portCanFix("c-library-headers", Sink->Target);
    }
  }

  /// Port applies module state only when every static type becomes a heap
  /// type (rules/ModuleGlobalState.cpp): until then its sites are advice.
  void keepModuleStatePromise(const std::map<const VarDecl *, TypeObjectInfo> &StaticTypes) {
    bool TypeStays = false;
    for (const auto &[Var, Info] : StaticTypes)
      TypeStays |= !Info.Blockers.empty();
    if (!TypeStays)
      return;
    std::vector<Finding> &Found = Sink->findings();
    for (size_t I = FirstFinding; I < Found.size(); ++I)
      if (Found[I].Rule == "single-phase-init" || Found[I].Rule == "module-global-state")
        Found[I].Fixable = false;
  }
  AuditSink &sink() { return *Sink; }

private:
  CompilerInstance &CI;
  std::unique_ptr<AuditSink> Sink;
  CLibraryHeaderRecorder *CLibrary; ///< owned by the preprocessor
  StringifiedArgumentRecorder &Stringified; ///< likewise
  size_t FirstFinding; ///< this unit's findings start here in Sink->Out
};

class AuditAction : public ASTFrontendAction {
public:
  AuditAction(const ApiKnowledge &K, const AuditOptions &O, std::vector<Finding> &Out)
      : Knowledge(K), Options(O), Out(Out) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    return createAuditConsumer(CI, Knowledge, Options, Out);
  }

private:
  const ApiKnowledge &Knowledge;
  const AuditOptions &Options;
  std::vector<Finding> &Out;
};

class AuditActionFactory : public tooling::FrontendActionFactory {
public:
  AuditActionFactory(const ApiKnowledge &K, const AuditOptions &O, std::vector<Finding> &Out)
      : Knowledge(K), Options(O), Out(Out) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<AuditAction>(Knowledge, Options, Out);
  }

private:
  const ApiKnowledge &Knowledge;
  const AuditOptions &Options;
  std::vector<Finding> &Out;
};

} // namespace

std::unique_ptr<ASTConsumer> createAuditConsumer(CompilerInstance &CI,
                                                 const ApiKnowledge &Knowledge,
                                                 const AuditOptions &Options,
                                                 std::vector<Finding> &Out,
                                                 SharedStaticTypes *StaticTypes) {
  auto Sink = std::make_unique<AuditSink>(Knowledge, Options, CI.getSourceManager(),
                                          CI.getLangOpts(), Out);
  Sink->StaticTypes = StaticTypes;
  CI.getPreprocessor().addPPCallbacks(
      std::make_unique<AuditPPCallbacks>(*Sink, CI.getPreprocessor()));
  CLibraryHeaderRecorder *CLibrary = attachCLibraryHeaderRecorder(CI, Sink->Files);
  StringifiedArgumentRecorder &Stringified =
      attachStringifiedArgumentRecorder(CI.getPreprocessor(), Sink->Files);
  return std::make_unique<AuditConsumer>(CI, std::move(Sink), CLibrary, Stringified);
}

std::unique_ptr<tooling::FrontendActionFactory>
makeAuditActionFactory(const ApiKnowledge &Knowledge, const AuditOptions &Options,
                       std::vector<Finding> &Out) {
  return std::make_unique<AuditActionFactory>(Knowledge, Options, Out);
}

std::optional<Finding> detectCythonGenerated(llvm::StringRef Path, llvm::StringRef Contents) {
  if (!Contents.take_front(512).contains("Generated by Cython"))
    return std::nullopt;
  Finding F;
  F.Pos.File = Path.str();
  F.Pos.Line = F.Pos.Column = F.Pos.EndColumn = 1;
  F.Pos.EndLine = std::max<unsigned>(1, Contents.count('\n'));
  F.Rule = "cython-generated";
  F.Message = "this file was generated by Cython: regenerate it in Cython's Limited API "
              "mode (Cython 3.1+, compile with -DPy_LIMITED_API) instead of porting the "
              "generated C";
  F.MinVersion = PythonVersion{3, 8};
  F.Replacement = "Cython 3.1+ with Py_LIMITED_API";
  return F;
}

} // namespace abi3port
