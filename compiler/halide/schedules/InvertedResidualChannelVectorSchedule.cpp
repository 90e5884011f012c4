//===- InvertedResidualChannelVectorSchedule.cpp - Row by row on CPU ------===//
//
// The channel-vector inverted residual kernel
// (algorithms/InvertedResidualChannelVectors.cpp). Tasks are blocks of
// output rows; inside a task, row by row:
//   1. the expand rows the row's depthwise taps read that no earlier row
//      computed (stride rows; the window's height for the task's first
//      row): a sliding window over a few folded rows of the expanded
//      tensor, so nothing is computed twice inside a task;
//   2. the depthwise row, all expanded channels (one row, in L1/L2);
//   3. the project stage: register tiles of pixels x blocks of 16 output
//      channels over the depthwise row, then the epilogue.
// Only the task's first row recomputes expand rows (its halo).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

int64_t invertedResidualTaskRows(int64_t outHeight, int64_t stride) {
  // About 14 rows a task at stride 2 (4 tasks at 56x56, 2 at 28x28 and
  // 14x14), at least two tasks so two threads share the work; each task
  // recomputes the window's halo rows of the expand stage once. (Measured
  // on MobileNetV2 in a noisy phase of the VM, with the expand over the
  // padded grid: 2 tasks everywhere were 8-33 % slower per kernel at 2
  // threads, 7-row tasks 13-48 % slower at 1 and 2 threads.) At stride 1
  // a task's halo is two more expand rows (one at stride 2), so stride-1
  // blocks take just two tasks: MobileNetV2's 56x56 block (14 % of its
  // expand rows recomputed in 4 tasks) -5 to -6 % at 1 thread and -10 to
  // -14 % at 2 (Zen 4, kernel_ab, 20-24 rounds, twice); its 112 -> 56
  // block in 2 tasks was 9-10 % slower at 1 and 2 threads and keeps 4.
  if (outHeight < 4)
    return outHeight;
  int64_t tasks = stride == 1 ? 2 : std::max<int64_t>(2, outHeight / 14);
  tasks += tasks % 2;
  return (outHeight + tasks - 1) / tasks;
}

int64_t expandFoldRows(int64_t windowRows) {
  // A power of two: the fold's row index is then a mask, not a division.
  int64_t rows = 1;
  while (rows < windowRows)
    rows *= 2;
  return rows;
}

