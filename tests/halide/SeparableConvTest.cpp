//===- SeparableConvTest.cpp - Fused depthwise + pointwise vs naive -------===//
//
// The SeparableConv2D kernel against a naive two-stage reference: a direct
// depthwise convolution written to a full intermediate tensor, its
// activation, then a direct 1x1 convolution with bias, residual and
// activation.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "compiler/kernelize/WeightPacking.h"
#include "compiler/kernels/ConvWeightLayout.h"
#include "compiler/kernels/PointwiseFlattening.h"
#include "runtime/kiln_zero_skip_pointwise.h"

using namespace kiln;
using namespace kiln::test;

namespace {

struct SeparableCase {
  int64_t n = 1, c = 8, h = 9, w = 11, m = 6, k = 3;
  int64_t stride = 1, pad = 1, dilation = 1;
  Activation dwAct = Activation::Clip;
  float dwParam0 = 0.0f, dwParam1 = 6.0f;
  Activation act = Activation::None;
  /// The epilogue's parameters (LeakyRelu's alpha, Selu's alpha / gamma).
  float actAlpha = 0.0f, actBeta = 0.0f;
  bool residual = false;
  /// Pointwise weights packed in blocks of this many output channels (the
  /// channel-vector pointwise stage), 0 for OIHW.
  int64_t packBlock = 0;
  /// Channel-blocked arguments (x, residual, output): both stages on
  /// channel vectors.
  bool blockInput = false, blockResidual = false, blockOutput = false;
  /// The output and residual as single rows (PointwiseFlattening.h); the
  /// reference keeps NCHW.
  bool flatten = false;
  /// Depthwise weights packed in blocks of 16 channels.
  bool packDepthwise = false;
  /// The pointwise stage skips the depthwise result's zeros
  /// (KernelSpec::zeroSkipPointwise; blocked arguments, packed weights).
  bool zeroSkip = false;
};

Tensor referenceSeparable(const SeparableCase &sc, const KernelSpec &spec,
                          const std::vector<Tensor> &in) {
  const Tensor &x = in[0], &dw = in[1], &dwb = in[2], &pw = in[3],
               &pwb = in[4];
  int64_t OH = spec.outputShape[2], OW = spec.outputShape[3];
  KernelSpec dwStage;
  dwStage.activation = sc.dwAct;
  dwStage.clipMin = dwStage.actAlpha = sc.dwParam0;
  dwStage.clipMax = dwStage.actBeta = sc.dwParam1;
  Tensor mid({sc.n, sc.c, OH, OW});
  for (int64_t n = 0; n < sc.n; ++n)
    for (int64_t c = 0; c < sc.c; ++c)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          double s = dwb.data[c];
          for (int64_t ky = 0; ky < sc.k; ++ky)
            for (int64_t kx = 0; kx < sc.k; ++kx) {
              int64_t iy = oy * sc.stride + ky * sc.dilation - sc.pad;
              int64_t ix = ox * sc.stride + kx * sc.dilation - sc.pad;
              if (iy < 0 || iy >= sc.h || ix < 0 || ix >= sc.w)
                continue;
              s += (double)dw.at4(c, 0, ky, kx) * x.at4(n, c, iy, ix);
            }
          mid.at4(n, c, oy, ox) = applyAct(dwStage, (float)s);
        }
  Tensor y(spec.outputShape);
  for (int64_t n = 0; n < sc.n; ++n)
    for (int64_t m = 0; m < sc.m; ++m)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          double s = pwb.data[m];
          for (int64_t c = 0; c < sc.c; ++c)
            s += (double)pw.at4(m, c, 0, 0) * mid.at4(n, c, oy, ox);
          if (sc.residual)
            s += in[5].at4(n, m, oy, ox);
          y.at4(n, m, oy, ox) = applyAct(spec, (float)s);
        }
  return y;
}

