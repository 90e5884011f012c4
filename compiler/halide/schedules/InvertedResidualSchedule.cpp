//===- InvertedResidualSchedule.cpp - Expand + separable stages on CPU ----===//
//
// The separable stages (depthwise per register tile inside the pointwise
// accumulator, SeparableConvSchedule.cpp) run per block of output rows;
// each block first computes the expand stage for the grid rows its
// depthwise taps read (its rows plus the halo), all phases and all E
// channels, into a block-sized buffer that stays in L2. The expanded
// tensor never exists whole; the price is recomputing the halo rows of
// each block, so blocks are as tall as that buffer's budget allows.
//
// The expand stage is a dense 1x1 conv on flat pixels: a register tile of
// `vectors` pixel vectors x `channels` expanded channels accumulates over
// the C input channels (convTile sizes it as for any flat-pixel conv), and
// its activation and padding mask are applied as the tile is stored.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

namespace {

/// Bytes of expanded tensor one block may hold: half of a 2 MiB L2,
/// leaving room for the input copy, the pointwise accumulator and the
/// weights. (MobileNetV2's 112x112 -> 56x56 block, 1 thread: 0.90 ms with
/// 512 KiB, 0.84 ms with 1 MiB, 0.97 ms with 2 MiB; fewer blocks recompute
/// fewer halo rows until the buffer no longer fits L2.)
constexpr int64_t kExpandBlockBytes = 1024 * 1024;

/// Output rows per block. The expand buffer of a block of R rows holds
/// R + halo grid rows of every phase; the halo rows are computed by both
/// neighbouring blocks, so fewer, taller blocks waste less. At least two
/// blocks (an even count) so two threads share the work evenly. Images
/// under 8 output rows are one block, parallel over tiles inside. 14x14
/// images are two blocks although the halo costs one thread ~18%
/// (MobileNetV2's seven 14x14 blocks, sum of kernel minimums: 1.66 ms as
/// one block, 1.96 ms as two): as one block the stages are split across
/// threads by pixel tiles, so each stage reads what the other core wrote
/// and two threads gave only 1.04-1.35x (1.40 ms); as two blocks every
/// block stays on one core, 1.7-1.9x (1.09 ms).
int64_t blockRows(const KernelFuncs &f) {
  int64_t OH = f.extents[1];
  const ConvPlan &ex = f.expandConv;
  int64_t wholeBytes = ex.outWidth * ex.outHeight * ex.channels * 4;
  if (OH < 8)
    return OH;
  int64_t blocks = std::max<int64_t>(2, (wholeBytes + kExpandBlockBytes - 1) /
                                            kExpandBlockBytes);
  blocks += blocks % 2;
  return (OH + blocks - 1) / blocks;
}

} // namespace

void scheduleInvertedResidual(KernelFuncs &f, const CpuScheduleParams &p) {
  if (f.conv.form == ConvForm::ChannelVectors) {
    scheduleInvertedResidualChannelVectors(f, p);
    return;
  }
  int64_t rows = blockRows(f);
  LoopLevel block = scheduleSeparableStages(f, p, rows);
  bool blocked = rows < f.extents[1];

  // Expand tiles: the consumer `ex` is split into register tiles and the
  // accumulator computed per tile, so the activation and the padding mask
  // are applied while the tile is still in registers.
  const ConvPlan &conv = f.expandConv;
  Func ex = f.expandStage, acc = f.expandAccumulator, mask = f.expandMask;
  RDom rc = f.expandDomain;
  Var i = conv.accVars[0], e = conv.accVars[1], ph = conv.accVars[2],
      n = conv.accVars[3];
  ConvTile t = convTile(conv, p);
  int tile = t.lanes * t.vectors;
  Var xo("ex_xo"), xi("ex_xi"), xu("ex_xu"), xv("ex_xv"), mo("ex_mo"),
      mi("ex_mi");
  ex.compute_at(block);
  // RoundUp: ex is a scratch buffer; a partial last tile is computed whole
  // (its extra cells read the input copy's zero border).
  ex.split(i, xo, xi, tile, TailStrategy::RoundUp)
      .split(xi, xu, xv, t.lanes)
      .split(e, mo, mi, t.channels)
      .reorder(xv, xu, mi, mo, xo, ph, n)
      .unroll(xu)
      .unroll(mi);
  if (t.lanes > 1)
    ex.vectorize(xv);
  if (!blocked)
    ex.parallel(xo);

  acc.compute_at(ex, mo);
  Var au("ex_au"), av("ex_av");
  if (t.lanes > 1)
    acc.vectorize(i, t.lanes);
  acc.unroll(e);
  Stage u = acc.update();
  u.split(i, au, av, t.lanes)
      .reorder(av, au, e, rc, ph, n)
      .unroll(au)
      .unroll(e);
  if (t.lanes > 1)
    u.vectorize(av);

  // The mask: once per block, one pass over the grid cells.
  mask.compute_at(block);
  int lanes = vectorLanesFor(conv.vecExtent, p.vectorLanes);
  if (lanes > 1)
    mask.vectorize(mask.args()[0], lanes, TailStrategy::RoundUp);
}

} // namespace kiln
