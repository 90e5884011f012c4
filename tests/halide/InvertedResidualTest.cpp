//===- InvertedResidualTest.cpp - Expand + depthwise + project vs naive ---===//
//
// The InvertedResidual kernel against a naive three-stage reference: a
// direct 1x1 expand convolution and its activation written to a full
// tensor, a direct depthwise convolution over it with zero padding (padded
// cells are 0, not the activation of the expand bias) and its activation,
// then a direct 1x1 projection with bias, residual and activation.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "compiler/halide/algorithms/Algorithms.h"
#include "compiler/halide/schedules/Schedule.h"
#include "compiler/kernelize/WeightPacking.h"
#include "compiler/kernels/ConvWeightLayout.h"

#include <optional>

using namespace kiln;
using namespace kiln::test;

namespace {

struct InvertedResidualCase {
  int64_t n = 1, c = 5, e = 30, m = 7, h = 9, w = 11, k = 3;
  int64_t stride = 1, pad = 1, dilation = 1;
  Activation exAct = Activation::Clip;
  float exParam0 = 0.0f, exParam1 = 6.0f;
  Activation dwAct = Activation::Clip;
  float dwParam0 = 0.0f, dwParam1 = 6.0f;
  Activation act = Activation::None;
  /// The epilogue's parameters (Elu's alpha, ...).
  float actAlpha = 0.0f, actBeta = 0.0f;
  bool residual = false;
  /// The channel-vector form: expand and project weights packed in blocks
  /// of 16 (e must be whole blocks); and which arguments are
  /// channel-blocked (x, residual, output).
  bool channelVectors = false;
  bool blockInput = false, blockResidual = false, blockOutput = false;
  /// Depthwise weights packed in blocks of 16 channels (channel vectors).
  bool packDepthwise = false;
  /// A Halide target to schedule for instead of the host's (empty: host).
  std::string target;
};

KernelSpec stageSpec(Activation act, float p0, float p1) {
  KernelSpec s;
  s.activation = act;
  s.clipMin = s.actAlpha = p0;
  s.clipMax = s.actBeta = p1;
  return s;
}

Tensor referenceInvertedResidual(const InvertedResidualCase &tc,
                                 const KernelSpec &spec,
                                 const std::vector<Tensor> &in) {
  const Tensor &x = in[0], &ew = in[1], &eb = in[2], &dw = in[3], &dwb = in[4],
               &pw = in[5], &pwb = in[6];
  int64_t OH = spec.outputShape[2], OW = spec.outputShape[3];
  KernelSpec exStage = stageSpec(tc.exAct, tc.exParam0, tc.exParam1);
  KernelSpec dwStage = stageSpec(tc.dwAct, tc.dwParam0, tc.dwParam1);
  Tensor ex({tc.n, tc.e, tc.h, tc.w});
  for (int64_t n = 0; n < tc.n; ++n)
    for (int64_t e = 0; e < tc.e; ++e)
      for (int64_t y = 0; y < tc.h; ++y)
        for (int64_t x0 = 0; x0 < tc.w; ++x0) {
          double s = eb.data[e];
          for (int64_t c = 0; c < tc.c; ++c)
            s += (double)ew.at4(e, c, 0, 0) * x.at4(n, c, y, x0);
          ex.at4(n, e, y, x0) = applyAct(exStage, (float)s);
        }
  Tensor mid({tc.n, tc.e, OH, OW});
  for (int64_t n = 0; n < tc.n; ++n)
    for (int64_t e = 0; e < tc.e; ++e)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          double s = dwb.data[e];
          for (int64_t ky = 0; ky < tc.k; ++ky)
            for (int64_t kx = 0; kx < tc.k; ++kx) {
              int64_t iy = oy * tc.stride + ky * tc.dilation - tc.pad;
              int64_t ix = ox * tc.stride + kx * tc.dilation - tc.pad;
              if (iy < 0 || iy >= tc.h || ix < 0 || ix >= tc.w)
                continue; // Zero padding of the activated expansion.
              s += (double)dw.at4(e, 0, ky, kx) * ex.at4(n, e, iy, ix);
            }
          mid.at4(n, e, oy, ox) = applyAct(dwStage, (float)s);
        }
  Tensor y(spec.outputShape);
  for (int64_t n = 0; n < tc.n; ++n)
    for (int64_t m = 0; m < tc.m; ++m)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          double s = pwb.data[m];
          for (int64_t e = 0; e < tc.e; ++e)
            s += (double)pw.at4(m, e, 0, 0) * mid.at4(n, e, oy, ox);
          if (tc.residual)
            s += in[7].at4(n, m, oy, ox);
          y.at4(n, m, oy, ox) = applyAct(spec, (float)s);
        }
  return y;
}

