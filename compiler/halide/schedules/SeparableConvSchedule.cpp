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

void splitChannelVectorDepthwise(Func mid, int lanes) {
  Var j = mid.args()[0], x = mid.args()[1], y = mid.args()[2],
      cb = mid.args()[3], n = mid.args()[4];
  Var xo("mid_xo"), xi("mid_xi");
  // Four pixels side by side: independent chains of tap FMAs, and at
  // stride 1 neighbouring pixels share tap loads. A block of several
  // vectors (AVX2: 2) runs them one after the other around the pixels:
  // the 3x3 taps' weight vectors of both (18) and 8 accumulators did not
  // fit 16 registers and spilled inside the tile (MobileNetV2 on an AMD
  // EPYC: its 112x112 separable conv 0.39 -> 0.33 ms, the inverted
  // residual and other separable kernels 3-5 % faster, kernel sum -2.3 %).
  ChannelBlockLoops l = vectorizeChannelBlock(mid, j, lanes);
  mid.split(x, xo, xi, 4, TailStrategy::RoundUp)
      .reorder(l.lanes, xi, l.vectors, xo, y, cb, n)
      .unroll(xi);
}

namespace {

/// The depthwise stage and an NCHW input's padded copy of the
/// channel-vector form (ConvPlan::blockedMid: mid(j, x, y, cb, n)): the
/// stage per row-block task or, without row tasks, whole and in parallel
/// over channel blocks; the copy per channel block inside it. (The copy
/// per task or whole, in a parallel loop of its own: MobileNetV2's
/// separable kernels 5-24 % slower, the network 2.7 % at 1 thread and 3.5
/// % at 2.)
void scheduleBlockedSeparableStages(KernelFuncs &f, const CpuScheduleParams &p,
                                    bool perTask) {
  int lanes = channelVectorLanes(p, (int)f.conv.weightBlock);
  Func mid = f.depthwiseStage;
  Var cb = mid.args()[3];
  splitChannelVectorDepthwise(mid, lanes);
  if (perTask)
    mid.compute_at(f.taskLoop);
  else
    mid.compute_root().parallel(cb);
  // An NCHW input's padded, transposed copy: one block of 16 channels
  // right before the depthwise stage reads it. (A blocked input has no
  // copy: the taps read it in place.)
  for (Func copy : f.paddedInputs) {
    Var k = copy.args()[0], cx = copy.args()[1], cy = copy.args()[2],
        ccb = copy.args()[3], cn = copy.args()[4];
    copy.reorder(k, cx, cy, ccb, cn);
    vectorizeChannelBlock(copy, k, lanes);
    copy.compute_at(mid, cb);
  }
  scheduleWeightStages(f, lanes);
}

/// Small images, pointwise stage on channel vectors (a channel-vector conv
/// over `mid`: register tiles of pixels along a row x blocks of 16 output
/// channels). With row-block tasks (14x14) each task computes the input
/// copy and the depthwise stage for its rows (and halo), so a thread's
/// data stays in its own L2; otherwise (7x7) both are computed whole (a
/// 7x7 x 960 `mid` is 240 KiB), in parallel over channels.
void scheduleSeparableChannelVectors(KernelFuncs &f,
                                     const CpuScheduleParams &p) {
  scheduleChannelVectorConv(f, p);
  bool perTask = f.taskRows > 0;
  if (f.conv.blockedMid) {
    scheduleBlockedSeparableStages(f, p, perTask);
    return;
  }
  Func mid = f.depthwiseStage;
  Var q = mid.args()[0], c = mid.args()[1], n = mid.args()[2];
  Var qo("mid_qo"), qi("mid_qi"), qu("mid_qu"), qv("mid_qv"), co("mid_co"),
      ci("mid_ci"), task("mid_task");
  int lanes = vectorLanesFor(f.conv.vecExtent, p.vectorLanes);
  // Four independent vectors side by side hide the latency of each one's
  // chain of tap FMAs.
  mid.split(q, qo, qi, lanes * 4, TailStrategy::RoundUp)
      .split(qi, qu, qv, lanes)
      .unroll(qu);
  if (lanes > 1)
    mid.vectorize(qv);
  if (perTask) {
    mid.compute_at(f.taskLoop).reorder(qv, qu, qo, c, n);
  } else {
    // Tasks of 16 channels amortize the task overhead.
    mid.compute_root()
        .split(c, co, ci, 16, TailStrategy::GuardWithIf)
        .reorder(qv, qu, qo, ci, co, n)
        .fuse(co, n, task)
        .parallel(task);
  }
  for (Func copy : f.paddedInputs) {
    if (perTask)
      copy.compute_at(f.taskLoop);
    else
      copy.compute_root();
    schedulePhaseSplitCopy(copy, f.flatRowPitch, p, /*parallel=*/!perTask);
  }
}

} // namespace

