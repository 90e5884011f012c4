//===- ScratchTest.cpp - The kernels' reused scratch memory ---------------===//
//
// kiln_scratch.h against its contract: aligned blocks with readable slack,
// a freed block handed out again to a request it fits (and not to one it
// would waste more than half of), the per-thread cache bounded in blocks
// and bytes, and the allocator installed as Halide's while referenced.
//
//===----------------------------------------------------------------------===//

#include "runtime/kiln_scratch.h"

#include "HalideRuntime.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

namespace {

class Scratch : public ::testing::Test {
protected:
  void SetUp() override { kiln_scratch_flush_thread(); }
  void TearDown() override { kiln_scratch_flush_thread(); }
};

TEST_F(Scratch, BlocksAreAlignedWithSlackAround) {
  for (size_t bytes :
       {size_t(1), size_t(63), size_t(64), size_t(1000), size_t(1) << 20}) {
    auto *p = static_cast<unsigned char *>(kiln_scratch_malloc(nullptr, bytes));
    ASSERT_NE(p, nullptr) << bytes;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u) << bytes;
    // The whole rounded-up size is usable, and 64 bytes either side are
    // readable (Halide's contract).
    size_t rounded = (bytes + 63) / 64 * 64;
    std::memset(p, 0x5a, rounded);
    volatile unsigned char before = p[-64], after = p[rounded + 63];
    (void)before;
    (void)after;
    kiln_scratch_free(nullptr, p);
  }
}

TEST_F(Scratch, FreedBlockServesTheSameRequestAgain) {
  void *p = kiln_scratch_malloc(nullptr, 100000);
  kiln_scratch_free(nullptr, p);
  EXPECT_EQ(kiln_scratch_cached_blocks(), 1);
  EXPECT_EQ(kiln_scratch_cached_bytes(), 100032u);
  void *q = kiln_scratch_malloc(nullptr, 100000);
  EXPECT_EQ(q, p);
  EXPECT_EQ(kiln_scratch_cached_blocks(), 0);
  EXPECT_EQ(kiln_scratch_cached_bytes(), 0u);
  kiln_scratch_free(nullptr, q);
}

TEST_F(Scratch, PicksTheSmallestBlockThatFitsWithinTwice) {
  void *big = kiln_scratch_malloc(nullptr, 1 << 20);
  void *mid = kiln_scratch_malloc(nullptr, 300000);
  void *small = kiln_scratch_malloc(nullptr, 200000);
  kiln_scratch_free(nullptr, big);
  kiln_scratch_free(nullptr, mid);
  kiln_scratch_free(nullptr, small);
  // 250000: mid (300000) fits and is smallest; small is too small.
  void *a = kiln_scratch_malloc(nullptr, 250000);
  EXPECT_EQ(a, mid);
  // 1000 bytes would waste more than half of any cached block: new.
  void *b = kiln_scratch_malloc(nullptr, 1000);
  EXPECT_NE(b, big);
  EXPECT_NE(b, small);
  EXPECT_EQ(kiln_scratch_cached_blocks(), 2);
  kiln_scratch_free(nullptr, a);
  kiln_scratch_free(nullptr, b);
}

TEST_F(Scratch, CacheKeepsTheMostRecentlyFreedSlots) {
  std::vector<void *> blocks;
  for (int i = 0; i < KILN_SCRATCH_SLOTS + 8; ++i)
    blocks.push_back(kiln_scratch_malloc(nullptr, 4096));
  for (void *p : blocks)
    kiln_scratch_free(nullptr, p);
  EXPECT_EQ(kiln_scratch_cached_blocks(), KILN_SCRATCH_SLOTS);
  // The last freed block comes back; the first 8 were dropped.
  std::vector<void *> again;
  for (int i = 0; i < KILN_SCRATCH_SLOTS; ++i)
    again.push_back(kiln_scratch_malloc(nullptr, 4096));
  for (int i = 0; i < 8; ++i)
    for (void *p : again)
      EXPECT_NE(p, blocks[i]);
  EXPECT_EQ(kiln_scratch_cached_blocks(), 0);
  for (void *p : again)
    kiln_scratch_free(nullptr, p);
}

TEST_F(Scratch, CacheStaysWithinItsByteBudget) {
  const size_t block = KILN_SCRATCH_MAX_CACHED / 4;
  std::vector<void *> blocks;
  for (int i = 0; i < 5; ++i)
    blocks.push_back(kiln_scratch_malloc(nullptr, block));
  for (void *p : blocks)
    kiln_scratch_free(nullptr, p);
  EXPECT_LE(kiln_scratch_cached_bytes(), (size_t)KILN_SCRATCH_MAX_CACHED);
  EXPECT_EQ(kiln_scratch_cached_blocks(), 4);
  // A block larger than the budget is freed, not cached.
  void *huge = kiln_scratch_malloc(nullptr, KILN_SCRATCH_MAX_CACHED + 64);
  kiln_scratch_free(nullptr, huge);
  EXPECT_EQ(kiln_scratch_cached_blocks(), 4);
}

TEST_F(Scratch, EachThreadHasItsOwnCache) {
  void *p = kiln_scratch_malloc(nullptr, 8192);
  kiln_scratch_free(nullptr, p);
  int otherBlocks = -1;
  void *otherGot = nullptr;
  std::thread t([&] {
    otherGot = kiln_scratch_malloc(nullptr, 8192);
    kiln_scratch_free(nullptr, otherGot);
    otherBlocks = kiln_scratch_cached_blocks();
  }); // its cache is freed when it exits
  t.join();
  EXPECT_EQ(otherBlocks, 1);
  EXPECT_NE(otherGot, p);
  EXPECT_EQ(kiln_scratch_cached_blocks(), 1);
}

TEST_F(Scratch, InstalledAsHalidesAllocatorWhileReferenced) {
  kiln_scratch_acquire();
  kiln_scratch_acquire();
  void *p = halide_malloc(nullptr, 5000);
  halide_free(nullptr, p);
  EXPECT_EQ(kiln_scratch_cached_blocks(), 1);
  kiln_scratch_release();
  p = halide_malloc(nullptr, 5000);
  halide_free(nullptr, p);
  EXPECT_EQ(kiln_scratch_cached_blocks(), 1); // still installed
  kiln_scratch_release();                     // last: flushes, uninstalls
  EXPECT_EQ(kiln_scratch_cached_blocks(), 0);
  p = halide_malloc(nullptr, 5000);
  halide_free(nullptr, p);
  EXPECT_EQ(kiln_scratch_cached_blocks(), 0);
}

} // namespace
