//===- WinogradConvTest.cpp - Winograd convs against a direct loop --------===//
//
// Each case transforms OIHW weights like the kernelizer
// (winogradConvWeights), runs the Winograd kernel and compares it with a
// direct convolution in double precision straight from the ONNX Conv
// definition, epilogue included.
//
// Tolerance: Winograd's fp32 error grows with the transforms' coefficients
// (up to 8 in A^T and 5 in B^T for F(4x4, 3x3)) times the magnitude of the
// terms summed, not with the result, which may cancel to ~0. So every
// output is checked against |got - want| <= k * eps32 * S, with S = |bias|
// + |residual| + sum |w| |x| over the taps (the direct sum's own
// condition) and k = 8 for F(2x2, 3x3) and 64 for F(4x4, 3x3) and F(2x2,
// 5x5) (the same six points): F(4x4, 3x3) is known to be about an order of
// magnitude less accurate than direct fp32; the largest ratio observed
// here is ~19 (F4) and ~1.5 (F2), printed per case.
// Cases with short reductions also meet the network-level bound
// (atol 1e-4, rtol 1e-3).
//
//===----------------------------------------------------------------------===//

#include "tests/halide/TestUtil.h"

#include "compiler/halide/RunThreads.h"
#include "compiler/halide/schedules/Schedule.h"
#include "compiler/kernelize/WeightPacking.h"
#include "compiler/kernels/WinogradLayout.h"

#include <cfloat>
#include <utility>

namespace kiln::test {
namespace {

struct WinogradCase {
  int64_t N = 1, C = 8, H = 9, W = 9, M = 8;
  int64_t pt = 1, pl = 1, pb = 1, pr = 1;
  int64_t tile = 4;
  int64_t kernel = 3; // r: 3x3 or 5x5 windows
  int64_t stride = 1; // 2: the stride-2 F(2x2, 3x3)
  bool bias = false, residual = false;
  /// Channel-blocked input, residual and output
  /// (kernels/ActivationLayout.h).
  bool blockInput = false, blockResidual = false, blockOutput = false;
  /// A Halide target to schedule for instead of the host's (empty: host).
  std::string target;
  Activation act = Activation::None;
  float clipMin = 0, clipMax = 0;
  /// HardSigmoid's alpha / beta, LeakyRelu's alpha.
  float actAlpha = 0, actBeta = 0;
};

struct Reference {
  Tensor y;
  /// Per output: |bias| + |residual| + sum |w x|, the error scale.
  std::vector<double> scale;
};

/// Direct r x r convolution in double, one output element at a time.
Reference referenceConv(const WinogradCase &c, const std::vector<Tensor> &in,
                        const KernelSpec &spec) {
  const Tensor &x = in[0], &w = in[1];
  const Tensor *bias = c.bias ? &in[2] : nullptr;
  const Tensor *res = c.residual ? &in[c.bias ? 3 : 2] : nullptr;
  Reference r{Tensor(spec.outputShape), {}};
  int64_t OH = r.y.shape[2], OW = r.y.shape[3];
  for (int64_t n = 0; n < c.N; ++n)
    for (int64_t m = 0; m < c.M; ++m)
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW; ++ow) {
          double s = bias ? bias->data[m] : 0.0;
          double mag = std::fabs(s);
          for (int64_t ci = 0; ci < c.C; ++ci)
            for (int64_t kh = 0; kh < c.kernel; ++kh)
              for (int64_t kw = 0; kw < c.kernel; ++kw) {
                int64_t ih = oh * c.stride + kh - c.pt,
                        iw = ow * c.stride + kw - c.pl;
                if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W)
                  continue;
                double t = (double)w.at4(m, ci, kh, kw) * x.at4(n, ci, ih, iw);
                s += t;
                mag += std::fabs(t);
              }
          if (res) {
            s += res->at4(n, m, oh, ow);
            mag += std::fabs(res->at4(n, m, oh, ow));
          }
          r.y.at4(n, m, oh, ow) = applyAct(spec, (float)s);
          r.scale.push_back(mag);
        }
  return r;
}

