//===- CpuSchedule.cpp - Vectorized, multithreaded CPU schedule -----------===//
//
// One loop structure for x86 (AVX2 / AVX-512) and ARM NEON; the families
// differ in vector width and register count, taken from the Halide target.
// Dense convolutions get a register-tiled schedule (scheduleDenseConv);
// everything else the generic per-vector one below.
//
// Output: dim 0 (innermost, contiguous in memory) is vectorized so loads and
// stores are dense; the outermost dims are fused and run in parallel so every
// task writes a disjoint slab of the output. Reductions (conv, pooling,
// dense) are computed per output vector with the vector lanes innermost and
// the reduction loops around them, so each lane accumulates in a register.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"
#include "compiler/kernels/ActivationLayout.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

CpuScheduleParams cpuScheduleParams(const Target &target) {
  CpuScheduleParams p;
  // The target's features decide the widest float vector: 16 lanes with
  // AVX-512, 8 with AVX/AVX2, 4 with SSE or NEON.
  p.vectorLanes = std::max(1, target.natural_vector_size(Float(32)));
  // AVX-512 doubles the register file (zmm0-31); AArch64 NEON has v0-31.
  bool wideFile = (target.arch == Target::X86 && p.vectorLanes >= 16) ||
                  (target.arch == Target::ARM && target.bits == 64);
  p.vectorRegisters = wideFile ? 32 : 16;
  p.l2Bytes = target.arch == Target::X86 && !wideFile ? 512 << 10 : 2 << 20;
  p.halfRateVectors = target.arch == Target::X86 && p.vectorLanes >= 16 &&
                      target.processor_tune == Target::Processor::ZnVer4;
  return p;
}

namespace {


/// Schedules the output; returns the loop at which per-vector work (the
/// accumulator) is computed.
LoopLevel scheduleOutput(KernelFuncs &f, const CpuScheduleParams &p) {
  Func out = f.output;
  size_t rank = f.vars.size();
  if (rank == 0)
    return LoopLevel::root();
  Var v0 = f.vars[0];
  int lanes = vectorLanesFor(f.extents[0], p.vectorLanes);
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
  int lanes = vectorLanesFor(f.extents[0], p.vectorLanes);
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
    // A 3x3 stem's copy (an NCHW input of a few channels, read by a
    // channel-vector conv in row-block tasks): each task copies the rows
    // its block reads (one halo row at stride 2) right before reading them
    // from L1, instead of one 3-task pass over the whole image first.
    // MobileNetV2's stem (3x3 s2, 224x224): 6 % faster at 1 thread, 13 %
    // at 2 (kernel_ab, paired, AMD EPYC). The 7x7 stems (5 halo rows of a
    // task's 19) got 6-8 % slower at 2 threads so, and channel-blocked
    // copies keep the whole-image pass too. (Only stems, of up to 4 input
    // channels, were measured.)
    bool nchwCopy = padded.args().size() == 4;
    if (f.flatRowPitch > 0 && nchwCopy && f.taskRows > 0 &&
        f.conv.form == ConvForm::ChannelVectors && f.conv.kernelHeight <= 3 &&
        f.conv.inputChannels <= 4) {
      padded.compute_at(f.taskLoop);
      schedulePhaseSplitCopy(padded, f.flatRowPitch, p, /*parallel=*/false);
      continue;
    }
    if (f.flatRowPitch > 0) {
      // A flat-pixel conv's phase-split copy: looped by rows (a gather
      // otherwise).
      padded.compute_root();
      schedulePhaseSplitCopy(padded, f.flatRowPitch, p, /*parallel=*/true);
      continue;
    }
    // Padded Funcs are (x, y, c, n); bounds inference sizes them from the
    // windows the output reads, so only the needed pad cells are written.
    // The dense conv's phase-split copy is (i, phase, c, n): the same rule
    // applies to its last two dims.
    std::vector<Var> v = padded.args();
    size_t rank = v.size();
    padded.compute_root();
    Var fused("pad_cn");
    padded.fuse(v[rank - 2], v[rank - 1], fused).parallel(fused);
    padded.vectorize(v[0], p.vectorLanes, TailStrategy::GuardWithIf);
  }
}

/// Pads each task's planes inside the task (`at`), vectorized along rows.
/// GuardWithIf: ShiftInwards defeated Halide's loop partitioning (every
/// vector clamped its coordinates, a gather).
void schedulePaddedPlanesPerTask(KernelFuncs &f, const LoopLevel &at,
                                 const CpuScheduleParams &p) {
  for (Func padded : f.paddedInputs)
    padded.compute_at(at).vectorize(padded.args()[0], p.vectorLanes,
                                    TailStrategy::GuardWithIf);
}

} // namespace

/// Sizes the register tile. Per reduction step the tile does
/// vectors*channels FMAs for `vectors` input loads and `channels` weight
/// broadcasts, so it wants both sides large; the accumulators must stay in
/// registers with room left for the input vectors and a broadcast, i.e.
/// about 3/4 of the file: 24 of 32 (8 channels x 3 vectors) on AVX-512 and
/// AArch64, 12 of 16 (4 x 3) on AVX2/SSE. Channels must divide M (the tile's
/// channel loop is unrolled over an exact split); vectors are picked to
/// take the fewest estimated cycles (see below).
ConvTile convTile(const ConvPlan &conv, const CpuScheduleParams &p) {
  ConvTile t;
  int budget = p.vectorRegisters * 3 / 4;
  int maxVectors = 3;
  int maxChannels = budget / maxVectors;
  t.lanes = vectorLanesFor(conv.vecExtent, p.vectorLanes);
  // Packed weights: the tile divides the block (8 | 4), so a tile's
  // weights are one sequential stream and the padded channel extent splits
  // exactly. Unpacked: a divisor of M.
  int64_t divides = conv.weightBlock ? conv.weightBlock : conv.channels;
  t.channels = 1;
  for (int c = std::min<int64_t>(maxChannels, divides); c >= 1; --c)
    if (divides % c == 0) {
      t.channels = c;
      break;
    }
  // Vectors: fewest estimated cycles over the whole extent. A tile of v
  // vectors costs per reduction step about max(FMAs / 2 ports, loads /
  // 2 ports, one FMA latency of 4 cycles: v * channels independent chains
  // hide it only from 8 up) plus ~1 cycle of loop and address overhead. The
  // ragged last tile costs a full one (its missing vectors are masked, not
  // skipped). Counting only wasted lanes picked 1 vector whenever the
  // vector count was not a multiple of 2 or 3 (28x28, 56x56, the stem):
  // 8 accumulators, latency bound, ~40% of peak.
  int64_t totalVectors = (conv.vecExtent + t.lanes - 1) / t.lanes;
  auto tileCost = [&](int v) {
    return std::max({v * t.channels / 2.0, (v + t.channels) / 2.0, 4.0}) + 1;
  };
  t.vectors = 1;
  double best = totalVectors * tileCost(1);
  for (int v = 2; v <= std::min(maxVectors, budget / t.channels); ++v) {
    double cost = (totalVectors + v - 1) / v * tileCost(v);
    if (cost < best) {
      best = cost;
      t.vectors = v;
    }
  }
  return t;
}

ChannelVectorTasks channelVectorTasks(const ConvPlan &conv,
                                      int64_t tileChannels) {
  // Measured on ResNet-50 at 2 threads against (row, channel tile) tasks:
  // row blocks make the 14x14 and 28x28 convs 10-25% faster (1x1
  // 1024->256 0.60 -> 0.49 ms, 1x1 s2 512->1024 1.24 -> 0.95) but the 7x7
  // ones 30-50% slower (both threads stream all of their 4-9 MiB of
  // weights); channel tiles make the 7x7 ones ~5% faster.
  ChannelVectorTasks t;
  // Convs with >= 4x more weights than input (ResNet-50's 14x14 1x1
  // 256->1024: 1 MiB of weights, 200 KiB of input) split by channel tiles
  // on any image: with row blocks each thread streamed all the weights
  // (0.48 -> 0.45 ms at 2 threads, 0.82 -> 0.80 at 1). At 1.3-2.9x
  // (1x1 1024->256, 1x1 s2 512->1024, 1024->512 14x14) row blocks stay
  // faster (0.46 vs 0.59 ms, 0.92 vs 1.28, 0.83 vs 1.00).
  int64_t weights = conv.paddedChannels * conv.inputChannels *
                    conv.kernelWidth * conv.kernelHeight;
  bool weightHeavy = conv.inputPixels > 0 &&
                     weights >= 4 * conv.inputChannels * conv.inputPixels;
  if (conv.outHeight >= 14 && !weightHeavy) {
    // About 7 rows a block: 2 blocks at 14x14, 4 at 28x28, ...
    int64_t blocks = std::max<int64_t>(2, (conv.outHeight + 3) / 7);
    t.rows = (conv.outHeight + blocks - 1) / blocks;
    return t;
  }
  int64_t tiles = (conv.paddedChannels + tileChannels - 1) / tileChannels;
  t.byChannelTile = tiles >= 8;
  return t;
}

