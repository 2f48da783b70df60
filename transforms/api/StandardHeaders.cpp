#include "transforms/api/StandardHeaders.h"

#include <algorithm>
#include <optional>

namespace abi3port {
namespace {

/// One `#include` that `Python.h` makes conditional on `Py_LIMITED_API`, as
/// read in the real headers (Debian's python3.11-dev, and sid's 3.13.18,
/// 3.14.10 and 3.15.2 -dev packages):
///
///   - 3.11 headers: `#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 <
///     0x030b0000` around <stdlib.h>, <stdio.h>, <errno.h>, <string.h>;
///     <unistd.h> (not on Windows), <stddef.h>, <assert.h>, <wchar.h> always;
///     <ctype.h> always, from unicodeobject.h. 3.12's headers keep the 3.11
///     block (the 3.13 comment calls ctype/unistd the change of 3.13; no 3.12
///     headers were at hand to read).
///   - 3.13 and 3.14 headers: the same four below 3.11; a second block
///     `Py_LIMITED_API+0 < 0x030d0000` around <ctype.h> and <unistd.h>.
///   - 3.15 headers: <string.h> is included always again (before the
///     blocks); <errno.h>, <stdio.h>, <stdlib.h> below 3.11, <ctype.h> and
///     <unistd.h> below 3.13.
///
/// Not listed: what newer headers stop including at every API level (3.13's
/// Python.h has no <stddef.h>, so no `offsetof`, and its pyport.h no <time.h>
/// or <sys/time.h>): that breaks the full-API build just as much, and is not
/// the port's doing.
struct ConditionalInclude {
  const char *Header;
  PythonVersion HeadersFrom;                 ///< first header version with the condition
  std::optional<PythonVersion> HeadersUntil; ///< first header version without it
  PythonVersion LimitedFrom;                 ///< dropped when Py_LIMITED_API >= this
};

const ConditionalInclude Table[] = {
    {"ctype.h", {3, 13}, std::nullopt, {3, 13}},
    {"errno.h", {3, 11}, std::nullopt, {3, 11}},
    {"stdio.h", {3, 11}, std::nullopt, {3, 11}},
    {"stdlib.h", {3, 11}, std::nullopt, {3, 11}},
    {"string.h", {3, 11}, PythonVersion{3, 15}, {3, 11}},
    {"unistd.h", {3, 13}, std::nullopt, {3, 13}},
};

} // namespace

std::vector<std::string> headersDroppedByLimitedApi(PythonVersion Target) {
  std::vector<std::string> Out;
  for (const ConditionalInclude &C : Table) {
    // Some header version V >= Target within [HeadersFrom, HeadersUntil)
    // drops it at Py_LIMITED_API = Target.
    PythonVersion FirstHeaders = std::max(Target, C.HeadersFrom);
    bool SomeVersion = !C.HeadersUntil || FirstHeaders < *C.HeadersUntil;
    if (SomeVersion && Target >= C.LimitedFrom)
      Out.push_back(C.Header);
  }
  std::sort(Out.begin(), Out.end());
  return Out;
}

} // namespace abi3port
