//===- ArenaPlannerTest.cpp - Arena placement is safe and reuses memory ---===//
#include "compiler/kernelize/ArenaPlanner.h"

#include <gtest/gtest.h>
#include <random>

using kiln::ArenaRequest;
using kiln::planArena;

namespace {

/// The safety property, checked independently of the planner: tensors live
/// at the same time never share a byte, and every offset is aligned.
void expectSafe(const std::vector<ArenaRequest> &reqs,
                const std::vector<size_t> &offsets, size_t arena,
                size_t align) {
  ASSERT_EQ(offsets.size(), reqs.size());
  for (size_t i = 0; i < reqs.size(); ++i) {
    EXPECT_EQ(offsets[i] % align, 0u);
    EXPECT_LE(offsets[i] + reqs[i].bytes, arena);
    for (size_t j = i + 1; j < reqs.size(); ++j) {
      bool together = reqs[i].firstKernel <= reqs[j].lastKernel &&
                      reqs[j].firstKernel <= reqs[i].lastKernel;
      bool disjoint = offsets[i] + reqs[i].bytes <= offsets[j] ||
                      offsets[j] + reqs[j].bytes <= offsets[i];
      if (together)
        EXPECT_TRUE(disjoint) << "tensors " << i << " and " << j;
    }
  }
}

TEST(ArenaPlanner, ChainReusesMemory) {
  // a -> b -> c -> d, each 1000 bytes: at most two are live at once.
  std::vector<ArenaRequest> reqs = {
      {1000, 0, 1}, {1000, 1, 2}, {1000, 2, 3}, {1000, 3, 4}};
  size_t arena = 0;
  auto offsets = planArena(reqs, 64, arena);
  expectSafe(reqs, offsets, arena, 64);
  EXPECT_EQ(arena, 2u * 1024u); // two 64-byte-aligned 1000-byte blocks
}

TEST(ArenaPlanner, SkipConnectionStaysLive) {
  // A residual input (0..3) must not be overwritten by 1 or 2.
  std::vector<ArenaRequest> reqs = {{512, 0, 3}, {512, 1, 2}, {512, 2, 3}};
  size_t arena = 0;
  auto offsets = planArena(reqs, 64, arena);
  expectSafe(reqs, offsets, arena, 64);
  EXPECT_EQ(arena, 3u * 512u);
}

TEST(ArenaPlanner, SharedRequestsTakeOverTheirBytes) {
  // 0 -> 1 -> 2 (2 written over 1, its residual, in place; 1 over 0 the
  // same way), 3 live beside the chain: the chain is one block live over
  // 0..4, and 3 (live at 2..3) must not overlap it.
  std::vector<ArenaRequest> reqs = {
      {1000, 0, 1}, {1000, 1, 2, 0}, {1000, 2, 4, 1}, {500, 2, 3}};
  size_t arena = 0;
  auto offsets = planArena(reqs, 64, arena);
  EXPECT_EQ(offsets[0], offsets[1]);
  EXPECT_EQ(offsets[1], offsets[2]);
  bool disjoint =
      offsets[3] + 500 <= offsets[0] || offsets[0] + 1024 <= offsets[3];
  EXPECT_TRUE(disjoint);
  EXPECT_EQ(arena, 1024u + 512u);
}

TEST(ArenaPlanner, RandomSharedChainsAreSafe) {
  // Chains of shared requests are placed as blocks: every member at its
  // root's offset, no other tensor live beside any member overlapping it.
  std::mt19937 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<ArenaRequest> reqs(2 + rng() % 30);
    std::vector<bool> taken(reqs.size(), false);
    for (size_t i = 0; i < reqs.size(); ++i) {
      ArenaRequest &r = reqs[i];
      r.bytes = 1 + rng() % 3000;
      r.firstKernel = rng() % 25;
      r.lastKernel = r.firstKernel + rng() % 5;
      size_t o = i > 0 ? rng() % i : 0;
      if (i > 0 && !taken[o] && rng() % 3 == 0) {
        // Written over an earlier tensor at that one's last read (each
        // tensor's last reader writes over it at most once).
        taken[o] = true;
        r.sharesWith = (int)o;
        r.bytes = reqs[o].bytes;
        r.firstKernel = reqs[o].lastKernel;
        r.lastKernel = r.firstKernel + rng() % 5;
      }
    }
    size_t arena = 0;
    auto offsets = planArena(reqs, 64, arena);
    std::vector<size_t> root(reqs.size());
    for (size_t i = 0; i < reqs.size(); ++i) {
      root[i] = reqs[i].sharesWith < 0 ? i : root[reqs[i].sharesWith];
      EXPECT_EQ(offsets[i], offsets[root[i]]);
      EXPECT_EQ(offsets[i] % 64, 0u);
      EXPECT_LE(offsets[i] + reqs[i].bytes, arena);
    }
    for (size_t i = 0; i < reqs.size(); ++i)
      for (size_t j = i + 1; j < reqs.size(); ++j) {
        if (root[i] == root[j])
          continue;
        bool together = reqs[i].firstKernel <= reqs[j].lastKernel &&
                        reqs[j].firstKernel <= reqs[i].lastKernel;
        bool disjoint = offsets[i] + reqs[i].bytes <= offsets[j] ||
                        offsets[j] + reqs[j].bytes <= offsets[i];
        if (together)
          EXPECT_TRUE(disjoint) << "trial " << trial << ": " << i << ", " << j;
      }
  }
}

TEST(ArenaPlanner, RandomIntervalsAreSafe) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<ArenaRequest> reqs(1 + rng() % 40);
    size_t sum = 0;
    for (auto &r : reqs) {
      r.bytes = 1 + rng() % 5000;
      r.firstKernel = rng() % 30;
      r.lastKernel = r.firstKernel + rng() % 6;
      sum += (r.bytes + 63) / 64 * 64;
    }
    size_t arena = 0;
    auto offsets = planArena(reqs, 64, arena);
    expectSafe(reqs, offsets, arena, 64);
    EXPECT_LE(arena, sum);
  }
}

} // namespace
