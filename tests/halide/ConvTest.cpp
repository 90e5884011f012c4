//===- ConvTest.cpp - Conv2D kernels against a naive NCHW loop ------------===//

#include "tests/halide/TestUtil.h"

#include "compiler/halide/schedules/Schedule.h"
#include "compiler/kernelize/WeightPacking.h"
#include "compiler/kernels/ConvWeightLayout.h"
#include "compiler/kernels/PointwiseFlattening.h"

namespace kiln::test {
namespace {

struct ConvCase {
  int64_t N = 1, C = 3, H = 8, W = 8, M = 4, KH = 3, KW = 3;
  int64_t sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t pt = 0, pl = 0, pb = 0, pr = 0;
  int64_t groups = 1;
  bool bias = false, residual = false;
  /// Weights pre-packed like the kernelizer stores constant ones, in blocks
  /// of this many output channels (ConvWeightLayout.h: 8 = pixel vectors,
  /// 16 = channel vectors); 0 = OIHW. The reference reads the original.
  int64_t packBlock = 0;
  /// 1x1 stride-1 convs: give the kernel the kernelizer's single-row view
  /// of the images (PointwiseFlattening.h); the reference keeps NCHW.
  bool flatten = false;
  /// Channel-blocked (NCHW16c) data input, residual and output
  /// (kernels/ActivationLayout.h); the reference keeps NCHW.
  bool blockInput = false, blockResidual = false, blockOutput = false;
  /// KernelSpec::residualInPlace, the output written over the residual's
  /// buffer.
  bool residualInPlace = false;
  Activation act = Activation::None;
  float clipMin = 0, clipMax = 0;
  /// HardSigmoid's alpha / beta, LeakyRelu's alpha.
  float actAlpha = 0, actBeta = 0;
  /// Schedule for this Halide target instead of the host's (runJit).
  std::string target;
  /// The kernel must hold L2 weight prefetches (SpreadPrefetches.h).
  bool expectL2Prefetches = false;
  /// No task may run its rows inside a branch on the task index (a task
  /// loop partitioned at the borders: parallelTasks, Schedule.h).
  bool expectAlikeTasks = false;
};

/// Number of L2 prefetches (llvm.prefetch, locality 2) in `spec`'s kernel
/// as lowered for `target`.
int countL2Prefetches(const KernelSpec &spec, const std::string &target) {
  struct Count : Halide::Internal::IRVisitor {
    using IRVisitor::visit;
    int found = 0;
    void visit(const Halide::Internal::Call *op) override {
      IRVisitor::visit(op);
      if (op->name == "llvm.prefetch.p0" && op->args.size() == 4 &&
          Halide::Internal::is_const(op->args[2], 2))
        ++found;
    }
  } count;
  return visitLoweredKernel(spec, target, count) ? count.found : 0;
}

int64_t outDim(int64_t in, int64_t k, int64_t s, int64_t d, int64_t p0,
               int64_t p1) {
  return (in + p0 + p1 - d * (k - 1) - 1) / s + 1;
}

/// Straight from the ONNX Conv definition, one output element at a time.
Tensor referenceConv(const ConvCase &c, const std::vector<Tensor> &in,
                     const KernelSpec &spec) {
  const Tensor &x = in[0], &w = in[1];
  const Tensor *bias = c.bias ? &in[2] : nullptr;
  const Tensor *res = c.residual ? &in[c.bias ? 3 : 2] : nullptr;
  Tensor y(spec.outputShape);
  int64_t OH = y.shape[2], OW = y.shape[3];
  int64_t cPerG = c.C / c.groups, mPerG = c.M / c.groups;
  for (int64_t n = 0; n < c.N; ++n)
    for (int64_t m = 0; m < c.M; ++m)
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW; ++ow) {
          double s = bias ? bias->data[m] : 0.0;
          int64_t g = m / mPerG;
          for (int64_t ci = 0; ci < cPerG; ++ci)
            for (int64_t kh = 0; kh < c.KH; ++kh)
              for (int64_t kw = 0; kw < c.KW; ++kw) {
                int64_t ih = oh * c.sh + kh * c.dh - c.pt;
                int64_t iw = ow * c.sw + kw * c.dw - c.pl;
                if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W)
                  continue;
                s += (double)w.at4(m, ci, kh, kw) *
                     x.at4(n, g * cPerG + ci, ih, iw);
              }
          if (res)
            s += res->at4(n, m, oh, ow);
          y.at4(n, m, oh, ow) = applyAct(spec, (float)s);
        }
  return y;
}

void runConvCase(const ConvCase &c, unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::Conv2D;
  spec.name = "conv_test";
  spec.kernel = {c.KH, c.KW};
  spec.strides = {c.sh, c.sw};
  spec.dilations = {c.dh, c.dw};
  spec.pads = {c.pt, c.pl, c.pb, c.pr};
  spec.groups = c.groups;
  spec.hasBias = c.bias;
  spec.hasResidual = c.residual;
  spec.activation = c.act;
  spec.clipMin = c.clipMin;
  spec.clipMax = c.clipMax;
  spec.actAlpha = c.actAlpha;
  spec.actBeta = c.actBeta;
  int64_t OH = outDim(c.H, c.KH, c.sh, c.dh, c.pt, c.pb);
  int64_t OW = outDim(c.W, c.KW, c.sw, c.dw, c.pl, c.pr);
  spec.outputShape = {c.N, c.M, OH, OW};
  spec.inputShapes = {{c.N, c.C, c.H, c.W}, {c.M, c.C / c.groups, c.KH, c.KW}};
  if (c.bias)
    spec.inputShapes.push_back({c.M});
  if (c.residual)
    spec.inputShapes.push_back(spec.outputShape);

  std::mt19937 rng(seed);
  std::vector<Tensor> in;
  for (const auto &s : spec.inputShapes)
    in.push_back(randomTensor(s, rng));
  std::vector<Tensor> kernelIn = in;
  if (c.packBlock) {
    spec.weightBlock = c.packBlock;
    ASSERT_NO_FATAL_FAILURE(
        packWeightArgument(spec, kernelIn, 1, spec.weightBlock));
  }
  Tensor want = referenceConv(c, in, spec);
  if (c.flatten) {
    ASSERT_TRUE(flattensPointwiseConv(spec));
    for (size_t i : flattenPointwiseConv(spec))
      kernelIn[i].shape = spec.inputShapes[i];
    want.shape = spec.outputShape;
  }
  if (c.blockInput) {
    spec.blockedInputs |= 1u;
    kernelIn[0] = toChannelBlocked(kernelIn[0]);
  }
  if (c.blockResidual) {
    ASSERT_TRUE(c.residual);
    spec.blockedInputs |= 1u << (kernelIn.size() - 1);
    kernelIn.back() = toChannelBlocked(kernelIn.back());
  }
  spec.blockedOutput = c.blockOutput;
  spec.residualInPlace = c.residualInPlace;
  Tensor got =
      runJit(spec, kernelIn, c.residualInPlace ? (int)kernelIn.size() - 1 : -1,
             c.target);
  expectClose(c.blockOutput ? fromChannelBlocked(got) : got, want);
  // Braces: gtest's EXPECT_* expand to an if/else of their own.
  if (c.expectL2Prefetches) {
    EXPECT_GT(countL2Prefetches(spec, c.target), 0);
  }
  if (c.expectAlikeTasks) {
    EXPECT_EQ(rowLoopsInTaskBranches(spec, c.target), 0);
  }
}

TEST(HalideConv, Plain) { runConvCase({}, 1); }

TEST(HalideConv, Stride2) {
  ConvCase c;
  c.H = c.W = 9;
  c.sh = c.sw = 2;
  c.pt = c.pl = c.pb = c.pr = 1;
  runConvCase(c, 2);
}

TEST(HalideConv, Dilation2) {
  ConvCase c;
  c.H = c.W = 11;
  c.dh = c.dw = 2;
  c.pt = c.pl = c.pb = c.pr = 2;
  runConvCase(c, 3);
}

TEST(HalideConv, AsymmetricPads) {
  ConvCase c;
  c.pt = 0;
  c.pl = 2;
  c.pb = 1;
  c.pr = 0;
  runConvCase(c, 4);
}

TEST(HalideConv, Groups2) {
  ConvCase c;
  c.C = 4;
  c.M = 6;
  c.groups = 2;
  c.pt = c.pl = c.pb = c.pr = 1;
  runConvCase(c, 5);
}

TEST(HalideConv, DepthwiseStride1) {
  ConvCase c;
  c.C = c.M = c.groups = 8;
  c.H = c.W = 10;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  runConvCase(c, 6);
}

TEST(HalideConv, DepthwiseStride2) {
  ConvCase c;
  c.C = c.M = c.groups = 8;
  c.H = c.W = 11;
  c.sh = c.sw = 2;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.act = Activation::Clip;
  c.clipMin = 0;
  c.clipMax = 6;
  runConvCase(c, 7);
}

