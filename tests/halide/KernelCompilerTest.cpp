//===- KernelCompilerTest.cpp - Object files and target names -------------===//

#include "compiler/halide/KernelCompiler.h"
#include "tests/halide/TestUtil.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace kiln {
namespace {

namespace fs = std::filesystem;

fs::path makeTempDir() {
  std::string pattern =
      (fs::temp_directory_path() / "kiln_halide_test_XXXXXX").string();
  char *dir = mkdtemp(pattern.data());
  return dir ? fs::path(dir) : fs::path();
}

/// ELF e_machine of `path`, or -1 if it is not an ELF file.
int elfMachine(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char header[20] = {};
  if (!in.read(reinterpret_cast<char *>(header), sizeof(header)))
    return -1;
  if (header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' ||
      header[3] != 'F')
    return -1;
  return header[18] | (header[19] << 8); // Little-endian e_machine.
}

std::vector<KernelSpec> sampleSpecs() {
  KernelSpec conv;
  conv.kind = KernelKind::Conv2D;
  conv.name = "k_conv";
  conv.inputShapes = {{1, 3, 8, 8}, {4, 3, 3, 3}, {4}};
  conv.outputShape = {1, 4, 8, 8};
  conv.kernel = {3, 3};
  conv.pads = {1, 1, 1, 1};
  conv.hasBias = true;
  conv.activation = Activation::Relu;
  KernelSpec softmax;
  softmax.kind = KernelKind::Softmax;
  softmax.name = "k_softmax";
  softmax.inputShapes = {{1, 10}};
  softmax.outputShape = {1, 10};
  return {conv, softmax};
}

void compileFor(const std::string &target, int wantMachine) {
  fs::path dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  CodegenOptions options;
  options.target = target;
  options.outDir = dir.string();
  options.emitStmt = true;
  std::vector<std::string> objects;
  std::string error;
  ASSERT_TRUE(compileKernels(sampleSpecs(), options, objects, error)) << error;
  ASSERT_EQ(objects.size(), 3u);
  EXPECT_EQ(objects[0], (dir / "k_conv.o").string());
  EXPECT_EQ(objects[1], (dir / "k_softmax.o").string());
  EXPECT_EQ(objects[2], (dir / "halide_runtime.o").string());
  for (const std::string &object : objects) {
    EXPECT_GT(fs::file_size(object), 0u) << object;
    EXPECT_EQ(elfMachine(object), wantMachine) << object;
  }
  EXPECT_GT(fs::file_size(dir / "k_conv.stmt"), 0u);
  fs::remove_all(dir);
}

constexpr int kEmX86_64 = 62;
constexpr int kEmAArch64 = 183;

TEST(KernelCompiler, HostObjects) { compileFor("host", kEmX86_64); }

TEST(KernelCompiler, Arm64Objects) { compileFor("arm-64-linux", kEmAArch64); }

TEST(KernelCompiler, Avx512Objects) {
  compileFor("x86-64-linux-avx512", kEmX86_64);
}

TEST(KernelCompiler, ErrorNamesTheKernel) {
  std::vector<KernelSpec> specs = sampleSpecs();
  specs[1].outputShape = {1, 11};
  fs::path dir = makeTempDir();
  CodegenOptions options;
  options.outDir = dir.string();
  std::vector<std::string> objects;
  std::string error;
  EXPECT_FALSE(compileKernels(specs, options, objects, error));
  EXPECT_NE(error.find("k_softmax"), std::string::npos) << error;
  fs::remove_all(dir);
}

TEST(KernelCompiler, RejectsBadAndDuplicateNames) {
  fs::path dir = makeTempDir();
  CodegenOptions options;
  options.outDir = dir.string();
  std::vector<std::string> objects;
  std::string error;
  std::vector<KernelSpec> specs = sampleSpecs();
  specs[1].name = specs[0].name;
  EXPECT_FALSE(compileKernels(specs, options, objects, error));
  EXPECT_NE(error.find("k_conv"), std::string::npos) << error;
  for (const char *bad : {"not an identifier", "9lives", "halide_malloc",
                          "k_conv_argv", "k_conv_metadata"}) {
    specs[1].name = bad;
    EXPECT_FALSE(compileKernels(specs, options, objects, error)) << bad;
    EXPECT_NE(error.find(bad), std::string::npos) << error;
  }
  EXPECT_TRUE(objects.empty());
  fs::remove_all(dir);
}

TEST(ResolveTarget, KilnNames) {
  std::string t, error;
  ASSERT_TRUE(resolveTarget("x86-64-linux-avx2", t, error));
  EXPECT_EQ(t, "x86-64-linux-avx-avx2-f16c-fma-sse41");
  ASSERT_TRUE(resolveTarget("x86-64-linux-avx512", t, error));
  EXPECT_EQ(t, "x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41");
  ASSERT_TRUE(resolveTarget("arm-64-linux", t, error));
  EXPECT_EQ(t, "arm-64-linux");
  ASSERT_TRUE(resolveTarget("host", t, error));
  EXPECT_EQ(t.rfind("x86-64-linux", 0), 0u) << t;
  ASSERT_TRUE(resolveTarget("arm-64-linux-arm_dot_prod", t, error)) << error;
}

TEST(ResolveTarget, HalfRateWideVectors) {
  // AVX-512 tuned for Zen 4 (what `host` resolves to there) runs on
  // 256-bit units; named targets, AVX2 and ARM do not claim it.
  EXPECT_TRUE(halfRateWideVectorsOf(test::kZen4Avx512Target));
  EXPECT_FALSE(halfRateWideVectorsOf(test::kAvx512Target));
  EXPECT_FALSE(halfRateWideVectorsOf(
      "x86-64-linux-tune_znver4-avx-avx2-f16c-fma-sse41"));
  EXPECT_FALSE(halfRateWideVectorsOf("arm-64-linux"));
}

TEST(ResolveTarget, RejectsNonsense) {
  std::string t, error;
  EXPECT_FALSE(resolveTarget("nonsense-target", t, error));
  EXPECT_NE(error.find("nonsense-target"), std::string::npos) << error;
  EXPECT_FALSE(resolveTarget("", t, error));
}

} // namespace
} // namespace kiln
