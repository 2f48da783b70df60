//===- LspTest.cpp - positions, URIs and framing of the language server ---===//
#include "transforms/lsp/LspServer.h"

#include "gtest/gtest.h"

namespace abi3port {
namespace {

// "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 UTF-16 units.
const std::string Text = "ab\nxé😀z\n";

TEST(LspPositions, Utf16CountsSurrogatePairs) {
  unsigned Z = Text.find('z');
  EXPECT_EQ(positionOfOffset(Text, Z, /*Utf8=*/false), std::make_pair(1u, 4u));
  EXPECT_EQ(offsetOfPosition(Text, 1, 4, /*Utf8=*/false), Z);
}

TEST(LspPositions, Utf8CountsBytes) {
  unsigned Z = Text.find('z');
  EXPECT_EQ(positionOfOffset(Text, Z, /*Utf8=*/true), std::make_pair(1u, 7u));
  EXPECT_EQ(offsetOfPosition(Text, 1, 7, /*Utf8=*/true), Z);
}

TEST(LspPositions, PastTheEndIsClamped) {
  EXPECT_EQ(offsetOfPosition(Text, 0, 99, false), 2u) << "the end of line 0";
  EXPECT_EQ(offsetOfPosition(Text, 9, 0, false), Text.size());
  EXPECT_EQ(positionOfOffset(Text, 999, false), positionOfOffset(Text, Text.size(), false));
}

TEST(LspUris, RoundTripWithSpacesAndPercent) {
  std::string Path = "/tmp/my ext/50%/m.c";
  EXPECT_EQ(uriOfPath(Path), "file:///tmp/my%20ext/50%25/m.c");
  EXPECT_EQ(pathOfUri(uriOfPath(Path)), Path);
  EXPECT_EQ(pathOfUri("http://example.org/m.c"), "");
}

TEST(LspFraming, ContentLengthCountsBytes) {
  llvm::json::Value V = llvm::json::Object{{"text", "é"}};
  std::string Framed = frameMessage(V);
  std::string Body = Framed.substr(Framed.find("\r\n\r\n") + 4);
  EXPECT_EQ(Framed.substr(0, Framed.find("\r\n")), "Content-Length: " + std::to_string(Body.size()));
}

} // namespace
} // namespace abi3port
