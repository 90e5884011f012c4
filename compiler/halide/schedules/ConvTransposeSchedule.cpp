//===- ConvTransposeSchedule.cpp - GEMM tiles, then the col2im gather -----===//
//
// columns: computed once per call, column rows in parallel; each register
// tile holds 2 pixel vectors x 4 column rows (8 accumulators, within
// AVX2's 16 registers with the loads) while the input channels stream by.
// The output gathers its taps per vector of output columns.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

void scheduleConvTranspose(KernelFuncs &f, const CpuScheduleParams &p) {
  Func columns = f.convTransposeColumns, acc = f.convTransposeColumnsAcc;
  Var ix = columns.args()[0], iy = columns.args()[1], q = columns.args()[2],
      n = columns.args()[3];
  const std::vector<int64_t> &extent = f.convTransposeColumnsExtents;
  // Tiles never larger than the columns: ShiftInwards then keeps every
  // tile (and the reduction computed for it) inside them.
  int lanes = vectorLanesFor(extent[0], std::max(p.vectorLanes, 1));
  int pixels = extent[0] >= 2 * lanes ? 2 * lanes : lanes;
  int rows = (int)std::min<int64_t>(4, extent[2]);
  Var ixo("ixo"), ixi("ixi"), qo("qo"), qi("qi");
  columns.compute_root()
      .split(ix, ixo, ixi, pixels, TailStrategy::ShiftInwards)
      .split(q, qo, qi, rows, TailStrategy::ShiftInwards)
      .reorder(ixi, qi, ixo, iy, qo, n)
      .vectorize(ixi, lanes)
      .unroll(ixi)
      .unroll(qi);
  Var fused("qn");
  columns.fuse(qo, n, fused).parallel(fused);
  acc.compute_at(columns, ixo)
      .vectorize(ix, lanes)
      .unroll(ix)
      .unroll(q);
  RVar rc = acc.rvars()[0];
  acc.update().reorder(ix, q, rc, iy, n).vectorize(ix, lanes).unroll(ix).unroll(q);

  Func out = f.output, sum = f.accumulator;
  Var ox = f.vars[0], oy = f.vars[1], m = f.vars[2], on = f.vars[3];
  int outLanes = vectorLanesFor(f.extents[0], lanes);
  Var mn("mn");
  out.fuse(m, on, mn).parallel(mn);
  if (outLanes > 1)
    out.vectorize(ox, outLanes, TailStrategy::GuardWithIf);
  sum.compute_at(out, ox);
  if (outLanes > 1) {
    sum.vectorize(ox, outLanes);
    sum.update().vectorize(ox, outLanes);
  }
  sum.update().unroll(f.accumulatorDomain.x).unroll(f.accumulatorDomain.y);
}

} // namespace kiln