/// The kernel's spec for `c`: its weights transformed
/// (winogradWeightShape), its data channel-blocked where `c` says.
KernelSpec winogradSpec(const WinogradCase &c) {
  KernelSpec spec;
  spec.kind = KernelKind::Conv2D;
  spec.name = "wino_test";
  spec.kernel = {c.kernel, c.kernel};
  spec.pads = {c.pt, c.pl, c.pb, c.pr};
  spec.strides = {c.stride, c.stride};
  spec.hasBias = c.bias;
  spec.hasResidual = c.residual;
  spec.activation = c.act;
  spec.clipMin = c.clipMin;
  spec.clipMax = c.clipMax;
  spec.actAlpha = c.actAlpha;
  spec.actBeta = c.actBeta;
  int64_t OH = (c.H + c.pt + c.pb - c.kernel) / c.stride + 1,
          OW = (c.W + c.pl + c.pr - c.kernel) / c.stride + 1;
  spec.outputShape = {c.N, c.M, OH, OW};
  spec.inputShapes = {
      {c.N, c.C, c.H, c.W},
      winogradWeightShape(c.M, c.C, c.tile, c.kernel, c.stride)};
  if (c.bias)
    spec.inputShapes.push_back({c.M});
  if (c.residual)
    spec.inputShapes.push_back(spec.outputShape);
  spec.weightBlock = kWinogradBlock;
  spec.winogradTile = c.tile;
  if (c.blockInput)
    spec.blockedInputs |= 1u;
  if (c.blockResidual)
    spec.blockedInputs |= 1u << (spec.inputShapes.size() - 1);
  spec.blockedOutput = c.blockOutput;
  return spec;
}

void runWinogradCase(const WinogradCase &c, unsigned seed) {
  KernelSpec spec = winogradSpec(c);
  std::mt19937 rng(seed);
  std::vector<Tensor> in = {randomTensor({c.N, c.C, c.H, c.W}, rng),
                            randomTensor({c.M, c.C, c.kernel, c.kernel}, rng)};
  if (c.bias)
    in.push_back(randomTensor({c.M}, rng));
  if (c.residual)
    in.push_back(randomTensor(spec.outputShape, rng));
  Reference want = referenceConv(c, in, spec);

  // The kernel reads the transformed weights, the reference the originals.
  std::vector<Tensor> kernelIn = in;
  Tensor u(spec.inputShapes[1]);
  u.data = winogradConvWeights(in[1].data, in[1].shape, c.tile, c.stride);
  ASSERT_EQ(u.data.size(), u.numel());
  kernelIn[1] = u;
  if (c.blockInput)
    kernelIn[0] = toChannelBlocked(kernelIn[0]);
  if (c.blockResidual)
    kernelIn.back() = toChannelBlocked(kernelIn.back());
  Tensor got = runJit(spec, kernelIn, -1, c.target);
  if (c.blockOutput)
    got = fromChannelBlocked(got);
  ASSERT_EQ(got.shape, want.y.shape);

  double k = c.tile == 2 && c.kernel == 3 ? 8 : c.tile == 3 ? 16 : 64;
  double worst = 0;
  int bad = 0;
  for (size_t e = 0; e < got.data.size(); ++e) {
    double err = std::fabs((double)got.data[e] - want.y.data[e]);
    double bound = k * FLT_EPSILON * want.scale[e];
    worst = std::max(worst, err / (FLT_EPSILON * want.scale[e]));
    if (!(err <= bound) && bad++ < 5)
      ADD_FAILURE() << "element " << e << ": got " << got.data[e] << ", want "
                    << want.y.data[e] << " (bound " << bound << ")";
  }
  EXPECT_EQ(bad, 0) << "of " << got.data.size() << " elements";
  std::printf("F(%lldx%lld, %lldx%lld) worst error: %.2f eps32 x S\n",
              (long long)c.tile, (long long)c.tile, (long long)c.kernel,
              (long long)c.kernel, worst);
  // Unit-magnitude data with a short reduction keeps outputs O(1), where
  // the network-level bound is meaningful (with hundreds of channels the
  // outputs reach ~50 and direct fp32 misses atol 1e-4 too).
  if (c.C * c.kernel * c.kernel <= 256)
    expectClose(got, want.y);
}

/// `c` (a small ragged case, seed `seed`), then the same transform on
/// batch 2, 20 -> 33 channels over 16x29, asymmetric pads, bias, residual
/// and a clip (seed `seed` + 1).
void runRaggedCases(WinogradCase c, unsigned seed) {
  runWinogradCase(c, seed);
  c.N = 2, c.C = 20, c.M = 33, c.H = 16, c.W = 29;
  c.pt = 0, c.pl = 1, c.pb = 1, c.pr = 0;
  c.bias = c.residual = true, c.act = Activation::Clip;
  c.clipMin = 0, c.clipMax = 6;
  runWinogradCase(c, seed + 1);
}