int pointwiseAccumulatorBudget(const CpuScheduleParams &p) {
  return p.vectorRegisters <= 16 ? p.vectorRegisters - 6
                                 : p.vectorRegisters * 3 / 4;
}

int channelVectorLanes(const CpuScheduleParams &p, int block) {
  int lanes = std::max(1, std::min(p.vectorLanes, block));
  while (block % lanes)
    lanes /= 2;
  return lanes;
}

std::vector<VarOrRVar> channelLaneLoops(Stage u, RVar channels,
                                        int64_t extent, bool blocked) {
  // As a loop over channels, each step recomputed c / 16 and c % 16: ~10
  // integer ops per 14 FMAs in ResNet-50's 1x1 register tiles (2-5 %).
  if (!blocked || extent % kActivationBlock != 0)
    return {channels};
  RVar lane(channels.name() + "_lane"), blk(channels.name() + "_block");
  u.split(channels, blk, lane, (int)kActivationBlock).unroll(lane);
  return {lane, blk};
}

void scheduleWeightStages(KernelFuncs &f, int lanes) {
  for (Func w : f.weightStages) {
    w.compute_root();
    if (lanes > 1)
      w.vectorize(w.args()[0], lanes, TailStrategy::RoundUp);
  }
}

bool halfRowTasks(int64_t outHeight, int64_t channelTiles, int64_t pixelTiles) {
  // An odd number of tasks splits ceil(n / 2) : floor(n / 2) on two
  // threads; MobileNetV2's 7x7 separable 960 -> 320 (one flat row of 49
  // pixels, 5 channel tiles of 5 pixels x 4 blocks) idled one thread for
  // 44-50 us of its ~180 in 2-thread traces. In 10 half-row tasks the
  // halves overlap by less than a pixel tile, and a channel tile's weights
  // are read by two tasks (from L2 when one thread runs both). Zen 4,
  // kernel_ab, 20 rounds: that kernel -13 % by minima, -8 % paired at 2
  // threads, +1.6 / +1.9 % at 1 (the network's other kernels within +-2 %). One
  // task (GoogLeNet's 7x7 1x1 832 -> 48, one channel tile) was -23 % at 2
  // threads but +14 to +33 % at 1 and keeps its row; 8 tasks and more are left
  // to the tile choice.
  int64_t tasks = outHeight * channelTiles;
  return tasks >= 3 && tasks < 8 && tasks % 2 == 1 && pixelTiles >= 2;
}

bool flatPointwiseTwoBlockTiles(int64_t outHeight, int64_t outWidth,
                                int64_t inputChannels, int64_t blocks,
                                int vectorRegisters) {
  // Such a conv runs channel-tile tasks, each reading all of the input
  // (49 pixels x C channels: 100-400 KiB for ResNet-50's 7x7 1x1s) and a
  // weight tile from memory. On 16 registers (AMD EPYC, kernel_ab, 40
  // rounds of 3 calls at 1 thread, three runs) tiles of 2 pixels x 2
  // blocks ran ResNet-50's six 7x7 1x1s (512 -> 2048, 2048 -> 512, s2
  // 1024 -> 2048) 1-9 % faster paired than the model's 5 pixels x 1
  // block; GoogLeNet's (832 -> 48-384) and MobileNetV2's (160 -> 960, 320
  // -> 1280) 1-4 % slower or within noise: hence at least 512 input and
  // output channels. Not measured on 32-register files.
  return vectorRegisters <= 16 && outHeight == 1 && outWidth >= 4 &&
         inputChannels >= 512 && blocks >= 32 && blocks % 2 == 0;
}

bool pixelTilesOutsideChannelTiles(int64_t outWidth, int64_t inputChannels,
                                   int64_t paddedChannels) {
  // Channel tiles along a row re-read each pixel tile's input (C/16 lines
  // per pixel, 200 KiB apart at 56x56) from L2 once per channel tile when
  // the row's input does not fit L1; pixel tiles outside keep a tile's
  // input (4 pixels x C) in L1 for every channel tile and stream the
  // weights (C x M, sequential) from L2 instead. ResNet-50 on an AMD EPYC
  // (kernel_ab, 40 rounds at 1 thread, paired): the 56x56 1x1 256 -> 64s
  // -7 % and 256 -> 128 -4 % against -0.6 % drift; GoogLeNet's 28x28 and
  // 14x14 1x1s over 256-480 channels into <= 128 (rows within L1) +1 to
  // +3.5 % against +2.0 %, and 56x56 64 -> 256 / 28x28 128 -> 512 (many
  // channel tiles: the weights per pixel tile outgrow the input) +5 to
  // +16 %. Not measured on 32-register files (AVX-512, NEON).
  constexpr int64_t kL1Bytes = 32 * 1024;
  return outWidth * inputChannels * (int64_t)sizeof(float) > kL1Bytes &&
         paddedChannels <= 128;
}

ChannelVectorTile evenRowPointwiseTile(ChannelVectorTile tile, int64_t outWidth,
                                       int64_t blocks) {
  // The model picks 3 pixels x 6 blocks on MobileNetV2's 14x14 1x1s (its
  // weight loads, counted twice, make 2-pixel tiles look load-bound), so
  // the last tile of each row recomputes a pixel: 15 of 14 (7 %). In 2 x 6
  // the FMAs set the pace. Zen 4, kernel_ab, 20-24 rounds, minima and
  // paired, 1 / 2 threads: MobileNetV2's 64 -> 384 and 96 -> 576 -6 / -4
  // to -5 %, its 14x14 separable kernels' pointwise stages -2 %,
  // GoogLeNet's 480 -> 192, 96 and 64 -3 / -2 to -3 %. 2 x 9 and 2 x 12
  // (more weight vectors per step, past L1 over a 96-channel reduction)
  // were -3 to +15 %.
  if (tile.blocks < 2 || tile.width <= 2 || tile.width > 4 ||
      outWidth % tile.width == 0 || outWidth % 2 != 0)
    return tile;
  for (int b = 6; b >= 1; --b)
    if (blocks % b == 0)
      return {2, b};
  return tile;
}

ChannelVectorTile fivePixelFlatTile(ChannelVectorTile tile, int64_t outWidth) {
  // 4 x 5 on a 7x7 image's flat row of 49 pixels computes 52 (13 tiles);
  // 5 x 5 computes 50. Its 25 accumulators are one over the model's
  // budget, but on AVX-512 the broadcasts fold into the FMAs' memory
  // operands and 25 + 5 weight vectors fit the 32 registers. kernel_ab,
  // 16 rounds, minima and paired, 1 / 2 threads (Zen 4): MobileNetV2's 7x7
  // separables 576 / 960 -> 160 -1 to -4 % / -4 to -7 %, GoogLeNet's 7x7
  // 832 -> 160 -4 % / -3 to -6 %. (2 x 5 was +3 to +11 %, 3 x 5 within
  // noise, 7 x 2 +20 % and more.)
  if (tile.width != 4 || tile.blocks != 5 || outWidth % 4 == 0 ||
      (outWidth + 4) / 5 * 5 >= (outWidth + 3) / 4 * 4)
    return tile;
  return {5, 5};
}