void scheduleInvertedResidualChannelVectors(KernelFuncs &f,
                                            const CpuScheduleParams &p) {
  const ConvPlan &conv = f.conv;
  // Vectors of the expand and depthwise stages' 16-channel blocks; the
  // project stage's accumulator blocks (conv.weightBlock) are 16 channels
  // or, for an odd number of 8-channel halves, 8 (one AVX2 vector:
  // channelVectorAccumulatorBlock).
  const int lanes = channelVectorLanes(p, (int)f.expandConv.weightBlock);
  const int block = (int)conv.weightBlock;
  const int projectLanes = channelVectorLanes(p, block);
  const int vectorsPerBlock = block / projectLanes;
  // The 1x1 convs' budget (10 of 16 registers on AVX2): MobileNetV2's
  // 56x56 blocks 19-26 % faster on Zen 3 than with 12 (fewer spills).
  const int budget = pointwiseAccumulatorBudget(p);

  // Output: tasks of rows, every channel inside a row.
  Func out = f.output;
  bool blockedOut = conv.blockedOutput;
  size_t d = blockedOut ? 1 : 0;
  Var ox = f.vars[d], oy = f.vars[d + 1], m = f.vars[d + 2],
      on = f.vars[d + 3];
  Var yo("yo"), yi("yi"), task("task");
  int64_t rows = invertedResidualTaskRows(conv.outHeight, conv.stride);
  out.split(oy, yo, yi, (int)rows, TailStrategy::ShiftInwards);
  // The project stage's register tile. Strided blocks with a blocked
  // output run it tile by tile to the output, the accumulator in
  // registers from the bias through the epilogue; as a row accumulator
  // (as below) LLVM spilled 2 of the tile's 8 accumulators inside the
  // reduction loop of exactly these kernels (MobileNetV2's 56 -> 28 and
  // 28 -> 14 blocks ran 50 % faster tile by tile on an AMD EPYC, at 1 and
  // 2 threads; its stride-1 blocks ran 0-5 % slower so and keep the row).
  // On AVX-512 the tile's accumulators, weight vectors and broadcast
  // pixels stay within 31 registers, as for the 1x1 convs
  // (CpuSchedule.cpp). MobileNetV2's 24-channel projections (3 blocks of 8
  // lanes on Zen 4) took 8 pixels x 3 blocks: 24 + 8 + 1 live, one
  // accumulator spilled and reloaded every reduction step; 7 x 3 holds
  // 29. Zen 4, kernel_ab, 24 rounds: its 112 -> 56 and 56x56 blocks -1 to
  // -2 % at 1 thread, -3.5 to -4.7 % at 2 (the unchanged kernels -5 to
  // +4 %).
  int64_t outBlocks = conv.paddedChannels / block;
  int liveBudget = p.avx512() ? p.vectorRegisters - 1 : 0;
  ChannelVectorTile projectTile =
      channelVectorTile(outBlocks, vectorsPerBlock, budget, conv.outWidth, 1,
                        /*dividingBlocks=*/false, liveBudget);
  bool registerTiles = blockedOut && conv.stride > 1 &&
                       conv.outWidth >= projectTile.width &&
                       outBlocks >= projectTile.blocks;
  Var oxo("oxo"), oxi("oxi"), mo("mo"), mi("mi");
  if (registerTiles) {
    ChannelBlockLoops b = vectorizeChannelBlock(out, f.vars[0], projectLanes);
    out.split(ox, oxo, oxi, projectTile.width, TailStrategy::ShiftInwards)
        .split(m, mo, mi, projectTile.blocks, TailStrategy::ShiftInwards)
        .reorder(b.lanes, b.vectors, oxi, mi, oxo, mo, yi, yo, on)
        .unroll(oxi)
        .unroll(mi);
  } else if (blockedOut) {
    ChannelBlockLoops b = vectorizeChannelBlock(out, f.vars[0], lanes);
    out.reorder(b.lanes, b.vectors, ox, m, yi, yo, on);
  } else {
    out.reorder(ox, m, yi, yo, on);
    int outLanes = vectorLanesFor(conv.outWidth, p.vectorLanes);
    if (outLanes > 1)
      out.vectorize(ox, outLanes, TailStrategy::ShiftInwards);
  }
  out.fuse(yo, on, task);
  // MobileNetV2's 112 -> 56 block, whose first task ran a third slower as
  // the loop's prologue: -7 % at 1 thread, -11 to -14 % at 2 (Zen 3 EPYC).
  parallelTasks(out, task, conv.outHeight % rows == 0);
  f.taskLoop = LoopLevel(out, task);
  f.taskRows = rows;
  LoopLevel row(out, yi);

  // 3. Project stage: register tiles over the depthwise row, into the
  // row's accumulator (all output blocks, a few KiB) or (registerTiles)
  // one tile's accumulator per output tile.
  {
    Func acc = f.accumulator;
    RDom r = f.accumulatorDomain;
    Var j = conv.accVars[0], px = conv.accVars[1], py = conv.accVars[2],
        mb = conv.accVars[3], n = conv.accVars[4];
    if (registerTiles) {
      acc.compute_at(out, oxo).unroll(px).unroll(mb);
      vectorizeChannelBlock(acc, j, projectLanes);
    } else {
      acc.compute_at(row).vectorize(j, projectLanes);
    }
    if (Func sum = conv.residualSum; sum.defined())
      sum.compute_at(row).vectorize(j, projectLanes);
    Var jo("jo"), ji("ji"), pxo("pxo"), pxi("pxi"), mbo("mbo"), mbi("mbi");
    Stage u = acc.update();
    u.split(j, jo, ji, projectLanes, TailStrategy::RoundUp)
        .split(px, pxo, pxi, projectTile.width, TailStrategy::GuardWithIf)
        .split(mb, mbo, mbi, projectTile.blocks, TailStrategy::GuardWithIf)
        .reorder({ji, jo, pxi, mbi, r.x, r.y, r.z, pxo, mbo, py, n})
        .unroll(jo)
        .unroll(pxi)
        .unroll(mbi);
    if (projectLanes > 1)
      u.vectorize(ji);
  }

  // 2. Depthwise row, all expanded channels, stored pixel by pixel (each
  // pixel's expanded channels contiguous): the project stage's reduction
  // over them then broadcasts from consecutive addresses, where the
  // blocked order (j, x, cb) cost a c / 16, c % 16 and a multiply per
  // step beside its 8-9 FMAs. MobileNetV2 on an AMD EPYC (kernel_ab, 40
  // rounds, paired against the unchanged kernels): its stride-1 and 56 ->
  // 28 / 28 -> 14 inverted residuals -3 to -13 % at 1 thread, -6 to -11 %
  // at 2 (the 112 -> 56 one unchanged).
  Func mid = f.depthwiseStage;
  mid.compute_at(row);
  splitChannelVectorDepthwise(mid, lanes);
  std::vector<Var> midVars = mid.args(); // (j, x, y, cb, n)
  mid.reorder_storage(midVars[0], midVars[3], midVars[1], midVars[2],
                      midVars[4]);

  // 1. Expand rows: stored for the task, computed per output row; Halide
  // slides the window (only rows no earlier iteration computed). The
  // storage folds to the window's rows (rounded up to a power of two):
  // Halide did not fold it by itself once the depthwise stage read it
  // through a boundary condition, and MobileNetV2's 112 -> 56 block then
  // stored 28 rows a task (1.2 MB, past L2); folded, it ran 2-5 % faster
  // at 1 and 2 threads (Zen 4, kernel_ab, 20 rounds, twice; by minima and
  // paired). Register tiles of pixels x blocks of expanded channels, each
  // accumulated over the C input channels and stored once, activated and
  // masked.
  {
    const ConvPlan &ec = f.expandConv;
    Func ex = f.expandStage, exAcc = f.expandAccumulator;
    RDom rc = f.expandDomain;
    Var j = ec.accVars[0], gx = ec.accVars[1], gy = ec.accVars[2],
        eb = ec.accVars[3], n = ec.accVars[4];
    const int exBlock = (int)ec.weightBlock;
    int64_t blocks = ec.paddedChannels / exBlock;
    // On 16 registers the expand tiles take at most 8 accumulators (4
    // pixels x 2 vectors, as every MobileNetV2 block but one already
    // chose): its 112 -> 56 block took 5 x 2 (115 of 112 pixels) under
    // the 1x1s' budget of 10, and LLVM spilled an accumulator through the
    // stack every step of the expand's unrolled 16-channel reduction (a
    // store and reload on the FMA chain). Zen 3 EPYC, kernel_ab, 16 rounds:
    // that block -18.5 % at 1 thread, -8.6 to -17.7 % at 2.
    int expandBudget = p.vectorRegisters <= 16 ? std::min(budget, 8) : budget;
    ChannelVectorTile t =
        channelVectorTile(blocks, exBlock / lanes, expandBudget, ec.outWidth, 1,
                          /*dividingBlocks=*/true);
    Var xo("ex_xo"), xi("ex_xi"), bo("ex_bo"), bi("ex_bi");
    // RoundUp over pixels: ex is scratch, extra columns read the clamped
    // input and no depthwise tap reads them. The tile's blocks divide E /
    // 16 exactly.
    ChannelBlockLoops exLoops = vectorizeChannelBlock(ex, j, lanes);
    ex.store_at(out, task)
        .compute_at(row)
        .split(gx, xo, xi, t.width, TailStrategy::RoundUp)
        .split(eb, bo, bi, t.blocks, TailStrategy::RoundUp)
        .reorder(exLoops.lanes, exLoops.vectors, xi, bi, xo, bo, gy, n)
        .unroll(xi)
        .unroll(bi);
    ex.fold_storage(gy, (int)expandFoldRows(f.expandWindowRows));
    exAcc.compute_at(ex, xo).unroll(gx).unroll(eb);
    vectorizeChannelBlock(exAcc, j, lanes);
    Var ajo("exa_jo"), aji("exa_ji");
    Stage u = exAcc.update();
    // A blocked input lane by lane, like the dense 1x1s (within noise on
    // MobileNetV2). Not so the project stage: with its expanded channels
    // lane by lane the 56x56 block got 25 % slower.
    u.split(j, ajo, aji, lanes, TailStrategy::RoundUp);
    std::vector<VarOrRVar> order{aji, ajo, gx, eb};
    for (VarOrRVar v :
         channelLaneLoops(u, rc.x, ec.inputChannels, ec.blockedInput))
      order.push_back(v);
    order.insert(order.end(), {gy, n});
    u.reorder(order)
        .unroll(ajo)
        .unroll(gx)
        .unroll(eb);
    if (lanes > 1)
      u.vectorize(aji);
  }

  scheduleWeightStages(f, lanes);
}

} // namespace kiln