TEST(HalideWinogradConv, OddSizesF4) {
  WinogradCase c;
  c.C = 5, c.M = 7, c.H = 9, c.W = 11;
  c.bias = true, c.act = Activation::Relu;
  runWinogradCase(c, 1);
}

TEST(HalideWinogradConv, UnpaddedResidualF4) {
  WinogradCase c;
  c.C = 16, c.M = 20, c.H = 13, c.W = 15;
  c.pt = c.pl = c.pb = c.pr = 0;
  c.bias = c.residual = true;
  runWinogradCase(c, 2);
}

TEST(HalideWinogradConv, AsymmetricPadsClipF2) {
  WinogradCase c;
  c.C = 12, c.M = 33, c.H = 10, c.W = 7;
  c.pt = 1, c.pl = 0, c.pb = 0, c.pr = 1;
  c.tile = 2;
  c.bias = true, c.act = Activation::Clip, c.clipMin = 0, c.clipMax = 6;
  runWinogradCase(c, 3);
}

TEST(HalideWinogradConv, BatchNoBiasF2) {
  WinogradCase c;
  c.N = 2, c.C = 3, c.M = 17, c.H = 7, c.W = 5;
  c.tile = 2;
  runWinogradCase(c, 4);
}

TEST(HalideWinogradConv, Batch2ResidualReluF4) {
  WinogradCase c;
  c.N = 2, c.C = 24, c.M = 40, c.H = 12, c.W = 12;
  c.bias = c.residual = true, c.act = Activation::Relu;
  runWinogradCase(c, 5);
}

TEST(HalideWinogradConv, ResidualLeakyReluAndHardSwishF4) {
  // Epilogues kiln-fuse-activation gives YOLO-style and MobileNetV3-style
  // convs: the residual is added before the activation.
  WinogradCase c;
  c.C = 24, c.M = 40, c.H = 12, c.W = 14;
  c.bias = c.residual = true;
  c.act = Activation::LeakyRelu, c.actAlpha = 0.1f;
  runWinogradCase(c, 30);
  c.act = Activation::HardSwish;
  runWinogradCase(c, 31);
}

// ResNet-sized layers: row-block tasks (56x56, 28x28) and channel-group
// tasks (14x14 with 256 channels).
TEST(HalideWinogradConv, ResNet56x56F4) {
  WinogradCase c;
  c.C = 64, c.M = 64, c.H = 56, c.W = 56;
  c.bias = true, c.act = Activation::Relu;
  runWinogradCase(c, 6);
}

TEST(HalideWinogradConv, ResNet28x28ResidualF4) {
  WinogradCase c;
  c.C = 128, c.M = 128, c.H = 28, c.W = 28;
  c.bias = c.residual = true, c.act = Activation::Relu;
  runWinogradCase(c, 7);
}

TEST(HalideWinogradConv, RowBlocksPadTheirRowsBatch2F4) {
  // Row-block tasks pad the rows they read: 37 x 118 with 64 -> 90
  // channels (one tile row a block, 10 blocks, the last one ragged),
  // asymmetric pads, batch 2.
  WinogradCase c;
  c.N = 2, c.C = 64, c.M = 90, c.H = 37, c.W = 118;
  c.pt = 0, c.pl = 1, c.pb = 1, c.pr = 0;
  c.bias = c.residual = true, c.act = Activation::Relu;
  runWinogradCase(c, 20);
}

TEST(HalideWinogradConv, ResNet14x14F4) {
  WinogradCase c;
  c.C = 256, c.M = 256, c.H = 14, c.W = 14;
  c.bias = true, c.act = Activation::Relu;
  runWinogradCase(c, 8);
}

TEST(HalideWinogradConv, GoogLeNet14x14F2) {
  WinogradCase c;
  c.C = 112, c.M = 224, c.H = 14, c.W = 14;
  c.tile = 2;
  c.bias = true, c.act = Activation::Relu;
  runWinogradCase(c, 9);
}

// F(3x3, 3x3) (14x14 and 15x15 images, winogradTileFor): ragged sizes and
// pads on the host's schedule, then the AVX2 and AVX-512 schedules of the
// 14x14 layers it was made for: one block of 5 tile rows (15 rows over
// 14), blocked input / residual / output, ragged channel groups.
TEST(HalideWinogradConv, OddSizesF3) {
  WinogradCase c;
  c.tile = 3;
  c.C = 5, c.M = 7, c.H = 10, c.W = 11;
  c.bias = true, c.act = Activation::Relu;
  runRaggedCases(c, 41);
}