ChannelVectorTile dividingSingleBlockTile(ChannelVectorTile tile,
                                          int64_t outWidth) {
  // One-block tiles are not capped at 4 pixels, and the model took the
  // widest (12 or 10): MobileNetV2's 112x112 separable 32 -> 16 computed
  // 120 of 112 pixels a row, GoogLeNet's 28x28 192 -> 16 30 of 28 and its
  // 7x7 832 -> 32 (one flat row) 50 of 49. 8, 7 and 7 pixels: kernel_ab,
  // 20 rounds, minima and paired, 1 / 2 threads: -5.8 / -5.1 % and
  // -4.6 / -3.0 %, -5.9 / -7.4 % and -8.1 / -7.6 %, -6.7 / -5.8 % and
  // -2.4 / -3.5 % (Zen 4).
  if (tile.blocks != 1 || outWidth % tile.width == 0)
    return tile;
  for (int w = tile.width - 1; 2 * w >= tile.width; --w)
    if (outWidth % w == 0)
      return {w, 1};
  return tile;
}

ChannelVectorTile channelVectorTile(int64_t blocks, int vectorsPerBlock,
                                    int budget, int64_t width, int64_t rows,
                                    bool dividingBlocks, int liveBudget,
                                    int maxSharedPixels,
                                    bool channelTileTasks) {
  // Fewest estimated cycles (the per-step model of convTile: FMAs / 2,
  // loads / 2, FMA latency 4, +1 overhead; ragged tiles cost full ones).
  // Weight vectors count twice: they stream from L2 (a layer's weights do
  // not fit L1) while the broadcast pixels stay in L1. (Counted once, 3x3
  // 256->256 14x14 picked 2 pixels x 8 blocks and ran ~10% slower than
  // 7 pixels x 2 blocks.)
  ChannelVectorTile t;
  double best = 1e300;
  for (int b = 1; b <= blocks && b * vectorsPerBlock <= budget; ++b)
    for (int w = 1; (!dividingBlocks || blocks % b == 0) &&
                    w <= std::min<int64_t>(width, 12) &&
                    w * b * vectorsPerBlock <= budget;
         ++w) {
      int accs = w * b * vectorsPerBlock;
      if (liveBudget > 0 && accs + b * vectorsPerBlock + w > liveBudget)
        continue;
      if (maxSharedPixels > 0 && b * vectorsPerBlock > 1 && w > maxSharedPixels)
        continue;
      int64_t channelTiles = (blocks + b - 1) / b;
      double tiles = (double)channelTiles * ((width + w - 1) / w) * rows;
      // Channel-tile tasks: 1 thread's time plus 2 threads' (the busier
      // takes the odd tile).
      if (channelTileTasks)
        tiles += tiles * ((channelTiles + 1) / 2) / channelTiles;
      double cost =
          tiles *
          (std::max({accs / 2.0, (2 * b * vectorsPerBlock + w) / 2.0, 4.0}) +
           1);
      // Bounded widths: at equal cost the narrower tile (fewer broadcasts).
      bool narrower = maxSharedPixels > 0 && cost == best && w < t.width;
      if (cost < best || narrower) {
        best = cost;
        t.width = w;
        t.blocks = b;
      }
    }
  return t;
}