TEST(HalideConv, DepthwiseMultiplier2) {
  ConvCase c;
  c.C = 4;
  c.M = 8;
  c.groups = 4;
  c.pt = c.pl = c.pb = c.pr = 1;
  runConvCase(c, 8);
}

TEST(HalideConv, Bias) {
  ConvCase c;
  c.bias = true;
  runConvCase(c, 9);
}

TEST(HalideConv, ResidualThenRelu) {
  ConvCase c;
  c.bias = true;
  c.residual = true;
  c.act = Activation::Relu;
  c.pt = c.pl = c.pb = c.pr = 1;
  runConvCase(c, 10);
}

TEST(HalideConv, Relu) {
  ConvCase c;
  c.act = Activation::Relu;
  runConvCase(c, 11);
}

TEST(HalideConv, Clip0To6) {
  ConvCase c;
  c.act = Activation::Clip;
  c.clipMin = 0;
  c.clipMax = 6;
  c.C = 16; // Sums wide enough to hit both clip bounds.
  runConvCase(c, 12);
}

TEST(HalideConv, Pointwise1x1) {
  ConvCase c;
  c.C = 16;
  c.M = 24;
  c.KH = c.KW = 1;
  c.H = 7;
  c.W = 13;
  c.bias = true;
  runConvCase(c, 13);
}

TEST(HalideConv, NonSquareInputAndKernel) {
  ConvCase c;
  c.H = 6;
  c.W = 19;
  c.KH = 3;
  c.KW = 5;
  c.sh = 1;
  c.sw = 2;
  c.pt = c.pb = 1;
  c.pl = c.pr = 2;
  runConvCase(c, 14);
}

TEST(HalideConv, Batch2) {
  ConvCase c;
  c.N = 2;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  c.residual = true;
  runConvCase(c, 15);
}

TEST(HalideConv, StemLike7x7Stride2) {
  ConvCase c;
  c.C = 3;
  c.M = 8;
  c.H = c.W = 32;
  c.KH = c.KW = 7;
  c.sh = c.sw = 2;
  c.pt = c.pl = c.pb = c.pr = 3;
  c.bias = true;
  c.act = Activation::Relu;
  runConvCase(c, 16);
}

TEST(HalideConv, WideRowsVectorTail) {
  // 37 columns: several full vectors plus a ragged tail on any vector width.
  ConvCase c;
  c.H = 5;
  c.W = 37;
  c.pt = c.pl = c.pb = c.pr = 1;
  runConvCase(c, 17);
}

// Register-tiled dense paths (CpuSchedule.cpp scheduleDenseConv): each case
// names the branch it exercises.

TEST(HalideConv, FlatPaddedManyChannelBlocks) {
  // Stride 1, padded: flat padded-row form, 48 channels = 6 tiles of 8,
  // several pixel tiles and a ragged last one.
  ConvCase c;
  c.C = 20;
  c.M = 48;
  c.H = c.W = 14;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  c.residual = true;
  c.act = Activation::Relu;
  runConvCase(c, 20);
}

TEST(HalideConv, FlatSmallImage7x7) {
  // ResNet's last stage: 7x7 images, fewer pixels than two tiles.
  ConvCase c;
  c.C = 24;
  c.M = 16;
  c.H = c.W = 7;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  runConvCase(c, 21);
}

TEST(HalideConv, FlatPointwiseRaggedPixels) {
  // Unpadded 1x1: the flat form reads the input in place; 49 pixels end in
  // a partial tile.
  ConvCase c;
  c.C = 40;
  c.M = 32;
  c.H = c.W = 7;
  c.KH = c.KW = 1;
  c.act = Activation::Relu;
  runConvCase(c, 22);
}

TEST(HalideConv, FlatChannelsNotMultipleOf8) {
  // 12 and 7 output channels: the channel tile becomes a divisor of M.
  for (int64_t M : {12, 7}) {
    ConvCase c;
    c.C = 5;
    c.M = M;
    c.H = 9;
    c.W = 23;
    c.pt = c.pl = c.pb = c.pr = 1;
    runConvCase(c, 23 + (unsigned)M);
  }
}

TEST(HalideConv, FlatPrimeChannelsBatch2Dilated) {
  // 13 channels (tile of 1), batch 2, dilation 2 in the flat form.
  ConvCase c;
  c.N = 2;
  c.C = 6;
  c.M = 13;
  c.H = 12;
  c.W = 10;
  c.dh = c.dw = 2;
  c.pt = c.pb = 2;
  c.pl = c.pr = 1;
  c.bias = true;
  runConvCase(c, 24);
}

TEST(HalideConv, FlatLargeInputPixelTilesOuter) {
  // Input over the 256 KiB cache threshold: pixel tiles go outermost.
  ConvCase c;
  c.C = 48;
  c.M = 16;
  c.H = c.W = 40;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  runConvCase(c, 25);
}

TEST(HalideConv, RowsStride2ManyChannels) {
  // Strided dense conv: row form, 20 channels (tile 5 or 4), 28 columns.
  ConvCase c;
  c.C = 16;
  c.M = 20;
  c.H = c.W = 56;
  c.sh = c.sw = 2;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  c.residual = true;
  c.act = Activation::Relu;
  runConvCase(c, 26);
}

TEST(HalideConv, RowsPointwiseStride2Batch2) {
  // ResNet downsample: 1x1 stride 2, unpadded, 7 output columns.
  ConvCase c;
  c.N = 2;
  c.C = 32;
  c.M = 24;
  c.H = c.W = 14;
  c.KH = c.KW = 1;
  c.sh = c.sw = 2;
  runConvCase(c, 27);
}

TEST(HalideConv, FlatChannelBlocked3x3) {
  // 256 input channels: the reduction is blocked by 128 channels.
  ConvCase c;
  c.C = 256;
  c.M = 16;
  c.H = c.W = 6;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  c.residual = true;
  c.act = Activation::Relu;
  runConvCase(c, 28);
}

TEST(HalideConv, FlatChannelBlockedPointwiseStride2) {
  // 384 input channels (3 blocks), 1x1 stride 2 (phase-split input).
  ConvCase c;
  c.C = 384;
  c.M = 8;
  c.H = c.W = 9;
  c.KH = c.KW = 1;
  c.sh = c.sw = 2;
  runConvCase(c, 29);
}

// Pre-packed weights [ceil(M/8), C, KH, KW, 8] (weight_block=8): the
// accumulator covers whole blocks, the zero channels past M are dropped.

TEST(HalideConv, PackWeightsLayout) {
  // packed[b][c][ky][kx][j] = w[8b + j][c][ky][kx], zero past M.
  std::vector<int64_t> oihw = {10, 2, 1, 3};
  std::vector<float> w(10 * 2 * 3);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = (float)i + 1;
  std::vector<float> p = packConvWeights(w, oihw, 8);
  ASSERT_EQ(p.size(), 2u * 6 * 8);
  for (int64_t m = 0; m < 16; ++m)
    for (int64_t k = 0; k < 6; ++k)
      EXPECT_EQ(p[(m / 8) * 48 + k * 8 + m % 8], m < 10 ? w[m * 6 + k] : 0.0f)
          << "m=" << m << " k=" << k;
  EXPECT_TRUE(packConvWeights(w, {10, 2, 1, 2}, 8).empty());
}

TEST(HalideConv, PackedOddChannelsResidual) {
  // 13 output channels: one full block and a 5-channel one.
  ConvCase c;
  c.C = 7;
  c.M = 13;
  c.H = 9;
  c.W = 11;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = c.residual = true;
  c.packBlock = kConvWeightBlock;
  c.act = Activation::Relu;
  runConvCase(c, 40);
}

TEST(HalideConv, PackedStride2Padded) {
  ConvCase c;
  c.C = 12;
  c.M = 20;
  c.H = c.W = 15;
  c.sh = c.sw = 2;
  c.pt = c.pl = 1;
  c.pb = c.pr = 0;
  c.bias = true;
  c.packBlock = kConvWeightBlock;
  runConvCase(c, 41);
}

TEST(HalideConv, PackedDilatedBatch2) {
  ConvCase c;
  c.N = 2;
  c.C = 6;
  c.M = 24;
  c.H = 12;
  c.W = 10;
  c.dh = c.dw = 2;
  c.pt = c.pb = 2;
  c.pl = c.pr = 1;
  c.bias = c.residual = true;
  c.packBlock = kConvWeightBlock;
  runConvCase(c, 42);
}

TEST(HalideConv, PackedPointwiseStride2Blocked) {
  // 1x1 stride 2 over 384 channels (blocked reduction), 12 channels.
  ConvCase c;
  c.C = 384;
  c.M = 12;
  c.H = c.W = 9;
  c.KH = c.KW = 1;
  c.sh = c.sw = 2;
  c.packBlock = kConvWeightBlock;
  c.act = Activation::Relu;
  runConvCase(c, 43);
}