TEST(HalideWinogradConv, UnpaddedBatch2F3) {
  WinogradCase c;
  c.tile = 3;
  c.N = 2, c.C = 16, c.M = 24, c.H = 15, c.W = 15;
  c.pt = c.pl = c.pb = c.pr = 0;
  runWinogradCase(c, 43);
}

// The case on the AVX2 and the AVX-512 schedules, each the host can run.
void runOnX86VectorTargets(WinogradCase c, unsigned seed) {
  bool ran = false;
  for (auto [target, runs] : {std::pair{kAvx2Target, hostRunsAvx2()},
                              std::pair{kAvx512Target, hostRunsAvx512()}}) {
    if (!runs)
      continue;
    SCOPED_TRACE(target);
    c.target = target;
    runWinogradCase(c, seed);
    ran = true;
  }
  if (!ran)
    GTEST_SKIP() << "the host runs neither AVX2 nor AVX-512 code";
}

TEST(HalideWinogradConv, ResNet14x14BlockedResidualX86F3) {
  WinogradCase c;
  c.tile = 3;
  c.C = 64, c.M = 80, c.H = 14, c.W = 14;
  c.bias = c.residual = true, c.act = Activation::Relu;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  runOnX86VectorTargets(c, 44);
}

// ResNet-50's 28x28 128 -> 128 in its network form: on AVX-512 its
// transformed weights (2.4 MB) outgrow the L2, so the image is two row
// blocks of 4 and 3 tile rows, their products in 8-channel chunks
// (WinogradConvSchedule.cpp); on AVX2 seven blocks of one tile row, in
// 16-channel chunks with the prefetch.
TEST(HalideWinogradConv, ResNet28x28BlockedResidualX86F4) {
  WinogradCase c;
  c.C = 128, c.M = 128, c.H = 28, c.W = 28;
  c.bias = c.residual = true, c.act = Activation::Relu;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  runOnX86VectorTargets(c, 46);
}

// Row-block tasks that divide the image stay one unpartitioned task loop
// (parallelTasks, Schedule.h): as its prologue and epilogue, the first and
// last of the 28x28's seven blocks ran every tile with the border's checks
// and a guarded tile tail's `if` inside the innermost reduction (the
// kernel 29 % slower on a Zen 3 EPYC). GoogLeNet's 14x14 F(2x2, 5x5) 16 ->
// 48 takes 4 blocks of 2 tile rows over 7: its short last block keeps the
// partition, which keeps the other tasks' extents constant (22 % faster).
TEST(HalideWinogradConv, AlikeRowTasksStayWholeAvx2) {
  WinogradCase c;
  c.C = 128, c.M = 128, c.H = 28, c.W = 28;
  c.bias = c.residual = true, c.act = Activation::Relu;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  EXPECT_EQ(rowLoopsInTaskBranches(winogradSpec(c), kAvx2Target), 0);
  WinogradCase g;
  g.C = 16, g.M = 48, g.H = 14, g.W = 14;
  g.kernel = 5, g.tile = 2;
  g.pt = g.pl = g.pb = g.pr = 2;
  g.bias = true, g.act = Activation::Relu;
  g.blockInput = g.blockOutput = true;
  g.target = kAvx2Target;
  EXPECT_GT(rowLoopsInTaskBranches(winogradSpec(g), kAvx2Target), 0);
  if (hostRunsAvx2())
    runWinogradCase(g, 66);
}

// ResNet-50's 56x56 64 -> 64: on AVX-512 the L2 budget gives blocks of 2
// tile rows, 7 of them; an odd count of 3-7 takes fewer rows a block, here
// 14 blocks of one (WinogradConvSchedule.cpp). AVX2 plans one row anyway.
TEST(HalideWinogradConv, ResNet56x56EvenRowBlocksX86F4) {
  WinogradCase c;
  c.C = 64, c.M = 64, c.H = 56, c.W = 56;
  c.bias = c.residual = true, c.act = Activation::Relu;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  runOnX86VectorTargets(c, 47);
}

TEST(HalideWinogradConv, GoogLeNet14x14RaggedGroupsX86F3) {
  WinogradCase c;
  c.tile = 3;
  c.C = 96, c.M = 208, c.H = 14, c.W = 14;
  c.bias = true, c.act = Activation::Relu;
  runOnX86VectorTargets(c, 45);
}

