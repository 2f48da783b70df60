//===- TypeSlotAccess.cpp - rule `type-slot-access` -----------------------===//
///
/// Rewrites: reads of type-object fields, which the Limited API hides.
/// \code
///   type->tp_alloc(type, 0)        ->  ((allocfunc)PyType_GetSlot(type, Py_tp_alloc))(type, 0)
///   Py_TYPE(self)->tp_free(self)   ->  ((freefunc)PyType_GetSlot(Py_TYPE(self), Py_tp_free))(self)
///   type->tp_flags & F             ->  PyType_GetFlags(type) & F
/// \endcode
///
/// Leaves for manual change: writes to fields (`Foo.tp_new = ...`: set them
/// as PyType_Slot entries instead); fields without a slot id (tp_basicsize,
/// tp_dictoffset, ...); tp_name outside a message (PyType_GetName returns an
/// object, not a `const char *`); slot reads below 3.10 on types that may be
/// static (CPython's own types always are), since PyType_GetSlot accepts
/// static types only from 3.10. Below 3.10 a rewritten read is valid only
/// while every type of the unit is converted (RuleEdit::Assumes).
///
/// Requires: 3.2 for tp_flags; slot reads 3.10 (3.4 on heap types).
///
//===----------------------------------------------------------------------===//
#include "transforms/rules/Rules.h"
#include "transforms/types/TypeObjectAnalysis.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Rule = "type-slot-access";

bool isTypeObjectField(const MemberExpr *ME) {
  const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
  return Field && Field->getParent()->getName() == "_typeobject";
}

class SlotReads : public RecursiveASTVisitor<SlotReads> {
public:
  explicit SlotReads(PortContext &Ctx) : Ctx(Ctx) {}

  bool VisitMemberExpr(MemberExpr *ME) {
    SourceLocation At = ME->getMemberLoc();
    if (!isTypeObjectField(ME) || !(At.isFileID() || Ctx.SM.isMacroArgExpansion(At)))
      return true; // spelled in a macro's body: the macro's business
    if (!Ctx.Files.isUser(Ctx.SM.getSpellingLoc(At)))
      return true;
    llvm::StringRef Field = ME->getMemberDecl()->getName();
    if (Field == "tp_name")
      return true; // type-name-in-message, or manual through the audit
    CharSourceRange Range = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(ME->getSourceRange()), Ctx.SM, Ctx.LO);
    if (Range.isInvalid()) {
      Ctx.manual(Rule, CharSourceRange::getTokenRange(ME->getSourceRange()),
                 "PyTypeObject." + Field.str() + " is read inside a macro", std::nullopt);
      return true;
    }
    if (!isFieldRead(Ctx.Ctx, ME)) {
      if (const auto *D = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts()))
        if (const auto *V = dyn_cast<VarDecl>(D->getDecl()); V && Ctx.isConverted(V))
          return true; // static-type-object turns it into a slot
      Ctx.manual(Rule, Range,
                 "write to PyTypeObject." + Field.str() +
                     ": define it as a PyType_Slot of a heap type instead",
                 PythonVersion{3, 2});
      return true;
    }
    std::string Type = Ctx.typeObjectText(ME);
    if (Field == "tp_flags") {
      Ctx.replaceComposed(Rule, Range, "PyType_GetFlags(" + Type + ")");
      return true;
    }
    std::string Slot = "Py_" + Field.str();
    if (!Ctx.Knowledge.lookup(Slot).Available) {
      Ctx.manual(Rule, Range,
                 "PyTypeObject." + Field.str() + " has no slot id in the Limited API for " +
                     Ctx.Target.str(),
                 std::nullopt);
      return true;
    }
    if (Ctx.Target < PythonVersion{3, 10} && Ctx.namesVariable(*ME->getBase(), [&](const VarDecl &V) {
          return V.hasGlobalStorage() && Ctx.Files.isPython(V.getLocation()); // PyList_Type
        })) {
      Ctx.manual(Rule, Range,
                 "PyType_GetSlot(" + Type + ", " + Slot +
                     ") accepts static types, such as CPython's own, only from 3.10",
                 PythonVersion{3, 10});
      return true;
    }
    if (!Ctx.slotsReadable()) {
      Ctx.manual(Rule, Range,
                 "PyType_GetSlot(" + Type + ", " + Slot +
                     ") accepts static types only from 3.10; convert the types to heap "
                     "types first, or target 3.10",
                 PythonVersion{3, 10});
      return true;
    }
    std::string FnType = ME->getMemberDecl()->getType().getAsString();
    if (Ctx.Target < PythonVersion{3, 10}) // valid only while no static type remains
      for (const PortContext::TypeToCreate &T : Ctx.TypesToCreate)
        Ctx.assumeConverted(T.Var);
    Ctx.replaceComposed(Rule, Range, "((" + FnType + ")PyType_GetSlot(" + Type + ", " + Slot + "))");
    return true;
  }

private:
  PortContext &Ctx;
};

} // namespace

void typeSlotAccess(PortContext &Ctx) {
  {
    SlotReads Visitor(Ctx);
    traverseParsedDecls(Visitor, Ctx.Ctx);
  }
}

} // namespace abi3port
