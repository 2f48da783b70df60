#include "transforms/verify/BinaryCheck.h"
#include "transforms/api/ApiKnowledge.h"

#include "llvm/Object/Binary.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <zlib.h>

namespace abi3port {

std::vector<const ImportedSymbol *> BinaryAudit::violations(PythonVersion Target) const {
  std::vector<const ImportedSymbol *> Out;
  for (const ImportedSymbol &S : Imports)
    if (!S.InStableAbi || (S.Added && Target < *S.Added))
      Out.push_back(&S);
  return Out;
}

namespace {

bool pythonName(llvm::StringRef Name) {
  return Name.starts_with("Py") || Name.starts_with("_Py");
}

} // namespace

llvm::Expected<BinaryAudit> auditSharedObject(llvm::StringRef Name, llvm::StringRef Bytes) {
  llvm::MemoryBufferRef Ref(Bytes, Name);
  llvm::Expected<std::unique_ptr<llvm::object::Binary>> Bin = llvm::object::createBinary(Ref);
  if (!Bin)
    return llvm::createStringError(Name + ": not an object file: " +
                                   llvm::toString(Bin.takeError()));
  auto *Elf = llvm::dyn_cast<llvm::object::ELFObjectFileBase>(Bin->get());
  if (!Elf)
    return llvm::createStringError(Name + ": not an ELF shared object");
  BinaryAudit A;
  A.Name = Name.str();
  for (const llvm::object::ELFSymbolRef &S : Elf->getDynamicSymbolIterators()) {
    llvm::Expected<llvm::StringRef> SymbolName = S.getName();
    llvm::Expected<uint32_t> Flags = S.getFlags();
    if (!SymbolName || !Flags) {
      if (!SymbolName)
        llvm::consumeError(SymbolName.takeError());
      if (!Flags)
        llvm::consumeError(Flags.takeError());
      continue;
    }
    if (!pythonName(*SymbolName))
      continue;
    if (!(*Flags & llvm::object::SymbolRef::SF_Undefined)) {
      A.Exports.push_back(SymbolName->str());
      continue;
    }
    ImportedSymbol I;
    I.Name = SymbolName->str();
    if (const ManifestItem *Item = Manifest::get().lookup(*SymbolName))
      if (Item->Kind == ItemKind::Function || Item->Kind == ItemKind::Data) {
        I.InStableAbi = true;
        I.Added = Item->Added;
        if (!A.Needs || *A.Needs < Item->Added)
          A.Needs = Item->Added;
      }
    A.Imports.push_back(std::move(I));
  }
  llvm::sort(A.Imports, [](const ImportedSymbol &X, const ImportedSymbol &Y) {
    return X.Name < Y.Name;
  });
  A.Imports.erase(std::unique(A.Imports.begin(), A.Imports.end(),
                              [](const ImportedSymbol &X, const ImportedSymbol &Y) {
                                return X.Name == Y.Name;
                              }),
                  A.Imports.end());
  llvm::sort(A.Exports);
  return A;
}

namespace {

using llvm::support::endian::read16le;
using llvm::support::endian::read32le;

llvm::Expected<std::string> inflateRaw(llvm::StringRef In, size_t Size) {
  std::string Out(Size, '\0');
  z_stream Z{};
  if (inflateInit2(&Z, -MAX_WBITS) != Z_OK)
    return llvm::createStringError("zlib: cannot initialise");
  Z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(In.data()));
  Z.avail_in = In.size();
  Z.next_out = reinterpret_cast<Bytef *>(Out.data());
  Z.avail_out = Out.size();
  int RC = inflate(&Z, Z_FINISH);
  inflateEnd(&Z);
  if (RC != Z_STREAM_END || Z.total_out != Size)
    return llvm::createStringError("zlib: a member does not inflate");
  return Out;
}

} // namespace

llvm::Expected<std::vector<ZipMember>>
readZip(llvm::StringRef Bytes, const std::function<bool(llvm::StringRef)> &Want) {
  auto At = [&](size_t Offset) { return reinterpret_cast<const uint8_t *>(Bytes.data()) + Offset; };
  // The end of central directory record: the last signature in the last 64 KiB.
  size_t End = llvm::StringRef::npos;
  for (size_t I = Bytes.size() >= 22 ? Bytes.size() - 22 : 0;; --I) {
    if (Bytes.size() >= 22 && read32le(At(I)) == 0x06054b50) {
      End = I;
      break;
    }
    if (I == 0 || Bytes.size() - I > 65557)
      break;
  }
  if (End == llvm::StringRef::npos)
    return llvm::createStringError("not a zip file (no end of central directory)");
  unsigned Entries = read16le(At(End + 10));
  size_t Directory = read32le(At(End + 16));
  std::vector<ZipMember> Out;
  size_t P = Directory;
  for (unsigned E = 0; E < Entries; ++E) {
    if (P + 46 > Bytes.size() || read32le(At(P)) != 0x02014b50)
      return llvm::createStringError("zip: a broken central directory");
    unsigned Method = read16le(At(P + 10));
    size_t Compressed = read32le(At(P + 20)), Size = read32le(At(P + 24));
    unsigned NameLength = read16le(At(P + 28)), Extra = read16le(At(P + 30)),
             Comment = read16le(At(P + 32));
    size_t Local = read32le(At(P + 42));
    llvm::StringRef Name = Bytes.substr(P + 46, NameLength);
    P += 46 + NameLength + Extra + Comment;
    if (!Want(Name))
      continue;
    if (Compressed == 0xFFFFFFFF || Size == 0xFFFFFFFF || Local == 0xFFFFFFFF)
      return llvm::createStringError("zip: " + Name + " needs ZIP64, which is not read");
    if (Local + 30 > Bytes.size() || read32le(At(Local)) != 0x04034b50)
      return llvm::createStringError("zip: a broken local header for " + Name);
    size_t Data = Local + 30 + read16le(At(Local + 26)) + read16le(At(Local + 28));
    if (Data + Compressed > Bytes.size())
      return llvm::createStringError("zip: " + Name + " is cut short");
    llvm::StringRef Raw = Bytes.substr(Data, Compressed);
    ZipMember M;
    M.Name = Name.str();
    if (Method == 0) {
      M.Data = Raw.str();
    } else if (Method == 8) {
      llvm::Expected<std::string> Inflated = inflateRaw(Raw, Size);
      if (!Inflated)
        return Inflated.takeError();
      M.Data = std::move(*Inflated);
    } else {
      return llvm::createStringError("zip: " + Name + " uses compression method " +
                                     std::to_string(Method));
    }
    Out.push_back(std::move(M));
  }
  return Out;
}

std::optional<WheelTags> wheelTags(llvm::StringRef FileName) {
  llvm::StringRef Base = llvm::sys::path::filename(FileName);
  if (!Base.consume_back(".whl"))
    return std::nullopt;
  llvm::SmallVector<llvm::StringRef> Parts;
  Base.split(Parts, '-');
  if (Parts.size() != 5 && Parts.size() != 6)
    return std::nullopt;
  size_t N = Parts.size();
  return WheelTags{Parts[N - 3].str(), Parts[N - 2].str(), Parts[N - 1].str()};
}

} // namespace abi3port