void runSeparableCase(const SeparableCase &sc, unsigned seed) {
  std::mt19937 rng(seed);
  KernelSpec spec;
  spec.kind = KernelKind::SeparableConv2D;
  spec.name = "sep";
  spec.kernel = {sc.k, sc.k};
  spec.strides = {sc.stride, sc.stride};
  spec.pads = {sc.pad, sc.pad, sc.pad, sc.pad};
  spec.dilations = {sc.dilation, sc.dilation};
  spec.hasBias = true;
  spec.hasResidual = sc.residual;
  spec.activation = sc.act;
  spec.actAlpha = sc.actAlpha;
  spec.actBeta = sc.actBeta;
  spec.dwActivation = sc.dwAct;
  spec.dwActParam0 = sc.dwParam0;
  spec.dwActParam1 = sc.dwParam1;
  auto outExtent = [&](int64_t in) {
    return (in + 2 * sc.pad - sc.dilation * (sc.k - 1) - 1) / sc.stride + 1;
  };
  spec.outputShape = {sc.n, sc.m, outExtent(sc.h), outExtent(sc.w)};
  std::vector<Tensor> in = {
      randomTensor({sc.n, sc.c, sc.h, sc.w}, rng),
      randomTensor({sc.c, 1, sc.k, sc.k}, rng),
      randomTensor({sc.c}, rng),
      randomTensor({sc.m, sc.c, 1, 1}, rng),
      randomTensor({sc.m}, rng)};
  if (sc.residual)
    in.push_back(randomTensor(spec.outputShape, rng));
  for (const Tensor &t : in)
    spec.inputShapes.push_back(t.shape);
  std::vector<Tensor> kernelIn = in;
  if (sc.packBlock) {
    spec.weightBlock = sc.packBlock;
    ASSERT_NO_FATAL_FAILURE(
        packWeightArgument(spec, kernelIn, 3, sc.packBlock));
  }
  if (sc.packDepthwise) {
    ASSERT_NO_FATAL_FAILURE(
        packWeightArgument(spec, kernelIn, 1, kConvChannelVectorBlock));
  }
  Tensor want = referenceSeparable(sc, spec, in);
  if (sc.blockInput)
    spec.blockedInputs |= 1u;
  if (sc.blockResidual)
    spec.blockedInputs |= 1u << 5;
  spec.blockedOutput = sc.blockOutput;
  spec.zeroSkipPointwise = sc.zeroSkip;
  if (sc.flatten) {
    ASSERT_TRUE(flattensSeparablePointwise(spec));
    for (size_t i : flattenSeparablePointwise(spec))
      kernelIn[i].shape = spec.inputShapes[i];
    want.shape = spec.outputShape;
  }
  if (sc.blockInput)
    kernelIn[0] = toChannelBlocked(kernelIn[0]);
  if (sc.blockResidual)
    kernelIn[5] = toChannelBlocked(kernelIn[5]);
  Tensor got = runJit(spec, kernelIn);
  expectClose(sc.blockOutput ? fromChannelBlocked(got) : got, want);
}

/// A 3x3, pad 1 separable spec with biases, for the spec-error tests
/// (inputs and output filled in by each).
KernelSpec separable3x3Spec(const std::string &name) {
  KernelSpec spec;
  spec.kind = KernelKind::SeparableConv2D;
  spec.name = name;
  spec.kernel = {3, 3};
  spec.pads = {1, 1, 1, 1};
  spec.hasBias = true;
  return spec;
}

} // namespace

TEST(HalideSeparableConv, Relu6ThenLinear) { runSeparableCase({}, 1); }

TEST(HalideSeparableConv, Stride2) {
  SeparableCase sc;
  sc.stride = 2;
  sc.h = 14;
  sc.w = 15;
  runSeparableCase(sc, 2);
}

TEST(HalideSeparableConv, ResidualThenRelu) {
  SeparableCase sc;
  sc.residual = true;
  sc.act = Activation::Relu;
  sc.dwAct = Activation::Relu;
  runSeparableCase(sc, 3);
}

TEST(HalideSeparableConv, Kernel5NoActivation) {
  SeparableCase sc;
  sc.k = 5;
  sc.pad = 2;
  sc.dwAct = Activation::None;
  runSeparableCase(sc, 4);
}

