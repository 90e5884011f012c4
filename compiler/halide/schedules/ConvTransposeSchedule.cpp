//===- ConvTransposeSchedule.cpp - GEMM tiles, then the col2im gather -----===//
//
// columns: computed once per call, input rows in parallel; each register
// tile holds 2 pixel vectors x 6 column rows (12 accumulators, within
// AVX2's 16 registers with the loads) while the input channels stream by,
// and every column row of one pixel tile is computed before the next
// tile, so the tile's input channels stay in L1 and the weights in L2.
// The output's phases are computed per output row, vectors along them.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

void scheduleConvTranspose(KernelFuncs &f, const CpuScheduleParams &p) {
  const ConvTransposeStages &stages = *f.convTranspose;
  Func columns = stages.columns, acc = stages.columnsAcc;
  Var ix = columns.args()[0], iy = columns.args()[1], q = columns.args()[2],
      n = columns.args()[3];
  const std::vector<int64_t> &extent = stages.columnsExtents;
  // Tiles never larger than the columns: ShiftInwards then keeps every
  // tile (and the reduction computed for it) inside them.
  int lanes = vectorLanesFor(extent[0], std::max(p.vectorLanes, 1));
  int pixels = extent[0] >= 2 * lanes ? 2 * lanes : lanes;
  int rows = (int)std::min<int64_t>(6, extent[2]);
  Var ixo("ixo"), ixi("ixi"), qo("qo"), qi("qi");
  columns.compute_root()
      .split(ix, ixo, ixi, pixels, TailStrategy::ShiftInwards)
      .split(q, qo, qi, rows, TailStrategy::ShiftInwards)
      .reorder(ixi, qi, qo, ixo, iy, n)
      .vectorize(ixi, lanes)
      .unroll(ixi)
      .unroll(qi);
  Var fused("iyn");
  columns.fuse(iy, n, fused).parallel(fused);
  acc.compute_at(columns, qo)
      .vectorize(ix, lanes)
      .unroll(ix)
      .unroll(q);
  RVar rc = acc.rvars()[0];
  acc.update().reorder(ix, q, rc, iy, n).vectorize(ix, lanes).unroll(ix).unroll(q);

  // Output rows in parallel per channel; each row's phases are computed
  // right before it: per phase b (unrolled, so which taps hit is a
  // constant), vectors along a, the taps unrolled.
  Func out = f.output, ph = stages.phases;
  Var ox = f.vars[0], oy = f.vars[1], m = f.vars[2], on = f.vars[3];
  int outLanes = vectorLanesFor(f.extents[0], lanes);
  Var mn("mn"), oyo("oyo"), oyi("oyi");
  int sh = stages.rowStride;
  out.fuse(m, on, mn).parallel(mn);
  // Rows in groups of sh (one of each row phase), the phases computed once
  // per group, their row phase unrolled as well.
  if (sh > 1 && f.extents[1] >= sh)
    out.split(oy, oyo, oyi, sh, TailStrategy::ShiftInwards).unroll(oyi);
  else
    oyo = oy;
  if (outLanes > 1)
    out.vectorize(ox, outLanes, TailStrategy::GuardWithIf);
  Var b = ph.args()[0], a = ph.args()[1], by = ph.args()[2];
  RDom r = stages.taps;
  ph.compute_at(out, oyo).reorder(a, b, by).unroll(b).unroll(by);
  ph.update()
      .reorder(a, r.x, r.y, b, by)
      .unroll(r.x)
      .unroll(r.y)
      .unroll(b)
      .unroll(by);
  if (outLanes > 1) {
    ph.vectorize(a, outLanes);
    ph.update().vectorize(a, outLanes);
  }
}

} // namespace kiln