KernelSpec invertedResidualSpec(const InvertedResidualCase &tc) {
  KernelSpec spec;
  spec.kind = KernelKind::InvertedResidual;
  spec.name = "ir";
  spec.kernel = {tc.k, tc.k};
  spec.strides = {tc.stride, tc.stride};
  spec.pads = {tc.pad, tc.pad, tc.pad, tc.pad};
  spec.dilations = {tc.dilation, tc.dilation};
  spec.hasBias = true;
  spec.hasResidual = tc.residual;
  spec.activation = tc.act;
  spec.actAlpha = tc.actAlpha;
  spec.actBeta = tc.actBeta;
  spec.exActivation = tc.exAct;
  spec.exActParam0 = tc.exParam0;
  spec.exActParam1 = tc.exParam1;
  spec.dwActivation = tc.dwAct;
  spec.dwActParam0 = tc.dwParam0;
  spec.dwActParam1 = tc.dwParam1;
  auto outExtent = [&](int64_t in) {
    return (in + 2 * tc.pad - tc.dilation * (tc.k - 1) - 1) / tc.stride + 1;
  };
  spec.outputShape = {tc.n, tc.m, outExtent(tc.h), outExtent(tc.w)};
  return spec;
}

/// A case's spec and random inputs: `in` as the reference reads them,
/// `kernelIn` as the kernel does (packed weights, blocked arguments).
struct PreparedCase {
  KernelSpec spec;
  std::vector<Tensor> in, kernelIn;
};

void prepareInvertedResidualCase(const InvertedResidualCase &tc, unsigned seed,
                                 PreparedCase &pc) {
  std::mt19937 rng(seed);
  KernelSpec &spec = pc.spec;
  spec = invertedResidualSpec(tc);
  // Expand biases in [0.5, 2]: exAct(bias) is then non-zero (ReLU6 of a
  // positive bias), so padding applied before the activation would show.
  std::vector<Tensor> in = {randomTensor({tc.n, tc.c, tc.h, tc.w}, rng),
                            randomTensor({tc.e, tc.c, 1, 1}, rng),
                            randomTensor({tc.e}, rng, 0.5f, 2.0f),
                            randomTensor({tc.e, 1, tc.k, tc.k}, rng),
                            randomTensor({tc.e}, rng),
                            randomTensor({tc.m, tc.e, 1, 1}, rng, -0.3f, 0.3f),
                            randomTensor({tc.m}, rng)};
  if (tc.residual)
    in.push_back(randomTensor(spec.outputShape, rng));
  for (const Tensor &t : in)
    spec.inputShapes.push_back(t.shape);
  std::vector<Tensor> kernelIn = in;
  if (tc.channelVectors) {
    spec.weightBlock = kConvChannelVectorBlock;
    std::vector<size_t> packed = {1, 5};
    if (tc.packDepthwise)
      packed.push_back(3);
    for (size_t i : packed) {
      ASSERT_NO_FATAL_FAILURE(
          packWeightArgument(spec, kernelIn, i, kConvChannelVectorBlock));
    }
  }
  if (tc.blockInput) {
    spec.blockedInputs |= 1u;
    kernelIn[0] = toChannelBlocked(kernelIn[0]);
  }
  if (tc.blockResidual) {
    spec.blockedInputs |= 1u << 7;
    kernelIn[7] = toChannelBlocked(kernelIn[7]);
  }
  spec.blockedOutput = tc.blockOutput;
  pc.in = std::move(in);
  pc.kernelIn = std::move(kernelIn);
}

void runInvertedResidualCase(const InvertedResidualCase &tc, unsigned seed) {
  PreparedCase pc;
  ASSERT_NO_FATAL_FAILURE(prepareInvertedResidualCase(tc, seed, pc));
  Tensor want = referenceInvertedResidual(tc, pc.spec, pc.in);
  Tensor got = runJit(pc.spec, pc.kernelIn, -1, tc.target);
  expectClose(tc.blockOutput ? fromChannelBlocked(got) : got, want);
}

} // namespace

