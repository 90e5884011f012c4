//===- DenseSchedule.cpp - Fully connected layers on CPU ------------------===//
//
// A classifier head is a matrix-vector product at batch 1: every weight is
// used once per row of x, so the layer streams the weight matrix and is
// bound by memory bandwidth. The weights are [N, K] with K contiguous, so the
// dot products are vectorized along K (rfactor: one partial sum per lane,
// reduced across lanes at the end), reading each weight row as dense
// vectors; 4 outputs share each loaded vector of x. Outputs are split into
// chunks that run in parallel. Packed weights (weight_block=4,
// compiler/kernels/DenseWeightLayout.h) hold each of a step's 4 rows in a
// region of its own, so the steps read 4 sequential streams side by side;
// the lanes are then 16 on every target (two AVX2 vectors, four NEON ones).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"
#include "compiler/kernels/DenseWeightLayout.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

bool scheduleDenseAlongK(const KernelSpec &spec, KernelFuncs &f,
                         const CpuScheduleParams &p) {
  int64_t K = spec.inputShapes[0][1], N = spec.outputShape[1];
  if (p.vectorLanes < 4)
    return false;
  bool packed = spec.weightBlock == kDenseWeightRows;
  int lanes = packed ? (int)kDenseWeightLanes : p.vectorLanes;
  // Short dot products gain nothing from a cross-lane reduction; the
  // generic per-output-vector schedule serves them.
  if (K % lanes != 0 || K < 8 * lanes || N < 4)
    return false;
  Func out = f.output, acc = f.accumulator;
  RDom r = f.accumulatorDomain;
  Var j = f.vars[0], m = f.vars[1];

  // One packed group of weight rows per step.
  constexpr int kOutputsPerStep = (int)kDenseWeightRows;
  int64_t chunks = std::min<int64_t>(p.minParallelTasks,
                                     (N + kOutputsPerStep - 1) /
                                         kOutputsPerStep);
  int64_t chunk = (N + chunks - 1) / chunks;
  chunk = (chunk + kOutputsPerStep - 1) / kOutputsPerStep * kOutputsPerStep;
  Var jo("jo"), ji("ji"), jj("jj");
  out.split(j, jo, ji, (int)std::min<int64_t>(chunk, N),
            TailStrategy::ShiftInwards)
      .parallel(jo);

  // acc(j, m) += x(r, m) * w(r, j): lane u of partial(u, j, m) sums the
  // terms r = ro * lanes + u; acc adds the lanes up at the end. Partial sums
  // are computed for 4 outputs at a time, so each x vector loaded feeds 4
  // FMAs (one per weight row).
  RVar ro("ro"), ri("ri");
  Var u("u");
  acc.compute_at(out, jo);
  Stage update = acc.update();
  update.split(r, ro, ri, lanes);
  Func partial = update.rfactor(ri, u);
  acc.split(j, jj, ji, kOutputsPerStep, TailStrategy::GuardWithIf);
  update.split(j, jj, ji, kOutputsPerStep, TailStrategy::GuardWithIf);
  // partial's pure vars are acc's (j, m) plus u; u innermost in storage
  // so each lane group is one dense vector.
  partial.reorder_storage(u, j, m);
  partial.compute_at(acc, jj).vectorize(u).unroll(j);
  partial.update().reorder(u, j, ro, m).vectorize(u).unroll(j);
  return true;
}

} // namespace kiln
