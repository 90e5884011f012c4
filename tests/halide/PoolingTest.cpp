//===- PoolingTest.cpp - Max/avg/global pooling against naive loops -------===//

#include "tests/halide/TestUtil.h"

#include <limits>

namespace kiln::test {
namespace {

struct PoolCase {
  int64_t N = 1, C = 3, H = 8, W = 8, KH = 3, KW = 3, sh = 2, sw = 2;
  int64_t pt = 0, pl = 0, pb = 0, pr = 0;
  bool ceilMode = false;
  bool countIncludePad = false;
};

int64_t poolOut(int64_t in, int64_t k, int64_t s, int64_t p0, int64_t p1,
                bool ceilMode) {
  int64_t span = in + p0 + p1 - k;
  int64_t out = (ceilMode ? (span + s - 1) / s : span / s) + 1;
  if (ceilMode && (out - 1) * s >= in + p0)
    --out; // onnxruntime / PyTorch: no window may start in the end padding.
  return out;
}

KernelSpec poolSpec(KernelKind kind, const PoolCase &c) {
  KernelSpec spec;
  spec.kind = kind;
  spec.name = "pool_test";
  spec.kernel = {c.KH, c.KW};
  spec.strides = {c.sh, c.sw};
  spec.pads = {c.pt, c.pl, c.pb, c.pr};
  spec.countIncludePad = c.countIncludePad;
  spec.inputShapes = {{c.N, c.C, c.H, c.W}};
  spec.outputShape = {c.N, c.C,
                      poolOut(c.H, c.KH, c.sh, c.pt, c.pb, c.ceilMode),
                      poolOut(c.W, c.KW, c.sw, c.pl, c.pr, c.ceilMode)};
  return spec;
}

/// onnxruntime semantics: max over the real cells; average divides by the
/// cells inside the input, or with countIncludePad inside the padded input.
Tensor referencePool(bool isMax, const PoolCase &c, const Tensor &x,
                     const KernelSpec &spec) {
  Tensor y(spec.outputShape);
  for (int64_t n = 0; n < c.N; ++n)
    for (int64_t ch = 0; ch < c.C; ++ch)
      for (int64_t oh = 0; oh < y.shape[2]; ++oh)
        for (int64_t ow = 0; ow < y.shape[3]; ++ow) {
          float best = -std::numeric_limits<float>::infinity();
          double sum = 0;
          int64_t count = 0;
          for (int64_t kh = 0; kh < c.KH; ++kh)
            for (int64_t kw = 0; kw < c.KW; ++kw) {
              int64_t ih = oh * c.sh - c.pt + kh, iw = ow * c.sw - c.pl + kw;
              bool inInput = ih >= 0 && ih < c.H && iw >= 0 && iw < c.W;
              bool inPadded = ih >= -c.pt && ih < c.H + c.pb && iw >= -c.pl &&
                              iw < c.W + c.pr;
              if (inInput) {
                best = std::max(best, x.at4(n, ch, ih, iw));
                sum += x.at4(n, ch, ih, iw);
              }
              if (c.countIncludePad ? inPadded : inInput)
                ++count;
            }
          y.at4(n, ch, oh, ow) =
              isMax ? best : (count ? (float)(sum / count) : 0.0f);
        }
  return y;
}

void runPoolSpec(bool isMax, const PoolCase &c, const KernelSpec &spec,
                 unsigned seed) {
  std::mt19937 rng(seed);
  // All-negative input: a max that let zero padding win would show.
  Tensor x =
      randomTensor(spec.inputShapes[0], rng, -2.0f, isMax ? -0.5f : 2.0f);
  expectClose(runJit(spec, {x}), referencePool(isMax, c, x, spec));
}

void runPool(bool isMax, const PoolCase &c, unsigned seed) {
  runPoolSpec(
      isMax, c,
      poolSpec(isMax ? KernelKind::MaxPool2D : KernelKind::AvgPool2D, c), seed);
}

TEST(HalideMaxPool, NoPads) { runPool(true, {}, 21); }

TEST(HalideMaxPool, PadsNeverWin) {
  PoolCase c;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.H = 9;
  c.W = 12;
  runPool(true, c, 22);
}

TEST(HalideMaxPool, AsymmetricPadsStride1) {
  PoolCase c;
  c.sh = c.sw = 1;
  c.KH = 2;
  c.KW = 3;
  c.pt = 1;
  c.pl = 0;
  c.pb = 0;
  c.pr = 2;
  runPool(true, c, 23);
}

TEST(HalideMaxPool, CeilMode) {
  PoolCase c;
  c.H = c.W = 8;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.ceilMode = true; // 5x5 output; the last windows leave the padded input.
  KernelSpec spec = poolSpec(KernelKind::MaxPool2D, c);
  EXPECT_EQ(spec.outputShape[2], 5);
  runPool(true, c, 24);
}

TEST(HalideAvgPool, PadsExcluded) {
  // 7 rows, 9 columns: the last windows reach into the bottom/right pads.
  PoolCase c;
  c.H = 7;
  c.W = 9;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.countIncludePad = false;
  runPool(false, c, 25);
}

TEST(HalideAvgPool, PadsIncluded) {
  PoolCase c;
  c.H = 9;
  c.W = 7;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.countIncludePad = true;
  runPool(false, c, 26);
}

TEST(HalideAvgPool, AsymmetricPadsIncluded) {
  PoolCase c;
  c.sh = c.sw = 1;
  c.pt = 2;
  c.pl = 0;
  c.pb = 0;
  c.pr = 1;
  c.countIncludePad = true;
  runPool(false, c, 27);
}

TEST(HalideAvgPool, CeilModePadsIncluded) {
  PoolCase c;
  c.pt = c.pl = c.pb = c.pr = 1;
  c.ceilMode = true;
  c.countIncludePad = true;
  runPool(false, c, 28);
}

TEST(HalideAvgPool, CeilModePadsExcluded) {
  PoolCase c;
  c.H = 6;
  c.W = 7;
  c.ceilMode = true;
  c.countIncludePad = false;
  runPool(false, c, 29);
}

TEST(HalideAvgPool, CeilModeNoPadsIncluded) {
  // No pads: cells past the input are outside the padded range too, so they
  // never count even with countIncludePad.
  PoolCase c;
  c.H = c.W = 6;
  c.ceilMode = true;
  c.countIncludePad = true;
  KernelSpec spec = poolSpec(KernelKind::AvgPool2D, c);
  EXPECT_EQ(spec.outputShape[2], 3);
  runPool(false, c, 30);
}

TEST(HalideAvgPool, CeilModeKeepsWindowStartingInPadding) {
  // W=10, pads right 2: onnxruntime drops the 6th column window (it starts
  // at 10, in the padding) but ONNX shape inference keeps it; accept both.
  PoolCase c;
  c.H = 9;
  c.W = 10;
  c.pt = 1;
  c.pl = 0;
  c.pb = 1;
  c.pr = 2;
  c.ceilMode = true;
  c.countIncludePad = true;
  KernelSpec spec = poolSpec(KernelKind::AvgPool2D, c);
  EXPECT_EQ(spec.outputShape[3], 5);
  runPoolSpec(false, c, spec, 33);
  spec.outputShape[3] = 6;
  runPoolSpec(false, c, spec, 34);
}

TEST(HalideMaxPool, CeilModeWindowStartingInPaddingIsEmpty) {
  // As above: the 6th column window (kept by ONNX shape inference) holds no
  // input cell, so it is -inf, never a copy of the edge column.
  PoolCase c;
  c.H = 9;
  c.W = 10;
  c.pt = 1;
  c.pb = 1;
  c.pr = 2;
  c.ceilMode = true;
  KernelSpec spec = poolSpec(KernelKind::MaxPool2D, c);
  spec.outputShape[3] = 6;
  runPoolSpec(true, c, spec, 35);
}

TEST(HalideMaxPool, ResNetStemPoolEdgesAndTails) {
  // 3x3 stride 2 pads 1 over 37 x 30 (odd and even extents, rows that are
  // not whole vectors): the edge taps read clamped cells.
  PoolCase c;
  c.C = 4;
  c.H = 37;
  c.W = 30;
  c.pt = c.pl = c.pb = c.pr = 1;
  runPool(true, c, 36);
}

TEST(HalideMaxPool, LargePlaneRowBlocks) {
  // Planes of >= 112x112 run blocks of 4 output rows: 115 x 113 with pads 1
  // (58 output rows: the last block overlaps its neighbour), batch 2; then
  // ceil mode with asymmetric pads (1 before, 2 after) on 112 x 112.
  PoolCase c;
  c.N = 2;
  c.C = 3;
  c.H = 115;
  c.W = 113;
  c.pt = c.pl = c.pb = c.pr = 1;
  runPool(true, c, 38);
  PoolCase d;
  d.C = 2;
  d.H = d.W = 112;
  d.pt = d.pl = 1;
  d.pb = d.pr = 2;
  d.ceilMode = true;
  runPool(true, d, 39);
}

TEST(HalideMaxPool, Stride1SamePadsInceptionBranch) {
  PoolCase c;
  c.N = 2;
  c.C = 5;
  c.H = 14;
  c.W = 19;
  c.sh = c.sw = 1;
  c.pt = c.pl = c.pb = c.pr = 1;
  runPool(true, c, 37);
  // Rows narrower than a vector (14 and 7 wide): one predicated vector
  // per row.
  PoolCase d = c;
  d.H = 13;
  d.W = 14;
  runPool(true, d, 40);
  PoolCase e = c;
  e.N = 1;
  e.H = e.W = 7;
  runPool(true, e, 41);
}

TEST(HalideMaxPool, ChannelBlocked) {
  // Input and output in 16-channel blocks (kernels/ActivationLayout.h):
  // the stem's 3x3 stride 2 pads 1 over odd / even extents, batch 2 and 2
  // blocks; then ceil mode with a window starting in the end padding (-inf)
  // and stride 1 same pads.
  PoolCase c;
  c.N = 2;
  c.C = 32;
  c.H = 13;
  c.W = 10;
  c.pt = c.pl = c.pb = c.pr = 1;
  std::mt19937 rng(42);
  auto run = [&](const PoolCase &pc, KernelSpec spec) {
    spec.blockedInputs = 1;
    spec.blockedOutput = true;
    Tensor x = randomTensor(spec.inputShapes[0], rng, -2.0f, -0.5f);
    expectClose(fromChannelBlocked(runJit(spec, {toChannelBlocked(x)})),
                referencePool(true, pc, x, spec));
  };
  run(c, poolSpec(KernelKind::MaxPool2D, c));
  PoolCase d = c;
  d.N = 1;
  d.H = 9;
  d.pl = 0;
  d.pr = 2;
  d.ceilMode = true;
  KernelSpec ceil = poolSpec(KernelKind::MaxPool2D, d);
  ceil.outputShape[3] = 6;
  run(d, ceil);
  PoolCase e = c;
  e.sh = e.sw = 1;
  run(e, poolSpec(KernelKind::MaxPool2D, e));
  // Input and output go together.
  KernelSpec half = poolSpec(KernelKind::MaxPool2D, c);
  half.blockedInputs = 1;
  expectSpecError(half, "channel-blocked together");
}

TEST(HalideAvgPool, Batch2Wide) {
  PoolCase c;
  c.N = 2;
  c.C = 5;
  c.H = 14;
  c.W = 40;
  c.KH = c.KW = 2;
  runPool(false, c, 31);
}

TEST(HalidePool, RejectsOutputShapeOfNeitherMode) {
  PoolCase c;
  KernelSpec spec = poolSpec(KernelKind::MaxPool2D, c);
  spec.outputShape[3] = 7;
  expectSpecError(spec, "ceil mode");
}

/// The mean of every channel plane, in double.
Tensor referenceGlobalAvgPool(const Tensor &x) {
  Tensor y({x.shape[0], x.shape[1], 1, 1});
  for (int64_t n = 0; n < x.shape[0]; ++n)
    for (int64_t c = 0; c < x.shape[1]; ++c) {
      double s = 0;
      for (int64_t h = 0; h < x.shape[2]; ++h)
        for (int64_t w = 0; w < x.shape[3]; ++w)
          s += x.at4(n, c, h, w);
      y.at4(n, c, 0, 0) = (float)(s / (x.shape[2] * x.shape[3]));
    }
  return y;
}

TEST(HalideGlobalAvgPool, Batch2) {
  KernelSpec spec;
  spec.kind = KernelKind::GlobalAvgPool;
  spec.name = "gap_test";
  spec.inputShapes = {{2, 6, 7, 9}};
  spec.outputShape = {2, 6, 1, 1};
  std::mt19937 rng(32);
  Tensor x = randomTensor(spec.inputShapes[0], rng);
  expectClose(runJit(spec, {x}), referenceGlobalAvgPool(x));
}


TEST(HalideGlobalAvgPool, ChannelBlockedInput) {
  // The input in 16-channel blocks (kernels/ActivationLayout.h), as a
  // channel-vector conv before it writes it; the output stays NCHW.
  KernelSpec spec;
  spec.kind = KernelKind::GlobalAvgPool;
  spec.name = "gap_blocked";
  spec.inputShapes = {{2, 32, 5, 3}};
  spec.outputShape = {2, 32, 1, 1};
  spec.blockedInputs = 1;
  std::mt19937 rng(33);
  Tensor x = randomTensor(spec.inputShapes[0], rng);
  expectClose(runJit(spec, {toChannelBlocked(x)}), referenceGlobalAvgPool(x));
}

} // namespace
} // namespace kiln::test