// Channel-group tasks are one per thread of the run, each transforming the
// whole input (WinogradConvSchedule.cpp): a specialization per count of
// groups a task takes, chosen by the run's thread count (RunThreads.h; the
// JIT's value set here; the other cases run with 1). ResNet-50's 14x14
// 256 -> 256 in its network form (16 blocks, 4 groups on AVX-512: 2
// threads take 2 groups a task, 5 threads one) and GoogLeNet's ragged 208
// channels, on the host's schedule.
TEST(HalideWinogradConv, ChannelGroupTasksPerRunThreadsF3) {
  struct RestoreJitThreads {
    ~RestoreJitThreads() { setJitRunThreads(1); }
  } restore;
  WinogradCase resnet;
  resnet.tile = 3;
  resnet.C = 256, resnet.M = 256, resnet.H = 14, resnet.W = 14;
  resnet.bias = resnet.residual = true, resnet.act = Activation::Relu;
  resnet.blockInput = resnet.blockResidual = resnet.blockOutput = true;
  WinogradCase googlenet;
  googlenet.tile = 3;
  googlenet.C = 96, googlenet.M = 208, googlenet.H = 14, googlenet.W = 14;
  googlenet.bias = true, googlenet.act = Activation::Relu;
  for (int threads : {2, 5}) {
    SCOPED_TRACE("run threads " + std::to_string(threads));
    setJitRunThreads(threads);
    runWinogradCase(resnet, 48);
    runWinogradCase(googlenet, 49);
  }
}

// The stride-2 F(2x2, 3x3) (WinogradLayout.h, kWinogradBtS2): 5 x 5 input
// patches 4 pixels apart, 25 positions. Odd sizes and pads on the host's
// schedule, then the AVX2 schedules of ResNet's stride-2 3x3s: row-block
// tasks at 28x28, one block of all tile rows at 14x14.
TEST(HalideWinogradConv, OddSizesS2) {
  WinogradCase c;
  c.tile = 2, c.stride = 2;
  c.C = 5, c.M = 7, c.H = 11, c.W = 13;
  c.bias = true, c.act = Activation::Relu;
  runRaggedCases(c, 61);
}

TEST(HalideWinogradConv, UnpaddedBatch2S2) {
  WinogradCase c;
  c.tile = 2, c.stride = 2;
  c.N = 2, c.C = 16, c.M = 24, c.H = 15, c.W = 15;
  c.pt = c.pl = c.pb = c.pr = 0;
  runWinogradCase(c, 63);
}

// The stride-2 F(2x2) on AVX2 (16 registers) and on AVX-512 (the AMD Zen 4
// rule: winogradTileFor with halfRateVectors), blocked in and out, ragged
// channel blocks.
TEST(HalideWinogradConv, ResNet28x28BlockedS2X86) {
  WinogradCase c;
  c.tile = 2, c.stride = 2;
  c.C = 32, c.M = 48, c.H = 56, c.W = 56;
  c.bias = true, c.act = Activation::Relu;
  c.blockInput = c.blockOutput = true;
  runOnX86VectorTargets(c, 64);
}

TEST(HalideWinogradConv, ResNet14x14BlockedResidualS2Avx2) {
  if (!hostRunsAvx2())
    GTEST_SKIP() << "the host cannot run AVX2 code";
  WinogradCase c;
  c.tile = 2, c.stride = 2;
  c.C = 48, c.M = 80, c.H = 28, c.W = 28;
  c.bias = c.residual = true, c.act = Activation::Relu;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  c.target = kAvx2Target;
  runWinogradCase(c, 65);
}

TEST(WinogradRule, StrideTwoOnHalfRateVectors) {
  // (C, M, OH, OW, kernel, vectorRegisters, stride, halfRateVectors).
  // ResNet-50's 128 -> 128 to 28x28: direct on full-rate AVX-512, the
  // stride-2 F(2x2) on 16 registers and on AVX-512 at half rate.
  EXPECT_EQ(winogradTileFor(128, 128, 28, 28, 3, 32, 2, false), 0);
  EXPECT_EQ(winogradTileFor(128, 128, 28, 28, 3, 16, 2, false), 2);
  EXPECT_EQ(winogradTileFor(128, 128, 28, 28, 3, 32, 2, true), 2);
  // Smaller outputs stay direct; stride 1 is unchanged (F(4x4) at 28x28).
  EXPECT_EQ(winogradTileFor(256, 256, 14, 14, 3, 32, 2, true), 0);
  EXPECT_EQ(winogradTileFor(128, 128, 28, 28, 3, 32, 1, true), 4);
}