TEST(HalideSeparableConv, Dilation2Unpadded) {
  SeparableCase sc;
  sc.dilation = 2;
  sc.pad = 0;
  runSeparableCase(sc, 5);
}

TEST(HalideSeparableConv, UnpaddedStride1) {
  // No padding (the kernel still copies the input: its last tile reads
  // past the pixels the output needs); ragged pixel tiles.
  SeparableCase sc;
  sc.pad = 0;
  sc.h = 13;
  sc.w = 17;
  runSeparableCase(sc, 6);
}

TEST(HalideSeparableConv, MobileNetLikeWideChannels) {
  // 7x7 with many channels: few pixel tiles, many channel blocks; hard
  // sigmoid on the depthwise stage exercises its two parameters.
  SeparableCase sc;
  sc.c = 96;
  sc.m = 40;
  sc.h = sc.w = 7;
  sc.dwAct = Activation::HardSigmoid;
  sc.dwParam0 = 0.2f;
  sc.dwParam1 = 0.5f;
  sc.act = Activation::HardSwish;
  sc.residual = true;
  runSeparableCase(sc, 7);
}

TEST(HalideSeparableConv, LeakyReluStages) {
  // Depthwise stage and epilogue both leaky (alpha 0.1 / 0.2: darknet-style
  // separable blocks).
  SeparableCase sc;
  sc.c = 40;
  sc.m = 24;
  sc.h = 9;
  sc.w = 11;
  sc.dwAct = Activation::LeakyRelu;
  sc.dwParam0 = 0.1f;
  sc.act = Activation::LeakyRelu;
  sc.actAlpha = 0.2f;
  runSeparableCase(sc, 30);
}

TEST(HalideSeparableConv, SiluStageSeluEpilogue) {
  // EfficientNet-style smooth stages: SiLU after the depthwise, Selu
  // (alpha, gamma) after the pointwise.
  SeparableCase sc;
  sc.c = 24;
  sc.m = 16;
  sc.h = 10;
  sc.w = 7;
  sc.dwAct = Activation::Silu;
  sc.act = Activation::Selu;
  sc.actAlpha = 1.5f;
  sc.actBeta = 0.9f;
  runSeparableCase(sc, 31);
}

TEST(HalideSeparableConv, Batch2OddOutputChannels) {
  SeparableCase sc;
  sc.n = 2;
  sc.m = 7;
  sc.stride = 2;
  runSeparableCase(sc, 8);
}

TEST(HalideSeparableConv, RejectsPointwiseWeightsOfWrongShape) {
  KernelSpec spec;
  spec.kind = KernelKind::SeparableConv2D;
  spec.name = "bad";
  spec.kernel = {3, 3};
  spec.pads = {1, 1, 1, 1};
  spec.hasBias = true;
  spec.inputShapes = {{1, 8, 6, 6}, {8, 1, 3, 3}, {8}, {4, 6, 1, 1}, {4}};
  spec.outputShape = {1, 4, 6, 6};
  expectSpecError(spec, "pointwise weights [4,6,1,1]");
}

TEST(HalideSeparableConv, RowBlocksWithShiftedLastBlock) {
  // Tall enough for the row-blocked schedule (each block copies its input
  // rows and computes its accumulator); 37 rows do not divide into the
  // blocks, so the last block overlaps the one before it.
  SeparableCase sc;
  sc.c = 12;
  sc.m = 10;
  sc.h = 37;
  sc.w = 41;
  sc.residual = true;
  runSeparableCase(sc, 9);
}

TEST(HalideSeparableConv, RowBlocksStride2) {
  SeparableCase sc;
  sc.c = 16;
  sc.m = 8;
  sc.h = 67;
  sc.w = 130;
  sc.stride = 2;
  runSeparableCase(sc, 10);
}

// Pointwise stage on channel vectors (packed weights, small images).

TEST(HalideSeparableConv, ChannelVectorsMobileNet7x7) {
  // MobileNetV2's last blocks: 7x7, wide depthwise, residual; 40 output
  // channels leave the last block of 16 part-filled.
  SeparableCase sc;
  sc.c = 96;
  sc.m = 40;
  sc.h = sc.w = 7;
  sc.residual = true;
  sc.packBlock = kConvChannelVectorBlock;
  runSeparableCase(sc, 11);
}

