//===- ApiKnowledgeTest.cpp - Manifest + headers ---------------------------===//
#include "TestSupport.h"

#include "gtest/gtest.h"

namespace abi3port::test {
namespace {

TEST(Manifest, HasEveryItemWithVersions) {
  const Manifest &M = Manifest::get();
  EXPECT_EQ(M.items().size(), 1257u);
  const ManifestItem *GetSlot = M.lookup("PyType_GetSlot");
  ASSERT_TRUE(GetSlot);
  EXPECT_EQ(GetSlot->Kind, ItemKind::Function);
  EXPECT_EQ(GetSlot->Added, (PythonVersion{3, 4}));
  EXPECT_FALSE(M.lookup("PyList_GET_ITEM"));
}

TEST(ApiKnowledge, HeadersAddWhatTheManifestOmits) {
  const ApiKnowledge &K = knowledgeFor({3, 8});
  // Not in the manifest, defined by the limited headers.
  EXPECT_TRUE(K.lookup("Py_TPFLAGS_IMMUTABLETYPE").Available);
  // Inline helpers usable at every version although listed late.
  EXPECT_TRUE(K.lookup("Py_INCREF").Available);
  EXPECT_TRUE(K.lookup("Py_TYPE").Available);
  EXPECT_TRUE(K.lookup("Py_SIZE").Available);
}

TEST(ApiKnowledge, VersionGatesFollowTheTarget) {
  EXPECT_FALSE(knowledgeFor({3, 8}).lookup("METH_FASTCALL").Available);
  EXPECT_TRUE(knowledgeFor({3, 11}).lookup("METH_FASTCALL").Available);
  Availability Buffer = knowledgeFor({3, 8}).lookup("Py_buffer");
  EXPECT_FALSE(Buffer.Available);
  ASSERT_TRUE(Buffer.AvailableFrom);
  EXPECT_EQ(*Buffer.AvailableFrom, (PythonVersion{3, 11}));
}

TEST(ApiKnowledge, FullApiNamesHaveReplacements) {
  Availability A = knowledgeFor({3, 8}).lookup("PyList_GET_ITEM");
  EXPECT_FALSE(A.Available);
  ASSERT_TRUE(A.Replacement);
  EXPECT_EQ(A.Replacement->Replacement, "PyList_GetItem");
  Availability Utf8 = knowledgeFor({3, 8}).lookup("PyUnicode_AsUTF8");
  ASSERT_TRUE(Utf8.Replacement);
  EXPECT_EQ(Utf8.Replacement->Since, (PythonVersion{3, 10}));
}

TEST(ApiKnowledge, TargetsNewerThanTheHeadersUseTheManifest) {
  const ApiKnowledge &K = knowledgeFor({3, 13});
  if (K.surface().HeaderVersion >= PythonVersion{3, 13})
    GTEST_SKIP() << "headers are 3.13 or newer";
  EXPECT_TRUE(K.lookup("PyType_GetModuleByDef").Available); // 3.13 in the manifest
  EXPECT_FALSE(knowledgeFor({3, 11}).lookup("PyType_GetModuleByDef").Available);
}

TEST(ApiKnowledge, FieldsOfOpaqueStructsAreNotAvailable) {
  const ApiKnowledge &K = knowledgeFor({3, 11});
  EXPECT_TRUE(K.fieldAvailable("_object", "ob_refcnt"));
  EXPECT_FALSE(K.fieldAvailable("_typeobject", "tp_name"));
  EXPECT_FALSE(K.recordComplete("_typeobject"));
}

TEST(ApiKnowledge, DisagreementsAreListed) {
  std::vector<Disagreement> D = knowledgeFor({3, 11}).disagreements();
  auto Has = [&](llvm::StringRef Name) {
    return llvm::any_of(D, [&](const Disagreement &X) { return X.Name == Name; });
  };
  EXPECT_TRUE(Has("Py_TPFLAGS_IMMUTABLETYPE"));
  EXPECT_FALSE(Has("PyType_GetSlot"));
}

} // namespace
} // namespace abi3port::test

#include "transforms/api/SurfaceCache.h"

namespace abi3port::test {
namespace {

TEST(SurfaceCache, RoundTripsTheProbe) {
  const LimitedSurface &S = knowledgeFor({3, 10}).surface();
  std::optional<LimitedSurface> Back = deserializeSurface(serializeSurface(S));
  ASSERT_TRUE(Back);
  EXPECT_EQ(Back->Target, S.Target);
  EXPECT_EQ(Back->HeaderVersion, S.HeaderVersion);
  EXPECT_EQ(Back->Names.size(), S.Names.size());
  EXPECT_EQ(Back->Macros.size(), S.Macros.size());
  EXPECT_EQ(Back->Fields.size(), S.Fields.size());
  EXPECT_EQ(Back->UnusableMacros.size(), S.UnusableMacros.size());
  EXPECT_TRUE(Back->Names.contains("PyList_GetItem"));
}

TEST(SurfaceCache, RejectsForeignText) {
  EXPECT_FALSE(deserializeSurface("something else\nN x\n"));
  EXPECT_FALSE(deserializeSurface("abi3port-limited-surface 1\nN x\n")); // no versions
}

} // namespace
} // namespace abi3port::test
