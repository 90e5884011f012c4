//===- Schedule.h - Choosing a schedule for a target family -----*- C++ -*-===//
//
// Internal to the Halide backend. Algorithms (algorithms/) say what a kernel
// computes; a schedule says how its loops run on one target family. Each
// family has its own file; applySchedule picks one from the Halide target.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_HALIDE_SCHEDULES_SCHEDULE_H
#define KILN_COMPILER_HALIDE_SCHEDULES_SCHEDULE_H

#include "compiler/halide/algorithms/Algorithms.h"

#include <functional>

namespace kiln {

/// Schedules `funcs` for `target`; throws SpecError for target families
/// without a schedule (e.g. GPU targets, for now).
void applySchedule(const KernelSpec &spec, KernelFuncs &funcs,
                   const Halide::Target &target);

/// Knobs of the CPU schedule that differ between CPU families.
struct CpuScheduleParams {
  /// float32 lanes of one native vector (AVX2: 8, AVX-512: 16, NEON: 4).
  int vectorLanes = 4;
  /// Architectural vector registers: 32 on AVX-512 and AArch64, 16 on
  /// AVX2/SSE and 32-bit ARM. Register tiles of conv accumulators are sized
  /// from it so they never spill.
  int vectorRegisters = 16;
  /// Per-core L2 bytes the row blocks of cache-sized kernels plan for. The
  /// target does not say; by family: 2 MiB (the AVX-512 Xeons measured,
  /// Sapphire Rapids; also kept for AArch64, unmeasured), 512 KiB on x86
  /// without AVX-512 (AMD Zen 3's; Intel's AVX2 cores have 256 KiB-1.25
  /// MiB).
  int64_t l2Bytes = 2 << 20;
  /// Parallelize over enough outer rows to give the thread pool at least
  /// this many tasks (so load balances across cores).
  int64_t minParallelTasks = 16;
  /// AVX-512 executed on 256-bit units (processor tune AMD Zen 4): one
  /// 512-bit FMA a cycle, a zmm store two, so multiplies and accumulator
  /// round trips cost twice as much against memory traffic as on the Xeons.
  bool halfRateVectors = false;

