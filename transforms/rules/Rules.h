//===- Rules.h - The rewrite rules of `abi3port port` ---------------------===//
///
/// \file
/// One function per rule, one rule per file (named after the rule id). Each
/// file opens with what it rewrites, what it leaves for a human, and the
/// minimum Limited API version. The registry (Registry.cpp) lists them in the
/// order `port` runs them.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_RULES_RULES_H
#define ABI3PORT_RULES_RULES_H

#include "transforms/rules/PortContext.h"

namespace abi3port {

using PortRule = void (*)(PortContext &);

void staticTypeObject(PortContext &Ctx);   // static-type-object
void checkedCalls(PortContext &Ctx);       // checked-calls
void objectPointerCast(PortContext &Ctx);  // object-pointer-cast
void typeNameInMessage(PortContext &Ctx);  // type-name-in-message
void typeSlotAccess(PortContext &Ctx);     // type-slot-access
void moduleAddObjectRef(PortContext &Ctx); // module-add-object-ref
void privateApi(PortContext &Ctx);         // private-api
void datetimeApi(PortContext &Ctx);        // datetime-api
void strInternals(PortContext &Ctx);       // str-internals
void trashcanGuard(PortContext &Ctx);      // trashcan
void moduleGlobalState(PortContext &Ctx);  // module-global-state
void singlePhaseInit(PortContext &Ctx);    // single-phase-init
void cLibraryHeaders(PortContext &Ctx);    // c-library-headers

} // namespace abi3port

#endif