TEST(HalideSeparableConv, ChannelVectorsStride2OddImage) {
  // Stride 2 from 15x13, ReLU epilogue, 19 depthwise channels (a partial
  // task of the depthwise stage), batch 2.
  SeparableCase sc;
  sc.n = 2;
  sc.c = 19;
  sc.m = 32;
  sc.h = 15;
  sc.w = 13;
  sc.stride = 2;
  sc.act = Activation::Relu;
  sc.packBlock = kConvChannelVectorBlock;
  runSeparableCase(sc, 12);
}

TEST(HalideSeparableConv, ChannelVectors14x14Wide) {
  // 14x14 rows wider than one register tile, 5x5 depthwise window.
  SeparableCase sc;
  sc.c = 64;
  sc.m = 48;
  sc.h = sc.w = 14;
  sc.k = 5;
  sc.pad = 2;
  sc.packBlock = kConvChannelVectorBlock;
  runSeparableCase(sc, 13);
}

TEST(HalideSeparableConv, ChannelVectorsRowBlockTasks) {
  // 17 output rows: row-block tasks (2 of 9, overlapping by one), each
  // computing its rows' input copy and depthwise stage; batch 2, residual.
  SeparableCase sc;
  sc.n = 2;
  sc.c = 24;
  sc.m = 32;
  sc.h = sc.w = 17;
  sc.residual = true;
  sc.act = Activation::Relu;
  sc.packBlock = kConvChannelVectorBlock;
  runSeparableCase(sc, 14);
}

TEST(HalideSeparableConv, ChannelVectorsChunkedPointwise) {
  // 14x14, 520 depthwise channels: the pointwise reduction of each row
  // block is swept in chunks of 64 channels (the last has 8).
  SeparableCase sc;
  sc.c = 520;
  sc.m = 24;
  sc.h = sc.w = 14;
  sc.residual = true;
  sc.packBlock = kConvChannelVectorBlock;
  runSeparableCase(sc, 16);
}

TEST(HalideSeparableConv, ChannelVectorsChannelTileTasks) {
  // 7x7 with 400 output channels: one task per channel tile over a
  // depthwise stage computed whole.
  SeparableCase sc;
  sc.c = 40;
  sc.m = 400;
  sc.h = sc.w = 7;
  sc.packBlock = kConvChannelVectorBlock;
  runSeparableCase(sc, 15);
}

TEST(HalideSeparableConv, RejectsPackedPointwiseWeightsOfWrongShape) {
  KernelSpec spec = separable3x3Spec("bad_packed");
  spec.weightBlock = kConvChannelVectorBlock;
  // 20 output channels need 2 blocks of 16, not 1.
  spec.inputShapes = {
      {1, 8, 6, 6}, {8, 1, 3, 3}, {8}, {1, 8, 1, 1, 16}, {20}};
  spec.outputShape = {1, 20, 6, 6};
  expectSpecError(spec, "packed pointwise weights [1,8,1,1,16]");
}

// Channel-blocked arguments: the depthwise stage on 16-channel vectors too.

TEST(HalideSeparableConv, BlockedMobileNet14x14) {
  // MobileNetV2's 14x14 blocks: blocked input, residual and output; row
  // tasks, each with its own padded copy and depthwise rows.
  SeparableCase sc;
  sc.c = 384;
  sc.m = 64;
  sc.h = sc.w = 14;
  sc.residual = true;
  sc.packBlock = kConvChannelVectorBlock;
  sc.blockInput = sc.blockResidual = sc.blockOutput = true;
  runSeparableCase(sc, 21);
}

TEST(HalideSeparableConv, BlockedInputReadInPlaceRowTasks) {
  // MobileNetV2's first separable kernel, smaller: a blocked input read in
  // place (zero padding by a boundary condition, no copy), row-block
  // tasks whose first and last rows and columns take the padding.
  SeparableCase sc;
  sc.c = 32;
  sc.m = 16;
  sc.h = sc.w = 30;
  sc.packBlock = kConvChannelVectorBlock;
  sc.blockInput = sc.blockOutput = true;
  runSeparableCase(sc, 31);
}