TEST(HalideInvertedResidual, OddChannelsOddSize) {
  runInvertedResidualCase({}, 1);
}

TEST(HalideInvertedResidual, Stride2OddSize) {
  InvertedResidualCase tc;
  tc.stride = 2;
  tc.h = 15;
  tc.w = 13;
  runInvertedResidualCase(tc, 2);
}

TEST(HalideInvertedResidual, ResidualRowBlocks) {
  // Tall enough for row blocks; 23 rows do not divide into them, so the
  // last block overlaps the one before it; every block recomputes its
  // expand halo rows.
  InvertedResidualCase tc;
  tc.c = tc.m = 12;
  tc.e = 72;
  tc.h = 23;
  tc.w = 19;
  tc.residual = true;
  runInvertedResidualCase(tc, 3);
}

TEST(HalideInvertedResidual, Stride2RowBlocksWideChannels) {
  InvertedResidualCase tc;
  tc.c = 16;
  tc.e = 96;
  tc.m = 24;
  tc.h = 34;
  tc.w = 37;
  tc.stride = 2;
  runInvertedResidualCase(tc, 4);
}

TEST(HalideInvertedResidual, SmallImageManyChannels) {
  // 7x7 with many channels (MobileNetV2's last stage): one block, parallel
  // over tiles; hard sigmoid / hard swish exercise their parameters.
  InvertedResidualCase tc;
  tc.c = 40;
  tc.e = 120;
  tc.m = 40;
  tc.h = tc.w = 7;
  tc.exAct = Activation::HardSwish;
  tc.dwAct = Activation::HardSigmoid;
  tc.dwParam0 = 0.2f;
  tc.dwParam1 = 0.5f;
  tc.act = Activation::Relu;
  tc.residual = true;
  runInvertedResidualCase(tc, 5);
}

TEST(HalideInvertedResidual, SmoothStagesRowBlocks) {
  // EfficientNet / YOLOv4 activations: SiLU expand, Mish depthwise (neither
  // is 0 at the expand bias, so the zero padding after the activation
  // matters), Elu epilogue over a residual.
  InvertedResidualCase tc;
  tc.h = 14;
  tc.w = 13;
  tc.exAct = Activation::Silu;
  tc.dwAct = Activation::Mish;
  tc.act = Activation::Elu;
  tc.actAlpha = 0.7f;
  tc.residual = true;
  tc.c = tc.m;
  runInvertedResidualCase(tc, 8);
}

TEST(HalideInvertedResidual, Batch2Kernel5Dilation2) {
  InvertedResidualCase tc;
  tc.n = 2;
  tc.k = 5;
  tc.pad = 3;
  tc.dilation = 2;
  tc.exAct = Activation::Relu;
  tc.dwAct = Activation::None;
  runInvertedResidualCase(tc, 6);
}

TEST(HalideInvertedResidual, UnpaddedWithAsymmetricClip) {
  // No padding, and an expand clip whose range excludes 0.
  InvertedResidualCase tc;
  tc.pad = 0;
  tc.h = 12;
  tc.w = 17;
  tc.exParam0 = 0.25f;
  tc.exParam1 = 1.5f;
  runInvertedResidualCase(tc, 7);
}

TEST(HalideInvertedResidual, SpecTextRoundTrips) {
  InvertedResidualCase tc;
  tc.exAct = Activation::HardSigmoid;
  tc.exParam0 = 0.2f;
  tc.exParam1 = 0.5f;
  KernelSpec spec = invertedResidualSpec(tc);
  spec.inputShapes = {{1, 5, 9, 11}, {30, 5, 1, 1}, {30}, {30, 1, 3, 3},
                      {30},          {7, 30, 1, 1}, {7}};
  std::string text = spec.serialize();
  EXPECT_NE(text.find("ex_activation=hard_sigmoid\n"), std::string::npos);
  EXPECT_NE(text.find("dw_activation=clip\n"), std::string::npos);
  KernelSpec back;
  std::string error;
  ASSERT_TRUE(KernelSpec::parse(text, back, error)) << error;
  EXPECT_EQ(back.kind, KernelKind::InvertedResidual);
  EXPECT_EQ(back.exActivation, Activation::HardSigmoid);
  EXPECT_EQ(back.exActParam0, 0.2f);
  EXPECT_EQ(back.exActParam1, 0.5f);
  EXPECT_EQ(back.serialize(), text);
  // Other kinds do not gain the new keys (their cache keys are unchanged).
  KernelSpec conv;
  conv.name = "c";
  EXPECT_EQ(conv.serialize().find("ex_activation"), std::string::npos);
}