/// Dense convs with weights packed in blocks of 16 output channels
/// (ConvForm::ChannelVectors; 3x3/7x7 windows, and 1x1 on small images):
/// the register tile is `width` pixels along an output row x `blocks`
/// channel blocks, each block 16 / lanes vectors (1 on AVX-512, 2 on AVX2,
/// 4 on NEON). Per reduction step it loads the blocks' weight vectors once
/// and broadcasts each input pixel once, for width x blocks x vectors
/// FMAs. Nothing is computed for wrap-around columns, and vectors are full
/// however narrow the image (7x7: 7 pixels x 3 blocks = 21 accumulators,
/// vs 4 pixel vectors for 49 pixels). The output is tiled by (row, channel
/// tile); each tile's accumulators are computed just before its epilogue.
void scheduleChannelVectorConv(KernelFuncs &f, const CpuScheduleParams &p) {
  const ConvPlan &conv = f.conv;
  Func acc = f.accumulator;
  RDom r = f.accumulatorDomain;
  Var j = conv.accVars[0], px = conv.accVars[1], py = conv.accVars[2],
      mb = conv.accVars[3], n = conv.accVars[4];
  int block = (int)conv.weightBlock;
  int lanes = channelVectorLanes(p, block);
  int vectorsPerBlock = block / lanes;
  int64_t blocks = conv.paddedChannels / block;
  int64_t taps = conv.kernelWidth * conv.kernelHeight;
  bool avx512 = p.avx512();
  // On a 16-register file (AVX2) 1x1 tiles of 12 accumulators spilled: the
  // tile's 2 x blocks weight vectors and a broadcast stay live beside them
  // (ResNet-50's 1x1 kernels made 80-130 stack accesses each, Zen 3); with
  // 10 none did, and they ran 5-15 % faster in the network. Windows of up
  // to 3 columns (r.x unrolled below) keep more live: LLVM reuses a
  // broadcast pixel across the unrolled taps, and 3 pixels x 2 blocks (12)
  // spilled accumulators inside the reduction loop; with 8 (4 pixels x 1
  // block) ResNet-50's 3x3 s2 256->256 28x28 ran 37 % faster in the network
  // and MobileNetV2's stem 42 % (10, i.e. 5 x 1, was slower than 12 on
  // both). Wider windows (the 7x7 stem) keep 12.
  int budget = p.vectorRegisters * 3 / 4;
  bool narrowWindow =
      taps > 1 && p.vectorRegisters <= 16 && conv.kernelWidth <= 3;
  if (taps == 1)
    budget = pointwiseAccumulatorBudget(p);
  else if (narrowWindow)
    budget = std::min(budget, p.vectorRegisters / 2);

  // Row blocks with a long reduction (>= 512 weights per output channel)
  // sweep it in chunks of 64 input channels outside the block's rows and
  // pixel tiles: a chunk's weights (tile blocks x 16 x 64 x KH x KW) stay
  // in L1 for the whole block instead of streaming from L2 for every pixel
  // tile; the block's accumulators (rows x width x tile, ~12 KiB) stay in
  // L1 too. ResNet-50 1x1 1024->256 14x14: 0.80 -> 0.75 ms, 1x1 s2
  // 512->1024 1.75 -> 1.61; 256->1024 got slower (0.76 -> 0.85), hence the
  // bound. Windowed convs take 16 channels a chunk (3x3: 4 blocks x 16 x
  // 16 x 9 = 37 KiB): with 64 a 3x3 chunk's weights (147 KiB) left L1 and
  // streamed from L2 for every pixel tile (3x3 128->128 28x28 direct 2.71
  // -> 1.42 ms, 3x3 s2 128->128 56x56 2.27 -> 1.74, s2 256->256 28x28
  // 1.67 -> 1.60; 8 channels was 3-5 % slower than 16).
  const int kReductionChunk = taps == 1 ? 64 : 16;
  int64_t reduction = conv.inputChannels * taps;
  // Channel-tile tasks (7x7 images) sweep their long reductions in chunks
  // too, every row inside a chunk: a tile's weights (up to 885 KiB for
  // 3x3 512->512) were streamed from L2 once per output row, now once per
  // task. ResNet-50's 7x7 convs 8-15 % faster at 1 and 2 threads (3x3
  // 512->512 2.34 -> 2.12 ms, 1x1 s2 1024->2048 2.71 -> 2.30, in a slow
  // phase of the VM), GoogLeNet's 1-5 %.
  // Channel-tile 1x1s on 7x7 images chunk from 256 channels: unchunked,
  // MobileNetV2's 320 -> 1280 read its 80 KiB weight tile and 62 KiB of
  // input from L2 for each of 10 pixel tiles. Xeon (Emerald Rapids),
  // kernel_ab, paired against the unchanged kernels' drift, 1 / 2 threads:
  // that conv -9 to -10 % / -9 %, ResNet-18's 1x1 s2 256 -> 512 (14x14 ->
  // 7x7) -11 % / within noise. (From 128: MobileNetV2's 160 -> 960 +18 to
  // +21 %; on 14x14 images, ResNet-50's 256 -> 1024, +7 to +15 %.) AVX-512
  // only; elsewhere unmeasured: 512.
  bool smallPointwise =
      taps == 1 && conv.outHeight * conv.outWidth <= 64 && avx512;
  auto chunkedFor = [&](const ChannelVectorTasks &t) {
    int64_t minReduction = t.byChannelTile && smallPointwise ? 256 : 512;
    return (t.rows > 0 || t.byChannelTile) && reduction >= minReduction &&
           conv.inputChannels >= 2 * kReductionChunk;
  };
  // 1x1s on AVX-512 (32 registers, a block one vector): the tile's
  // accumulators, its blocks' weight vectors and its broadcast pixels within 31
  // registers. LLVM broadcasts the lane-unrolled pixels into registers ahead of
  // their FMAs; beyond that the accumulators spilled (ResNet-50's 7x7 2048 ->
  // 512 in 10 x 2 tiles: 20 + 2 + 10). Xeon (Emerald Rapids), kernel_ab inside
  // the networks, paired against the unchanged kernels' drift, 1 / 2 threads:
  // ResNet-50's 7x7 2048 -> 512 (now 5 x 4) -25 to -28 % / -20 to -22 %, its
  // 56x56 256 -> 128 (3 x 8 -> 8 x 2) -10 / -14 %; GoogLeNet's 7x7 832 ->
  // 128..256 up to -16 %, MobileNetV2's 7x7 960 -> 320 separable -16 / -7 %;
  // the rest within noise. 16-register files keep their measured budget
  // (pointwiseAccumulatorBudget); NEON (four vectors a block, its FMAs take a
  // pixel by lane) is unmeasured.
  int liveBudget = taps == 1 && avx512 ? p.vectorRegisters - 1 : 0;
  // Row-block 1x1s computed register tile by register tile (no chunked
  // reduction, no weight prefetches in the loop) keep tiles of several
  // blocks at most 4 pixels wide: LLVM's pre-RA scheduler hoists the
  // broadcasts of the lane-unrolled steps (each feeds every block) and
  // wider tiles spilled. AMD EPYC (Zen 4, AVX-512 on 256-bit units, where
  // a zmm spill store takes 2 cycles): ResNet-50's 56x56 1x1s in 8 x 2
  // tiles made 122-136 stack accesses each, 7 x 2 and 6 x 2 30-78, 4 x 4
  // none; kernel_ab inside the networks, 1 thread, paired: ResNet-50's
  // 56x56 1x1s -29 to -41 % (whole network -7.9 %), MobileNetV2 -3.2 %,
  // GoogLeNet's 56x56 64 -> 64 -32 % (network within noise). Of tiles of
  // the same cost the narrower one (fewer broadcasts live). Bounding
  // chunked reductions and channel-tile tasks (prefetches in the loop) so
  // measured no gain: they keep the model's tile but for the 2-block rule
  // below. 16-register files and NEON are unmeasured.
  ChannelVectorTasks rowProbe = channelVectorTasks(conv, block);
  bool rowRegisterTiles = rowProbe.rows > 0 && !chunkedFor(rowProbe);
  int maxSharedPixels = taps == 1 && avx512 && rowRegisterTiles ? 4 : 0;
  // Channel-tile tasks (7x7 images; (row, channel tile) tasks where there
  // are fewer than 8 tiles, one row on flat 1x1 outputs) split ceil(n / 2)
  // : floor(n / 2) on two threads: the tile is picked for 1 thread's time
  // plus 2 threads'.
  // AMD EPYC (Zen 4), kernel_ab inside the networks, minima / paired
  // against the unchanged kernels' drift, 2 / 1 threads: GoogLeNet's
  // 832 -> 32 (1 task in 7 x 2, 2 in 10 x 1) -46 to -48 % / -9 %, its
  // 832 -> 160 (7 x 2 -> 4 x 5) -22 to -25 % / -6 to -16 %, ResNet-18's and
  // ResNet-50's 3x3 512 -> 512 (7 x 3, 11 tiles -> 7 x 2, 16) -1 to -6 % /
  // -2 to +1 %, MobileNetV2's 320 -> 1280 (7 x 3 -> 5 x 4) within noise.
  // Not the pointwise stage of separable kernels (weights not in
  // conv.weights): MobileNetV2's 7x7 960 -> 320 (5 x 4 -> 4 x 5) -3 to
  // -6 % at 2 threads but +5 % at 1.
  bool channelTileTasks = rowProbe.rows == 0 && conv.weights.defined();
  auto pickTile = [&](bool dividingBlocks, int maxShared) {
    return channelVectorTile(blocks, vectorsPerBlock, budget, conv.outWidth,
                             conv.outHeight, dividingBlocks, liveBudget,
                             maxShared, channelTileTasks);
  };
  ChannelVectorTile tile = pickTile(/*dividingBlocks=*/false, maxSharedPixels);
  // Chunked row blocks keep the model's tile but for 2 blocks wider than 4
  // pixels (each broadcast feeding only two FMAs): ResNet-50's 14x14 1024
  // -> 256 in 7 x 2 made 72 stack accesses; in 4 x 4 none, -4 to -8 %
  // paired (kernel_ab, 14 rounds, Zen 4) while the unchanged kernels
  // drifted +3 %. Its 1024 -> 512 and s2 512 -> 1024 (7 x 3) ran 1-12 %
  // slower in 4 x 4 and stay.
  // Likewise the pointwise stage of separable kernels (its weights come
  // another way: no prefetches in its loop): MobileNetV2's 7x7 960 -> 160
  // and 14x14 s2 576 -> 160 in 7 x 2 made 78 stack accesses each; 4 x 4,
  // none and -13 to -18 % paired at 1 and 2 threads (kernel_ab, 30 rounds;
  // the network -1.6 / -3.3 %).
  bool noPrefetch = rowProbe.rows > 0 || !conv.weights.defined();
  if (taps == 1 && avx512 && noPrefetch && tile.blocks == 2 && tile.width > 4)
    tile = pickTile(/*dividingBlocks=*/false, /*maxShared=*/4);
  // Of the two 8-accumulator tiles of a narrow window on 16 registers, 2
  // pixels x 2 blocks where 4 pixels do not divide the row but 2 do: the
  // model charges its weight loads twice and picks 4 x 1, whose last tile
  // of a 14-pixel row recomputes 2 pixels; ResNet-50's 3x3 s2 256->256
  // (28x28 -> 14x14) ran 3.15 -> 2.77 ms at 1 thread with 2 x 2 (AMD EPYC,
  // kernel_ab; rows of 28 and 56 keep 4 x 1, unchanged).
  if (narrowWindow && tile.width == 4 && tile.blocks == 1 &&
      conv.outWidth % 4 != 0 && conv.outWidth % 2 == 0 && blocks % 2 == 0 &&
      2 * 2 * vectorsPerBlock <= budget)
    tile = {2, 2};
  if (taps == 1 && 2 * 2 * vectorsPerBlock <= budget &&
      flatPointwiseTwoBlockTiles(conv.outHeight, conv.outWidth,
                                 conv.inputChannels, blocks, p.vectorRegisters))
    tile = {2, 2};
  if (taps == 1 && maxSharedPixels > 0)
    tile = evenRowPointwiseTile(tile, conv.outWidth, blocks);
  if (taps == 1)
    tile = dividingSingleBlockTile(tile, conv.outWidth);
  if (taps == 1 && avx512)
    tile = fivePixelFlatTile(tile, conv.outWidth);
  int width = tile.width, tileBlocks = tile.blocks;

  // The accumulator is computed per output tile (one row x the tile's
  // channel blocks, a few KiB in L1) right before the epilogue reads it:
  // no whole-output accumulator, bias pass and round trip through L2.
  // A channel-blocked output (j, x, y, mb, n) is stored in the
  // accumulator's layout: whole 16-channel vectors, tiled by blocks.
  Func out = f.output;
  bool blockedOut = conv.blockedOutput;
  size_t d = blockedOut ? 1 : 0;
  Var ox = f.vars[d], oy = f.vars[d + 1], m = f.vars[d + 2],
      on = f.vars[d + 3];
  Var mo("mo"), mi("mi"), yo("yo"), yi("yi"), task("task");
  int outLanes = vectorLanesFor(conv.outWidth, p.vectorLanes);
  ChannelVectorTasks tasks = channelVectorTasks(conv, tileBlocks * block);
  bool chunkedReduction = chunkedFor(tasks);
  // Over the residual's buffer no output element may be computed twice (a
  // recomputed one would add its overwritten residual again): tails are
  // guarded, never shifted inwards over finished tiles, and register tiles
  // (their unrolled channel blocks need a constant count) divide the
  // channel blocks.
  bool overResidual = conv.outputOverResidual;
  TailStrategy overlapTail =
      overResidual ? TailStrategy::GuardWithIf : TailStrategy::ShiftInwards;
  if (overResidual && blockedOut && !chunkedReduction && blocks % tileBlocks) {
    tile = pickTile(/*dividingBlocks=*/true, maxSharedPixels);
    width = tile.width;
    tileBlocks = tile.blocks;
    tasks = channelVectorTasks(conv, tileBlocks * block);
    chunkedReduction = chunkedFor(tasks);
  }
  // A blocked output without a chunked reduction is computed register tile
  // by register tile: each tile starts from the bias in registers, runs its
  // whole reduction and goes through the epilogue straight to the output
  // (as the flat pixel-vector 1x1s do). With an accumulator per row, the
  // short reductions of ResNet-50's 56x56 1x1 64->256 convs stored and
  // re-read every value (20 % slower than pixel vectors). Their last
  // channel tile overlaps its neighbour (ShiftInwards), so every tile has
  // the register tile's constant size.
  bool registerTiles = blockedOut && !chunkedReduction;
  out.split(m, mo, mi, blockedOut ? tileBlocks : tileBlocks * block,
            registerTiles ? overlapTail : TailStrategy::GuardWithIf);
  LoopLevel accLevel;
  if (tasks.rows) {
    // Blocks of rows, every channel tile inside: a thread reads only its
    // rows of the input, which the kernel before (row-blocked the same
    // way) left in its own L2.
    out.split(oy, yo, yi, (int)tasks.rows, overlapTail)
        .reorder(ox, mi, yi, mo, yo, on)
        .fuse(yo, on, task);
    // (MobileNetV2's stem -4 to -6 %: its first task had run 27 us, the
    // others 16.)
    parallelTasks(out, task, conv.outHeight % tasks.rows == 0);
    accLevel = LoopLevel(out, chunkedReduction ? mo : yi);
  } else if (tasks.byChannelTile) {
    // Channel tiles, every row inside: a thread streams only its tiles'
    // weights (megabytes on 7x7 images) and reuses them across rows.
    out.reorder(ox, mi, oy, mo, on).fuse(mo, on, task).parallel(task);
    accLevel = LoopLevel(out, chunkedReduction ? task : oy);
  } else {
    int64_t channelTiles = (blocks + tileBlocks - 1) / tileBlocks;
    int64_t pixelTiles = (conv.outWidth + width - 1) / width;
    // Over a residual no element may be computed twice (the halves'
    // overlap is shifted inwards), so those keep whole rows.
    bool halfRows = registerTiles && !overResidual &&
                    halfRowTasks(conv.outHeight, channelTiles, pixelTiles);
    if (halfRows) {
      Var oxh("oxh"), oxr("oxr"), rowPart("row_part");
      out.split(ox, oxh, oxr, (int)((pixelTiles + 1) / 2 * width), overlapTail);
      ox = oxr;
      out.reorder(ox, mi, oy, oxh, mo, on)
          .fuse(oy, oxh, rowPart)
          .fuse(rowPart, mo, task)
          .parallel(task);
    } else {
      out.reorder(ox, mi, oy, mo, on).fuse(oy, mo, task).parallel(task);
    }
    accLevel = LoopLevel(out, task);
  }
  if (Func sum = conv.residualSum; sum.defined())
    sum.compute_at(accLevel).vectorize(j, lanes);
  // A strided 1x1's input pixels, packed densely once per row-block task
  // (or once per call, before the channel-tile tasks that each read all
  // of it): every channel tile then re-reads a quarter of the lines, all of
  // them used, instead of lines two pixels apart in rows two apart (half
  // of each L2 line pair and every other row wasted, the task's input
  // span twice the L2). ResNet-50 on an AMD EPYC (kernel_ab, 40 rounds,
  // paired against the unchanged kernels' drift): 1x1 s2 256 -> 512
  // -12 % at 1 and 2 threads, s2 512 -> 1024 -8 / -10 %, s2 1024 -> 2048
  // to 7x7 -5 / -7 %.
  if (Func sub = conv.subsampledInput; sub.defined()) {
    std::vector<Var> a = sub.args();
    if (tasks.rows)
      sub.compute_at(out, task);
    else
      sub.compute_root().parallel(a[3]);
    sub.vectorize(a[0], lanes);
  }
  f.taskLoop = LoopLevel(out, task);
  f.taskRows = tasks.rows;
  Var oxo("oxo"), oxi("oxi"); // A row's register tiles (registerTiles).
  if (blockedOut) {
    // Channels innermost: (j, x, blocks of the tile, ...).
    ChannelBlockLoops b = vectorizeChannelBlock(out, f.vars[0], lanes);
    out.reorder(b.lanes, b.vectors, ox, mi);
    if (registerTiles) {
      // Row blocks: pixel tiles outside or inside the row's channel tiles.
      bool pxOuter =
          tasks.rows && taps == 1 &&
          pixelTilesOutsideChannelTiles(conv.outWidth, conv.inputChannels,
                                        conv.paddedChannels);
      out.split(ox, oxo, oxi, width, overlapTail);
      if (pxOuter)
        out.reorder(oxi, mi, mo, oxo, yi);
      else
        out.reorder(oxi, mi, oxo);
      out.unroll(oxi).unroll(mi);
      accLevel = LoopLevel(out, pxOuter ? mo : oxo);
    }
  } else if (outLanes > 1) {
    out.vectorize(ox, outLanes, TailStrategy::ShiftInwards);
  }
  acc.compute_at(accLevel);
  Var jo("jo"), ji("ji"), pxo("pxo"), pxi("pxi"), mbo("mbo"), mbi("mbi");
  if (registerTiles) {
    // Every accumulator its own register: the tile's loops unrolled.
    acc.unroll(px).unroll(mb);
    vectorizeChannelBlock(acc, j, lanes);
  } else {
    acc.vectorize(j, lanes);
  }
  Stage u = acc.update();
  // RoundUp over j: a block's 16 weight lanes all exist (zero past M).
  u.split(j, jo, ji, lanes, TailStrategy::RoundUp)
      .split(px, pxo, pxi, width, TailStrategy::GuardWithIf)
      .split(mb, mbo, mbi, tileBlocks, TailStrategy::GuardWithIf);
  // Rows wider than one pixel tile: long reductions are blocked by 128
  // channels outside the pixel tiles, so one block's weights (blocks x 16
  // x 128 x KH x KW) are reused from L1/L2 by every pixel tile of the row.
  constexpr int kChannelBlock = 128;
  bool blockedReduction = conv.outWidth > width &&
                          conv.inputChannels >= 2 * kChannelBlock &&
                          conv.inputChannels % kChannelBlock == 0;
  RVar rzo("rzo"), rzi("rzi");
  if (chunkedReduction)
    u.split(r.z, rzo, rzi, kReductionChunk);
  else if (blockedReduction)
    u.split(r.z, rzo, rzi, kChannelBlock);
  RVar inner = (chunkedReduction || blockedReduction) ? rzi : RVar(r.z);
  int64_t innerExtent = chunkedReduction   ? kReductionChunk
                        : blockedReduction ? kChannelBlock
                                           : conv.inputChannels;
  // 1x1s over a blocked input take its blocks lane by lane; 3x3 convs got
  // 2-30 % slower so (16 copies of the tap loops) and keep the plain loop.
  std::vector<VarOrRVar> order{ji, jo, pxi, mbi, r.x, r.y};
  std::vector<VarOrRVar> laneLoops =
      channelLaneLoops(u, inner, innerExtent, conv.blockedInput && taps == 1);
  for (VarOrRVar v : laneLoops)
    order.push_back(v);
  if (chunkedReduction) {
    order.insert(order.end(), {pxo, py, rzo, mbo, n});
  } else {
    order.push_back(pxo);
    if (blockedReduction)
      order.push_back(rzo);
    order.insert(order.end(), {mbo, py, n});
  }
  u.reorder(order);
  // Channel-tile tasks over a chunked reduction (7x7 images, megabytes of
  // weights that come from DRAM: the VM keeps ~32 MiB of L3, ResNet-50 has
  // 100 MB of weights) read each chunk's weights in their first register
  // tile, the stream stalling the FMAs: ResNet-50's 7x7 convs ran about
  // compute time + weight bytes / 14.5 GB/s. On AVX-512 each reduction
  // step prefetches its lines of the next chunk into L2, shared out among
  // the chunk's register tiles (SpreadPrefetches.h). Xeon (Emerald Rapids),
  // kernel_ab inside ResNet-50, paired against the unchanged kernels'
  // drift, 1 thread: its 7x7 1x1s -7 to -15 %, 3x3 512 -> 512 -10 to
  // -14 %, s2 3x3 14x14 -> 7x7 -4 to -12 %. Every tile prefetching: 1x1s +8
  // to +13 %; the first tile only: 3x3s -3 %, 1x1s no change; row-block
  // tasks (weights re-read per block from L2) +4 to +17 %; two chunks
  // ahead as one.
  // (Fused kernels, whose weights come another way, unmeasured.)
  // Likewise channel-tile 1x1s over an unchunked reduction (tiles of whole
  // rows, each reading its weight tile from memory in its first pixel tile,
  // from L1 in the others): on AVX-512 each reduction step prefetches its lines
  // of the NEXT channel tile's weights into L2, shared out among the
  // current tile's pixel tiles (the output's rows and row tiles). Xeon
  // (Emerald Rapids), kernel_ab inside the networks, paired against the
  // unchanged kernels' drift, 1 / 2 threads: ResNet-50's six 14x14 256 ->
  // 1024 -2 to -6 % / within noise (two runs each), MobileNetV2's three
  // 7x7 160 -> 960 -4 to -6 % / -2 to -3 %. On AVX2 too (Zen 3 EPYC,
  // kernel_ab, 12 rounds, minima and paired, 1 / 2 threads): those three
  // -10 to -12 % / -5 to -12 %, MobileNetV2's 7x7 320 -> 1280 -8 to -12 %
  // / -6 to -9 %, ResNet-50's 14x14 and 7x7 convs -1 to -12 % / -3 to
  // -14 % (its 3x3 512 -> 512 -12 %). x86 only: on NEON unmeasured.
  bool prefetchNextChunk = chunkedReduction;
  bool prefetchNextTile = !chunkedReduction && taps == 1 && registerTiles;
  if ((prefetchNextChunk || prefetchNextTile) && tasks.byChannelTile &&
      p.vectorLanes >= 8 && conv.weights.defined()) {
    VarOrRVar step = laneLoops.back();
    int channelsPerStep = laneLoops.size() > 1 ? (int)kActivationBlock : 1;
    // Steps ahead: one chunk, or one channel tile (weights are
    // [blocks][C][16]; past the last tile or chunk the prefetches run past
    // the buffer, which x86 prefetches do not fault).
    int stepsAhead = prefetchNextChunk ? (int)innerExtent / channelsPerStep
                                       : (int)conv.inputChannels /
                                             channelsPerStep * tileBlocks;
    u.prefetch(conv.weights, step, step, stepsAhead,
               PrefetchBoundStrategy::NonFaulting);
    // The register tiles sharing out the steps: the accumulator's pixel
    // tiles and rows, or (one accumulator per tile) the output's.
    std::string outLoop = out.name() + ".s0.";
    if (prefetchNextChunk)
      f.prefetchTileLoops = {"." + px.name() + "." + pxo.name(),
                             "." + py.name()};
    else
      f.prefetchTileLoops = {outLoop + oy.name(),
                             outLoop + ox.name() + "." + oxo.name()};
  }
  if (lanes > 1)
    u.vectorize(ji);
  u.unroll(jo).unroll(pxi).unroll(mbi);
  // Windows of up to 3 columns unroll their taps' columns, and of up to 5
  // with 32 vector registers: GoogLeNet's 5x5 convs -11 to -18 % so (Xeon,
  // AVX-512, kernel_ab, paired). The 7x7 stems got 3-5 % slower and keep
  // the loop; on 16 registers (AVX2) only 3 columns were measured.
  int unrolledColumns = p.vectorRegisters > 16 ? 5 : 3;
  if (conv.kernelWidth > 1 && conv.kernelWidth <= unrolledColumns)
    u.unroll(r.x);
}

