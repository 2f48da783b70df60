//===- StandardHeaders.h - C headers Python.h stops including -------------===//
///
/// \file
/// Under the Limited API, `Python.h` stops including some C library headers
/// that it includes for the full API; a file that used `memcpy` or `errno`
/// without including `<string.h>` or `<errno.h>` itself then no longer
/// compiles (clang 16+ and gcc 14+ reject implicit declarations). Which
/// headers, and from which `Py_LIMITED_API` value, depends on the version of
/// the headers; a port must build against the headers of every Python from
/// its target up, so what counts for a target is the union over those header
/// versions. Rule `c-library-headers` (rules/CLibraryHeaders.cpp) uses it.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_API_STANDARDHEADERS_H
#define ABI3PORT_API_STANDARDHEADERS_H

#include "transforms/api/PythonVersion.h"

#include <string>
#include <vector>

namespace abi3port {

/// The headers (spelled as in `#include <...>`: "string.h") that `Python.h`
/// does not include under `Py_LIMITED_API` = `Target`, in the headers of some
/// CPython version at or after `Target`. Sorted; empty below 3.11.
std::vector<std::string> headersDroppedByLimitedApi(PythonVersion Target);

} // namespace abi3port

#endif