TEST(HalideInvertedResidual, RejectsExpandWeightsOfWrongShape) {
  KernelSpec spec = invertedResidualSpec({});
  spec.inputShapes = {{1, 5, 9, 11}, {30, 4, 1, 1}, {30}, {30, 1, 3, 3},
                      {30},          {7, 30, 1, 1}, {7}};
  expectSpecError(spec, "expand weights [30,4,1,1]");
}

TEST(HalideInvertedResidual, RejectsMissingResidualInput) {
  InvertedResidualCase tc;
  tc.residual = true;
  KernelSpec spec = invertedResidualSpec(tc);
  spec.inputShapes = {{1, 5, 9, 11}, {30, 5, 1, 1}, {30}, {30, 1, 3, 3},
                      {30},          {7, 30, 1, 1}, {7}};
  expectSpecError(spec, "expects 8 inputs");
}

TEST(HalideInvertedResidual, RejectsOtherWeightBlocks) {
  // OIHW or blocks of 16 (the channel-vector form) only.
  InvertedResidualCase tc;
  KernelSpec spec = invertedResidualSpec(tc);
  spec.inputShapes = {{1, 5, 9, 11}, {30, 5, 1, 1}, {30}, {30, 1, 3, 3},
                      {30},          {7, 30, 1, 1}, {7}};
  spec.weightBlock = 8;
  expectSpecError(spec, "OIHW or packed in blocks of 16 (weight_block=8)");
}

TEST(HalideInvertedResidual, RejectsBlockedArgumentsWithOihwWeights) {
  InvertedResidualCase tc;
  KernelSpec spec = invertedResidualSpec(tc);
  spec.inputShapes = {{1, 5, 9, 11}, {30, 5, 1, 1}, {30}, {30, 1, 3, 3},
                      {30},          {7, 30, 1, 1}, {7}};
  spec.blockedOutput = true;
  spec.outputShape = {1, 16, 9, 11};
  expectSpecError(spec, "output is channel-blocked, which only");
}

TEST(HalideInvertedResidual, ChannelVectorRejectsRaggedExpandBlocks) {
  // Packed expand weights must hold whole blocks: [E/16, C, 1, 1, 16].
  InvertedResidualCase tc;
  KernelSpec spec = invertedResidualSpec(tc);
  spec.weightBlock = 16;
  spec.inputShapes = {{1, 5, 9, 11}, {2, 5, 1, 1, 8}, {32}, {32, 1, 3, 3},
                      {32},          {1, 32, 1, 1, 16}, {7}};
  expectSpecError(spec, "packed expand weights [2,5,1,1,8]");
}

// The channel-vector form (weight_block=16): every stage on 16-channel
// vectors, rows computed one by one with the expand stage sliding.

TEST(HalideInvertedResidual, ChannelVectorsStride1) {
  // MobileNetV2's 56x56 block shape, smaller: 24 -> 144 -> 24 with the
  // residual; 23 rows: tasks of 12 rows, the last overlapping.
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.c = tc.m = 24;
  tc.e = 144;
  tc.h = 23;
  tc.w = 21;
  tc.residual = true;
  runInvertedResidualCase(tc, 11);
}

TEST(HalideInvertedResidual, ChannelVectorsStride2OddSize) {
  // 16 -> 96 -> 24 at stride 2 (MobileNetV2's first block), odd extents.
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.c = 16;
  tc.e = 96;
  tc.m = 24;
  tc.h = 29;
  tc.w = 31;
  tc.stride = 2;
  runInvertedResidualCase(tc, 12);
}

TEST(HalideInvertedResidual, ChannelVectorsOddChannelsSmallImage) {
  // Odd input and output channel counts, an image below one task of rows,
  // hard swish / hard sigmoid stages and a ReLU epilogue.
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.c = 5;
  tc.e = 48;
  tc.m = 7;
  tc.h = 3;
  tc.w = 6;
  tc.exAct = Activation::HardSwish;
  tc.dwAct = Activation::HardSigmoid;
  tc.dwParam0 = 0.2f;
  tc.dwParam1 = 0.5f;
  tc.act = Activation::Relu;
  runInvertedResidualCase(tc, 13);
}