namespace {

/// The loops of a flat-pixel conv accumulator's register tiles.
struct FlatTileLoops {
  Var xo{"xo"}, xu{"xu"}, xv{"xv"}, mo{"mo"}, mi{"mi"};
};

/// Vectorizes the accumulator's initial value and splits its update into
/// register tiles: pixel tiles xo of `vectors` vectors (xu, unrolled) of
/// `lanes` pixels (xv, vectorized), channel tiles mo of `channels` (mi,
/// unrolled). The caller orders the reduction and the tile loops.
FlatTileLoops splitFlatAccumulator(Func acc, const ConvPlan &conv,
                                   const ConvTile &t) {
  Var x = conv.accVars[0], m = conv.accVars[1];
  if (conv.weightBlock)
    acc.bound(m, 0, (int)conv.paddedChannels);
  if (t.lanes > 1)
    acc.vectorize(x, t.lanes);
  FlatTileLoops l;
  Var xi("xi");
  Stage u = acc.update();
  // GuardWithIf: the last tile of the ragged extent is partial; an update
  // cannot recompute lanes (ShiftInwards) nor write past the region.
  u.split(x, l.xo, xi, t.lanes * t.vectors, TailStrategy::GuardWithIf)
      .split(xi, l.xu, l.xv, t.lanes)
      .split(m, l.mo, l.mi, t.channels);
  if (t.lanes > 1)
    u.vectorize(l.xv);
  u.unroll(l.xu).unroll(l.mi);
  return l;
}

/// 1x1 unpadded convs over single-row output planes (the kernelizer's view,
/// kernels/PointwiseFlattening.h; strided ones read a phase-split copy of
/// the pixels they need): the output is
/// walked in the accumulator's register tiles (`vectors` x `lanes` pixels
/// x `channels` channels). Each tile starts from the bias in registers,
/// runs its whole reduction and goes through the epilogue to the output:
/// nothing is stored but the result. (Computing the accumulator for a row
/// block first and the epilogue after stored every value three times and
/// re-read it twice: 56-66 % of peak for ResNet-50's 56x56 1x1 convs.)
///
/// Channel tiles are inside pixel tiles: one pixel tile's input (all input
/// channels, 12 KiB at 64 channels) stays in L1 for every channel tile.
/// Tasks are a few pixel tiles (about 32 tasks). Measured on ResNet-50
/// (sum of kernel minimums): channel tiles outside runs of 8-16 pixel
/// tiles (each output plane then written in long sequential runs) made the
/// 1x1 64->256 + residual convs 20 % faster on one thread, but the whole
/// network 9 % slower on two (fewer, larger tasks; channel groups re-read
/// the input).
///
/// Needs at least one tile of pixels and channels; returns false
/// (scheduling nothing) otherwise.
bool scheduleFlatConvByTiles(KernelFuncs &f, const ConvTile &t) {
  const ConvPlan &conv = f.conv;
  int64_t OW = f.extents[0], OH = f.extents[1], M = f.extents[2];
  int tile = t.lanes * t.vectors;
  // A strided conv's phase-split copy (the pixels it reads, as dense
  // planes) is computed first (schedulePaddedInputs).
  bool denseInput = f.paddedInputs.empty() || f.flatRowPitch > 0;
  if (!denseInput || OH != 1 || conv.kernelWidth != 1 || OW < tile ||
      M < t.channels)
    return false;
  Func out = f.output, acc = f.accumulator;
  RDom r = f.accumulatorDomain;
  Var ox = f.vars[0], oy = f.vars[1], m = f.vars[2], n = f.vars[3];
  Var xo("xo"), xi("xi"), xu("xu"), xv("xv"), xoo("xoo"), xoi("xoi"),
      mo("mo"), mi("mi");
  int64_t tiles = (OW + tile - 1) / tile;
  int64_t perTask = std::max<int64_t>(1, tiles / 32);
  // Residual convs on large planes (56x56): tasks are runs of 8 pixel
  // tiles with the channel tiles outside the run, so each residual (and
  // output) plane is read in runs of 8 tiles (1.5 KiB, which the hardware
  // prefetcher follows) instead of one tile of each of M planes in turn
  // (ResNet-50's 1x1 64->256 + residual: 1.04 -> 0.85 ms at 1 thread,
  // 0.58 -> 0.52 at 2). Without a residual, or on 28x28 planes (3 runs),
  // runs were slower.
  constexpr int kRunTiles = 8;
  bool runs = conv.residual && tiles >= 8 * kRunTiles;
  if (runs)
    perTask = kRunTiles;
  // Small planes (14x14: 5 pixel tiles) also split the channel tiles into
  // groups, so there are >= 16 tasks: with one task per pixel tile, 2
  // threads split 5 tasks 3:2 (MobileNetV2's 96->576 14x14 0.114 ms at 2
  // threads vs 0.152 at 1). Tasks go pixel tile by pixel tile, so a
  // thread's tasks read the rows the kernel before left in its cache.
  constexpr int64_t kMinTasks = 16;
  int64_t channelTiles = (M + t.channels - 1) / t.channels;
  int64_t channelGroups =
      runs ? 1
           : std::min(channelTiles, (kMinTasks + tiles - 1) / tiles);
  // ShiftInwards: the last pixel / channel tile overlaps its neighbour, so
  // every tile is whole (constant extents: the accumulator stays in
  // registers); the overlap is recomputed, never read twice.
  out.split(ox, xo, xi, tile, TailStrategy::ShiftInwards)
      .split(xi, xu, xv, t.lanes)
      .split(xo, xoo, xoi, (int)perTask, TailStrategy::GuardWithIf)
      .split(m, mo, mi, t.channels, TailStrategy::ShiftInwards);
  Var task = xoo;
  if (channelGroups > 1) {
    Var mg("mg");
    task = Var("task");
    out.split(mo, mg, mo,
              (int)((channelTiles + channelGroups - 1) / channelGroups),
              TailStrategy::GuardWithIf)
        .reorder(xv, xu, mi, mo, xoi, mg, xoo, oy, n)
        .fuse(mg, xoo, task);
  } else if (runs) {
    out.reorder(xv, xu, mi, xoi, mo, xoo, oy, n);
  } else {
    out.reorder(xv, xu, mi, mo, xoi, xoo, oy, n);
  }
  out.parallel(task);
  if (t.lanes > 1)
    out.vectorize(xv);
  out.unroll(xu).unroll(mi);
  acc.compute_at(out, runs ? xoi : mo);
  Var aq = conv.accVars[0], am = conv.accVars[1];
  Var au("au"), av("av");
  acc.split(aq, au, av, t.lanes, TailStrategy::RoundUp);
  if (t.lanes > 1)
    acc.vectorize(av);
  acc.unroll(au).unroll(am);
  Stage u = acc.update();
  u.split(aq, au, av, t.lanes, TailStrategy::RoundUp)
      .reorder({av, au, am, r.x, r.y, r.z, conv.accVars[2]});
  if (t.lanes > 1)
    u.vectorize(av);
  u.unroll(au).unroll(am);
  return true;
}

/// Dense convs (ConvForm::FlatPixels): 1x1 convs over single rows go tile by
/// tile (scheduleFlatConvByTiles). Others (strided or windowed convs with
/// pixel vectors: the phase-split input is not the output's layout) get
/// the accumulator computed once for the whole output (compute_root),
/// tiled in registers: the innermost loops are
/// one vector of output pixels (vectorized), `vectors` of them and
/// `channels` output channels (both unrolled, so every accumulator is its
/// own register), then the reduction (kx, ky, c) with each weight loaded
/// once and broadcast. The output then applies the epilogue (bias is in the
/// accumulator's initial value; residual and activation in the output)
/// with the default output schedule.
void scheduleDenseConv(KernelFuncs &f, const CpuScheduleParams &p) {
  if (f.conv.form == ConvForm::ChannelVectors) {
    scheduleChannelVectorConv(f, p);
    return;
  }
  const ConvPlan &conv = f.conv;
  ConvTile t = convTile(conv, p);
  if (scheduleFlatConvByTiles(f, t))
    return;
  Func acc = f.accumulator;
  RDom r = f.accumulatorDomain;
  constexpr int kChannelBlock = 128;
  bool blocked = conv.inputChannels >= 2 * kChannelBlock &&
                 conv.inputChannels % kChannelBlock == 0;
  scheduleOutput(f, p);
  acc.compute_root();
  FlatTileLoops l = splitFlatAccumulator(acc, conv, t);
  Var xo = l.xo, xu = l.xu, xv = l.xv, mo = l.mo, mi = l.mi;
  Stage u = acc.update();
  // Pixel tiles outermost, channel blocks inside: a tile's input rows are
  // reused by every channel block from L1/L2 while the weights stream.
  // (Measured on ResNet-50 shapes: channel blocks outermost was slower for
  // every shape, up to 2x at 7x7, see benchmarks/README.md.)
  //
  // Long channel reductions (>= 256 input channels) are blocked by 128
  // channels, outermost: one block's weights (M x 128 x KH x KW) and input
  // rows stay in L2 across all pixel tiles and channel blocks, instead of
  // every tile streaming all the weights from L3 (ResNet-50's 14x14 and 7x7
  // stages: 1x1 1024->256 and 3x3 512->512 gain ~15%). The accumulators
  // then round-trip through memory once per block, a small cost per
  // 128 x KH x KW FMAs each.
  RVar rzo("rzo"), rzi("rzi");
  if (blocked)
    u.split(r.z, rzo, rzi, kChannelBlock);
  std::vector<VarOrRVar> order{xv, xu, mi, r.x, r.y};
  order.push_back(blocked ? rzi : r.z);
  order.push_back(mo);
  order.push_back(xo);
  if (blocked)
    order.push_back(rzo);
  order.push_back(conv.accVars[2]); // Batch.
  u.reorder(order);
  // Short kernel rows: unroll the taps so the loop overhead is per row.
  if (conv.kernelWidth > 1 && conv.kernelWidth <= 3)
    u.unroll(r.x);
  // Parallel over pixel tiles; small images (7x7: 2 tiles) have too few,
  // so there the (tile, channel block) pairs are the tasks. Each task is at
  // least one full reduction for a register tile.
  int64_t pixelTiles =
      (conv.vecExtent + t.lanes * t.vectors - 1) / (t.lanes * t.vectors);
  if (pixelTiles >= 16) {
    u.parallel(xo);
  } else {
    Var tile("tile");
    u.fuse(mo, xo, tile).parallel(tile);
  }
}

/// Depthwise convs (one input channel per output channel): every output
/// channel is an independent 2-D filter, so there is no channel reuse to
/// tile for; the reuse is between neighbouring output rows, which read
/// overlapping input rows. The output is computed in tiles of one vector x
/// `rows` rows whose accumulators stay in registers; with the taps and rows
/// unrolled, each input vector is loaded once per tile and feeds up to
/// KH rows' FMAs, and the KH*KW weights are broadcast once per tile.
void scheduleDepthwiseConv(KernelFuncs &f, const CpuScheduleParams &p) {
  Func out = f.output, acc = f.accumulator;
  Var ox = f.vars[0], oy = f.vars[1], m = f.vars[2], n = f.vars[3];
  int lanes = vectorLanesFor(f.extents[0], p.vectorLanes);
  int rows = (int)std::min<int64_t>(4, f.extents[1]);
  Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), mn("mn");
  // ShiftInwards keeps every tile full (the last one overlaps its
  // neighbour), so the tile's loops have constant extents to unroll.
  out.split(ox, xo, xi, lanes, TailStrategy::ShiftInwards)
      .split(oy, yo, yi, rows, TailStrategy::ShiftInwards)
      .reorder(xi, yi, xo, yo, m, n)
      .fuse(m, n, mn)
      .parallel(mn);
  if (lanes > 1)
    out.vectorize(xi);
  out.unroll(yi);
  acc.compute_at(out, xo);
  RDom r = f.accumulatorDomain;
  std::vector<VarOrRVar> order{ox, oy};
  for (int d = 0; d < r.dimensions(); ++d)
    order.push_back(r[d]);
  order.push_back(m);
  order.push_back(n);
  acc.update().reorder(order).unroll(oy);
  if (f.conv.kernelWidth <= 3)
    acc.update().unroll(r.x).unroll(r.y);
  if (lanes > 1) {
    acc.vectorize(ox, lanes);
    acc.update().vectorize(ox, lanes);
  }
  acc.unroll(oy);
  // Planes of 28x28 or more: each task pads its own channel plane (up to
  // 114 x 114 floats, 51 KiB, written and read back in L1/L2) instead of
  // the whole tensor going through memory once more first. Measured
  // (kiln-kernel-bench): 3x3 32ch 112x112 0.27 -> 0.16 ms, s2 96ch 112x112
  // 0.64 -> 0.37, 144ch 56x56 0.31 -> 0.18, 192ch 28x28 0.069 -> 0.055;
  // but 576ch 14x14 0.072 -> 0.084 and 960ch 7x7 0.066 -> 0.098 (small
  // planes: the per-plane copy's loop overhead).
  constexpr int64_t kMinPlanePixelsPaddedPerTask = 28 * 28;
  if (f.conv.inputPixels < kMinPlanePixelsPaddedPerTask) {
    schedulePaddedInputs(f, p);
    return;
  }
  schedulePaddedPlanesPerTask(f, LoopLevel(out, mn), p);
}

