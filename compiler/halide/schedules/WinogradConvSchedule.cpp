//===- WinogradConvSchedule.cpp - CPU schedule of Winograd convs ----------===//
//
// The output is split into tasks of (rows of tiles) x (groups of output
// channel blocks). Per row block the input tiles are transformed once
// (V, kept in L1/L2); per channel group the products P over all the block's
// tiles are computed in registers, then the output transform, bias,
// residual and activation write that part of the output. Tasks run in
// parallel over row blocks when the image has enough of them and the
// transformed weights stay cache-resident across blocks, else over channel
// groups (small images with many channels: every task then streams only
// its own share of the weights, which dominate the traffic); then each
// thread of the run takes one task of whole groups and transforms the
// input itself (the run's thread count is read at run time: RunThreads.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/RunThreads.h"
#include "compiler/halide/algorithms/WinogradConv.h"
#include "compiler/halide/schedules/Schedule.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

namespace {

/// The register tile of the products: `tiles` Winograd tiles x `blocks`
/// channel blocks, each block `vectorsPerBlock` vectors.
struct ProductTile {
  int tiles = 1, blocks = 1;
};

/// Fewest estimated cycles, the per-step model of the direct convs
/// (CpuSchedule.cpp): max(FMAs / 2 ports, loads / 2 ports, FMA latency 4)
/// + 1 cycle of overhead, ragged tiles costing full ones. Weight vectors
/// count twice (they stream from L2; the broadcast inputs stay in L1).
ProductTile productTile(int64_t tiles, int64_t blocks, int vectorsPerBlock,
                        int budget) {
  ProductTile best;
  double bestCost = 1e300;
  for (int b = 1; b <= blocks && b * vectorsPerBlock <= budget; ++b)
    for (int t = 1;
         t <= std::min<int64_t>(tiles, 12) && t * b * vectorsPerBlock <= budget;
         ++t) {
      int accs = t * b * vectorsPerBlock;
      double steps = (double)((tiles + t - 1) / t) * ((blocks + b - 1) / b);
      double cost =
          steps *
          (std::max({accs / 2.0, (2 * b * vectorsPerBlock + t) / 2.0, 4.0}) +
           1);
      if (cost < bestCost) {
        bestCost = cost;
        best = {t, b};
      }
    }
  return best;
}

/// The zero-padded NCHW input and its transform V, per task (`task`: a row
/// block, or a channel group that transforms the whole input itself).
void scheduleInputTransform(WinogradStages &s, Func out, Var task,
                            bool rowTasks, const CpuScheduleParams &p) {
  // The zero-padded input: with row-block tasks, each task pads the rows
  // its block reads (a thread then reads only the rows the kernel before
  // left in its own L2; ResNet-50's 56x56 Winograd convs 0.88-0.90 ->
  // 0.84-0.87 ms at 1 thread, 0.53 -> 0.51 at 2); else per channel, right
  // before the input transform reads it (see the blocked twin below).
  std::vector<Var> pv = s.paddedInput.args();
  if (rowTasks)
    s.paddedInput.compute_at(out, task);
  else
    s.paddedInput.compute_at(s.inputTransform, s.c);
  s.paddedInput.vectorize(pv[0], p.vectorLanes, TailStrategy::GuardWithIf);

  // Input transform per row block, vectorized over the tiles of a row;
  // stored tiles innermost so a product tile's inputs are adjacent.
  // (Rounding a row of 14 tiles up to one 16-lane vector measured ~15%
  // slower at 56x56 than two overlapping 8-lane vectors: V's rows no
  // longer match the products' tile rows.)
  int tileLanes = vectorLanesFor(s.tilesX, p.vectorLanes);
  s.inputTransform.compute_at(out, task)
      .reorder_storage(s.tx, s.ty, s.c, s.a, s.b, s.n)
      .reorder(s.tx, s.a, s.b, s.ty, s.c, s.n)
      .vectorize(s.tx, tileLanes)
      .unroll(s.a)
      .unroll(s.b);
  // Tiles innermost in storage too: dense vector stores and loads (the
  // default order put positions innermost: strided scatters and gathers).
  s.rowTransform.compute_at(s.inputTransform, s.c)
      .reorder_storage(s.tx, s.ty, s.a, s.j, s.c, s.n)
      .reorder(s.tx, s.a, s.j, s.ty, s.c, s.n)
      .vectorize(s.tx, tileLanes)
      .unroll(s.a)
      .unroll(s.j);
}

/// The same for a channel-blocked input, read in place: the zero padding
/// is a boundary condition inlined into the row transform, and Halide's
/// loop partitioning leaves the interior tiles plain vector loads (the
/// border tiles select). Both transform stages run on 16-channel vectors
/// (dense loads and stores), V stored channels innermost; the row
/// transform of one tile's channel block (alpha x alpha vectors) is
/// computed per tile. A padded copy per row-block task or per channel
/// block cost a store and a reload of every input vector (6-7 % of
/// ResNet-50's 56x56 kernel, `perf annotate`). Xeon (Emerald Rapids),
/// kernel_ab inside the networks, paired against the unchanged kernels'
/// drift: ResNet-50's eleven Winograd convs -0.5 to -5.7 % at 1 thread
/// (sum -3.3 %, the others +0.2 %), -3.3 to +2.0 % at 2 (sum -1.0 %, the
/// others +1.9 %); GoogLeNet's nine -1 % by the median (-6.6 to +2.3 %).
/// (As a parallel loop of its own before the transform the copy had been
/// 1-8 % slower still.)
void scheduleBlockedInputTransform(WinogradStages &s, Func out, Var task,
                                   const CpuScheduleParams &p) {
  int lanes = vectorLanesFor(s.block, p.vectorLanes);
  Var co("wco"), ci("wci");
  int block = (int)s.block;
  // A block's vectors (two on AVX2) unrolled too: as a loop of two inside
  // each of the 36 unrolled positions, the 56x56 transforms took ~46 % of
  // ResNet-50's 64->64 Winograd kernel on Zen 3.
  s.inputTransform.compute_at(out, task)
      .reorder_storage(s.c, s.tx, s.ty, s.a, s.b, s.n)
      .split(s.c, co, ci, block);
  ChannelBlockLoops v = vectorizeChannelBlock(s.inputTransform, ci, lanes);
  s.inputTransform.reorder(v.lanes, v.vectors, s.a, s.b, s.tx, s.ty, co, s.n)
      .unroll(s.a)
      .unroll(s.b);
  Var rco("wrco"), rci("wrci");
  s.rowTransform.compute_at(s.inputTransform, s.tx)
      .split(s.c, rco, rci, block);
  ChannelBlockLoops rv = vectorizeChannelBlock(s.rowTransform, rci, lanes);
  s.rowTransform.reorder(rv.lanes, rv.vectors, s.a, s.j, rco, s.tx, s.ty, s.n)
      .unroll(s.a)
      .unroll(s.j);
}

} // namespace