TEST(WinogradRule, ChannelChunksOnHalfRateVectors) {
  CpuScheduleParams zen4 = cpuScheduleParams(Halide::Target(kZen4Avx512Target));
  ASSERT_TRUE(zen4.halfRateVectors);
  // One block of all rows: 64 channels, else the largest of 32 and 16 that
  // divides them; 16 when none does (a ragged last chunk).
  EXPECT_EQ(winogradChannelChunk(256, false, zen4), 64);
  EXPECT_EQ(winogradChannelChunk(96, false, zen4), 32);
  EXPECT_EQ(winogradChannelChunk(112, false, zen4), 16);
  EXPECT_EQ(winogradChannelChunk(200, false, zen4), 16);
  // Row blocks, full-rate AVX-512 and AVX2 keep their chunks.
  EXPECT_EQ(winogradChannelChunk(256, true, zen4), 8);
  CpuScheduleParams xeon = cpuScheduleParams(Halide::Target(kAvx512Target));
  EXPECT_FALSE(xeon.halfRateVectors);
  EXPECT_EQ(winogradChannelChunk(256, false, xeon), 8);
  CpuScheduleParams avx2 = cpuScheduleParams(Halide::Target(kAvx2Target));
  EXPECT_FALSE(avx2.halfRateVectors);
  EXPECT_EQ(winogradChannelChunk(256, false, avx2), 16);
}

// The Zen 4 chunks in one block of all rows: 128 channels in two chunks of
// 64 (channel-blocked, with a residual), GoogLeNet's 96 in three of 32
// into 208 ragged output channels, and 40 in a ragged 16 + 16 + 8.
TEST(HalideWinogradConv, Zen4ChannelChunksF3) {
  if (!hostRunsAvx512())
    GTEST_SKIP() << "the host does not run AVX-512 code";
  WinogradCase c;
  c.tile = 3, c.H = 14, c.W = 14;
  c.target = kZen4Avx512Target;
  c.C = 128, c.M = 64;
  c.bias = c.residual = true, c.act = Activation::Relu;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  runWinogradCase(c, 70);
  c.residual = c.blockInput = c.blockResidual = c.blockOutput = false;
  c.C = 96, c.M = 208;
  runWinogradCase(c, 71);
  c.C = 40, c.M = 48;
  runWinogradCase(c, 72);
}

// GoogLeNet's 96 -> 208 at 14x14 scheduled for AVX2 (8 lanes, 16
// registers): the channel groups (3 blocks) do not divide the 13 blocks, so
// the last group's products run past the weights' last block; they must
// read clamped (this read out of bounds on an AVX2 host before).
TEST(HalideWinogradConv, GoogLeNet14x14RaggedGroupsAvx2F4) {
  if (!hostRunsAvx2())
    GTEST_SKIP() << "the host cannot run AVX2 code";
  WinogradCase c;
  c.C = 96, c.M = 208, c.H = 14, c.W = 14;
  c.bias = true, c.act = Activation::Relu;
  c.target = kAvx2Target;
  runWinogradCase(c, 12);
}

// ResNet-50's last stage scheduled for AVX2, where the rule picks F(2x2,
// 3x3) on 7x7 images (winogradTileFor, 16 registers): 4 x 4 tiles over a
// 7x7 output (the last tile row and column half outside), blocked input,
// residual and output, 48 -> 80 channels (5 blocks, a ragged last group).
TEST(HalideWinogradConv, ResNet7x7BlockedResidualAvx2F2) {
  if (!hostRunsAvx2())
    GTEST_SKIP() << "the host cannot run AVX2 code";
  WinogradCase c;
  c.C = 48, c.M = 80, c.H = 7, c.W = 7;
  c.tile = 2;
  c.bias = c.residual = true, c.act = Activation::Relu;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  c.target = kAvx2Target;
  runWinogradCase(c, 13);
}

// One block of all rows on AVX2 sweeps the input channels in chunks of 16
// outside the tile groups (WinogradConvSchedule.cpp): 40 channels leave a
// ragged last chunk.
TEST(HalideWinogradConv, RaggedChannelChunksAvx2F4) {
  if (!hostRunsAvx2())
    GTEST_SKIP() << "the host cannot run AVX2 code";
  WinogradCase c;
  c.C = 40, c.M = 32, c.H = 14, c.W = 14;
  c.bias = c.residual = true, c.act = Activation::Relu;
  c.blockOutput = true;
  c.target = kAvx2Target;
  runWinogradCase(c, 37);
}