// A 3x3 (pad 1) on a 7x7 image over 256 input channels (a blocked
// reduction), with bias, residual and ReLU: M output channels, weights
// packed in blocks of packBlock.
ConvCase smallImage3x3Case(int64_t M, int64_t packBlock) {
  ConvCase c;
  c.C = 256;
  c.M = M;
  c.H = c.W = 7;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = packBlock;
  return c;
}

TEST(HalideConv, PackedChannelBlocked3x3SmallImage) {
  // 256 input channels (blocked), 7x7 image, 40 channels (5 blocks).
  runConvCase(smallImage3x3Case(40, kConvWeightBlock), 44);
}

TEST(HalideConv, PackedStem7x7Stride2) {
  ConvCase c;
  c.C = 3;
  c.M = 16;
  c.H = c.W = 30;
  c.KH = c.KW = 7;
  c.sh = c.sw = 2;
  c.pt = c.pl = c.pb = c.pr = 3;
  c.bias = true;
  c.packBlock = kConvWeightBlock;
  c.act = Activation::Relu;
  runConvCase(c, 45);
}

/// A 3-channel 3x3 stride-2 stem with pad 1 and a bias on channel vectors
/// with a blocked output (MobileNetV2's shape class); callers set the
/// sizes, output channels and activation.
ConvCase stem3x3Stride2Case() {
  ConvCase c;
  c.C = 3;
  c.KH = c.KW = 3;
  c.sh = c.sw = 2;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  c.packBlock = kConvChannelVectorBlock;
  c.blockOutput = true;
  return c;
}

TEST(HalideConv, MobileNetStemChannelVectorsBlockedOutput) {
  // MobileNetV2's stem (3 -> 32, 3x3 s2, pad 1, ReLU6) on channel vectors
  // with a blocked output, odd extents: the 3-plane phase-split copy, the
  // channel-vector tiles and the blocked store.
  ConvCase c = stem3x3Stride2Case();
  c.M = 32;
  c.H = 45;
  c.W = 37;
  c.act = Activation::Clip;
  c.clipMin = 0.0f;
  c.clipMax = 6.0f;
  runConvCase(c, 46);
}

TEST(HalideConv, StemChannelVectorsBatch2CopyPerTask) {
  // A 3x3 s2 stem in row-block tasks copies its phase-split input per task
  // (the rows its block reads, one halo row): batch 2 (tasks span both
  // images), 3 output blocks, 15 output rows (the last block overlaps).
  ConvCase c = stem3x3Stride2Case();
  c.N = 2;
  c.M = 48;
  c.H = 29;
  c.W = 30;
  c.act = Activation::Relu;
  runConvCase(c, 47);
}

TEST(HalideConv, StemRowTasksAlikeAvx2) {
  // MobileNetV2's stem at full size: 16 tasks of 7 output rows. Split off
  // as the task loop's prologue, the first task ran all its rows with the
  // top border's checks (27 vs 16 us a task on a Zen 3 EPYC).
  if (!hostRunsAvx2())
    GTEST_SKIP() << "host cannot run AVX2 code";
  ConvCase c = stem3x3Stride2Case();
  c.M = 32;
  c.H = c.W = 224;
  c.act = Activation::Clip;
  c.clipMin = 0.0f;
  c.clipMax = 6.0f;
  c.target = kAvx2Target;
  c.expectAlikeTasks = true;
  runConvCase(c, 48);
}

// Every activation kiln-fuse-activation puts into a conv's epilogue, on the
// schedule families a conv takes: pixel vectors with packed weights and a
// residual (applied before the activation), a flattened 1x1 on channel
// vectors with blocked input and output, and a small-image 3x3 on channel
// vectors. LeakyRelu with alpha > 1 as well (a max(x, alpha x) shortcut
// would be wrong there).
struct EpilogueActivation {
  Activation act;
  float alpha, beta;
};

ConvCase withActivation(ConvCase c, const EpilogueActivation &a) {
  c.act = a.act;
  c.actAlpha = a.alpha;
  c.actBeta = a.beta;
  return c;
}

ConvCase packedResidual3x3Case() {
  ConvCase c;
  c.C = 19;
  c.M = 21;
  c.H = 11;
  c.W = 13;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = c.residual = true;
  c.packBlock = kConvWeightBlock;
  return c;
}

ConvCase blockedFlatPointwiseCase() {
  ConvCase c;
  c.C = 48;
  c.M = 32;
  c.H = 9;
  c.W = 7;
  c.KH = c.KW = 1;
  c.bias = true;
  c.packBlock = kConvChannelVectorBlock;
  c.flatten = true;
  c.blockInput = c.blockOutput = true;
  return c;
}

TEST(HalideConv, EpilogueLeakyReluEverySchedule) {
  const EpilogueActivation leaky[] = {{Activation::LeakyRelu, 0.1f, 0},
                                      {Activation::LeakyRelu, 1.5f, 0}};
  unsigned seed = 70;
  for (const EpilogueActivation &a : leaky) {
    SCOPED_TRACE(a.alpha);
    runConvCase(withActivation(packedResidual3x3Case(), a), seed++);
    runConvCase(withActivation(blockedFlatPointwiseCase(), a), seed++);
    runConvCase(
        withActivation(smallImage3x3Case(40, kConvChannelVectorBlock), a),
        seed++);
  }
}

TEST(HalideConv, EpilogueSigmoidHardSigmoidHardSwish) {
  runConvCase(withActivation(packedResidual3x3Case(),
                             {Activation::Sigmoid, 0, 0}),
              80);
  runConvCase(withActivation(blockedFlatPointwiseCase(),
                             {Activation::HardSigmoid, 0.3f, 0.4f}),
              81);
  runConvCase(withActivation(smallImage3x3Case(40, kConvChannelVectorBlock),
                             {Activation::HardSwish, 0, 0}),
              82);
}

// Channel vectors (blocks of 16, small images): tiles of pixels along a row
// x channel blocks, ragged in both.

TEST(HalideConv, ChannelVectors3x3SmallImageOddBlocks) {
  // 7x7, 40 channels = 2.5 blocks, 256 input channels (blocked reduction).
  runConvCase(smallImage3x3Case(40, kConvChannelVectorBlock), 50);
}

// 7x7 images with many output channels run channel-tile tasks over a
// chunked reduction; on AVX-512 each step prefetches the next chunk's
// weights, shared out among the chunk's register tiles (CpuSchedule.cpp,
// SpreadPrefetches.h): the pixel tiles of a flattened 1x1 (chunked from
// 256 channels on such images), the rows of a 3x3. Ragged channel blocks,
// so the last chunk's prefetches run past the weights (non-faulting).
TEST(HalideConv, ChannelTileTasksSpreadPrefetchAvx512) {
  if (!hostRunsAvx512())
    GTEST_SKIP() << "the host cannot run AVX-512 code";
  ConvCase c;
  c.C = 64;
  c.M = 400;
  c.H = c.W = 7;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockOutput = true;
  c.target = kAvx512Target;
  runConvCase(c, 55);
  ConvCase d;
  d.C = 320;
  d.M = 528;
  d.H = d.W = 7;
  d.KH = d.KW = 1;
  d.bias = d.residual = true;
  d.packBlock = kConvChannelVectorBlock;
  d.flatten = true;
  d.blockInput = d.blockResidual = d.blockOutput = true;
  d.target = kAvx512Target;
  runConvCase(d, 56);
}

/// MobileNetV2's 7x7 160 -> M 1x1 (M = 960 in the network), channel
/// vectors in and out, scheduled for `target`; its kernel must prefetch.
ConvCase pointwise7x7PrefetchCase(int64_t M, const char *target) {
  ConvCase c;
  c.C = 160;
  c.M = M;
  c.H = c.W = 7;
  c.KH = c.KW = 1;
  c.bias = true;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockOutput = true;
  c.target = target;
  c.expectL2Prefetches = true;
  return c;
}

// Channel-tile 1x1s over an unchunked reduction: on AVX-512 each step
// prefetches the next channel tile's weights, shared out among the current
// tile's rows and row tiles (CpuSchedule.cpp). MobileNetV2's 7x7 160 ->
// 960 as 976 channels, ragged channel tiles (the last tile's prefetches run
// past the weights: non-faulting), and a 14x14 1x1 with 4x more weights than
// input (channel-tile tasks on that image too), unblocked input.
TEST(HalideConv, ChannelTileTasksPrefetchNextTileAvx512) {
  if (!hostRunsAvx512())
    GTEST_SKIP() << "the host cannot run AVX-512 code";
  ConvCase c = pointwise7x7PrefetchCase(976, kAvx512Target);
  c.act = Activation::Clip, c.clipMin = 0, c.clipMax = 6;
  runConvCase(c, 57);
  ConvCase d;
  d.C = 64;
  d.M = 1040;
  d.H = d.W = 14;
  d.KH = d.KW = 1;
  d.bias = d.residual = true;
  d.act = Activation::Relu;
  d.packBlock = kConvChannelVectorBlock;
  d.blockResidual = d.blockOutput = true;
  d.target = kAvx512Target;
  d.expectL2Prefetches = true;
  runConvCase(d, 58);
}

