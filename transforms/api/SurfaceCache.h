//===- SurfaceCache.h - The header probe, remembered between runs ---------===//
///
/// \file
/// Probing the limited headers parses Python.h once more per run (about a
/// third of a one-file `check`). Its result depends only on the headers and
/// the target, so it is kept in `$XDG_CACHE_HOME/abi3port` (or
/// `~/.cache/abi3port`), keyed by the include directory, the size and
/// modification time of its headers, the target and the format version.
/// `ABI3PORT_NO_CACHE=1` turns the cache off. A cache that cannot be read or
/// written is ignored: the probe runs as before.
///
//===----------------------------------------------------------------------===//
#ifndef ABI3PORT_API_SURFACECACHE_H
#define ABI3PORT_API_SURFACECACHE_H

#include "transforms/api/ApiKnowledge.h"

namespace abi3port {

/// The directory of abi3port's caches, or "" when caching is off
/// (`ABI3PORT_NO_CACHE=1`, or no home directory).
std::string cacheDirectory();

/// Writes a cache file: to a unique temporary beside it, then renamed, so
/// that a concurrent run never reads half a file. False if it could not.
bool writeCacheFile(const std::string &Path, llvm::StringRef Text);
/// A digest of every file below a CPython include directory (path, size,
/// modification time): the headers' identity for cache keys.
std::string headersFingerprint(llvm::StringRef PythonInclude);

/// `probeLimitedSurface`, through the cache.
llvm::Expected<LimitedSurface> cachedLimitedSurface(llvm::StringRef PythonInclude,
                                                    PythonVersion Target);

/// The cache's text form, exposed for tests.
std::string serializeSurface(const LimitedSurface &Surface);
std::optional<LimitedSurface> deserializeSurface(llvm::StringRef Text);

} // namespace abi3port

#endif