TEST(HalideInvertedResidual, ChannelVectorsSmoothStages) {
  // Tanh expand, Selu depthwise (alpha / gamma), Softplus epilogue.
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.c = 16;
  tc.e = 32;
  tc.m = 16;
  tc.h = 9;
  tc.w = 10;
  tc.exAct = Activation::Tanh;
  tc.dwAct = Activation::Selu;
  tc.dwParam0 = 1.6f;
  tc.dwParam1 = 1.1f;
  tc.act = Activation::Softplus;
  runInvertedResidualCase(tc, 14);
}

TEST(HalideInvertedResidual, ChannelVectorsBatch2Kernel5Dilation2) {
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.n = 2;
  tc.c = 8;
  tc.e = 32;
  tc.m = 20;
  tc.h = 17;
  tc.w = 15;
  tc.k = 5;
  tc.pad = 3;
  tc.dilation = 2;
  tc.exAct = Activation::Relu;
  tc.dwAct = Activation::None;
  tc.residual = true;
  runInvertedResidualCase(tc, 14);
}

TEST(HalideInvertedResidual, ChannelVectorsUnpadded) {
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.c = 16;
  tc.e = 64;
  tc.m = 16;
  tc.pad = 0;
  tc.h = 12;
  tc.w = 17;
  tc.exParam0 = 0.25f;
  tc.exParam1 = 1.5f;
  runInvertedResidualCase(tc, 15);
}

TEST(HalideInvertedResidual, ChannelVectorsBlockedInputAndOutput) {
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.c = tc.m = 32;
  tc.e = 192;
  tc.h = tc.w = 14;
  tc.residual = true;
  tc.blockInput = tc.blockResidual = tc.blockOutput = true;
  runInvertedResidualCase(tc, 16);
}

TEST(HalideInvertedResidual, ChannelVectorsPackedDepthwiseBlocked) {
  // Depthwise weights packed [E/16,1,KH,KW,16] at compile time (read as
  // one vector per tap, no per-call re-layout); blocked arguments.
  InvertedResidualCase tc;
  tc.channelVectors = tc.packDepthwise = true;
  tc.c = tc.m = 32;
  tc.e = 96;
  tc.h = 14;
  tc.w = 12;
  tc.residual = true;
  tc.blockInput = tc.blockResidual = tc.blockOutput = true;
  runInvertedResidualCase(tc, 26);
}

TEST(HalideInvertedResidual, ChannelVectorsPackedDepthwiseKernel5Stride2) {
  InvertedResidualCase tc;
  tc.channelVectors = tc.packDepthwise = true;
  tc.n = 2;
  tc.c = 24;
  tc.e = 48;
  tc.m = 32;
  tc.h = 17;
  tc.w = 15;
  tc.k = 5;
  tc.pad = 2;
  tc.stride = 2;
  tc.blockOutput = true;
  runInvertedResidualCase(tc, 27);
}

TEST(HalideInvertedResidual, ChannelVectorsBlockedInputNchwOutput) {
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.c = 32;
  tc.e = 96;
  tc.m = 24;
  tc.h = 15;
  tc.w = 16;
  tc.stride = 2;
  tc.blockInput = true;
  runInvertedResidualCase(tc, 17);
}

TEST(HalideInvertedResidual, ChannelVectorsBlockedResidualNchwOutput) {
  // The blocked residual is added in the accumulator's layout, before the
  // transpose to the NCHW output.
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.c = tc.m = 32;
  tc.e = 64;
  tc.h = 13;
  tc.w = 10;
  tc.residual = true;
  tc.blockInput = tc.blockResidual = true;
  runInvertedResidualCase(tc, 19);
}

TEST(HalideInvertedResidual, ChannelVectorsStride2BlockedRegisterTiles) {
  // A strided block with a blocked output runs its project stage register
  // tile by register tile to the output: 13-column rows (a ragged pixel
  // tile, shifted inwards), 3 output blocks, batch 2.
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.n = 2;
  tc.c = 16;
  tc.e = 96;
  tc.m = 48;
  tc.h = 27;
  tc.w = 25;
  tc.stride = 2;
  tc.blockInput = tc.blockOutput = true;
  runInvertedResidualCase(tc, 20);
}