// The same prefetches on AVX2: MobileNetV2's 7x7 160 -> 960 (channel-tile
// tasks, next tile's weights) and a 7x7 3x3 over a chunked reduction.
TEST(HalideConv, ChannelTileTasksPrefetchAvx2) {
  if (!hostRunsAvx2())
    GTEST_SKIP() << "host cannot run AVX2 code";
  runConvCase(pointwise7x7PrefetchCase(960, kAvx2Target), 81);
  ConvCase d = smallImage3x3Case(144, kConvChannelVectorBlock);
  d.blockInput = d.blockResidual = d.blockOutput = true;
  d.target = kAvx2Target;
  d.expectL2Prefetches = true;
  runConvCase(d, 82);
}

TEST(HalideConv, ChannelVectorsPointwiseRaggedRow) {
  // 1x1 on 9x11 (rows of 11 pixels), 64 channels, no bias.
  ConvCase c;
  c.C = 24;
  c.M = 64;
  c.H = 9;
  c.W = 11;
  c.KH = c.KW = 1;
  c.packBlock = kConvChannelVectorBlock;
  runConvCase(c, 51);
}

TEST(HalideConv, ChannelVectorsStride2Dilated) {
  // Stride 2 with padding, then dilation 2 with batch 2 and 19 channels.
  ConvCase c;
  c.C = 12;
  c.M = 33;
  c.H = c.W = 15;
  c.sh = c.sw = 2;
  c.pt = c.pl = 1;
  c.bias = true;
  c.packBlock = kConvChannelVectorBlock;
  runConvCase(c, 52);
  ConvCase d;
  d.N = 2;
  d.C = 6;
  d.M = 19;
  d.H = 12;
  d.W = 10;
  d.dh = d.dw = 2;
  d.pt = d.pb = 2;
  d.pl = d.pr = 1;
  d.bias = d.residual = true;
  d.act = Activation::Clip;
  d.clipMin = 0;
  d.clipMax = 6;
  d.packBlock = kConvChannelVectorBlock;
  runConvCase(d, 53);
}

TEST(HalideConv, ChannelVectorsPointwiseStride2Blocked) {
  // ResNet downsample shape class: 1x1 stride 2 over 384 channels.
  ConvCase c;
  c.C = 384;
  c.M = 48;
  c.H = c.W = 13;
  c.KH = c.KW = 1;
  c.sh = c.sw = 2;
  c.bias = true;
  c.packBlock = kConvChannelVectorBlock;
  runConvCase(c, 54);
}

TEST(HalideConv, ChannelVectorsRowBlockTasksOverlap) {
  // 17 output rows: tasks are 2 row blocks of 9 (the second overlaps the
  // first by a row), batch 2, residual + ReLU.
  ConvCase c;
  c.N = 2;
  c.C = 32;
  c.M = 48;
  c.H = 17;
  c.W = 16;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  runConvCase(c, 57);
}

TEST(HalideConv, ChannelVectorsRowBlocksChunkedReduction) {
  // Row blocks with a long reduction, swept in chunks of input channels
  // outside the block's rows: 1x1 over 520 channels (chunks of 64, the last
  // has 8) on 15 rows (2 overlapping blocks), and 3x3 over 130 channels
  // (1170 weights per output channel; chunks of 16, the last has 2).
  ConvCase c;
  c.C = 520;
  c.M = 40;
  c.H = 15;
  c.W = 14;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  runConvCase(c, 72);
  ConvCase d;
  d.C = 130;
  d.M = 48;
  d.H = d.W = 14;
  d.pt = d.pl = d.pb = d.pr = 1;
  d.bias = true;
  d.packBlock = kConvChannelVectorBlock;
  runConvCase(d, 73);
}

TEST(HalideConv, ChannelVectorsChannelTileTasks) {
  // 7x7 with 400 output channels (25 blocks, the last part-filled): one
  // task per channel tile, every row inside; batch 2.
  ConvCase c;
  c.N = 2;
  c.C = 64;
  c.M = 400;
  c.H = c.W = 7;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.packBlock = kConvChannelVectorBlock;
  runConvCase(c, 58);
  // With a long reduction the tiles sweep it in chunks, every row inside a
  // chunk: 1x1 over 520 channels (chunks of 64, the last has 8), and 3x3
  // over 130 (chunks of 16, the last has 2) on 7x7 with padding.
  ConvCase d = c;
  d.C = 520;
  runConvCase(d, 79);
  ConvCase e;
  e.C = 130;
  e.M = 400;
  e.H = e.W = 7;
  e.pt = e.pl = e.pb = e.pr = 1;
  e.bias = true;
  e.act = Activation::Relu;
  e.packBlock = kConvChannelVectorBlock;
  runConvCase(e, 80);
}

TEST(HalideConv, FlatPointwiseTwoBlockTilesRule) {
  // (outHeight, outWidth, inputChannels, blocks, vectorRegisters).
  // ResNet-50's 7x7 1x1s on AVX2: 512 -> 2048, 2048 -> 512.
  EXPECT_TRUE(flatPointwiseTwoBlockTiles(1, 49, 512, 128, 16));
  EXPECT_TRUE(flatPointwiseTwoBlockTiles(1, 49, 2048, 32, 16));
  // GoogLeNet's 832 -> 384 (24 blocks), MobileNetV2's 320 -> 1280.
  EXPECT_FALSE(flatPointwiseTwoBlockTiles(1, 49, 832, 24, 16));
  EXPECT_FALSE(flatPointwiseTwoBlockTiles(1, 49, 320, 80, 16));
  // Rows (not flattened), an odd block count, a 32-register file, fewer
  // than two tiles of pixels.
  EXPECT_FALSE(flatPointwiseTwoBlockTiles(7, 7, 512, 128, 16));
  EXPECT_FALSE(flatPointwiseTwoBlockTiles(1, 49, 512, 33, 16));
  EXPECT_FALSE(flatPointwiseTwoBlockTiles(1, 49, 512, 128, 32));
  EXPECT_FALSE(flatPointwiseTwoBlockTiles(1, 3, 512, 128, 16));
}

TEST(HalideConv, ChannelVectorTileLiveBudget) {
  // (blocks, vectorsPerBlock, budget, width, rows, dividingBlocks,
  // liveBudget). ResNet-50's 7x7 2048 -> 512 on AVX-512 (32 blocks of one
  // vector, 49 flat pixels, 24 accumulators): 10 pixels x 2 blocks holds
  // 20 + 2 + 10 = 32 registers live (spilled); within 31, 5 x 4 (29).
  // Live registers of a one-vector-per-block tile: accumulators, weight
  // vectors, broadcast pixels.
  auto live = [](ChannelVectorTile t) {
    return t.width * t.blocks + t.blocks + t.width;
  };
  EXPECT_EQ(live(channelVectorTile(32, 1, 24, 49, 1)), 32);
  ChannelVectorTile bounded = channelVectorTile(32, 1, 24, 49, 1, false, 31);
  EXPECT_EQ(bounded.width, 5);
  EXPECT_EQ(bounded.blocks, 4);
  // 56x56 256 -> 128 (8 blocks): 3 x 8 (35 live) -> 8 x 2 (26).
  EXPECT_EQ(live(channelVectorTile(8, 1, 24, 56, 56)), 35);
  ChannelVectorTile rows = channelVectorTile(8, 1, 24, 56, 56, false, 31);
  EXPECT_EQ(rows.width, 8);
  EXPECT_EQ(rows.blocks, 2);
  // Row-block register tiles on AVX-512 (maxSharedPixels 4): 8 x 2 spilled
  // on Zen 4; 4 x 4, as cheap by the model, holds 4 broadcasts.
  ChannelVectorTile narrow =
      channelVectorTile(8, 1, 24, 56, 56, false, 31, /*maxSharedPixels=*/4);
  EXPECT_EQ(narrow.width, 4);
  EXPECT_EQ(narrow.blocks, 4);
  // MobileNetV2's 24-channel projections on Zen 4 (3 blocks of 8 lanes,
  // rows of 56 pixels): 8 x 3 (35 live, an accumulator spilled) -> 7 x 3.
  EXPECT_EQ(live(channelVectorTile(3, 1, 24, 56, 1)), 35);
  ChannelVectorTile projection = channelVectorTile(3, 1, 24, 56, 1, false, 31);
  EXPECT_EQ(projection.width, 7);
  EXPECT_EQ(projection.blocks, 3);
  // One block a tile is not bounded (its broadcasts fold into the FMAs).
  ChannelVectorTile single =
      channelVectorTile(1, 1, 24, 14, 14, false, 31, /*maxSharedPixels=*/4);
  EXPECT_GT(single.width, 4);
}