TEST(HalideSeparableConv, BlockedInputReadInPlace5x5Stride2) {
  // A 5x5 window, padding 2, stride 2 over an odd blocked image read in
  // place; NCHW output with a partial last block of 16.
  SeparableCase sc;
  sc.c = 32;
  sc.m = 24;
  sc.h = sc.w = 19;
  sc.k = 5;
  sc.pad = 2;
  sc.stride = 2;
  sc.packBlock = kConvChannelVectorBlock;
  sc.blockInput = true;
  runSeparableCase(sc, 32);
}

TEST(HalideSeparableConv, BlockedStride2To7x7) {
  // 14x14 -> 7x7 at stride 2 (no row tasks: whole stages in parallel over
  // channel blocks), NCHW output with a partial last block of 16.
  SeparableCase sc;
  sc.c = 96;
  sc.m = 40;
  sc.h = sc.w = 14;
  sc.stride = 2;
  sc.act = Activation::Relu;
  sc.packBlock = kConvChannelVectorBlock;
  sc.blockInput = true;
  runSeparableCase(sc, 22);
}

TEST(HalideSeparableConv, BlockedFlat7x7Residual) {
  // MobileNetV2's 7x7 960 -> 160 blocks: blocked arguments, the output and
  // residual as single rows of 49 pixels, register tiles across the image
  // rows (5 pixels on AVX2: the tiles straddle rows 0/1, 1/2, ...).
  SeparableCase sc;
  sc.c = 96;
  sc.m = 48;
  sc.h = sc.w = 7;
  sc.residual = true;
  sc.packBlock = kConvChannelVectorBlock;
  sc.blockInput = sc.blockResidual = sc.blockOutput = true;
  sc.flatten = true;
  runSeparableCase(sc, 25);
}

TEST(HalideSeparableConv, BlockedFlat7x7HalfRowTasks) {
  // MobileNetV2's 7x7 960 -> 320: one flat row of 49 pixels in 5 channel
  // tiles on AVX-512, each row split into two tasks of whole pixel tiles
  // (halfRowTasks) whose overlap is computed twice.
  SeparableCase sc;
  sc.c = 960;
  sc.m = 320;
  sc.h = sc.w = 7;
  sc.packBlock = kConvChannelVectorBlock;
  sc.blockInput = sc.blockOutput = true;
  sc.flatten = true;
  runSeparableCase(sc, 29);
}

TEST(HalideSeparableConv, BlockedFlatStride2OddImageBatch2) {
  // 13x11 -> 7x6 at stride 2 (q % 6, q / 6), batch 2, NCHW input
  // transposed into channel vectors, flat NCHW output with a partial last
  // block of 16.
  SeparableCase sc;
  sc.n = 2;
  sc.c = 32;
  sc.m = 40;
  sc.h = 13;
  sc.w = 11;
  sc.stride = 2;
  sc.act = Activation::Relu;
  sc.packBlock = kConvChannelVectorBlock;
  sc.blockOutput = false;
  sc.blockInput = true;
  sc.flatten = true;
  runSeparableCase(sc, 26);
}

TEST(HalideSeparableConv, BlockedPackedDepthwise14x14) {
  // Depthwise weights packed [C/16,1,KH,KW,16] (one vector per tap, no
  // per-call re-layout): row-block tasks, blocked arguments.
  SeparableCase sc;
  sc.c = 64;
  sc.m = 32;
  sc.h = sc.w = 14;
  sc.residual = true;
  sc.packBlock = kConvChannelVectorBlock;
  sc.blockInput = sc.blockResidual = sc.blockOutput = true;
  sc.packDepthwise = true;
  runSeparableCase(sc, 27);
}

TEST(HalideSeparableConv, BlockedPackedDepthwiseFlatStride2) {
  SeparableCase sc;
  sc.c = 48;
  sc.m = 16;
  sc.h = sc.w = 13;
  sc.stride = 2;
  sc.packBlock = kConvChannelVectorBlock;
  sc.blockInput = sc.blockOutput = true;
  sc.flatten = true;
  sc.packDepthwise = true;
  runSeparableCase(sc, 28);
}

