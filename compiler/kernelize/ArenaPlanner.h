//===- ArenaPlanner.h - Place activations in one arena ----------*- C++ -*-===//
//
// Assigns byte offsets to tensors whose lifetimes are intervals of kernel
// indices, reusing memory between tensors that are never live together.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELIZE_ARENAPLANNER_H
#define KILN_COMPILER_KERNELIZE_ARENAPLANNER_H

#include <cstddef>
#include <vector>

namespace kiln {

struct ArenaRequest {
  size_t bytes = 0;
  /// Live from the kernel that writes it to the last kernel that reads it,
  /// both inclusive (so a kernel's output never overlaps its inputs).
  int firstKernel = 0, lastKernel = 0;
  /// Index of another request whose bytes this tensor takes over (a kernel
  /// that writes its output element by element over an input it reads
  /// last), or -1. Such requests get the same offset as the one they share
  /// (and as everything that one shares), and are placed as one block live
  /// over all of their lifetimes.
  int sharesWith = -1;
};

/// Returns one offset per request (each a multiple of `alignment`) and sets
/// `arenaBytes` to the size needed. Greedy: largest tensors (or groups of
/// shared ones) first, each at the lowest offset that overlaps no placed
/// tensor live at the same time.
std::vector<size_t> planArena(const std::vector<ArenaRequest> &requests,
                              size_t alignment, size_t &arenaBytes);

} // namespace kiln

#endif // KILN_COMPILER_KERNELIZE_ARENAPLANNER_H
