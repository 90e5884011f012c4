//===- ChannelBlockedPoolSchedule.cpp - Pools on NCHW16c tensors ----------===//
//
// Pools whose tensors are channel-blocked (kernels/ActivationLayout.h):
// every pixel's 16 channels are one vector, so both pools vectorize over
// the channels of a block and every tap is a dense load.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"

namespace kiln {

using namespace Halide;

/// out(ox, oy, c, n) over a blocked input: vectors of channels, tasks of 8
/// vectors; each vector's sum over the plane is computed in place.
void scheduleBlockedGlobalAvgPool(KernelFuncs &f, const CpuScheduleParams &p) {
  Func out = f.output, acc = f.accumulator;
  RDom r = f.accumulatorDomain;
  Var c = f.vars[2], co("co"), cv("cv"), ci("ci");
  int lanes = vectorLanesFor(f.extents[2], p.vectorLanes);
  out.split(c, co, ci, lanes * 8, TailStrategy::GuardWithIf)
      .split(ci, cv, ci, lanes, TailStrategy::GuardWithIf)
      .vectorize(ci)
      .parallel(co);
  acc.compute_at(out, cv).vectorize(c, lanes);
  acc.update().reorder(c, r.x, r.y).vectorize(c, lanes);
}

/// out(k, ox, oy, cb, n): 16-channel vectors along output rows; tasks are
/// blocks of 4 output rows with every channel block inside, so a thread
/// reads the rows the kernel before (split by rows too) left in its cache.
void scheduleBlockedMaxPool(KernelFuncs &f, const CpuScheduleParams &p) {
  Func out = f.output;
  Var k = f.vars[0], ox = f.vars[1], oy = f.vars[2], cb = f.vars[3],
      n = f.vars[4];
  Var yo("yo"), yi("yi"), task("task");
  int lanes = vectorLanesFor(f.extents[0], p.vectorLanes);
  out.split(oy, yo, yi, 4, TailStrategy::GuardWithIf)
      .reorder(k, ox, yi, cb, yo, n)
      .fuse(yo, n, task)
      .parallel(task);
  vectorizeChannelBlock(out, k, lanes);
}

} // namespace kiln