TEST(HalideSeparableConv, PackedDepthwiseFlatPixels) {
  // The flat-pixel form (NCHW arguments) reads packed depthwise weights
  // per channel too; 24 channels, a partial last block.
  SeparableCase sc;
  sc.c = 24;
  sc.m = 20;
  sc.h = 16;
  sc.w = 17;
  sc.stride = 2;
  sc.packDepthwise = true;
  runSeparableCase(sc, 29);
}

TEST(HalideSeparableConv, RejectsPackedDepthwiseWeightsOfWrongShape) {
  KernelSpec spec = separable3x3Spec("sep");
  spec.weightBlock = kConvChannelVectorBlock;
  spec.inputShapes = {
      {1, 32, 7, 7}, {1, 1, 3, 3, 16}, {32}, {1, 32, 1, 1, 16}, {16}};
  spec.outputShape = {1, 16, 7, 7};
  spec.blockedOutput = true;
  expectSpecError(spec, "packed depthwise weights [1,1,3,3,16] must be "
                        "[2,1,KH,KW,16]");
}

TEST(HalideSeparableConv, FlatteningOnlyForSmallChannelVectorImages) {
  KernelSpec spec = separable3x3Spec("sep");
  spec.weightBlock = kConvChannelVectorBlock;
  spec.outputShape = {1, 32, 7, 7};
  spec.blockedOutput = true;
  EXPECT_TRUE(flattensSeparablePointwise(spec));
  KernelSpec tall = spec;
  tall.outputShape = {1, 32, 14, 14};
  EXPECT_FALSE(flattensSeparablePointwise(tall));
  KernelSpec planar = spec;
  planar.blockedOutput = false;
  EXPECT_FALSE(flattensSeparablePointwise(planar));
  KernelSpec oihw = spec;
  oihw.weightBlock = 0;
  EXPECT_FALSE(flattensSeparablePointwise(oihw));
}

TEST(HalideSeparableConv, BlockedOutputFromNchwInputBatch2) {
  // NCHW input transposed into channel vectors, blocked output, NCHW
  // residual; 5x5 window with dilation 2; batch 2.
  SeparableCase sc;
  sc.n = 2;
  sc.c = 32;
  sc.m = 32;
  sc.h = 9;
  sc.w = 10;
  sc.k = 5;
  sc.pad = 4;
  sc.dilation = 2;
  sc.residual = true;
  sc.packBlock = kConvChannelVectorBlock;
  sc.blockOutput = true;
  runSeparableCase(sc, 23);
}

TEST(HalideSeparableConv, BlockedResidualNchwOutput) {
  SeparableCase sc;
  sc.c = 48;
  sc.m = 16;
  sc.h = sc.w = 7;
  sc.residual = true;
  sc.dwAct = Activation::HardSigmoid;
  sc.dwParam0 = 0.2f;
  sc.dwParam1 = 0.5f;
  sc.packBlock = kConvChannelVectorBlock;
  sc.blockInput = sc.blockResidual = true;
  runSeparableCase(sc, 24);
}

TEST(HalideSeparableConv, BlockedArgumentsNeedWholeChannelBlocks) {
  // A blocked output from 24 NCHW input channels: the depthwise stage
  // runs on whole blocks of 16.
  KernelSpec spec = separable3x3Spec("sep");
  spec.weightBlock = kConvChannelVectorBlock;
  spec.inputShapes = {{1, 24, 9, 11}, {24, 1, 3, 3}, {24},
                      {1, 24, 1, 1, 16}, {16}};
  spec.outputShape = {1, 16, 9, 11};
  spec.blockedOutput = true;
  expectSpecError(spec, "a multiple of 16 input channels (got 24)");
}

