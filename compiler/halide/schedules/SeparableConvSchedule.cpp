//===- SeparableConvSchedule.cpp - Fused depthwise + pointwise on CPU -----===//
//
// The pointwise stage is scheduled like a dense 1x1 conv (CpuSchedule.cpp):
// a register tile of `vectors` pixel vectors x `channels` output channels
// accumulates over all C input channels. The depthwise stage `mid` is
// computed at the pixel-tile loop, for the tile's pixels and all C
// channels, right before the channel blocks of that tile read it: the
// depthwise result lives in a tile-sized buffer (tile x C floats, in L1/L2)
// and the whole intermediate tensor never exists in memory.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"


namespace kiln {

using namespace Halide;

void scheduleSeparableConv(KernelFuncs &f, const CpuScheduleParams &p) {
  const ConvPlan &conv = f.conv;
  Func out = f.output, acc = f.accumulator, mid = f.depthwiseStage;
  RDom r = f.accumulatorDomain;
  Var q = conv.accVars[0], m = conv.accVars[1], n = conv.accVars[2];
  Var ox = f.vars[0], oy = f.vars[1], om = f.vars[2], on = f.vars[3];
  int64_t OW = f.extents[0], OH = f.extents[1];

  // Register tile as for a dense 1x1 conv. Pixel extents are rounded up
  // to whole tiles (RoundUp: the accumulator and the depthwise stage are
  // scratch, so the extra pixels are computed and dropped; a guarded tail
  // would run scalar).
  ConvTile t = convTile(conv, p);
  int lanes = t.lanes, channels = t.channels;
  int tile = t.lanes * t.vectors;

  // Row blocks: each task copies the padded input rows it reads, computes
  // the pointwise accumulator of R output rows (the depthwise stage per
  // register tile inside it) and applies the epilogue, so every
  // intermediate stays in L1/L2 and nothing but the input and the output
  // goes through memory. Small images are one block, parallel over tiles.
  int64_t pitch = f.flatRowPitch;
  int64_t rows = OH;
  constexpr int64_t kTargetBlocks = 8;
  if (OH >= 2 * kTargetBlocks && OH * pitch >= kTargetBlocks * 4 * tile)
    rows = (OH + kTargetBlocks - 1) / kTargetBlocks;
  bool blocked = rows < OH;

  Var yo("yo"), yi("yi");
  int outLanes = vectorLanesFor(OW, p.vectorLanes);
  if (blocked) {
    out.split(oy, yo, yi, (int)rows, TailStrategy::ShiftInwards)
        .reorder(ox, yi, om, yo, on)
        .parallel(yo);
  } else {
    Var mn("mn");
    out.fuse(om, on, mn).parallel(mn);
  }
  if (outLanes > 1)
    out.vectorize(ox, outLanes, TailStrategy::ShiftInwards);

  Var xo("xo"), xi("xi"), xu("xu"), xv("xv"), mo("mo"), mi("mi");
  if (blocked)
    acc.compute_at(out, yo);
  else
    acc.compute_root();
  if (lanes > 1)
    acc.vectorize(q, lanes, TailStrategy::RoundUp);
  Stage u = acc.update();
  u.split(q, xo, xi, tile, TailStrategy::RoundUp)
      .split(xi, xu, xv, lanes)
      .split(m, mo, mi, channels)
      .reorder(xv, xu, mi, r.z, mo, xo, n);
  if (lanes > 1)
    u.vectorize(xv);
  u.unroll(xu).unroll(mi);
  if (!blocked)
    u.parallel(xo);

  // Depthwise stage per register tile: all channels of the tile's pixels,
  // vectorized along the pixels (taps are unrolled in the expression).
  mid.compute_at(acc, xo);
  if (lanes > 1)
    mid.vectorize(mid.args()[0], lanes, TailStrategy::RoundUp);

  for (Func copy : f.paddedInputs) {
    if (blocked)
      copy.compute_at(out, yo);
    else
      copy.compute_root();
    schedulePhaseSplitCopy(copy, pitch, p, /*parallel=*/!blocked);
  }
}

} // namespace kiln