  /// AVX-512's file: 16-lane vectors (a 16-channel block in one), 32 of
  /// them. The schedule rules measured only on the Xeons test this.
  bool avx512() const { return vectorLanes >= 16 && vectorRegisters > 16; }
  /// The widest float vector whose FMAs run at full rate: 8 lanes where
  /// 16-lane ones run on 256-bit units.
  int fullRateLanes() const {
    return halfRateVectors ? vectorLanes / 2 : vectorLanes;
  }
};

/// Input channels per reduction chunk of a Winograd conv's products on
/// CPUs that chunk them (schedules/WinogradConvSchedule.cpp): `rowTasks`
/// when its tasks are row blocks, else one block of all rows.
int winogradChannelChunk(int64_t inputChannels, bool rowTasks,
                         const CpuScheduleParams &p);

/// CPU parameters for an x86 or ARM target.
CpuScheduleParams cpuScheduleParams(const Halide::Target &target);

/// The CPU schedule (x86 and ARM NEON share the loop structure; they differ
/// in vector width). schedules/CpuSchedule.cpp.
void scheduleForCpu(const KernelSpec &spec, KernelFuncs &funcs,
                    const CpuScheduleParams &params);

/// Rows per task for a kernel whose tasks are blocks of output rows of an
/// image `height` rows tall (blocks are full; the last overlaps its
/// neighbour): among the heights `allowed` accepts, the one with the
/// shortest makespan on 1, 2 and 4 threads relative to a perfect split,
/// each task costing its rows plus `overheadRows` (halo, set-up). 0 when no
/// allowed height gives two or more blocks.
/// schedules/BalancedRowBlocks.cpp.
int64_t balancedBlockRows(int64_t height, double overheadRows,
                          const std::function<bool(int64_t)> &allowed);

/// Row-block kernels use blocks of about an eighth of the image; taller
/// ones (fewer, better balanced tasks) only while a block's scratch (its
/// accumulator, its copied input rows) stays under this. Measured on
/// MobileNetV2's separable convs: 320 KiB blocks ran as fast as before,
/// 640 KiB ones 13-17% slower (L2 is 2 MiB here, shared with the weights,
/// the input and the output).
constexpr int64_t kRowBlockScratchBytes = 320 * 1024;

/// Register tile of a flat-pixel conv accumulator: `vectors` output
/// vectors of `lanes` pixels times `channels` output channels.
struct ConvTile {
  int lanes, vectors, channels;
};

/// The register tile for `conv` (FlatPixels form) on a CPU family: sized
/// from the register file, vectors chosen by a cycle model.
/// schedules/CpuSchedule.cpp.
ConvTile convTile(const ConvPlan &conv, const CpuScheduleParams &params);

/// How a channel-vector conv's output is split into parallel tasks.
struct ChannelVectorTasks {
  /// Output rows per task (blocks of rows, every channel tile inside; the
  /// last block overlaps its neighbour), or 0.
  int64_t rows = 0;
  /// When rows is 0: one task per channel tile (every row inside), else
  /// one per (row, channel tile).
  bool byChannelTile = false;
};

/// The task split for `conv` (ChannelVectors form) with output channel
/// tiles of `tileChannels`: row blocks on images of 14 rows or more, so
/// consecutive kernels' threads work on the same rows (their L2 holds
/// them); channel tiles on smaller images, whose weights dominate.
/// schedules/CpuSchedule.cpp.
ChannelVectorTasks channelVectorTasks(const ConvPlan &conv,
                                      int64_t tileChannels);

/// Vector lanes per block of `block` channels on this target (16 on
/// AVX-512, 8 on AVX2, 4 on NEON for blocks of 16).
int channelVectorLanes(const CpuScheduleParams &params, int block);

/// Accumulator registers of a 1x1 (pointwise) register tile, and of the
/// Winograd products: 3/4 of the file (24 of 32), but 10 of 16 on AVX2,
/// where 12 spilled (the tile's weight vectors and a broadcast stay live
/// beside them).
int pointwiseAccumulatorBudget(const CpuScheduleParams &params);

/// The loops, innermost first, that take the place of `channels` (a 1x1
/// reduction over `extent` channels) in an update's loop order. Over a
/// channel-blocked tensor with whole blocks: the 16 lanes of a block
/// (unrolled: every broadcast at a constant offset, no c / 16, c % 16 per
/// step) and then the blocks; otherwise `channels` itself.
/// schedules/CpuSchedule.cpp.
std::vector<Halide::VarOrRVar> channelLaneLoops(Halide::Stage update,
                                                Halide::RVar channels,
                                                int64_t extent, bool blocked);

/// KernelFuncs::weightStages: computed once per call (root), vectorized
/// over their innermost (channel) dim. schedules/CpuSchedule.cpp.
void scheduleWeightStages(KernelFuncs &funcs, int lanes);

/// A channel-vector register tile: `width` pixels along a row x `blocks`
/// blocks of 16 channels (each `vectorsPerBlock` vectors), at most
/// `budget` accumulators, for an output of `blocks` blocks x `width` x
/// `rows` pixels: the fewest estimated cycles; `dividingBlocks` allows
/// only tiles whose block count divides `blocks` (unrolled producers need
/// constant extents); `liveBudget` > 0 also bounds the registers a
/// reduction step holds (accumulators + the blocks' weight vectors + the
/// broadcast pixels); `maxSharedPixels` > 0 bounds the width of tiles of
/// more than one vector (LLVM keeps their broadcasts in registers) and
/// picks the narrower of tiles with the same estimate; `channelTileTasks`:
/// each channel tile is a task, so the estimate also charges the busier of
/// two threads (the tiles split ceil(tiles / 2) : floor(tiles / 2)).
/// schedules/CpuSchedule.cpp.
struct ChannelVectorTile {
  int width = 1, blocks = 1;
};
ChannelVectorTile channelVectorTile(int64_t blocks, int vectorsPerBlock,
                                    int budget, int64_t width, int64_t rows,
                                    bool dividingBlocks = false,
                                    int liveBudget = 0, int maxSharedPixels = 0,
                                    bool channelTileTasks = false);

/// Whether a channel-vector 1x1 conv in row-block tasks computes each
/// pixel tile for every channel tile before the next pixel tile (instead of
/// each channel tile along the whole row): rows whose input
/// (`outWidth` pixels x `inputChannels`) exceeds L1, into at most 128
/// output channels (`paddedChannels`; see CpuSchedule.cpp).
bool pixelTilesOutsideChannelTiles(int64_t outWidth, int64_t inputChannels,
                                   int64_t paddedChannels);

/// Output rows per task of a channel-vector inverted residual kernel with
/// `outHeight` output rows at `stride` (its expand stage's halo rows are
/// recomputed once per task; see InvertedResidualChannelVectorSchedule.cpp).
int64_t invertedResidualTaskRows(int64_t outHeight, int64_t stride);

/// Rows the expand stage of a channel-vector inverted residual keeps for a
/// task, given the rows one output row's depthwise window reads: the
/// smallest power of two that holds the window (a sliding window over
/// them, in L2, instead of storage for every row of the task).
int64_t expandFoldRows(int64_t windowRows);

/// Whether a channel-vector conv in (row, channel tile) tasks splits each
/// row into two halves of whole pixel tiles, each half its own task: an
/// odd number of tasks from 3 to 7 (`outHeight` rows x `channelTiles`)
/// and rows of at least 2 of its `pixelTiles` (see CpuSchedule.cpp).
bool halfRowTasks(int64_t outHeight, int64_t channelTiles, int64_t pixelTiles);

/// The register tile of a channel-vector 1x1 conv whose tiles are at most
/// 4 pixels wide (maxSharedPixels) when `tile`, picked by the cost model,
/// is 3-4 pixels x several blocks and leaves a ragged last tile on rows of
/// `outWidth` pixels that 2 divides:
/// 2 pixels x the most blocks up to 6 that divide `blocks` (see
/// CpuSchedule.cpp). Otherwise `tile`.
ChannelVectorTile evenRowPointwiseTile(ChannelVectorTile tile, int64_t outWidth,
                                       int64_t blocks);

/// The register tile of a channel-vector 1x1 conv on AVX-512 when `tile`,
/// picked by the cost model, is 4 pixels x 5 blocks and rows of
/// `outWidth` pixels take fewer whole 5-pixel tiles than 4-pixel ones
/// (a 7x7 image's flat row of 49): 5 x 5 (see CpuSchedule.cpp).
/// Otherwise `tile`.
ChannelVectorTile fivePixelFlatTile(ChannelVectorTile tile, int64_t outWidth);

/// The register tile of a channel-vector 1x1 conv when `tile`, picked by
/// the cost model, is one block wide and leaves a ragged last tile on rows
/// of `outWidth` pixels: the widest width down to half of it that divides
/// the row, one block (see CpuSchedule.cpp). Otherwise `tile`.
ChannelVectorTile dividingSingleBlockTile(ChannelVectorTile tile,
                                          int64_t outWidth);

/// Whether a channel-vector 1x1 conv whose output is one flat row (a small
/// image seen as H*W pixels, kernels/PointwiseFlattening.h) of `blocks`
/// 16-channel blocks over `inputChannels` takes register tiles of 2 pixels
/// x 2 blocks on a file of `vectorRegisters` (see CpuSchedule.cpp).
bool flatPointwiseTwoBlockTiles(int64_t outHeight, int64_t outWidth,
                                int64_t inputChannels, int64_t blocks,
                                int vectorRegisters);

/// Convs in the ChannelVectors form (ConvPlan): register tiles of output
/// pixels along a row x blocks of 16 output channels, computed per output
/// tile (one row x the tile's channel blocks) right before its epilogue;
/// tasks as channelVectorTasks says. Places the output and the accumulator
/// only, and sets funcs.taskLoop / taskRows. schedules/CpuSchedule.cpp.
void scheduleChannelVectorConv(KernelFuncs &funcs,
                               const CpuScheduleParams &params);

/// A separable kernel with zeroSkipPointwise on CPU: the depthwise result
/// whole, then output tasks calling the extern pointwise stage.
/// schedules/ZeroSkipSeparableSchedule.cpp.
void scheduleZeroSkipSeparable(KernelFuncs &funcs,
                               const CpuScheduleParams &params);

/// The fused depthwise + pointwise kernel on CPU: the depthwise result is
/// computed per pointwise pixel tile. schedules/SeparableConvSchedule.cpp.
void scheduleSeparableConv(const KernelSpec &spec, KernelFuncs &funcs,
                           const CpuScheduleParams &params);

/// The separable stages (input copy, depthwise per register tile, pointwise
/// accumulator, epilogue) with tasks of `rows` output rows each, in
/// parallel; `rows` >= the output height makes one block, parallel over
/// pixel tiles instead. Returns the loop of one block (root for one
/// block), where a producer of the copy's input can be placed.
/// schedules/SeparableConvSchedule.cpp.
Halide::LoopLevel scheduleSeparableStages(KernelFuncs &funcs,
                                          const CpuScheduleParams &params,
                                          int64_t rows);

/// The loops of a depthwise stage on channel vectors, mid(j, x, y, cb, n)
/// (algorithms/ChannelVectorStages.cpp): j vectorized, four pixels side
/// by side, channel blocks outermost. The caller places it.
/// schedules/SeparableConvSchedule.cpp.
void splitChannelVectorDepthwise(Halide::Func mid, int lanes);

/// The inverted residual kernel on CPU: per block of output rows, the
/// expand stage for the rows the block reads, then the separable stages.
/// schedules/InvertedResidualSchedule.cpp.
void scheduleInvertedResidual(KernelFuncs &funcs,
                              const CpuScheduleParams &params);
/// Its channel-vector form (ConvForm::ChannelVectors): per output row, the
/// new expand rows (a sliding window over the task's rows), the depthwise
/// row and the project stage.
/// schedules/InvertedResidualChannelVectorSchedule.cpp.
void scheduleInvertedResidualChannelVectors(KernelFuncs &funcs,
                                            const CpuScheduleParams &params);

/// Winograd F(m x m, 3 x 3) convs (KernelFuncs::winograd) on CPU.
/// schedules/WinogradConvSchedule.cpp.
void scheduleWinogradConv(KernelFuncs &funcs, const CpuScheduleParams &params);

/// ConvTranspose2D (ConvTransposeSchedule.cpp): the columns GEMM in
/// register tiles of pixel vectors x column rows, then the gather.
void scheduleConvTranspose(KernelFuncs &funcs,
                           const CpuScheduleParams &params);

/// Dense layers with long rows (K a multiple of the vector width): dot
/// products vectorized along K. Returns false, scheduling nothing, for
/// shapes the generic schedule serves better. schedules/DenseSchedule.cpp.
bool scheduleDenseAlongK(const KernelSpec &spec, KernelFuncs &funcs,
                         const CpuScheduleParams &params);

/// Loops the phase-split input copy `flat` (row pitch `pitch`) over rows
/// and columns, vectorized along a row, channels x batch in parallel when
/// `parallel`; the caller places it (compute_root or compute_at).
/// schedules/PhaseSplitCopySchedule.cpp.
void schedulePhaseSplitCopy(Halide::Func flat, int64_t pitch,
                            const CpuScheduleParams &params, bool parallel);

/// Pools between channel-blocked tensors (kernels/ActivationLayout.h):
/// a global average pool over a blocked input, a max pool from a blocked
/// input to a blocked output. schedules/ChannelBlockedPoolSchedule.cpp.
void scheduleBlockedGlobalAvgPool(KernelFuncs &funcs,
                                  const CpuScheduleParams &params);
void scheduleBlockedMaxPool(KernelFuncs &funcs,
                            const CpuScheduleParams &params);

/// The loops vectorizeChannelBlock splits a block dim into, for the
/// caller's reorder: the block's vectors (unrolled) and their lanes.
struct ChannelBlockLoops {
  Halide::Var vectors, lanes;
};

/// Vectorizes `k`, a dim of 16-channel blocks (extent 16), in vectors of
/// `lanes`, the block's vectors unrolled: two on AVX2, where as a loop of
/// two inside unrolled code they were 10-40 % of a kernel's time (the
/// Winograd input transform).
ChannelBlockLoops vectorizeChannelBlock(Halide::Stage f, Halide::Var k,
                                        int lanes);

/// Widest power of two <= both `lanes` and `extent`: the vector width for
/// a dim of that extent (an output's last vector is shifted inwards to
/// stay inside the buffer, which needs extent >= lanes).
int vectorLanesFor(int64_t extent, int lanes);

/// Runs `task`, a loop of row-block tasks, in parallel; where the tasks
/// are alike (the blocks divide the rows), the loop is never partitioned.
/// Halide otherwise splits off the tasks that touch a border (padding, a
/// guarded tail) as the loop's prologue and epilogue and, to bound code
/// size, partitions no loop inside them: the first and last tasks then
/// run every row with the border's selects, and a guarded tile tail's
/// `if` inside the innermost reduction. Kept whole, the loops inside each
/// task are partitioned (only the border rows and tiles take the checks).
/// Where the last block is short, the loop is partitioned as before: that
/// keeps the other tasks' extents constant.
void parallelTasks(Halide::Stage stage, const Halide::VarOrRVar &task,
                   bool alikeTasks);

// A CUDA schedule goes beside these as schedules/CudaSchedule.cpp
// (scheduleForCuda: gpu_tile the output, accumulators in registers) and is
// selected in applySchedule when the target has the CUDA feature.

} // namespace kiln

#endif // KILN_COMPILER_HALIDE_SCHEDULES_SCHEDULE_H
