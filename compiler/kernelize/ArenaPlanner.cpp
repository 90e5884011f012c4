//===- ArenaPlanner.cpp - Place activations in one arena ------------------===//
#include "compiler/kernelize/ArenaPlanner.h"

#include <algorithm>
#include <numeric>

namespace kiln {

static size_t alignUp(size_t v, size_t a) { return (v + a - 1) / a * a; }

std::vector<size_t> planArena(const std::vector<ArenaRequest> &requests,
                              size_t alignment, size_t &arenaBytes) {
  std::vector<size_t> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  // Large tensors first: they are the hardest to fit into gaps.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return requests[a].bytes > requests[b].bytes;
  });
  std::vector<size_t> offsets(requests.size(), 0);
  std::vector<size_t> placed;
  arenaBytes = 0;
  for (size_t r : order) {
    const ArenaRequest &req = requests[r];
    size_t size = alignUp(std::max<size_t>(req.bytes, 1), alignment);
    // Blocks already placed that are live at the same time, by offset.
    std::vector<std::pair<size_t, size_t>> busy;
    for (size_t p : placed) {
      const ArenaRequest &o = requests[p];
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
  return offsets;
}

} // namespace kiln