int winogradChannelChunk(int64_t inputChannels, bool rowTasks,
                         const CpuScheduleParams &p) {
  if (!p.avx512())
    return 16;
  // AVX-512 at half rate (Zen 4), one block of all rows: every chunk of
  // every tile group loads and stores its 20 accumulators, and a zmm store
  // takes two cycles there (perf annotate of ResNet-50's 14x14 F(3x3) 256
  // -> 256 in chunks of 8: ~15 % of its samples on those stores). Chunks
  // of 64 channels (a position's 4 blocks of weights: 16 KiB, within L1),
  // else the largest of 32 and 16 that divides the channels (no ragged
  // chunk). AMD EPYC (Zen 4), kernel_ab inside ResNet-50, paired against
  // the unchanged kernels' drift (-1 %), 1 / 2 threads: the five 14x14
  // F(3x3) -10 to -21 % / -16 to -20 % against chunks of 8 (32: -11 to
  // -16 % / -11 to -21 %). Row blocks keep 8: their 28x28 kernels moved
  // -6 to +9 %, within noise.
  if (p.halfRateVectors && !rowTasks) {
    int chunk = 64;
    while (chunk > 16 && inputChannels % chunk != 0)
      chunk /= 2;
    return chunk;
  }
  return 8;
}

void scheduleWinogradConv(KernelFuncs &f, const CpuScheduleParams &p) {
  WinogradStages &s = *f.winograd;
  int block = (int)s.block, tile = (int)s.tile, alpha = (int)s.alpha;
  int lanes = std::max(1, std::min(p.vectorLanes, block));
  while (block % lanes)
    lanes /= 2;
  int vectorsPerBlock = block / lanes;
  int64_t blocks = s.paddedChannels / block;
  // The products are 1x1-like GEMMs: the pointwise budget. With 12 of 16
  // registers (AVX2) the 3 tiles x 2 blocks tile kept its accumulators in
  // memory (a load and a store around every FMA); with 10 (5 tiles x 1
  // block) they stay in registers: on an AMD EPYC ResNet-50's 28x28
  // Winograd convs 1.99 -> 1.12 ms, GoogLeNet's 56x56 3x3 4.41 -> 2.56.
  int budget = pointwiseAccumulatorBudget(p);

  // Row blocks: as many tile rows as keep the block's transformed input V
  // and its products P (all channels) within 5/16 of L2 (640 KiB of a
  // 2 MiB L2: ResNet-50's 56x56 and 28x28 took 2 tile rows, 1 or 4 rows
  // measured 10-60% slower on a Xeon, kiln-kernel-bench; 160 KiB of a
  // 512 KiB L2: 1 row, and on an AMD EPYC (Zen 3) ResNet-50's 56x56 and
  // 28x28 Winograd convs ran 4-11 % faster in the network at 1 thread and
  // 5-15 % at 2 than with 2 rows). Every row block re-reads the
  // transformed weights. Tasks are the row blocks when there are at least
  // two, else channel groups.
  const int64_t kTaskBytes = p.l2Bytes * 5 / 16;
  constexpr int64_t kMinChannelTasks = 4;
  int64_t positions = (int64_t)alpha * alpha;
  int64_t rowBytes =
      positions * (s.inputChannels + s.paddedChannels) * s.tilesX * 4;
  int64_t rows = std::clamp<int64_t>(kTaskBytes / rowBytes, 1, s.tilesY);
  // Transformed weights larger than the L2 come from L3 once per row block:
  // then two blocks (one per thread at 2 threads) where half the image's V
  // and P fit half the L2, the other half left to the streaming weights.
  // Xeon (Emerald Rapids), kernel_ab inside the networks, paired against
  // the unchanged kernels' drift, 1 / 2 threads: ResNet-50's 28x28 F(4x4)
  // 128 -> 128 (2.4 MB of weights, 4 row blocks of 2 tile rows -> 2 of 4)
  // -5 to -8 % / -6 to -13 %, ResNet-18's -6 to -7 % / 0 to -4 %. Blocks
  // of 1.3 MB (GoogLeNet's 28x28 128 -> 192, 3.5 MB of weights) ran 48 % /
  // 91 % slower; at 56x56 (weights within the L2) 4 tile rows instead of 2
  // were 15-23 % slower. (AArch64, planned with the same 2 MiB L2, takes
  // the rule too: unmeasured there. No AVX2 layer of the zoo meets it.)
  int64_t weightBytes =
      positions * s.paddedChannels * s.inputChannels * (int64_t)sizeof(float);
  int64_t halfImageRows = (s.tilesY + 1) / 2;
  if (weightBytes > p.l2Bytes && rows < halfImageRows &&
      halfImageRows * rowBytes <= p.l2Bytes / 2)
    rows = halfImageRows;
  // An odd number of row blocks, 3-7 of them, leaves a thread idle for the
  // last one at 2 threads: fewer tile rows a block, to the first even
  // count. ResNet-50's 56x56 F(4x4) 64 -> 64 on AVX-512 (14 tile rows: 7
  // blocks of 2 -> 14 of 1), kernel_ab inside the network, paired against
  // the unchanged kernels' drift: -5 to -8 % and -8 to -11 % at 2 threads
  // (two runs), within noise at 1 thread; GoogLeNet's 5x5 F(2x2) 32 -> 96
  // at 28x28 (the same 7 -> 14) within noise. On AVX2 (512 KiB L2) the
  // zoo's blocks are one tile row already.
  auto rowBlocks = [&](int64_t r) { return (s.tilesY + r - 1) / r; };
  if (rowBlocks(rows) % 2 == 1 && rowBlocks(rows) >= 3 && rowBlocks(rows) < 8)
    for (int64_t r = rows - 1; r >= 1; --r)
      if (rowBlocks(r) % 2 == 0) {
        rows = r;
        break;
      }
  // Small images (at most kMaxTileRowsOfOneBlock tile rows: 14x14 and 7x7
  // for F(4x4)) have few tiles per weight, so their transformed weights
  // (9.4 MB for 256 -> 256) dominate the traffic: one block of all rows,
  // channel groups as tasks, every weight read once per call. Inside
  // ResNet-50, where the weights come cold, this made the 14x14 layers
  // 1.34-1.38 ms vs 1.90-2.03 ms as 2 row blocks (direct: 1.50-1.54).
  // F(3x3) covers 14x14 with 5 tile rows, still one block (at most 16
  // output rows, like F(4x4)'s 4); so does the stride-2 F(2x2) with 7
  // (its 25/9 of the direct weights: 6.6 MB for 256 -> 256).
  constexpr int64_t kMaxTileRowsOfOneBlock = 4;
  if (s.tilesY <= kMaxTileRowsOfOneBlock ||
      ((s.tile >= 3 || s.stride == 2) && s.tilesY * s.tile <= 16))
    rows = s.tilesY;
  bool rowTasks = rowBlocks(rows) >= 2;
  ProductTile pt =
      productTile(s.tilesX * rows, blocks, vectorsPerBlock, budget);
  // Channel groups: all blocks per row task; else about kMinChannelTasks
  // groups of whole register tiles.
  int64_t groupBlocks = blocks;
  if (!rowTasks) {
    int64_t registerTilesPerGroup = std::max<int64_t>(
        1, (blocks + pt.blocks - 1) / pt.blocks / kMinChannelTasks);
    groupBlocks = std::min(blocks, registerTilesPerGroup * pt.blocks);
  }

  // Output: tasks (row block yo, channel group mo), epilogue vectorized
  // along rows, or (channel-blocked output) along its 16-channel blocks.
  // Channel-group tasks are one per thread of the run (runThreads()), each
  // of whole groups (mg) and transforming the whole input itself: at 1
  // thread the input is transformed once, as before; at 2 each thread's
  // products read only the V it wrote. As one shared V, transformed in
  // parallel over channel blocks, the transform did not scale (its tasks
  // took twice as long at 2 threads: lines the other core held) and each
  // product task read half of V from the other core. Xeon (Emerald
  // Rapids), kernel_ab inside the networks, paired against the unchanged
  // kernels' drift, 2 threads: ResNet-50's 14x14 F(3x3) 256 -> 256 -4 to
  // -10 %, ResNet-18's 14x14 and 7x7 ones -3 to -11 %, GoogLeNet's -5 to
  // -10 %; 1 thread within noise. (Two fixed groups with V per task:
  // +2 to +7 % at 1 thread, the input transformed twice: hence the run's
  // thread count.)
  Func out = f.output;
  size_t d = s.blockedOutput ? 1 : 0;
  Var ox = f.vars[d], oy = f.vars[d + 1], om = f.vars[d + 2],
      on = f.vars[d + 3];
  Var yo("yo"), yi("yi"), mo("mo"), mi("mi"), mt("mt"), mg("mg");
  out.split(oy, yo, yi, (int)(rows * tile), TailStrategy::GuardWithIf)
      .split(om, mo, mi,
             (int)(s.blockedOutput ? groupBlocks : groupBlocks * block),
             TailStrategy::GuardWithIf);
  Var groupLoop = rowTasks ? mo : mg, taskLoop = rowTasks ? yo : mt;
  // The rest per task split: tasks (mt) of `groupsPerTask` groups (mg).
  auto finishOutput = [&](Stage st, int groupsPerTask) {
    if (rowTasks)
      st.reorder(ox, yi, mi, mo, yo, on);
    else
      st.split(mo, mt, mg, groupsPerTask, TailStrategy::GuardWithIf)
          .reorder(ox, yi, mi, mg, mt, yo, on);
    if (s.blockedOutput) {
      ChannelBlockLoops b = vectorizeChannelBlock(st, f.vars[0], lanes);
      st.reorder(b.lanes, b.vectors, ox);
    } else {
      int outLanes = vectorLanesFor(f.extents[0], p.vectorLanes);
      if (outLanes > 1)
        st.vectorize(ox, outLanes, TailStrategy::ShiftInwards);
    }
    // Alike row blocks stay one loop: on a Zen 3 EPYC (kernel_ab, 16 rounds,
    // 1 / 2 threads) ResNet's 28x28 F(4x4) 128 -> 128 -29 to -32 % / -24
    // to -29 %, GoogLeNet's 28x28 and 14x14 ones -28 to -48 %, the 56x56
    // ones within noise, the stride-2 F(2x2) +2 % (its one-tile-row tasks
    // keep a border check each). Forcing the tile loops' partition inside
    // the prologue instead (Partition::Always) was +17 to +90 % on
    // GoogLeNet's 5x5s.
    parallelTasks(st, taskLoop, rowTasks && s.tilesY % rows == 0);
  };
  int groups = (int)((blocks + groupBlocks - 1) / groupBlocks);
  if (!rowTasks) {
    // One task per thread, each of ceil(groups / threads) groups: a
    // specialization per distinct count, with the fewest threads that give
    // it, more threads first (Halide takes the first that holds); all
    // groups in one task at 1 thread.
    std::vector<std::pair<int, int>> threadsAndGroupsPerTask;
    for (int threads = 2; threads <= groups; ++threads) {
      int groupsPerTask = (groups + threads - 1) / threads;
      if (threadsAndGroupsPerTask.empty() ||
          threadsAndGroupsPerTask.back().second != groupsPerTask)
        threadsAndGroupsPerTask.push_back({threads, groupsPerTask});
    }
    for (auto it = threadsAndGroupsPerTask.rbegin();
         it != threadsAndGroupsPerTask.rend(); ++it)
      finishOutput(out.specialize(runThreads() >= it->first), it->second);
  }
  finishOutput(out, groups);

  if (s.blockedInput)
    scheduleBlockedInputTransform(s, out, taskLoop, p);
  else
    scheduleInputTransform(s, out, taskLoop, rowTasks, p);

  // Products per channel group: register tiles of pt.tiles tiles (tx, ty
  // fused) x pt.blocks blocks, the input-channel reduction inside; a
  // tile's weights (C x pt.blocks vectors per position) are reused by
  // every tile of the row block from L1/L2.
  s.product.compute_at(out, groupLoop).vectorize(s.j, lanes);
  {
    Var jo("jo"), ji("ji"), t("t"), to("to"), ti("ti"), mbo("mbo"), mbi("mbi");
    Stage u = s.product.update();
    u.split(s.j, jo, ji, lanes)
        .fuse(s.tx, s.ty, t)
        .split(t, to, ti, pt.tiles, TailStrategy::GuardWithIf)
        .split(s.mb, mbo, mbi, pt.blocks, TailStrategy::GuardWithIf);
    // One block of all rows (small images, channel-group tasks): the
    // transformed weights stream from memory once per call and each
    // block's are read by every tile group in turn. Sweeping the input
    // channels in chunks of 16 outside the tile groups, a chunk's weights
    // (1 KiB a block) are read from memory once and by the other groups
    // from L1 right after, one sequential stream instead of re-reading a
    // 16 KiB stretch per group (the load stalled the products: on an AMD
    // EPYC ResNet-50's 14x14 and 7x7 Winograd convs 15 % faster in the
    // network, GoogLeNet's 3-17 %; the 56x56 row blocks, 64 channels, got
    // 4-6 % slower so).
    // Row blocks take the chunks too when their transformed weights are at
    // least 4x the L2 (each row block re-reads them from L3), with the
    // prefetch below: ResNet-50's 28x28 F(4x4) 128 -> 128 (2.4 MB) -8 to
    // -10 % at 1 thread and -12 to -14 % at 2, GoogLeNet's 128 -> 192
    // (3.5 MB) -4 / -12 %; at 0.6-1.8 MB (ResNet-50's 56x56 64 -> 64 and
    // stride-2 F(2x2), GoogLeNet's 96 -> 128 and 64 -> 192) +3 to +26 %.
    // On AVX-512 (a Xeon, Emerald Rapids; kernel_ab inside the networks,
    // paired against the unchanged kernels' drift, 1 / 2 threads) chunks of
    // 8 channels without the prefetch: ResNet-50's 14x14 F(3x3) 256 -> 256
    // -17 to -19 % / -15 to -19 % (chunks of 4: as 8; 16: -8 to -14 %; 32:
    // -8 to -10 %; 64: -4 to -8 % at 1 thread), ResNet-18's -16 to -19 % /
    // -10 to -11 %, GoogLeNet's 14x14 ones -9 to -15 % / -4 to -10 %. Row
    // blocks take them once the weights outgrow the L2: ResNet-50's 28x28
    // (2.4 MB) -3 to -9 % / -2 to -6 %, GoogLeNet's 128 -> 192 (3.5 MB)
    // -7 % / within noise; with weights within the L2 (the 56x56 64 -> 64,
    // GoogLeNet's 5x5 32 -> 96 at 28x28) 5-11 % slower.
    // (NEON, 32 registers too, takes no chunks: unmeasured.)
    bool avx512 = p.avx512();
    bool chunks = p.vectorRegisters <= 16 || avx512;
    int channelChunk = winogradChannelChunk(s.inputChannels, rowTasks, p);
    bool chunkRows = weightBytes >= (avx512 ? 1 : 4) * p.l2Bytes;
    if (chunks && (!rowTasks || chunkRows) &&
        s.inputChannels >= 2 * channelChunk) {
      RVar rco("wr_co"), rci("wr_ci");
      u.split(s.reduction.x, rco, rci, channelChunk)
          .reorder(ji, jo, ti, mbi, rci, to, rco, mbo, s.a, s.b, s.n);
      // On AVX2 each chunk's weights stream from memory once, read first
      // by the chunk's first tile group: that load stalled the products
      // (perf annotate: a third of ResNet-50's 7x7 F(2x2) samples on it).
      // Each chunk prefetches the one 4 chunks ahead (a line per channel
      // and block); past a block's last chunk that is the next block's
      // first (the next weights in memory and in the loop), past the
      // buffer's end nothing (x86 and ARM prefetches do not fault). Paired
      // against the unchanged kernels' drift (AMD EPYC, kernel_ab, 20-30
      // rounds, against no prefetch; 1 / 2 threads): ResNet-50's 7x7
      // F(2x2) 512 -> 512 -21 / -13 to -15 %, its 14x14 F(3x3) 256 -> 256
      // -5 to -10 / -2 to -9 %; GoogLeNet's 14x14 and 7x7 ones (96-192
      // channels) -6 to -15 / +1 to -13 %. Guarded to the block
      // (GuardWithIf) its last 4 chunks went unprefetched: half the gain on
      // ResNet-50, worse than none on GoogLeNet. 2 or 8 chunks ahead
      // measured the same as 4. Needs PrefetchStrideFix (Halide 21 fetched
      // one line in four). Halide's prefetch is a prefetchnta: on the Xeon
      // the 14x14 F(3x3) products ran 55-60 % slower with it (a prefetcht0
      // in its place: -3 to -5 %, against -14 % for the chunks alone).
      constexpr int kPrefetchChunks = 4;
      if (!avx512)
        u.prefetch(s.weights, rco, rco, kPrefetchChunks,
                   PrefetchBoundStrategy::NonFaulting);
    } else {
      u.reorder(ji, jo, ti, mbi, s.reduction.x, to, mbo, s.a, s.b, s.n);
    }
    if (lanes > 1)
      u.vectorize(ji);
    u.unroll(jo).unroll(ti).unroll(mbi);
  }

  // Output transform per tile, channel vectors; tile pixels unrolled so
  // the coefficients are constants.
  Var txo("wtxo"), tyo("wtyo"), uu("wu"), vv("wv"), jo("wjo"), ji("wji");
  // RoundUp: tiles stay aligned to the tile grid when the image is not a
  // whole number of tiles (ShiftInwards would shift the last tile and
  // leave ox % m unknown: every position's select evaluated per pixel).
  s.outputTransform.compute_at(out, groupLoop)
      .split(s.ox, txo, uu, tile, TailStrategy::RoundUp)
      .split(s.oy, tyo, vv, tile, TailStrategy::RoundUp)
      .split(s.j, jo, ji, lanes)
      .reorder(ji, jo, uu, vv, txo, tyo, s.mb, s.n)
      .unroll(jo)
      .unroll(uu)
      .unroll(vv);
  if (lanes > 1)
    s.outputTransform.vectorize(ji);
  s.columnTransform.compute_at(s.outputTransform, txo)
      .split(s.j, jo, ji, lanes)
      .reorder(ji, jo, s.u, s.b, s.tx, s.ty, s.mb, s.n)
      .unroll(jo)
      .unroll(s.u)
      .unroll(s.b);
  if (lanes > 1)
    s.columnTransform.vectorize(ji);
}

} // namespace kiln