TEST(HalideConv, InvertedResidualTaskRows) {
  // MobileNetV2: the 56x56 stride-1 block in 2 tasks, the 112 -> 56 block
  // in 4; 28x28 and 14x14 images in 2 at either stride; tiny images in 1.
  EXPECT_EQ(invertedResidualTaskRows(56, 1), 28);
  EXPECT_EQ(invertedResidualTaskRows(56, 2), 14);
  EXPECT_EQ(invertedResidualTaskRows(28, 1), 14);
  EXPECT_EQ(invertedResidualTaskRows(28, 2), 14);
  EXPECT_EQ(invertedResidualTaskRows(14, 2), 7);
  EXPECT_EQ(invertedResidualTaskRows(112, 1), 56);
  EXPECT_EQ(invertedResidualTaskRows(57, 2), 15);
  EXPECT_EQ(invertedResidualTaskRows(3, 1), 3);
}

namespace {

/// A square 1x1 conv with bias on channel vectors, channel-blocked input
/// and output.
ConvCase blockedPointwiseCase(int64_t C, int64_t M, int64_t size,
                              Activation act) {
  ConvCase c;
  c.C = C;
  c.M = M;
  c.H = c.W = size;
  c.KH = c.KW = 1;
  c.bias = true;
  c.act = act;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockOutput = true;
  return c;
}

} // namespace

TEST(HalideConv, ChannelVectorsPointwiseEvenRowTiles) {
  // MobileNetV2's 14x14 1x1 96 -> 576 at a third of its channels: row
  // blocks of 7 rows, ReLU6; on AVX-512 2-pixel x 6-block register tiles
  // (EvenRowPointwiseTile).
  ConvCase c = blockedPointwiseCase(32, 192, 14, Activation::Clip);
  c.clipMin = 0.0f;
  c.clipMax = 6.0f;
  runConvCase(c, 58);
}

TEST(HalideConv, DividingSingleBlockTile) {
  // 112-, 28- and 49-pixel rows: 12 -> 8, 10 -> 7, 10 -> 7.
  EXPECT_EQ(dividingSingleBlockTile({12, 1}, 112).width, 8);
  EXPECT_EQ(dividingSingleBlockTile({10, 1}, 28).width, 7);
  EXPECT_EQ(dividingSingleBlockTile({10, 1}, 49).width, 7);
  EXPECT_EQ(dividingSingleBlockTile({10, 1}, 49).blocks, 1);
  // Dividing widths, several blocks, and no divisor down to half the
  // width keep the model's tile.
  EXPECT_EQ(dividingSingleBlockTile({8, 1}, 56).width, 8);
  EXPECT_EQ(dividingSingleBlockTile({3, 6}, 14).width, 3);
  EXPECT_EQ(dividingSingleBlockTile({12, 1}, 13).width, 12);
  EXPECT_EQ(dividingSingleBlockTile({12, 1}, 23).width, 12);
}

TEST(HalideConv, ChannelVectorsPointwiseOneBlockDividingTile) {
  // GoogLeNet's 28x28 1x1 192 -> 16 at a third of its input channels: one
  // output block, rows of 28 in 7-pixel register tiles.
  runConvCase(blockedPointwiseCase(64, 16, 28, Activation::Relu), 59);
}

TEST(HalideConv, FivePixelFlatTile) {
  // A flat row of 49 pixels: 4 x 5 -> 5 x 5 (50 pixels computed, not 52).
  EXPECT_EQ(fivePixelFlatTile({4, 5}, 49).width, 5);
  EXPECT_EQ(fivePixelFlatTile({4, 5}, 49).blocks, 5);
  // Rows 4 divides, rows where 5-pixel tiles compute as much, other tiles.
  EXPECT_EQ(fivePixelFlatTile({4, 5}, 56).width, 4);
  EXPECT_EQ(fivePixelFlatTile({4, 5}, 7).width, 4);
  EXPECT_EQ(fivePixelFlatTile({4, 4}, 49).width, 4);
  EXPECT_EQ(fivePixelFlatTile({3, 5}, 49).width, 3);
}

TEST(HalideConv, ChannelVectorsFlatPointwiseFivePixelTiles) {
  // GoogLeNet's 7x7 1x1 832 -> 160 at a quarter of its input channels:
  // one flat row of 49 pixels in 5-pixel x 5-block register tiles on
  // AVX-512.
  ConvCase c = blockedPointwiseCase(208, 160, 7, Activation::Relu);
  c.flatten = true;
  runConvCase(c, 60);
}

TEST(HalideConv, EvenRowPointwiseTile) {
  // MobileNetV2's 14x14 1x1s: 3 x 6 recomputes a pixel of every row ->
  // 2 x 6 (36 and 24 blocks), 2 x 4 (4 blocks), 2 x 5 (GoogLeNet-like 5).
  EXPECT_EQ(evenRowPointwiseTile({3, 6}, 14, 36).width, 2);
  EXPECT_EQ(evenRowPointwiseTile({3, 6}, 14, 36).blocks, 6);
  EXPECT_EQ(evenRowPointwiseTile({3, 6}, 14, 24).blocks, 6);
  EXPECT_EQ(evenRowPointwiseTile({4, 4}, 14, 4).blocks, 4);
  EXPECT_EQ(evenRowPointwiseTile({3, 5}, 14, 5).blocks, 5);
  EXPECT_EQ(evenRowPointwiseTile({3, 6}, 14, 12).blocks, 6);
  // Rows the tile divides, odd rows, one-block and narrow or wide tiles
  // keep the model's tile.
  EXPECT_EQ(evenRowPointwiseTile({4, 4}, 28, 24).width, 4);
  EXPECT_EQ(evenRowPointwiseTile({3, 6}, 15, 36).width, 3);
  EXPECT_EQ(evenRowPointwiseTile({3, 6}, 7, 36).width, 3);
  EXPECT_EQ(evenRowPointwiseTile({12, 1}, 112, 1).width, 12);
  EXPECT_EQ(evenRowPointwiseTile({2, 9}, 14, 36).blocks, 9);
  EXPECT_EQ(evenRowPointwiseTile({7, 2}, 20, 4).width, 7);
}

TEST(HalideConv, HalfRowTasks) {
  // (outHeight, channelTiles, pixelTiles). MobileNetV2's 7x7 960 -> 320:
  // one flat row, 5 channel tiles, 10 pixel tiles -> 10 tasks.
  EXPECT_TRUE(halfRowTasks(1, 5, 10));
  EXPECT_TRUE(halfRowTasks(1, 3, 2));
  EXPECT_TRUE(halfRowTasks(7, 1, 2));
  // Even counts, one task, 9 tasks, rows of one pixel tile keep whole rows.
  EXPECT_FALSE(halfRowTasks(1, 4, 10));
  EXPECT_FALSE(halfRowTasks(1, 1, 10));
  EXPECT_FALSE(halfRowTasks(3, 3, 10));
  EXPECT_FALSE(halfRowTasks(1, 5, 1));
}

TEST(HalideConv, ChannelVectorTileForChannelTileTasks) {
  // ResNet-50's 7x7 3x3 512 -> 512 on AVX-512: 7 pixels x 3 blocks is
  // cheapest at 1 thread, but its 11 tiles split 6 : 5 on two threads;
  // charged for both, 7 x 2 (16 tiles, 8 : 8).
  ChannelVectorTile oneThread = channelVectorTile(32, 1, 24, 7, 7);
  EXPECT_EQ(oneThread.width, 7);
  EXPECT_EQ(oneThread.blocks, 3);
  ChannelVectorTile tasks = channelVectorTile(32, 1, 24, 7, 7, false, 0, 0,
                                              /*channelTileTasks=*/true);
  EXPECT_EQ(tasks.width, 7);
  EXPECT_EQ(tasks.blocks, 2);
  // GoogLeNet's 7x7 1x1 832 -> 32 (2 blocks, 49 flat pixels): 7 x 2 is one
  // tile, one task for any thread count; 10 x 1 gives two.
  ChannelVectorTile single = channelVectorTile(2, 1, 24, 49, 1, false, 31);
  EXPECT_EQ(single.blocks, 2);
  ChannelVectorTile split = channelVectorTile(2, 1, 24, 49, 1, false, 31, 0,
                                              /*channelTileTasks=*/true);
  EXPECT_EQ(split.blocks, 1);
  EXPECT_EQ(split.width, 10);
}

TEST(HalideConv, PixelTilesOutsideChannelTilesRule) {
  // (outWidth, inputChannels, paddedChannels). ResNet-50's 56x56 1x1s
  // 256 -> 64 and 256 -> 128: rows of 56 KiB.
  EXPECT_TRUE(pixelTilesOutsideChannelTiles(56, 256, 64));
  EXPECT_TRUE(pixelTilesOutsideChannelTiles(56, 256, 128));
  // 64 -> 256 at 56x56 (14 KiB rows, 16 channel tiles), 128 -> 512 at
  // 28x28, GoogLeNet's 256 -> 128 at 28x28 (28 KiB rows) and 480 -> 96
  // at 14x14.
  EXPECT_FALSE(pixelTilesOutsideChannelTiles(56, 64, 256));
  EXPECT_FALSE(pixelTilesOutsideChannelTiles(28, 128, 512));
  EXPECT_FALSE(pixelTilesOutsideChannelTiles(28, 256, 128));
  EXPECT_FALSE(pixelTilesOutsideChannelTiles(14, 480, 96));
  // Rows beyond L1 into more than 128 channels.
  EXPECT_FALSE(pixelTilesOutsideChannelTiles(56, 256, 144));
}

