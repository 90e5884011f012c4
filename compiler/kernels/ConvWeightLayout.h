//===- ConvWeightLayout.h - Pre-packed dense conv weights -------*- C++ -*-===//
//
// The layout contract for compile-time packed Conv2D weights, shared by the
// kernelizer (which packs constant weights, compiler/kernelize/
// WeightPacking.h) and the Halide backend (which reads them, algorithms/
// Conv.cpp and schedules/CpuSchedule.cpp). Plain C++ so both sides include
// it.
//
// OIHW weights [M, C, KH, KW] become [ceil(M/B), C, KH, KW, B]: block b holds
// output channels b*B .. b*B+B-1 innermost, zero-filled past M. A register
// tile of B (or a divisor of B) output channels then reads its per-step
// weight broadcasts from one sequential stream (B floats per reduction step)
// instead of B streams C*KH*KW*4 bytes apart.
//
// The block depends on the conv's shape only, never on the target: the
// pixel-vector register tile is 8 channels on AVX-512 and AArch64 (32
// vector registers) and 4 on AVX2/SSE (16 registers), both dividing 8, and
// the channel-vector tile splits a block of 16 into whole vectors of any
// width. So the packed weights, the kernel spec and its cache key do not
// depend on the target, and the kernelizer needs no target.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELS_CONVWEIGHTLAYOUT_H
#define KILN_COMPILER_KERNELS_CONVWEIGHTLAYOUT_H

#include <cstdint>
#include <vector>

namespace kiln {

/// Output channels per packed block (KernelSpec::weightBlock) of the
/// pixel-vector conv: each tile broadcasts 8 (or 4) channels' weights.
constexpr int64_t kConvWeightBlock = 8;
/// Blocks of 16 select the channel-vector conv instead (see below): one
/// block's weights are one AVX-512 vector (2 AVX2, 4 NEON vectors) and
/// input pixels are broadcast, so the vectors stay full however narrow the
/// image (a 7x7 row fills only 7 of 16 pixel lanes).
constexpr int64_t kConvChannelVectorBlock = 16;
/// 1x1 convs on images up to this many output pixels use channel vectors
/// (ResNet-50's 14x14 and 7x7 stages); larger 1x1 convs keep pixel vectors,
/// in register tiles along whole planes (kernels/PointwiseFlattening.h).
/// Measured (kiln-kernel-bench, best of 40, pixel vs channel vectors):
/// 1x1 64->256 56x56 0.92 vs 1.50 ms, 128->512 28x28 0.82 vs 1.17,
/// 512->128 28x28 1.00 vs 1.26, s2 256->512 56x56 1.81 vs 2.20, but
/// 1024->256 14x14 0.84 vs 0.77 and 2048->512 7x7 1.02 vs 0.76. Convs with
/// a spatial window (3x3, the 7x7 stem) always use channel vectors
/// (1.1-2x faster at every ResNet-50 size on AVX-512, benchmarks/README.md).
constexpr int64_t kConvChannelVectorMaxPointwisePixels = 14 * 14;
/// ... except stride-1 1x1 convs with fewer input channels than this on
/// images of more than half that many pixels (14x14, not 7x7): their
/// reductions are short, and pixel vectors were faster (MobileNetV2's
/// expansions 64->384 14x14 0.068 vs 0.085 ms, 96->576 0.149 vs 0.168;
/// 128->512 0.173 vs 0.187, 160->512 0.221 vs 0.230; but 256->1024 0.82 vs
/// 0.72, and at 7x7 128->512 0.050 vs 0.046). Strided ones keep channel
/// vectors, which read the input in place (no phase-split copy).
constexpr int64_t kConvChannelVectorMinPointwiseInputs = 256;

/// The block to pack a conv's weights with, or 0 to keep OIHW: dense convs
/// (groups == 1) with at least one full block of output channels.
/// (Grouped and depthwise convs have no channel tile to feed.)
inline int64_t convWeightBlockFor(int64_t outputChannels, int64_t inputChannels,
                                  int64_t groups, int64_t outputPixels,
                                  int64_t kernelTaps, bool strided) {
  if (groups != 1)
    return 0;
  bool shortPointwise =
      kernelTaps == 1 && !strided &&
      outputPixels > kConvChannelVectorMaxPointwisePixels / 2 &&
      inputChannels < kConvChannelVectorMinPointwiseInputs;
  // Fewer than two blocks of output channels, the last one partly empty,
  // keep pixel vectors: ShuffleNetV2's stem (3x3 s2 3->24 on 224x224)
  // 0.31 vs 0.48 ms on Zen 3 (kiln-kernel-bench --compare-block 8).
  bool raggedNarrow = outputChannels < 2 * kConvChannelVectorBlock &&
                      outputChannels % kConvChannelVectorBlock != 0;
  if (raggedNarrow)
    return outputChannels >= kConvWeightBlock ? kConvWeightBlock : 0;
  if ((kernelTaps > 1 ||
       (outputPixels <= kConvChannelVectorMaxPointwisePixels &&
        !shortPointwise)) &&
      outputChannels >= kConvChannelVectorBlock)
    return kConvChannelVectorBlock;
  return outputChannels >= kConvWeightBlock ? kConvWeightBlock : 0;
}

/// Shape of packed weights: OIHW [M, C, KH, KW] -> [ceil(M/B), C, KH, KW, B].
inline std::vector<int64_t>
packedConvWeightShape(const std::vector<int64_t> &oihw, int64_t block) {
  return {(oihw[0] + block - 1) / block, oihw[1], oihw[2], oihw[3], block};
}

} // namespace kiln

#endif // KILN_COMPILER_KERNELS_CONVWEIGHTLAYOUT_H