TEST(HalideInvertedResidual, ChannelVectorsNchwInputBlockedOutput) {
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.c = 24;
  tc.e = 144;
  tc.m = 32;
  tc.h = tc.w = 16;
  tc.stride = 2;
  tc.blockOutput = true;
  runInvertedResidualCase(tc, 18);
}

TEST(HalideInvertedResidual, AccumulatorBlockOfOddHalves) {
  // The project accumulator's block: 8 channels only for an NCHW output
  // with an odd number of 8-channel halves on vectors of <= 8 lanes.
  KernelSpec spec;
  spec.outputShape = {1, 24, 56, 56};
  EXPECT_EQ(channelVectorAccumulatorBlock(spec, 8), 8);
  EXPECT_EQ(channelVectorAccumulatorBlock(spec, 4), 8);
  EXPECT_EQ(channelVectorAccumulatorBlock(spec, 16), 16);
  spec.outputShape = {1, 40, 7, 7};
  EXPECT_EQ(channelVectorAccumulatorBlock(spec, 8), 8);
  for (int64_t m : {16, 32, 7, 20, 33}) {
    spec.outputShape = {1, m, 7, 7};
    EXPECT_EQ(channelVectorAccumulatorBlock(spec, 8), 16) << m;
  }
  spec.outputShape = {1, 24, 56, 56};
  spec.blockedOutput = true;
  EXPECT_EQ(channelVectorAccumulatorBlock(spec, 8), 16);
}

namespace {

/// MobileNetV2's 56x56 block, smaller (24 -> 144 -> 24 with the residual,
/// 19x23), on channel vectors for `target`.
InvertedResidualCase halfBlocksStride1Case(const char *target) {
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.c = tc.m = 24;
  tc.e = 144;
  tc.h = 19;
  tc.w = 23;
  tc.residual = true;
  tc.target = target;
  return tc;
}

} // namespace

TEST(HalideInvertedResidual, ChannelVectorsHalfBlocksStride1Avx2) {
  // On AVX2 the project stage accumulates 3 vectors of 8 channels.
  if (!hostRunsAvx2())
    GTEST_SKIP() << "host cannot run AVX2 code";
  runInvertedResidualCase(halfBlocksStride1Case(kAvx2Target), 21);
}

TEST(HalideInvertedResidual, ChannelVectorsHalfBlocksZen4) {
  // AVX-512 on 256-bit units (Zen 4): 16-lane expand and depthwise stages,
  // the project stage in 8-lane vectors, 3 per 24 channels
  // (CpuScheduleParams::fullRateLanes).
  if (!hostRunsAvx512())
    GTEST_SKIP() << "host cannot run AVX-512 code";
  EXPECT_EQ(
      cpuScheduleParams(Halide::Target(kZen4Avx512Target)).fullRateLanes(), 8);
  EXPECT_EQ(cpuScheduleParams(Halide::Target(kAvx512Target)).fullRateLanes(),
            16);
  InvertedResidualCase tc = halfBlocksStride1Case(kZen4Avx512Target);
  runInvertedResidualCase(tc, 23);
  tc.c = 16;
  tc.e = 96;
  tc.stride = 2;
  tc.residual = false;
  runInvertedResidualCase(tc, 24);
}

TEST(HalideInvertedResidual, ChannelVectorsHalfBlocksStride2Avx2) {
  // 5 halves (40 channels) at stride 2 from a blocked input, odd extents,
  // batch 2 and a ReLU epilogue.
  if (!hostRunsAvx2())
    GTEST_SKIP() << "host cannot run AVX2 code";
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.n = 2;
  tc.c = 16;
  tc.e = 96;
  tc.m = 40;
  tc.h = 21;
  tc.w = 17;
  tc.stride = 2;
  tc.blockInput = true;
  tc.act = Activation::Relu;
  tc.target = kAvx2Target;
  runInvertedResidualCase(tc, 22);
}