TEST(HalideConv, ChannelVectorsPixelTilesOutsideChannelTiles) {
  // Rows of 32 pixels x 272 channels (34 KiB): each pixel tile for all 3
  // channel blocks before the next (pixelTilesOutsideChannelTiles), in 2
  // overlapping row blocks of 15 rows, over the blocked residual's buffer
  // (no tile computed twice); then the same without the residual, so the
  // last pixel and channel tiles shift inwards.
  ConvCase c;
  c.C = 272;
  c.M = 48;
  c.H = 15;
  c.W = 32;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  c.residualInPlace = true;
  runConvCase(c, 109);
  ConvCase d = c;
  d.residual = d.blockResidual = d.residualInPlace = false;
  d.W = 31;
  runConvCase(d, 110);
}

TEST(HalideConv, ChannelVectorsFlatPointwiseTwoBlockTiles) {
  // The shapes of flatPointwiseTwoBlockTiles (on 16 registers: tiles of 2
  // pixels x 2 blocks): 49 flat pixels, the last tile guarded over the
  // residual (never recomputed), channel-blocked throughout.
  ConvCase c;
  c.C = 512;
  c.M = 512;
  c.H = c.W = 7;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.flatten = true;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  runConvCase(c, 91);
  // Stride 2 from 14x14: the input read in place at (2 (q % 7), 2 (q / 7)),
  // the output one flat row; no residual, so the last tile shifts inwards.
  ConvCase d;
  d.C = 512;
  d.M = 544;
  d.H = d.W = 14;
  d.KH = d.KW = 1;
  d.sh = d.sw = 2;
  d.bias = true;
  d.packBlock = kConvChannelVectorBlock;
  d.flatten = true;
  d.blockInput = d.blockOutput = true;
  runConvCase(d, 92);
}

TEST(HalideConv, ChannelVectorsWeightHeavyChannelTileTasks) {
  // 14 rows, but 4x more weights than input (800 x 16 vs 16 x 196): one
  // task per channel tile instead of row blocks; 50 blocks of 16.
  ConvCase c;
  c.C = 16;
  c.M = 800;
  c.H = c.W = 14;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  runConvCase(c, 75);
}

TEST(HalideConv, ChannelVectorsUnpaddedStridedInPlace) {
  // Unpadded strided convs read the input in place (no phase copy): 3x3
  // stride 2 on an odd image, then stride (1, 2) with dilation 2.
  ConvCase c;
  c.C = 10;
  c.M = 20;
  c.H = 13;
  c.W = 11;
  c.sh = c.sw = 2;
  c.bias = c.residual = true;
  c.packBlock = kConvChannelVectorBlock;
  runConvCase(c, 55);
  ConvCase d = c;
  d.sh = 1;
  d.dh = d.dw = 2;
  d.residual = false;
  runConvCase(d, 56);
}

TEST(HalideConv, PackedRejectsWrongWeightShape) {
  KernelSpec spec;
  spec.kind = KernelKind::Conv2D;
  spec.name = "bad_packed";
  spec.kernel = {3, 3};
  spec.pads = {1, 1, 1, 1};
  spec.weightBlock = 8;
  spec.inputShapes = {{1, 3, 8, 8}, {1, 3, 3, 3, 8}}; // 12 channels need 2.
  spec.outputShape = {1, 12, 8, 8};
  expectSpecError(spec, "packed weights [1,3,3,3,8]");
}

// Depthwise (scheduleDepthwiseConv): tiles of one vector x up to 4 rows.

TEST(HalideConv, DepthwiseRowTilesRaggedBatch2) {
  // 30 columns and 13 rows: ragged vector and row tiles, batch 2, residual.
  ConvCase c;
  c.N = 2;
  c.C = c.M = c.groups = 6;
  c.H = 13;
  c.W = 30;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  c.residual = true;
  c.act = Activation::Relu;
  runConvCase(c, 30);
}

TEST(HalideConv, DepthwisePlanePaddedPerTask) {
  // Planes of >= 28x28 are padded per channel-plane task: 29 x 31, batch 2,
  // residual; then stride 2 with asymmetric pads on 33 x 30, and a channel
  // multiplier of 2 on 28 x 28.
  ConvCase c;
  c.N = 2;
  c.C = c.M = c.groups = 5;
  c.H = 29;
  c.W = 31;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  runConvCase(c, 76);
  ConvCase d;
  d.C = d.M = d.groups = 3;
  d.H = 33;
  d.W = 30;
  d.sh = d.sw = 2;
  d.pt = d.pr = 0;
  d.pl = d.pb = 1;
  d.bias = true;
  runConvCase(d, 77);
  ConvCase e;
  e.C = e.groups = 4;
  e.M = 8;
  e.H = e.W = 28;
  e.pt = e.pl = e.pb = e.pr = 1;
  runConvCase(e, 78);
}

TEST(HalideConv, DepthwiseFewerRowsThanTile) {
  // 3x3 output: a row tile of 3, vectors narrower than the target's.
  ConvCase c;
  c.C = c.M = c.groups = 5;
  c.H = c.W = 3;
  c.pt = c.pl = c.pb = c.pr = 1;
  runConvCase(c, 31);
}

TEST(HalideConv, Depthwise5x5Generic) {
  // 5x5 depthwise (EfficientNet): the generic per-vector schedule.
  ConvCase c;
  c.C = c.M = c.groups = 4;
  c.H = c.W = 12;
  c.KH = c.KW = 5;
  c.sh = c.sw = 2;
  c.pt = c.pl = c.pb = c.pr = 2;
  c.bias = true;
  runConvCase(c, 32);
}

TEST(HalideConv, RejectsWrongOutputShape) {
  KernelSpec spec;
  spec.kind = KernelKind::Conv2D;
  spec.name = "bad_conv";
  spec.kernel = {3, 3};
  spec.inputShapes = {{1, 3, 8, 8}, {4, 3, 3, 3}};
  spec.outputShape = {1, 4, 8, 8}; // Unpadded 3x3 gives 6x6.
  BuiltPipeline built;
  std::string error;
  EXPECT_FALSE(buildPipeline(spec, Halide::get_host_target(), built, error));
  EXPECT_NE(error.find("bad_conv"), std::string::npos) << error;
  EXPECT_NE(error.find("[1,4,6,6]"), std::string::npos) << error;
}

TEST(HalideConv, RejectsWrongInputCount) {
  KernelSpec spec;
  spec.kind = KernelKind::Conv2D;
  spec.name = "bad_conv";
  spec.hasBias = true;
  spec.inputShapes = {{1, 3, 8, 8}, {4, 3, 1, 1}};
  spec.outputShape = {1, 4, 8, 8};
  expectSpecError(spec, "expects 3 inputs");
}

// 1x1 stride-1 convs over whole planes (the kernelizer's single-row view):
// register tiles of pixels x channels straight to the output
// (scheduleFlatConvByTiles); the last pixel and channel tiles overlap.

TEST(HalideConv, PointwisePlaneTilesPackedResidual) {
  // 4096 pixels (85 tiles of 48 and a shifted last one), 24 channels in 3
  // tiles of 8; bias + residual + ReLU from registers.
  ConvCase c;
  c.C = 16;
  c.M = 24;
  c.H = c.W = 64;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvWeightBlock;
  c.flatten = true;
  runConvCase(c, 60);
}

TEST(HalideConv, PointwisePlaneTileRunsRaggedBatch2) {
  // Residual on a large plane: tasks are runs of 8 pixel tiles with the
  // channel tiles outside. 57x61 = 3477 pixels = 72 tiles and a shifted
  // last one: 9 full runs and a run of one tile; 20 channels (the last
  // channel tile overlaps); batch 2.
  ConvCase c;
  c.N = 2;
  c.C = 24;
  c.M = 20;
  c.H = 57;
  c.W = 61;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvWeightBlock;
  c.flatten = true;
  runConvCase(c, 71);
}

TEST(HalideConv, PointwisePlaneTilesChannelGroupTasks) {
  // A small plane (14x14: 4 pixel tiles of 48 and a shifted last one) gets
  // its channel tiles split into groups so there are >= 16 tasks: 200
  // channels = 25 tiles of 8 in 4 groups of 7 (the last group has 4);
  // 96 input channels (MobileNetV2's 14x14 expansions); batch 2.
  ConvCase c;
  c.N = 2;
  c.C = 96;
  c.M = 200;
  c.H = c.W = 14;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvWeightBlock;
  c.flatten = true;
  runConvCase(c, 74);
}

