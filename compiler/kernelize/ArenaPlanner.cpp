//===- ArenaPlanner.cpp - Place activations in one arena ------------------===//
#include "compiler/kernelize/ArenaPlanner.h"

#include <algorithm>

namespace kiln {

static size_t alignUp(size_t v, size_t a) { return (v + a - 1) / a * a; }

std::vector<size_t> planArena(const std::vector<ArenaRequest> &requests,
                              size_t alignment, size_t &arenaBytes) {
  // Shared requests join their root's block: one block live over all of
  // their lifetimes, as large as the largest.
  size_t n = requests.size();
  std::vector<size_t> root(n);
  std::vector<ArenaRequest> blocks = requests;
  for (size_t i = 0; i < n; ++i) {
    size_t r = i;
    for (size_t hops = 0; requests[r].sharesWith >= 0 && hops < n; ++hops)
      r = (size_t)requests[r].sharesWith;
    root[i] = r;
  }
  for (size_t i = 0; i < n; ++i) {
    if (root[i] == i)
      continue;
    ArenaRequest &b = blocks[root[i]];
    b.bytes = std::max(b.bytes, requests[i].bytes);
    b.firstKernel = std::min(b.firstKernel, requests[i].firstKernel);
    b.lastKernel = std::max(b.lastKernel, requests[i].lastKernel);
  }
  std::vector<size_t> order;
  for (size_t i = 0; i < n; ++i)
    if (root[i] == i)
      order.push_back(i);
  // Large tensors first: they are the hardest to fit into gaps.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return blocks[a].bytes > blocks[b].bytes;
  });
  std::vector<size_t> offsets(n, 0);
  std::vector<size_t> placed;
  arenaBytes = 0;
  for (size_t r : order) {
    const ArenaRequest &req = blocks[r];
    size_t size = alignUp(std::max<size_t>(req.bytes, 1), alignment);
    // Blocks already placed that are live at the same time, by offset.
    std::vector<std::pair<size_t, size_t>> busy;
    for (size_t p : placed) {
      const ArenaRequest &o = blocks[p];
      if (o.firstKernel <= req.lastKernel && req.firstKernel <= o.lastKernel)
        busy.push_back({offsets[p], alignUp(std::max<size_t>(o.bytes, 1),
                                            alignment)});
    }
    std::sort(busy.begin(), busy.end());
    size_t offset = 0;
    for (auto [start, len] : busy) {
      if (offset + size <= start)
        break;
      offset = std::max(offset, start + len);
    }
    offsets[r] = offset;
    placed.push_back(r);
    arenaBytes = std::max(arenaBytes, offset + size);
  }
  for (size_t i = 0; i < n; ++i)
    offsets[i] = offsets[root[i]];
  return offsets;
}

} // namespace kiln
