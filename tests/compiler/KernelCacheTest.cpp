//===- KernelCacheTest.cpp - Kernel names and the on-disk cache -----------===//
#include "compiler/driver/KernelCache.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace fs = std::filesystem;
using namespace kiln;

namespace {

KernelSpec conv3x3() {
  KernelSpec s;
  s.kind = KernelKind::Conv2D;
  s.name = "k0";
  s.inputShapes = {{1, 8, 16, 16}, {8, 8, 3, 3}};
  s.outputShape = {1, 8, 16, 16};
  s.kernel = {3, 3};
  s.pads = {1, 1, 1, 1};
  return s;
}

TEST(KernelCache, NameDependsOnContentOnly) {
  KernelSpec a = conv3x3(), b = conv3x3();
  b.name = "another_name";
  EXPECT_EQ(contentKernelName(a), contentKernelName(b));
  EXPECT_EQ(contentKernelName(a).rfind("conv2d_", 0), 0u);
  b.activation = Activation::Relu; // any attribute change is another kernel
  EXPECT_NE(contentKernelName(a), contentKernelName(b));
  KernelSpec c = conv3x3();
  c.strides = {2, 2};
  c.outputShape = {1, 8, 8, 8};
  EXPECT_NE(contentKernelName(a), contentKernelName(c));
}

TEST(KernelCache, StoreThenFetchByTarget) {
  fs::path dir = fs::temp_directory_path() / "kiln-cache-test";
  fs::remove_all(dir);
  setenv("KILN_CACHE_DIR", dir.c_str(), 1);
  KernelCache cache = KernelCache::open(true);
  ASSERT_TRUE(cache.enabled());
  std::string object = (dir / "k.o").string();
  std::ofstream(object) << "object bytes";
  std::string key = cache.key("conv2d_abc", "x86-64-linux-avx2");
  EXPECT_NE(key, cache.key("conv2d_abc", "arm-64-linux"));
  std::string out = (dir / "out.o").string();
  EXPECT_FALSE(cache.fetch(key, out));
  cache.store(key, object);
  ASSERT_TRUE(cache.fetch(key, out));
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "object bytes");
  EXPECT_FALSE(cache.fetch(cache.key("conv2d_abc", "arm-64-linux"), out));
  fs::remove_all(dir);
}

TEST(KernelCache, OffDisablesIt) {
  setenv("KILN_CACHE_DIR", "off", 1);
  EXPECT_FALSE(KernelCache::open(true).enabled());
  unsetenv("KILN_CACHE_DIR");
  EXPECT_FALSE(KernelCache::open(false).enabled());
}

} // namespace
