//===- BalancedRowBlocks.cpp - Row blocks that balance across threads -----===//
//
// Row-blocked kernels run one block per task. The thread count is only
// known at run time, and an odd block count wastes a thread at the end of
// the kernel (5 blocks on 2 threads: 3 block-times instead of 2.5; this is
// what ResNet-50's 56x56 1x1 convs and MobileNetV2's 28x28 separable convs
// did). The chooser scores each allowed block height by its makespan on 1,
// 2 and 4 threads relative to a perfect split.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"

namespace kiln {

int64_t balancedBlockRows(int64_t height, double overheadRows,
                          const std::function<bool(int64_t)> &allowed) {
  int64_t best = 0;
  double bestScore = 1e300;
  for (int64_t rows = 1; rows < height; ++rows) {
    if (!allowed(rows))
      continue;
    // ShiftInwards: every block is full; the last overlaps its neighbour.
    int64_t blocks = (height + rows - 1) / rows;
    double task = (double)rows + overheadRows;
    double score = 0;
    const int threads[] = {1, 2, 2, 4}; // 2 threads count double
    for (int t : threads) {
      int64_t rounds = (blocks + t - 1) / t;
      score += rounds * task * t / (double)height;
    }
    // Ties go to taller blocks (less per-task overhead than modelled).
    if (score <= bestScore + 1e-9) {
      bestScore = score;
      best = rows;
    }
  }
  return best;
}

} // namespace kiln