// Row blocks whose transformed weights are >= 4x the L2 (36 x 128 x 144
// floats, 2.7 MB, against AVX2's 512 KiB) sweep the channels in chunks of
// 16 too, each prefetching the weights 4 chunks ahead past the block's end
// (WinogradConvSchedule.cpp): 28x28 in 7 row-block tasks, 144 -> 128
// channels, blocked input, residual and output.
TEST(HalideWinogradConv, RowBlocksChunkLargeWeightsAvx2F4) {
  if (!hostRunsAvx2())
    GTEST_SKIP() << "the host cannot run AVX2 code";
  WinogradCase c;
  c.C = 144, c.M = 128, c.H = 28, c.W = 28;
  c.bias = c.residual = true, c.act = Activation::Relu;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  c.target = kAvx2Target;
  runWinogradCase(c, 38);
}

// GoogLeNet's 16 -> 32 5x5 at 28x28, which takes F(2x2, 5x5) on AVX2 (not
// on AVX-512: fewer than 48 output channels).
TEST(HalideWinogradConv, GoogLeNet28x28x5x5FewChannelsAvx2) {
  if (!hostRunsAvx2())
    GTEST_SKIP() << "the host cannot run AVX2 code";
  WinogradCase c;
  c.kernel = 5, c.tile = 2;
  c.C = 16, c.M = 32, c.H = 28, c.W = 28;
  c.pt = c.pl = c.pb = c.pr = 2;
  c.bias = true, c.act = Activation::Relu;
  c.blockInput = c.blockOutput = true;
  c.target = kAvx2Target;
  runWinogradCase(c, 36);
}

// F(2x2, 5x5): odd sizes with the full pad of 2, asymmetric pads with a
// residual and ReLU6, batch 2 unpadded, and GoogLeNet's inception 5x5
// branches (32 -> 96 at 28x28: row-block tasks; 32 -> 128 at 14x14 and
// 48 -> 128 at 7x7: one block, channel groups).
TEST(HalideWinogradConv, OddSizes5x5) {
  WinogradCase c;
  c.kernel = 5, c.tile = 2;
  c.C = 5, c.M = 7, c.H = 9, c.W = 11;
  c.pt = c.pl = c.pb = c.pr = 2;
  c.bias = true, c.act = Activation::Relu;
  runWinogradCase(c, 30);
}

TEST(HalideWinogradConv, AsymmetricPadsResidualClip5x5) {
  WinogradCase c;
  c.kernel = 5, c.tile = 2;
  c.C = 16, c.M = 20, c.H = 10, c.W = 13;
  c.pt = 2, c.pl = 1, c.pb = 0, c.pr = 2;
  c.bias = c.residual = true;
  c.act = Activation::Clip, c.clipMin = 0, c.clipMax = 6;
  runWinogradCase(c, 31);
}

TEST(HalideWinogradConv, Batch2Unpadded5x5) {
  WinogradCase c;
  c.kernel = 5, c.tile = 2;
  c.N = 2, c.C = 3, c.M = 17, c.H = 8, c.W = 7;
  c.pt = c.pl = c.pb = c.pr = 0;
  runWinogradCase(c, 32);
}

TEST(HalideWinogradConv, GoogLeNet28x28x5x5) {
  WinogradCase c;
  c.kernel = 5, c.tile = 2;
  c.C = 32, c.M = 96, c.H = 28, c.W = 28;
  c.pt = c.pl = c.pb = c.pr = 2;
  c.bias = true, c.act = Activation::Relu;
  runWinogradCase(c, 33);
}

TEST(HalideWinogradConv, GoogLeNet14x14x5x5) {
  WinogradCase c;
  c.kernel = 5, c.tile = 2;
  c.C = 32, c.M = 128, c.H = 14, c.W = 14;
  c.pt = c.pl = c.pb = c.pr = 2;
  c.bias = true, c.act = Activation::Relu;
  runWinogradCase(c, 34);
}

TEST(HalideWinogradConv, GoogLeNet7x7x5x5) {
  WinogradCase c;
  c.kernel = 5, c.tile = 2;
  c.C = 48, c.M = 128, c.H = 7, c.W = 7;
  c.pt = c.pl = c.pb = c.pr = 2;
  c.bias = true, c.act = Activation::Relu;
  runWinogradCase(c, 35);
}

