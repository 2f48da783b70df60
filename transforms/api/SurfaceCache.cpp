#include "transforms/api/SurfaceCache.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

namespace abi3port {
namespace {

constexpr llvm::StringLiteral Magic = "abi3port-limited-surface 1";

/// What the probe's answer depends on.
std::string cacheKey(llvm::StringRef Include, PythonVersion Target) {
  llvm::SHA256 Hash;
  Hash.update(Magic);
  Hash.update(Target.hexString());
  Hash.update(headersFingerprint(Include));
  return llvm::toHex(Hash.final(), /*LowerCase=*/true);
}

} // namespace

std::string headersFingerprint(llvm::StringRef Include) {
  llvm::SHA256 Hash;
  Hash.update(Include);
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Include, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::sys::fs::file_status Status;
    if (llvm::sys::fs::status(It->path(), Status))
      continue;
    Hash.update(It->path());
    Hash.update(std::to_string(Status.getSize()));
    Hash.update(std::to_string(
        Status.getLastModificationTime().time_since_epoch().count()));
  }
  return llvm::toHex(Hash.final(), /*LowerCase=*/true);
}

std::string cacheDirectory() {
  if (llvm::sys::Process::GetEnv("ABI3PORT_NO_CACHE"))
    return "";
  if (std::optional<std::string> Xdg = llvm::sys::Process::GetEnv("XDG_CACHE_HOME"))
    return *Xdg + "/abi3port";
  if (std::optional<std::string> Home = llvm::sys::Process::GetEnv("HOME"))
    return *Home + "/.cache/abi3port";
  return "";
}

namespace {

void writeSet(llvm::raw_ostream &OS, char Tag, const llvm::StringSet<> &Set) {
  std::vector<llvm::StringRef> Sorted;
  for (const auto &E : Set)
    Sorted.push_back(E.getKey());
  llvm::sort(Sorted);
  for (llvm::StringRef S : Sorted)
    OS << Tag << ' ' << S << '\n';
}

} // namespace

std::string serializeSurface(const LimitedSurface &S) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << Magic << '\n'
     << "T " << S.Target.str() << '\n'
     << "H " << S.HeaderVersion.str() << '\n';
  writeSet(OS, 'N', S.Names);
  writeSet(OS, 'M', S.Macros);
  writeSet(OS, 'F', S.Fields);
  writeSet(OS, 'R', S.CompleteRecords);
  for (const auto &E : S.UnusableMacros)
    OS << "U " << E.getKey() << ' ' << E.getValue() << '\n';
  return Out;
}

std::optional<LimitedSurface> deserializeSurface(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef> Lines;
  Text.split(Lines, '\n', -1, false);
  if (Lines.empty() || Lines.front() != Magic)
    return std::nullopt;
  LimitedSurface S;
  bool HaveTarget = false, HaveHeader = false;
  for (llvm::StringRef Line : llvm::ArrayRef(Lines).drop_front()) {
    auto [Tag, Rest] = Line.split(' ');
    if (Tag == "T" || Tag == "H") {
      std::optional<PythonVersion> V = PythonVersion::parse(Rest);
      if (!V)
        return std::nullopt;
      (Tag == "T" ? S.Target : S.HeaderVersion) = *V;
      (Tag == "T" ? HaveTarget : HaveHeader) = true;
    } else if (Tag == "N") {
      S.Names.insert(Rest);
    } else if (Tag == "M") {
      S.Macros.insert(Rest);
    } else if (Tag == "F") {
      S.Fields.insert(Rest);
    } else if (Tag == "R") {
      S.CompleteRecords.insert(Rest);
    } else if (Tag == "U") {
      auto [Name, Missing] = Rest.split(' ');
      S.UnusableMacros[Name] = Missing.str();
    } else {
      return std::nullopt;
    }
  }
  if (!HaveTarget || !HaveHeader)
    return std::nullopt;
  return S;
}

llvm::Expected<LimitedSurface> cachedLimitedSurface(llvm::StringRef PythonInclude,
                                                    PythonVersion Target) {
  std::string Dir = cacheDirectory();
  if (Dir.empty())
    return probeLimitedSurface(PythonInclude, Target);
  std::string Path = Dir + "/surface-" + cacheKey(PythonInclude, Target) + ".txt";
  if (auto Buffer = llvm::MemoryBuffer::getFile(Path))
    if (std::optional<LimitedSurface> S = deserializeSurface((*Buffer)->getBuffer());
        S && S->Target == Target)
      return std::move(*S);
  llvm::Expected<LimitedSurface> Probed = probeLimitedSurface(PythonInclude, Target);
  if (!Probed)
    return Probed.takeError();
  if (!llvm::sys::fs::create_directories(Dir))
    writeCacheFile(Path, serializeSurface(*Probed));
  return Probed;
}

bool writeCacheFile(const std::string &Path, llvm::StringRef Text) {
  llvm::SmallString<256> Temp;
  int FD = -1;
  if (llvm::sys::fs::createUniqueFile(Path + ".%%%%%%.tmp", FD, Temp))
    return false;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Text;
  }
  if (!llvm::sys::fs::rename(Temp, Path))
    return true;
  llvm::sys::fs::remove(Temp);
  return false;
}

} // namespace abi3port