/// Windowed pools (max, average): parallel over channel planes (max pools
/// over large planes: blocks of rows, see below); each
/// task pads its own plane (a few tens of KiB, written and read back in
/// L1/L2) and slides the window over it one output vector at a time. Max
/// pools are separable: the plane's row maxima first (poolRowMax), then
/// the max of the window's rows. (The generic schedule, a whole-tensor
/// padded copy first and 9 strided taps per output vector, took 0.66 ms
/// for ResNet-50's 3x3 stride-2 max pool over 64 x 112 x 112; onnxruntime
/// 0.22 ms.)
void scheduleWindowedPool(const KernelSpec &spec, KernelFuncs &f,
                          const CpuScheduleParams &p) {
  Func out = f.output;
  Var ox = f.vars[0], c = f.vars[2], n = f.vars[3];
  int lanes = vectorLanesFor(f.extents[0], p.vectorLanes);
  Var cn("cn");
  // Max pools over planes of 112x112 or more (the stems' 3x3 stride-2
  // pool) run blocks of 4 output rows, every channel inside: a thread reads
  // the rows that the conv before (row blocks too) left in its own L2.
  // ResNet-50's pool 0.25 -> 0.21 ms at 1 thread, 0.127 -> 0.093 at 2.
  // On the smaller planes of GoogLeNet's inception pools (28x28, 14x14),
  // whose consumers split by pixels or channels, channel planes were
  // faster (0.045 vs 0.10 ms).
  constexpr int64_t kMinPlanePixelsForRowBlocks = 112 * 112,
                    kPoolBlockRows = 4;
  const auto &xs = spec.inputShapes[0];
  bool rowBlocks = f.poolRowMax.defined() && xs.size() == 4 &&
                   xs[2] * xs[3] >= kMinPlanePixelsForRowBlocks &&
                   f.extents[1] >= 2 * kPoolBlockRows;
  if (rowBlocks) {
    Var oy = f.vars[1], yo("yo"), yi("yi"), task("task");
    out.split(oy, yo, yi, (int)kPoolBlockRows, TailStrategy::ShiftInwards)
        .reorder(ox, yi, c, yo, n)
        .fuse(yo, n, task)
        .parallel(task);
    cn = c; // The row maxima are computed per channel of a block.
  } else {
    out.fuse(c, n, cn).parallel(cn);
  }
  // ShiftInwards: the output and row maxima are pure, so an overlapping
  // last vector is recomputed rather than predicated lane by lane. Rows
  // narrower than a full vector (14x14 and 7x7 planes) of a stride-1 max
  // pool take one predicated full vector instead of two overlapping half
  // vectors: GoogLeNet's 14x14 inception pools 0.045 -> 0.029-0.036 ms at
  // 1 thread, 0.032 -> 0.026 at 2. (Strided pools got slower: their
  // predicated stride-2 loads are gathers; 0.087 -> 0.154 ms.)
  int64_t strideX = spec.strides.size() == 2 ? spec.strides[1] : 1;
  bool fullPredicated = f.poolRowMax.defined() && strideX == 1 &&
                        f.extents[0] < p.vectorLanes;
  TailStrategy tail =
      fullPredicated ? TailStrategy::GuardWithIf : TailStrategy::ShiftInwards;
  if (fullPredicated)
    lanes = p.vectorLanes;
  if (lanes > 1)
    out.vectorize(ox, lanes, tail);
  if (f.poolRowMax.defined()) {
    Func rows = f.poolRowMax;
    rows.compute_at(out, cn);
    if (lanes > 1)
      rows.vectorize(rows.args()[0], lanes, tail);
  }
  if (f.accumulator.defined()) {
    Func acc = f.accumulator;
    RDom r = f.accumulatorDomain;
    Var oy = f.vars[1];
    acc.compute_at(out, ox);
    acc.update().reorder(ox, oy, r.x, r.y, c, n);
    if (spec.kernel.size() == 2 && spec.kernel[0] <= 3 && spec.kernel[1] <= 3)
      acc.update().unroll(r.x).unroll(r.y);
    if (lanes > 1) {
      acc.vectorize(ox, lanes);
      acc.update().vectorize(ox, lanes);
    }
  }
  schedulePaddedPlanesPerTask(f, LoopLevel(out, cn), p);
}