namespace {

/// Elements of the largest allocation named `name` (or `name`$...) in
/// `tc`'s channel-vector kernel as lowered for its target.
int64_t allocationElements(const InvertedResidualCase &tc,
                           const std::string &name) {
  struct Find : Halide::Internal::IRVisitor {
    using IRVisitor::visit;
    std::string name;
    int64_t elements = 0;
    void visit(const Halide::Internal::Allocate *op) override {
      IRVisitor::visit(op);
      if (op->name != name && op->name.rfind(name + "$", 0) != 0)
        return;
      int64_t e = 1;
      for (const Halide::Expr &x : op->extents) {
        std::optional<int64_t> c = Halide::Internal::as_const_int(x);
        if (!c) {
          ADD_FAILURE() << op->name << ": extent " << x << " not constant";
          return;
        }
        e *= *c;
      }
      elements = std::max(elements, e);
    }
  } find;
  find.name = name;
  PreparedCase pc;
  prepareInvertedResidualCase(tc, 1, pc);
  return visitLoweredKernel(pc.spec, tc.target, find) ? find.elements : 0;
}

/// MobileNetV2's 112 -> 56 block (16 -> 96 -> 24, stride 2, blocked
/// input) on `size` x `size` images, on channel vectors for `target`
/// (empty: the host).
InvertedResidualCase mobileNetStride2BlockCase(int64_t size,
                                               const std::string &target) {
  InvertedResidualCase tc;
  tc.channelVectors = true;
  tc.c = 16;
  tc.e = 96;
  tc.m = 24;
  tc.h = tc.w = size;
  tc.stride = 2;
  tc.blockInput = true;
  tc.target = target;
  return tc;
}

} // namespace

TEST(HalideInvertedResidual, ChannelVectorsRowTasksAlikeAvx2) {
  // MobileNetV2's 112 -> 56 block: 4 tasks of 14 output rows. Split off as
  // the task loop's prologue, the first task ran all its rows with the top
  // border's checks, its depthwise and project loops unpartitioned (that
  // task 33 % slower, the kernel 8 % at 1 thread and 15 % at 2 on a Zen 3
  // EPYC). At half size the same 4 tasks (of 7 rows), run.
  InvertedResidualCase tc = mobileNetStride2BlockCase(112, kAvx2Target);
  PreparedCase pc;
  prepareInvertedResidualCase(tc, 1, pc);
  EXPECT_EQ(rowLoopsInTaskBranches(pc.spec, tc.target), 0);
  tc.h = tc.w = 56;
  prepareInvertedResidualCase(tc, 1, pc);
  EXPECT_EQ(rowLoopsInTaskBranches(pc.spec, tc.target), 0);
  if (hostRunsAvx2())
    runInvertedResidualCase(tc, 28);
}

TEST(HalideInvertedResidual, ChannelVectorsExpandTilesOf8AccumulatorsAvx2) {
  // MobileNetV2's 112 -> 56 block on 16 registers: expand tiles of at most
  // 8 accumulator vectors (4 pixels x 16 channels); 5 x 16 spilled one.
  InvertedResidualCase tc = mobileNetStride2BlockCase(112, kAvx2Target);
  int64_t accumulator = allocationElements(tc, "ex_acc");
  EXPECT_GT(accumulator, 0);
  EXPECT_LE(accumulator, 8 * 8);
  tc.h = tc.w = 40;
  if (hostRunsAvx2())
    runInvertedResidualCase(tc, 29);
}

TEST(HalideInvertedResidual, ExpandFoldRows) {
  EXPECT_EQ(expandFoldRows(1), 1);
  EXPECT_EQ(expandFoldRows(3), 4);
  EXPECT_EQ(expandFoldRows(4), 4);
  EXPECT_EQ(expandFoldRows(5), 8);
  EXPECT_EQ(expandFoldRows(9), 16);
}

TEST(HalideInvertedResidual, ChannelVectorsExpandStorageFolds) {
  // MobileNetV2's 112 -> 56 block at half size: tasks of 14 output rows
  // read 29 expand rows; the kernel keeps 4 (a 3-row window) of 96
  // channels, whatever the register tiles round the row's width up to.
  InvertedResidualCase tc = mobileNetStride2BlockCase(56, "");
  int64_t rowElements = tc.e * (tc.w + 16);
  int64_t stride2 = allocationElements(tc, "ex");
  EXPECT_GT(stride2, 0);
  EXPECT_LE(stride2, 4 * rowElements);
  // A 5x5 window at dilation 2 reads 9 rows: 16 kept.
  tc.k = 5;
  tc.dilation = 2;
  tc.pad = 4;
  tc.stride = 1;
  tc.h = 48;
  int64_t dilated = allocationElements(tc, "ex");
  EXPECT_GT(dilated, 8 * tc.e * tc.w);
  EXPECT_LE(dilated, 16 * rowElements);
  runInvertedResidualCase(tc, 25);
}