TEST(HalideConv, PointwisePlaneTilesBatch2Unpacked) {
  ConvCase c;
  c.N = 2;
  c.C = 8;
  c.M = 12;
  c.H = 48;
  c.W = 32;
  c.KH = c.KW = 1;
  c.bias = true;
  c.flatten = true;
  runConvCase(c, 61);
}

TEST(HalideConv, PointwisePlaneTilesOddChannelsLongReduction) {
  // 13 channels (tiles 0-7 and 5-12, overlapping), 300 input channels,
  // 49 pixels (tiles 0-47 and 1-48), Clip epilogue.
  ConvCase c;
  c.C = 300;
  c.M = 13;
  c.H = c.W = 7;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Clip;
  c.clipMin = -0.5f;
  c.clipMax = 0.5f;
  c.packBlock = kConvWeightBlock;
  c.flatten = true;
  runConvCase(c, 62);
}

TEST(HalideConv, PointwisePlaneTilesLongReduction) {
  // 256 input channels (ResNet-50's 56x56 256->64), 20 channels (packed to
  // 24: channel tiles 0-7, 8-15, 12-19), 81 pixels (tiles 0-47, 33-80).
  ConvCase c;
  c.C = 256;
  c.M = 20;
  c.H = c.W = 9;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvWeightBlock;
  c.flatten = true;
  runConvCase(c, 65);
}

TEST(HalideConv, PointwisePlaneStride2ResidualOddImage) {
  // Stride 2 over 23 x 21 (output 12 x 11 = 132 pixels: rows of the
  // phase-split copy are 11 wide), single-row output and residual.
  ConvCase c;
  c.C = 24;
  c.M = 20;
  c.H = 23;
  c.W = 21;
  c.KH = c.KW = 1;
  c.sh = c.sw = 2;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvWeightBlock;
  c.flatten = true;
  runConvCase(c, 66);
}

TEST(HalideConv, PointwisePlaneStride2Batch2Unpacked) {
  ConvCase c;
  c.N = 2;
  c.C = 16;
  c.M = 6;
  c.H = c.W = 20;
  c.KH = c.KW = 1;
  c.sh = c.sw = 2;
  c.bias = true;
  c.flatten = true;
  runConvCase(c, 67);
}

TEST(HalideConv, PointwisePlaneFewerPixelsThanTile) {
  // 25 pixels: less than one register tile, the generic flat schedule.
  ConvCase c;
  c.C = 10;
  c.M = 16;
  c.H = c.W = 5;
  c.KH = c.KW = 1;
  c.bias = true;
  c.packBlock = kConvWeightBlock;
  c.flatten = true;
  runConvCase(c, 63);
}

TEST(HalideConv, PointwiseRowsUnflattened) {
  // The same 1x1 conv with its NCHW rows (a spec the kernelizer would
  // flatten) stays correct on the generic flat schedule.
  ConvCase c;
  c.C = 16;
  c.M = 24;
  c.H = c.W = 40;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvWeightBlock;
  runConvCase(c, 64);
}

TEST(HalideConv, PointwiseFlatteningOnlyForUnpaddedPointwise) {
  KernelSpec spec;
  spec.kind = KernelKind::Conv2D;
  spec.kernel = {1, 1};
  spec.inputShapes = {{1, 8, 6, 5}, {16, 8, 1, 1}};
  spec.outputShape = {1, 16, 6, 5};
  EXPECT_TRUE(flattensPointwiseConv(spec));
  KernelSpec strided = spec;
  strided.strides = {2, 2};
  strided.outputShape = {1, 16, 3, 3};
  EXPECT_TRUE(flattensPointwiseConv(strided));
  EXPECT_EQ(flattenPointwiseConv(strided), std::vector<size_t>{});
  EXPECT_EQ(strided.inputShapes[0], (std::vector<int64_t>{1, 8, 6, 5}));
  EXPECT_EQ(strided.outputShape, (std::vector<int64_t>{1, 16, 1, 9}));
  KernelSpec padded = spec;
  padded.pads = {0, 1, 0, 1};
  EXPECT_FALSE(flattensPointwiseConv(padded));
  // Channel-vector convs: on images of fewer than 14 rows, at any stride.
  KernelSpec channelVectors = spec;
  channelVectors.weightBlock = kConvChannelVectorBlock;
  EXPECT_TRUE(flattensPointwiseConv(channelVectors));
  KernelSpec channelVectorsStrided = spec;
  channelVectorsStrided.strides = {2, 2};
  channelVectorsStrided.outputShape = {1, 16, 3, 3};
  channelVectorsStrided.weightBlock = kConvChannelVectorBlock;
  EXPECT_TRUE(flattensPointwiseConv(channelVectorsStrided));
  KernelSpec channelVectorsTall = channelVectors;
  channelVectorsTall.inputShapes[0] = {1, 8, 14, 5};
  channelVectorsTall.outputShape = {1, 16, 14, 5};
  EXPECT_FALSE(flattensPointwiseConv(channelVectorsTall));
  KernelSpec window = spec;
  window.kernel = {3, 3};
  EXPECT_FALSE(flattensPointwiseConv(window));
  KernelSpec flat = spec;
  flattenPointwiseConv(flat);
  EXPECT_EQ(flat.inputShapes[0], (std::vector<int64_t>{1, 8, 1, 30}));
  EXPECT_EQ(flat.inputShapes[1], (std::vector<int64_t>{16, 8, 1, 1}));
  EXPECT_EQ(flat.outputShape, (std::vector<int64_t>{1, 16, 1, 30}));
}


// Channel-blocked (NCHW16c) activations: channel-vector convs read their
// data input and residual and write their output in 16-channel blocks.

TEST(HalideConv, BlockedPointwiseRegisterTiles) {
  // Blocked in, residual and out; 9 columns (ragged pixel tiles) and 3
  // blocks (ragged channel tiles, recomputed with ShiftInwards), batch 2.
  ConvCase c;
  c.N = 2;
  c.C = 32;
  c.M = 48;
  c.H = c.W = 9;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  runConvCase(c, 91);
}

TEST(HalideConv, BlockedPointwiseFlatPlanes) {
  // ResNet-50's last stage in small: a 7x7 image seen as one 49-pixel row
  // (kernels/PointwiseFlattening.h), blocked in, residual (written over in
  // place) and out, 3 blocks, batch 2; then NCHW in and out.
  ConvCase c;
  c.N = 2;
  c.C = 32;
  c.M = 48;
  c.H = c.W = 7;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.flatten = true;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  c.residualInPlace = true;
  runConvCase(c, 93);
  ConvCase d = c;
  d.blockInput = d.blockResidual = d.blockOutput = d.residualInPlace = false;
  runConvCase(d, 94);
}

TEST(HalideConv, BlockedPointwiseStride2FlatPlanes) {
  // ResNet-50's last projection in small: a stride-2 1x1 on channel
  // vectors whose 7x7 output (and residual) are one 49-pixel row, the
  // input read in place at (2 (q % 7), 2 (q / 7)); blocked, then NCHW.
  ConvCase c;
  c.N = 2;
  c.C = 32;
  c.M = 48;
  c.H = c.W = 14;
  c.KH = c.KW = 1;
  c.sh = c.sw = 2;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.flatten = true;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  runConvCase(c, 95);
  ConvCase d = c;
  d.blockInput = d.blockResidual = d.blockOutput = false;
  d.H = 13, d.W = 11;
  runConvCase(d, 96);
}

TEST(HalideConv, BlockedPointwiseStride2DenseCopyPerRowTask) {
  // A stride-2 1x1 over a channel-blocked input in row-block tasks reads
  // its pixels through a dense copy per task (CpuSchedule.cpp): 29 x 27 ->
  // 15 x 14 (2 overlapping row blocks, odd input edges never read), batch
  // 2, blocked residual and output; then a long reduction swept in chunks
  // (528 channels: 33 blocks, the last chunk 16 channels), NCHW output.
  ConvCase c;
  c.N = 2;
  c.C = 48;
  c.M = 48;
  c.H = 29;
  c.W = 27;
  c.KH = c.KW = 1;
  c.sh = c.sw = 2;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  runConvCase(c, 107);
  ConvCase d;
  d.C = 528;
  d.M = 40;
  d.H = d.W = 28;
  d.KH = d.KW = 1;
  d.sh = d.sw = 2;
  d.bias = true;
  d.packBlock = kConvChannelVectorBlock;
  d.blockInput = true;
  runConvCase(d, 108);
}

TEST(HalideConv, BlockedWindowStride2FourteenColumns) {
  // A 3x3 stride-2 conv to 14-pixel rows (ResNet's 28x28 -> 14x14): on
  // 16 registers its register tile is 2 pixels x 2 blocks (CpuSchedule.cpp);
  // blocked input, residual written over in place, batch 2.
  ConvCase c;
  c.N = 2;
  c.C = 32;
  c.M = 64;
  c.H = c.W = 28;
  c.sh = c.sw = 2;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  c.residualInPlace = true;
  runConvCase(c, 97);
}