void scheduleStats(KernelFuncs &f, const CpuScheduleParams &p) {
  for (Func stat : f.stats) {
    // Whole-tensor row statistics: computed once, before the output.
    stat.compute_root();
    if (f.statVars.empty())
      continue;
    Var s0 = f.statVars[0];
    int lanes = vectorLanesFor(f.statExtents[0], p.vectorLanes);
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
  if (spec.kind == KernelKind::GlobalAvgPool && spec.inputBlocked(0)) {
    scheduleBlockedGlobalAvgPool(funcs, params);
    return;
  }
  if (spec.kind == KernelKind::MaxPool2D && spec.blockedOutput) {
    scheduleBlockedMaxPool(funcs, params);
    return;
  }
  if (spec.kind == KernelKind::SeparableConv2D && spec.zeroSkipPointwise) {
    scheduleZeroSkipSeparable(funcs, params);
    return;
  }
  if (spec.kind == KernelKind::SeparableConv2D) {
    scheduleSeparableConv(spec, funcs, params);
    return;
  }
  if (spec.kind == KernelKind::InvertedResidual) {
    scheduleInvertedResidual(funcs, params);
    return;
  }
  if (funcs.winograd) {
    scheduleWinogradConv(funcs, params);
    return;
  }
  if (funcs.convTranspose) {
    scheduleConvTranspose(funcs, params);
    return;
  }
  if (spec.kind == KernelKind::Dense &&
      scheduleDenseAlongK(spec, funcs, params))
    return;
  if (funcs.conv.form != ConvForm::None) {
    scheduleDenseConv(funcs, params);
    schedulePaddedInputs(funcs, params);
    return;
  }
  if (spec.kind == KernelKind::Conv2D && spec.inputShapes.size() > 1 &&
      spec.inputShapes[1].size() == 4 && spec.inputShapes[1][1] == 1 &&
      spec.kernel.size() == 2 && spec.kernel[0] <= 3) {
    scheduleDepthwiseConv(funcs, params); // and its padded input
    return;
  }
  if ((spec.kind == KernelKind::MaxPool2D ||
       spec.kind == KernelKind::AvgPool2D)) {
    scheduleWindowedPool(spec, funcs, params);
    return;
  }
  LoopLevel perVector = scheduleOutput(funcs, params);
  scheduleAccumulator(funcs, perVector, params);
  schedulePaddedInputs(funcs, params);
  scheduleStats(funcs, params);
}

} // namespace kiln
