//===- CpuSchedule.cpp - Vectorized, multithreaded CPU schedule -----------===//
//
// One loop structure for x86 (AVX2 / AVX-512) and ARM NEON; the families
// differ in vector width, taken from the Halide target. Correct and simple
// first; per-kernel tuning (register tiling over channels, rfactor for
// long reductions) comes later.
//
// Output: dim 0 (innermost, contiguous in memory) is vectorized so loads and
// stores are dense; the outermost dims are fused and run in parallel so every
// task writes a disjoint slab of the output. Reductions (conv, pooling,
// dense) are computed per output vector with the vector lanes innermost and
// the reduction loops around them, so each lane accumulates in a register.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

CpuScheduleParams cpuScheduleParams(const Target &target) {
  CpuScheduleParams p;
  // The target's features decide the widest float vector: 16 lanes with
  // AVX-512, 8 with AVX/AVX2, 4 with SSE or NEON.
  p.vectorLanes = std::max(1, target.natural_vector_size(Float(32)));
  return p;
}

namespace {

/// Widest power of two <= both `lanes` and `extent`. An output's last vector
/// is shifted inwards to stay inside the buffer, which needs extent >= lanes.
int lanesFor(int64_t extent, int lanes) {
  int v = std::max(1, lanes);
  while (v > 1 && v > extent)
    v /= 2;
  return v;
}

/// Schedules the output; returns the loop at which per-vector work (the
/// accumulator) is computed.
LoopLevel scheduleOutput(KernelFuncs &f, const CpuScheduleParams &p) {
  Func out = f.output;
  size_t rank = f.vars.size();
  if (rank == 0)
    return LoopLevel::root();
  Var v0 = f.vars[0];
  int lanes = lanesFor(f.extents[0], p.vectorLanes);
  if (lanes > 1)
    out.vectorize(v0, lanes, TailStrategy::ShiftInwards);

  // Fuse outer dims, outermost first, until there are enough tasks.
  int64_t tasks = 1;
  size_t firstParallel = rank;
  while (firstParallel > 1 && tasks < p.minParallelTasks) {
    --firstParallel;
    tasks *= f.extents[firstParallel];
  }
  if (tasks > 1) {
    Var fused = f.vars[rank - 1];
    for (size_t d = rank - 1; d-- > firstParallel;) {
      Var next("par" + std::to_string(d));
      out.fuse(f.vars[d], fused, next);
      fused = next;
    }
    out.parallel(fused);
    return LoopLevel(out, v0);
  }

  // A single row (e.g. a [1, N] classifier): split its vectors into chunks
  // and run the chunks in parallel instead.
  int64_t vectors = (f.extents[0] + lanes - 1) / lanes;
  if (vectors >= 4) {
    int64_t chunk = std::max<int64_t>(1, (vectors + p.minParallelTasks - 1) /
                                             p.minParallelTasks);
    Var chunks("chunk");
    out.split(v0, chunks, v0, (int)chunk, TailStrategy::ShiftInwards)
        .parallel(chunks);
  }
  return LoopLevel(out, v0);
}

void scheduleAccumulator(KernelFuncs &f, const LoopLevel &at,
                         const CpuScheduleParams &p) {
  if (!f.accumulator.defined())
    return;
  Func acc = f.accumulator;
  acc.compute_at(at);
  if (f.vars.empty())
    return;
  // One output vector needs exactly `lanes` accumulator values along dim 0,
  // so RoundUp (the default for inner Funcs) never widens the region.
  int lanes = lanesFor(f.extents[0], p.vectorLanes);
  std::vector<VarOrRVar> order{f.vars[0]};
  for (int i = 0; i < f.accumulatorDomain.dimensions(); ++i)
    order.push_back(f.accumulatorDomain[i]);
  for (size_t d = 1; d < f.vars.size(); ++d)
    order.push_back(f.vars[d]);
  acc.update().reorder(order);
  if (lanes > 1) {
    acc.vectorize(f.vars[0], lanes);
    acc.update().vectorize(f.vars[0], lanes);
  }
}

/// Materializes padded inputs once per call, channels in parallel. The copy
/// costs one pass over the input; in exchange every window tap is a plain
/// (vector) load instead of a clamp and select on its coordinates.
void schedulePaddedInputs(KernelFuncs &f, const CpuScheduleParams &p) {
  for (Func padded : f.paddedInputs) {
    // Padded Funcs are (x, y, c, n); bounds inference sizes them from the
    // windows the output reads, so only the needed pad cells are written.
    std::vector<Var> v = padded.args();
    padded.compute_root();
    Var fused("pad_cn");
    padded.fuse(v[2], v[3], fused).parallel(fused);
    padded.vectorize(v[0], p.vectorLanes, TailStrategy::GuardWithIf);
  }
}

void scheduleStats(KernelFuncs &f, const CpuScheduleParams &p) {
  for (Func stat : f.stats) {
    // Whole-tensor row statistics: computed once, before the output.
    stat.compute_root();
    if (f.statVars.empty())
      continue;
    Var s0 = f.statVars[0];
    int lanes = lanesFor(f.statExtents[0], p.vectorLanes);
    // The reduction update cannot recompute lanes (ShiftInwards would add
    // twice) nor round up (reads past the input): guard a ragged tail.
    TailStrategy updateTail = f.statExtents[0] % lanes == 0
                                  ? TailStrategy::RoundUp
                                  : TailStrategy::GuardWithIf;
    std::vector<VarOrRVar> order{s0};
    for (int i = 0; i < f.statDomain.dimensions(); ++i)
      order.push_back(f.statDomain[i]);
    stat.update().reorder(order);
    if (lanes > 1) {
      stat.vectorize(s0, lanes, TailStrategy::ShiftInwards);
      stat.update().vectorize(s0, lanes, updateTail);
    }
    if (f.statVars.size() >= 2 && f.statExtents.back() > 1) {
      stat.parallel(f.statVars.back());
      stat.update().parallel(f.statVars.back());
    }
  }
}

} // namespace

void scheduleForCpu(const KernelSpec &spec, KernelFuncs &funcs,
                    const CpuScheduleParams &params) {
  (void)spec; // Kind-specific tuning will key off the spec.
  LoopLevel perVector = scheduleOutput(funcs, params);
  scheduleAccumulator(funcs, perVector, params);
  schedulePaddedInputs(funcs, params);
  scheduleStats(funcs, params);
}

} // namespace kiln