TEST(HalideConv, BlockedWindowStride2ReadInPlace) {
  // A 3x3 stride-2 conv to rows of 15 pixels reads its padded blocked
  // input in place (the padding a boundary condition, no phase-split
  // copy): odd image, padding only at the top and left, a partial last
  // block of output channels, NCHW output, batch 2.
  ConvCase c;
  c.N = 2;
  c.C = 32;
  c.M = 40;
  c.H = c.W = 31;
  c.sh = c.sw = 2;
  c.pt = c.pl = 1;
  c.bias = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = true;
  runConvCase(c, 99);
}

TEST(HalideConv, BlockedWindow5x5UnrolledColumns) {
  // GoogLeNet's 5x5 convs: padding 2, stride 1, blocked input and output;
  // on 32 vector registers the window's 5 columns are unrolled
  // (CpuSchedule.cpp). 14x14, and 28x28 with an NCHW output whose last
  // block of 16 channels is partial.
  ConvCase c;
  c.C = 32;
  c.M = 48;
  c.H = c.W = 14;
  c.KH = c.KW = 5;
  c.pt = c.pl = c.pb = c.pr = 2;
  c.bias = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockOutput = true;
  runConvCase(c, 100);
  ConvCase d = c;
  d.C = 16;
  d.M = 40;
  d.H = d.W = 28;
  d.blockOutput = false;
  runConvCase(d, 101);
}

TEST(HalideConv, StemStride2ReadInPlaceNchw) {
  // MobileNet's stem, smaller: 3 NCHW input channels, 3x3 stride 2 to rows
  // of 16 pixels read in place (the padding a boundary condition, no
  // phase-split copy), blocked output with a clip; then TensorFlow-style
  // padding (bottom and right only) to an NCHW output, batch 2.
  ConvCase c;
  c.C = 3;
  c.M = 32;
  c.H = c.W = 32;
  c.sh = c.sw = 2;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  c.act = Activation::Clip;
  c.clipMin = 0;
  c.clipMax = 6;
  c.packBlock = kConvChannelVectorBlock;
  c.blockOutput = true;
  runConvCase(c, 102);
  ConvCase d = c;
  d.N = 2;
  d.H = d.W = 29;
  d.pt = d.pl = 0;
  d.M = 24;
  d.blockOutput = false;
  runConvCase(d, 103);
}

TEST(HalideConv, BlockedPointwiseStride2MixedLayouts) {
  // Blocked strided input read in place; NCHW residual and output (the
  // transposing epilogue), then NCHW input with a blocked residual.
  ConvCase c;
  c.C = 32;
  c.M = 32;
  c.H = 13;
  c.W = 11;
  c.KH = c.KW = 1;
  c.sh = c.sw = 2;
  c.bias = c.residual = true;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = true;
  runConvCase(c, 92);
  ConvCase d = c;
  d.blockInput = false;
  d.blockResidual = true;
  runConvCase(d, 93);
}

TEST(HalideConv, BlockedOutputPadded3x3) {
  // A padded 3x3 conv reads NCHW (its padded copy) and writes blocked,
  // with a blocked residual and a clip.
  ConvCase c;
  c.C = 16;
  c.M = 64;
  c.H = 8;
  c.W = 10;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = c.residual = true;
  c.act = Activation::Clip;
  c.clipMin = 0;
  c.clipMax = 6;
  c.packBlock = kConvChannelVectorBlock;
  c.blockResidual = c.blockOutput = true;
  runConvCase(c, 94);
}

TEST(HalideConv, BlockedInputPaddedCopy) {
  // A padded blocked input goes through a blocked phase-split copy: 3x3
  // stride 2 (4 phases, odd image) with a blocked output, then stride 1
  // with asymmetric pads, NCHW output and batch 2.
  ConvCase c;
  c.C = 32;
  c.M = 32;
  c.H = 13;
  c.W = 11;
  c.sh = c.sw = 2;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.bias = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockOutput = true;
  runConvCase(c, 97);
  ConvCase d = c;
  d.N = 2;
  d.sh = d.sw = 1;
  d.pt = 2;
  d.pr = 0;
  d.blockOutput = false;
  runConvCase(d, 98);
}

TEST(HalideConv, BlockedChunkedReductionRowBlocks) {
  // 14x14 with 512 inputs: row-block tasks with the reduction in chunks of
  // 64 channels, accumulators per tile row; blocked input and output.
  ConvCase c;
  c.C = 512;
  c.M = 32;
  c.H = c.W = 14;
  c.KH = c.KW = 1;
  c.bias = true;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockOutput = true;
  runConvCase(c, 95);
  // A blocked residual with an NCHW output: added in the accumulator's
  // layout, per row block, before the transpose.
  ConvCase d = c;
  d.residual = d.blockResidual = true;
  d.blockOutput = false;
  runConvCase(d, 99);
}

TEST(HalideConv, BlockedPointwiseLaneLoops) {
  // Blocked 1x1s read their input block by block, 16 lanes unrolled:
  // 256 inputs on a 30-wide image (register tiles, reduction blocked by
  // 128 channels), 48 inputs (3 blocks, no reduction blocking).
  ConvCase c;
  c.C = 256;
  c.M = 48;
  c.H = 5;
  c.W = 30;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  runConvCase(c, 100);
  ConvCase d = c;
  d.C = 48;
  d.blockOutput = false;
  runConvCase(d, 101);
}

TEST(HalideConv, BlockedResidualInPlace) {
  // The output written over the residual's buffer, with every tiling that
  // could recompute an element (and so add its residual twice): ragged
  // pixel and channel tiles (9 and 30 columns, 3 blocks), ragged row blocks with a
  // chunked reduction (15 rows, 512 inputs), ragged channel-tile tasks on
  // a 7x7 image (320 -> 1040: 65 blocks), and a padded 3x3.
  ConvCase c;
  c.C = 32;
  c.M = 48;
  c.H = c.W = 9;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  c.residualInPlace = true;
  runConvCase(c, 102);
  ConvCase wide = c;
  wide.W = 30;
  wide.H = 3;
  runConvCase(wide, 106);
  ConvCase rows = c;
  rows.C = 512;
  rows.M = 32;
  rows.H = 15;
  rows.W = 14;
  runConvCase(rows, 103);
  ConvCase tiles = c;
  tiles.C = 320;
  tiles.M = 1040;
  tiles.H = tiles.W = 7;
  runConvCase(tiles, 104);
  ConvCase window = c;
  window.KH = window.KW = 3;
  window.pt = window.pl = window.pb = window.pr = 1;
  window.H = 11;
  window.W = 13;
  runConvCase(window, 105);
}

TEST(HalideConv, BlockedChannelTileTasks) {
  // 7x7, weight-heavy (256 -> 512): channel-tile tasks, register tiles.
  ConvCase c;
  c.C = 256;
  c.M = 512;
  c.H = c.W = 7;
  c.KH = c.KW = 1;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.packBlock = kConvChannelVectorBlock;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  runConvCase(c, 96);
}

KernelSpec blockedSpec() {
  KernelSpec spec;
  spec.kind = KernelKind::Conv2D;
  spec.name = "bad_blocked";
  spec.kernel = {1, 1};
  spec.weightBlock = kConvChannelVectorBlock;
  spec.inputShapes = {{1, 32, 4, 4}, {2, 32, 1, 1, 16}};
  spec.outputShape = {1, 32, 4, 4};
  return spec;
}

TEST(HalideConv, BlockedRejectsUnsupportedArguments) {
  KernelSpec weights = blockedSpec();
  weights.blockedInputs = 2;
  expectSpecError(weights, "cannot be channel-blocked");
  KernelSpec pixelVectors = blockedSpec();
  pixelVectors.weightBlock = kConvWeightBlock;
  pixelVectors.inputShapes[1] = {4, 32, 1, 1, 8};
  pixelVectors.blockedOutput = true;
  expectSpecError(pixelVectors, "only channel-vector and Winograd convs");
  KernelSpec odd = blockedSpec();
  odd.inputShapes = {{1, 24, 4, 4}, {2, 24, 1, 1, 16}};
  odd.blockedInputs = 1;
  expectSpecError(odd, "needs 4 dims and a multiple of 16 channels");
  // Writing over the residual needs a blocked residual and output.
  KernelSpec inPlace = blockedSpec();
  inPlace.hasResidual = true;
  inPlace.inputShapes.push_back({1, 32, 4, 4});
  inPlace.residualInPlace = true;
  inPlace.blockedOutput = true;
  expectSpecError(inPlace, "residual_in_place needs a channel-blocked");
  KernelSpec pool;
  pool.kind = KernelKind::MaxPool2D;
  pool.name = "bad_pool";
  pool.kernel = {2, 2};
  pool.strides = {2, 2};
  pool.inputShapes = {{1, 16, 4, 4}};
  pool.outputShape = {1, 16, 2, 2};
  pool.residualInPlace = true;
  expectSpecError(pool, "residual_in_place is only for direct conv kernels");
}

} // namespace
} // namespace kiln::test