void scheduleSeparableConv(const KernelSpec &spec, KernelFuncs &f,
                           const CpuScheduleParams &p) {
  if (f.conv.form == ConvForm::ChannelVectors) {
    scheduleSeparableChannelVectors(f, p);
    return;
  }
  // Row blocks: each task copies the padded input rows it reads, computes
  // the pointwise accumulator of R output rows (the depthwise stage per
  // register tile inside it) and applies the epilogue, so every
  // intermediate stays in L1/L2 and nothing but the input and the output
  // goes through memory. Small images are one block, parallel over tiles.
  ConvTile t = convTile(f.conv, p);
  int tile = t.lanes * t.vectors;
  int64_t OH = f.extents[1];
  int64_t rows = OH;
  // Block heights balanced across threads whose scratch (the padded input
  // rows the block copies and its pointwise accumulator) stays in L2; the
  // per-block overhead is about one row (the depthwise halo, set-up). Per
  // output row a block copies one row of each of the stride^2 phase images.
  int64_t stride = spec.strides.empty() ? 1 : spec.strides[0];
  int64_t inRowBytes = f.flatRowPitch * stride * stride * 4;
  int64_t rowBytes = f.flatRowPitch * 4;
  if (OH >= 16 && OH * f.flatRowPitch >= 32 * tile) {
    int64_t balanced = balancedBlockRows(OH, /*overheadRows=*/1.0,
                                         [&](int64_t r) {
      return r * f.flatRowPitch >= 4 * tile &&
             (r <= (OH + 7) / 8 ||
              (r + 1) * inRowBytes * f.conv.inputChannels +
                      r * rowBytes * f.conv.paddedChannels <=
                  kRowBlockScratchBytes);
    });
    if (balanced > 0)
      rows = balanced;
  }
  scheduleSeparableStages(f, p, rows);
}

LoopLevel scheduleSeparableStages(KernelFuncs &f, const CpuScheduleParams &p,
                                  int64_t rows) {
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

  int64_t pitch = f.flatRowPitch;
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
  // vectorized along the pixels (taps are unrolled in the expression). The
  // tile's vectors are unrolled too: each vector's taps are one chain of
  // dependent FMAs, so only independent vectors side by side hide the FMA
  // latency (MobileNetV2's separable and inverted residual kernels: 2-7 %
  // faster).
  mid.compute_at(acc, xo);
  Var mq = mid.args()[0], mqo("mid_qo"), mqv("mid_qv");
  mid.split(mq, mqo, mqv, lanes, TailStrategy::RoundUp).unroll(mqo);
  if (lanes > 1)
    mid.vectorize(mqv);

  for (Func copy : f.paddedInputs) {
    if (blocked)
      copy.compute_at(out, yo);
    else
      copy.compute_root();
    schedulePhaseSplitCopy(copy, pitch, p, /*parallel=*/!blocked);
  }
  return blocked ? LoopLevel(out, yo) : LoopLevel::root();
}

} // namespace kiln