TEST(HalideWinogradConv, RejectsWrongWeightShape) {
  KernelSpec spec;
  spec.kind = KernelKind::Conv2D;
  spec.name = "wino_bad";
  spec.kernel = {3, 3};
  spec.pads = {1, 1, 1, 1};
  spec.weightBlock = kWinogradBlock;
  spec.winogradTile = 4;
  spec.inputShapes = {{1, 8, 8, 8}, {16, 1, 8, 16}};
  spec.outputShape = {1, 8, 8, 8};
  expectSpecError(spec, "must be [36,1,8,16]");
  spec.inputShapes[1] = winogradWeightShape(8, 8, 4, 3);
  spec.strides = {3, 3};
  spec.outputShape = {1, 8, 3, 3};
  expectSpecError(spec, "stride 1");
  // At stride 2 only F(2x2, 3x3), with 5 x 5 positions.
  spec.strides = {2, 2};
  spec.outputShape = {1, 8, 4, 4};
  expectSpecError(spec, "no transform for 3x3 windows at stride 2");
  spec.winogradTile = 2;
  spec.inputShapes[1] = winogradWeightShape(8, 8, 2, 3);
  expectSpecError(spec, "must be [25,1,8,16]");
  // 5x5 windows have only F(2x2, 5x5).
  spec.winogradTile = 4;
  spec.strides = {1, 1};
  spec.kernel = {5, 5};
  spec.pads = {2, 2, 2, 2};
  spec.outputShape = {1, 8, 8, 8};
  spec.inputShapes[1] = {64, 1, 8, 16};
  expectSpecError(spec, "no transform for 5x5");
  spec.winogradTile = 2;
  spec.inputShapes[1] = {16, 1, 8, 16};
  expectSpecError(spec, "must be [36,1,8,16]");
}


TEST(HalideWinogradConv, ChannelBlockedOutputAndResidual) {
  // The output in 16-channel blocks, as the output transform computes it:
  // with a blocked residual (row-block tasks, 30x30, 3 blocks), then an
  // NCHW residual on a small image (channel-group tasks), both F(4x4, 3x3);
  // then F(2x2, 5x5).
  WinogradCase c;
  c.C = 16;
  c.M = 48;
  c.H = c.W = 30;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.blockResidual = c.blockOutput = true;
  runWinogradCase(c, 201);
  WinogradCase d = c;
  d.H = d.W = 9;
  d.blockResidual = false;
  runWinogradCase(d, 202);
  WinogradCase e = c;
  e.kernel = 5;
  e.tile = 2;
  e.pt = e.pl = e.pb = e.pr = 2;
  runWinogradCase(e, 203);
  // A blocked residual with an NCHW output is added in the output
  // transform, clamped to the image (30x30: the last tiles overhang).
  WinogradCase g = c;
  g.blockOutput = false;
  runWinogradCase(g, 204);
}

TEST(HalideWinogradConv, ChannelBlockedInput) {
  // A blocked input: the padded copy and the input transform run on
  // 16-channel vectors. Row-block tasks (30x30) with everything blocked,
  // a small image (channel-group tasks, NCHW output) in batch 2, and
  // F(2x2, 5x5) with 48 input channels.
  WinogradCase c;
  c.C = 32;
  c.M = 32;
  c.H = c.W = 30;
  c.bias = c.residual = true;
  c.act = Activation::Relu;
  c.blockInput = c.blockResidual = c.blockOutput = true;
  runWinogradCase(c, 205);
  WinogradCase d = c;
  d.N = 2;
  d.H = 9;
  d.W = 11;
  d.blockOutput = d.blockResidual = false;
  runWinogradCase(d, 206);
  WinogradCase e = c;
  e.C = 48;
  e.kernel = 5;
  e.tile = 2;
  e.pt = e.pl = e.pb = e.pr = 2;
  runWinogradCase(e, 207);
}

TEST(HalideWinogradConv, ChannelBlockedWeightsRejected) {
  KernelSpec spec;
  spec.kind = KernelKind::Conv2D;
  spec.name = "wino_blocked_weights";
  spec.kernel = {3, 3};
  spec.pads = {1, 1, 1, 1};
  spec.weightBlock = kWinogradBlock;
  spec.winogradTile = 4;
  spec.inputShapes = {{1, 16, 8, 8}, winogradWeightShape(16, 16, 4, 3)};
  spec.outputShape = {1, 16, 8, 8};
  spec.blockedInputs = 2;
  expectSpecError(spec, "cannot be channel-blocked");
}

} // namespace
} // namespace kiln::test
