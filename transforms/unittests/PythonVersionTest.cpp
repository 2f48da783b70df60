#include "transforms/api/PythonVersion.h"

#include "gtest/gtest.h"

namespace abi3port {
namespace {

TEST(PythonVersion, ParsesDottedHexAndCompact) {
  EXPECT_EQ(PythonVersion::parse("3.11"), (PythonVersion{3, 11}));
  EXPECT_EQ(PythonVersion::parse("0x030B0000"), (PythonVersion{3, 11}));
  EXPECT_EQ(PythonVersion::parse("38"), (PythonVersion{3, 8}));
  EXPECT_EQ(PythonVersion::parse(" 3.8 "), (PythonVersion{3, 8}));
}

TEST(PythonVersion, RejectsGarbage) {
  EXPECT_FALSE(PythonVersion::parse("2.7"));
  EXPECT_FALSE(PythonVersion::parse("three"));
  EXPECT_FALSE(PythonVersion::parse("3."));
  EXPECT_FALSE(PythonVersion::parse(""));
  EXPECT_FALSE(PythonVersion::parse("0x02070000"));
}

TEST(PythonVersion, HexRoundTrip) {
  PythonVersion V{3, 10};
  EXPECT_EQ(V.hexString(), "0x030A0000");
  EXPECT_EQ(PythonVersion::fromHex(V.hex()), V);
  EXPECT_EQ(V.str(), "3.10");
  EXPECT_LT((PythonVersion{3, 9}), (PythonVersion{3, 10}));
}

} // namespace
} // namespace abi3port