TEST(HalideSeparableConv, BlockedArgumentsNeedPackedWeights) {
  KernelSpec spec = separable3x3Spec("sep");
  spec.inputShapes = {{1, 32, 9, 11}, {32, 1, 3, 3}, {32}, {6, 32, 1, 1}, {6}};
  spec.outputShape = {1, 6, 9, 11};
  spec.blockedInputs = 1;
  expectSpecError(spec, "input 0 is channel-blocked, which only");
}

/// MobileNetV2-like zero-skipping cases: blocked arguments, packed weights,
/// a ReLU6 depthwise stage (about half its results zero).
SeparableCase zeroSkipCase(int64_t c, int64_t m, int64_t hw) {
  SeparableCase sc;
  sc.c = c;
  sc.m = m;
  sc.h = sc.w = hw;
  sc.packBlock = kConvChannelVectorBlock;
  sc.packDepthwise = true;
  sc.blockInput = sc.blockOutput = true;
  sc.zeroSkip = true;
  return sc;
}

TEST(HalideSeparableConv, ZeroSkip14x14Residual) {
  // 576 -> 96 on 14x14 (a row per task, one register tile of 6 output
  // blocks, 9 lists of 64 channels), with the residual.
  SeparableCase sc = zeroSkipCase(576, 96, 14);
  sc.residual = sc.blockResidual = true;
  runSeparableCase(sc, 41);
}

TEST(HalideSeparableConv, ZeroSkipFlat7x7) {
  // 960 -> 160 on a flattened 7x7 output (tasks of 5 pixels, the last
  // shifted inwards): tiles of 6 and 4 output blocks.
  SeparableCase sc = zeroSkipCase(960, 160, 7);
  sc.flatten = true;
  runSeparableCase(sc, 42);
}

TEST(HalideSeparableConv, ZeroSkipStride2ReluEpilogueOddTiles) {
  // ReLU depthwise stage and epilogue, 13x13 -> 7x7 at stride 2, 80
  // output channels (one tile of 5 blocks), 48 input channels (one list
  // shorter than 64).
  SeparableCase sc = zeroSkipCase(48, 80, 13);
  sc.stride = 2;
  sc.dwAct = Activation::Relu;
  sc.act = Activation::Relu;
  sc.flatten = true;
  runSeparableCase(sc, 43);
}

TEST(HalideSeparableConv, ZeroSkipPortableLoops) {
  // The loops for CPUs without AVX2 on the same kind of case.
  SeparableCase sc = zeroSkipCase(96, 48, 9);
  sc.residual = sc.blockResidual = true;
  sc.act = Activation::Relu;
  struct PortableOnly { // reset even when the case fails
    PortableOnly() { kiln_zero_skip_pointwise_portable_only = 1; }
    ~PortableOnly() { kiln_zero_skip_pointwise_portable_only = 0; }
  } portableOnly;
  runSeparableCase(sc, 44);
}

/// A zero-skipping 32 -> 16 separable spec on a 7x7 image with a blocked
/// input, for the spec-error tests.
KernelSpec zeroSkipSpec(const std::string &name, int64_t batch,
                        bool blockedOutput) {
  KernelSpec spec = separable3x3Spec(name);
  spec.inputShapes = {{batch, 32, 7, 7}, {32, 1, 3, 3}, {32},
                      {1, 32, 1, 1, 16}, {16}};
  spec.outputShape = {batch, 16, 7, 7};
  spec.weightBlock = kConvChannelVectorBlock;
  spec.blockedInputs = 1u;
  spec.blockedOutput = blockedOutput;
  spec.dwActivation = Activation::Relu;
  spec.zeroSkipPointwise = true;
  return spec;
}

TEST(HalideSeparableConv, ZeroSkipRejectsUnblockedArguments) {
  // The zero-skipping form exists only on channel vectors.
  expectSpecError(zeroSkipSpec("zs_nchw", 1, /*blockedOutput=*/false),
                  "zero_skip_pointwise needs a channel-blocked input, "
                  "output and residual");
}

TEST(HalideSeparableConv, ZeroSkipRejectsBatch2) {
  expectSpecError(zeroSkipSpec("zs_batch2", 2, /*blockedOutput=*/true),
                  "zero_skip_pointwise needs batch 1, got 2");
}
