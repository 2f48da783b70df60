#include "transforms/api/PythonVersion.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace abi3port {

std::optional<PythonVersion> PythonVersion::parse(llvm::StringRef Text) {
  Text = Text.trim();
  unsigned long long Hex = 0;
  if (Text.starts_with_insensitive("0x")) {
    if (Text.getAsInteger(0, Hex) || Hex < 0x03000000 || Hex > 0x03FF0000)
      return std::nullopt;
    return fromHex(Hex);
  }
  auto [MajorText, MinorText] = Text.split('.');
  unsigned Major = 0, Minor = 0;
  if (MinorText.empty()) { // "311"
    if (MajorText.size() < 2 || MajorText.drop_front().getAsInteger(10, Minor))
      return std::nullopt;
    Major = MajorText[0] - '0';
  } else if (MajorText.getAsInteger(10, Major) ||
             MinorText.getAsInteger(10, Minor)) {
    return std::nullopt;
  }
  if (Major != 3 || Minor > 99)
    return std::nullopt;
  return PythonVersion{Major, Minor};
}

PythonVersion PythonVersion::fromHex(unsigned long long Hex) {
  return PythonVersion{unsigned((Hex >> 24) & 0xff), unsigned((Hex >> 16) & 0xff)};
}

std::string PythonVersion::hexString() const {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << llvm::format("0x%08llX", hex());
  return Out;
}

std::string PythonVersion::str() const {
  return std::to_string(Major) + "." + std::to_string(Minor);
}

} // namespace abi3port
