//===- ElfDataObjectTest.cpp - The weights object, linked by the system ---===//
//
// The reference is the target's own toolchain: a C program linked against
// the written object must see the symbol at a 64-byte aligned address with
// the exact bytes and size. AArch64 runs under qemu where installed.
//
//===----------------------------------------------------------------------===//
#include "compiler/link/ElfDataObject.h"
#include "compiler/link/Toolchain.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <vector>

namespace fs = std::filesystem;
using namespace kiln;

namespace {

// Prints "<aligned> <size> <sum of (i + 1) * byte[i] mod 2^32>".
const char *kChecker = R"(#include <stdint.h>
#include <stdio.h>
extern const unsigned char blob_under_test[];
int main(void) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < BLOB_SIZE; ++i)
    sum += (i + 1) * blob_under_test[i];
  printf("%d %u %u\n", (int)(((uintptr_t)blob_under_test) % 64 == 0),
         (unsigned)BLOB_SIZE, sum);
  return 0;
}
)";

struct Built {
  fs::path dir;
  std::string output;
  int rc = -1;
};

Built linkAndRun(ElfMachine machine, const std::vector<unsigned char> &bytes,
                 const std::vector<std::string> &cc,
                 const std::vector<std::string> &runner) {
  Built b;
  b.dir = fs::temp_directory_path() /
          ("kiln-elf-test-" +
           std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
           (machine == ElfMachine::AArch64 ? "-a64" : "-x64") +
           std::to_string(bytes.size()));
  fs::remove_all(b.dir);
  fs::create_directories(b.dir);
  std::string error;
  std::string object = (b.dir / "blob.o").string();
  EXPECT_TRUE(writeElfDataObject(object, machine, "blob_under_test",
                                 bytes.data(), bytes.size(), error))
      << error;
  std::ofstream((b.dir / "check.c").string()) << kChecker;
  std::vector<std::string> cmd = cc;
  cmd.insert(cmd.end(), {"-DBLOB_SIZE=" + std::to_string(bytes.size()) + "u",
                         (b.dir / "check.c").string(), object, "-o",
                         (b.dir / "check").string()});
  b.rc = runCommand(cmd, b.output);
  if (b.rc != 0)
    return b;
  cmd = runner;
  cmd.push_back((b.dir / "check").string());
  b.rc = runCommand(cmd, b.output);
  return b;
}

std::string expected(const std::vector<unsigned char> &bytes) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < bytes.size(); ++i)
    sum += (i + 1) * bytes[i];
  return "1 " + std::to_string(bytes.size()) + " " + std::to_string(sum) + "\n";
}

std::vector<unsigned char> pattern(size_t n) {
  std::vector<unsigned char> v(n);
  uint32_t x = 12345;
  for (unsigned char &c : v) {
    x = x * 1103515245u + 12345u;
    c = (unsigned char)(x >> 16);
  }
  return v;
}

bool haveTool(const std::string &name) {
  std::string out;
  return runCommand({name, "--version"}, out) == 0;
}

TEST(ElfDataObject, HostLinkSeesExactBytesAligned) {
  for (size_t n : {0u, 1u, 63u, 64u, 1000003u}) {
    std::vector<unsigned char> bytes = pattern(n);
    Built b = linkAndRun(ElfMachine::X86_64, bytes, {"cc", "-O1"}, {});
    ASSERT_EQ(b.rc, 0) << b.output;
    EXPECT_EQ(b.output, expected(bytes)) << "size " << n;
    fs::remove_all(b.dir);
  }
}

TEST(ElfDataObject, SymbolIsGlobalReadOnlyDataOfTheBlobsSize) {
  std::vector<unsigned char> bytes = pattern(4099);
  fs::path object = fs::temp_directory_path() / "kiln-elf-test-nm.o";
  std::string error, out;
  ASSERT_TRUE(writeElfDataObject(object.string(), ElfMachine::X86_64,
                                 "blob_under_test", bytes.data(), bytes.size(),
                                 error))
      << error;
  ASSERT_EQ(runCommand({"nm", "-S", "--defined-only", object.string()}, out), 0)
      << out;
  // 4099 = 0x1003; 'R': global, read-only data.
  EXPECT_EQ(out, "0000000000000000 0000000000001003 R blob_under_test\n");
  fs::remove(object);
}

TEST(ElfDataObject, EveryInstalledLinkerAcceptsIt) {
  std::vector<unsigned char> bytes = pattern(4099);
  for (const char *ld : {"bfd", "gold", "lld"}) {
    if (!haveTool(std::string("ld.") + ld))
      continue;
    Built b = linkAndRun(ElfMachine::X86_64, bytes,
                         {"cc", std::string("-fuse-ld=") + ld}, {});
    ASSERT_EQ(b.rc, 0) << ld << ": " << b.output;
    EXPECT_EQ(b.output, expected(bytes)) << ld;
    fs::remove_all(b.dir);
  }
}

TEST(ElfDataObject, AArch64LinkUnderQemu) {
  if (!haveTool("aarch64-linux-gnu-gcc") || !haveTool("qemu-aarch64"))
    GTEST_SKIP() << "no aarch64 cross toolchain or qemu-aarch64";
  std::vector<unsigned char> bytes = pattern(777);
  Built b = linkAndRun(ElfMachine::AArch64, bytes,
                       {"aarch64-linux-gnu-gcc", "-static"}, {"qemu-aarch64"});
  ASSERT_EQ(b.rc, 0) << b.output;
  EXPECT_EQ(b.output, expected(bytes));
  fs::remove_all(b.dir);
}

TEST(ElfDataObject, UnwritablePathIsAnError) {
  std::string error;
  unsigned char byte = 1;
  EXPECT_FALSE(writeElfDataObject("/nonexistent-dir/blob.o", ElfMachine::X86_64,
                                  "s", &byte, 1, error));
  EXPECT_NE(error.find("/nonexistent-dir/blob.o"), std::string::npos) << error;
}

} // namespace
