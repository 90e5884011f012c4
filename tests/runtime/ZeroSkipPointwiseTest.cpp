//===- ZeroSkipPointwiseTest.cpp - The zero-skipping 1x1 extern stage -----===//
//
// kiln_zero_skip_pointwise called directly, as Halide would: its bounds
// query, its sums against a naive 1x1 conv (AVX2 and portable loops), and
// the layouts it refuses (-1, which the kernel reports as a failed extern
// stage). The kernels that call it are tested in tests/halide
// (HalideSeparableConv.ZeroSkip*).
//
//===----------------------------------------------------------------------===//

#include "runtime/kiln_zero_skip_pointwise.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace {

struct Buffer {
  std::vector<float> data;
  std::vector<halide_dimension_t> dims;
  halide_buffer_t buf{};

  /// Dense, innermost first; `host` false makes a bounds-query buffer.
  Buffer(std::vector<int32_t> extents, bool host = true) {
    int32_t stride = 1;
    for (int32_t e : extents) {
      dims.push_back(halide_dimension_t{0, e, stride, 0});
      stride *= e;
    }
    data.assign(host ? stride : 0, 0.0f);
    buf.host = host ? (uint8_t *)data.data() : nullptr;
    buf.type = halide_type_t(halide_type_float, 32);
    buf.dimensions = (int32_t)dims.size();
    buf.dim = dims.data();
  }
};

constexpr int C = 32, M = 32, W = 3, H = 2, B = 16;

// mid: [16, W, H, C/16, 1] stored pixel-major (block stride 16).
Buffer pixelMajorMid() {
  Buffer mid({B, W, H, C / B, 1});
  mid.dims[0].stride = 1;
  mid.dims[3].stride = B;
  mid.dims[1].stride = C;
  mid.dims[2].stride = C * W;
  mid.dims[4].stride = C * W * H;
  return mid;
}

float &midAt(Buffer &mid, int k, int x, int y) {
  return mid.data[k + x * C + y * C * W];
}

struct Case {
  Buffer mid = pixelMajorMid();
  Buffer w{{B, 1, 1, C, M / B}};
  Buffer bias{{M}};
  Buffer res{{B, W, H, M / B, 1}};
  Buffer out{{B, W, H, M / B, 1}};

  Case() {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x)
        for (int k = 0; k < C; ++k) {
          float v = u(rng);
          midAt(mid, k, x, y) = v < 0.0f ? 0.0f : v; // a ReLU's zeros
        }
    for (float &v : w.data)
      v = u(rng);
    for (float &v : bias.data)
      v = u(rng);
    for (float &v : res.data)
      v = u(rng);
  }

  /// act(bias + residual + sum_k w[m, k] * mid[k]) at (m, x, y), in double.
  float want(int m, int x, int y, bool residual, int activation) {
    double s = bias.data[m];
    for (int k = 0; k < C; ++k)
      s += (double)w.data[m % B + k * B + (m / B) * C * B] *
           midAt(mid, k, x, y);
    if (residual)
      s += res.data[m % B + x * B + y * B * W + (m / B) * B * W * H];
    if (activation == 1)
      s = std::max(s, 0.0);
    return (float)s;
  }

  void expectOutput(bool residual, int activation) {
    for (int m = 0; m < M; ++m)
      for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
          float want1 = want(m, x, y, residual, activation);
          float got = out.data[m % B + x * B + y * B * W + (m / B) * B * W * H];
          EXPECT_NEAR(got, want1, 1e-4 + 1e-3 * std::fabs(want1))
              << "m " << m << " x " << x << " y " << y;
        }
  }
};

TEST(ZeroSkipPointwise, BoundsQueryAsksForWholeStageAndWeights) {
  Buffer mid({0, 0, 0, 0, 0}, /*host=*/false), w({0, 0, 0, 0, 0}, false),
      bias({0}, false), out({B, W, H, M / B, 1});
  ASSERT_EQ(kiln_zero_skip_pointwise(&mid.buf, &w.buf, &bias.buf, C, W, H, M,
                                     0, 0.0f, 0.0f, &out.buf),
            0);
  std::vector<int32_t> midExtents = {B, W, H, C / B, 1},
                       wExtents = {B, 1, 1, C, M / B};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(mid.dims[i].extent, midExtents[i]) << i;
    EXPECT_EQ(w.dims[i].extent, wExtents[i]) << i;
  }
  EXPECT_EQ(bias.dims[0].extent, M);
}

TEST(ZeroSkipPointwise, MatchesNaiveWithResidualAndRelu) {
  Case c;
  ASSERT_EQ(kiln_zero_skip_pointwise_residual(&c.mid.buf, &c.w.buf,
                                              &c.bias.buf, &c.res.buf, C, W,
                                              H, M, 1, 0.0f, 0.0f, &c.out.buf),
            0);
  c.expectOutput(/*residual=*/true, /*activation=*/1);
}

TEST(ZeroSkipPointwise, PortableLoopsMatchNaive) {
  Case c;
  kiln_zero_skip_pointwise_portable_only = 1;
  int rc = kiln_zero_skip_pointwise(&c.mid.buf, &c.w.buf, &c.bias.buf, C, W,
                                    H, M, 0, 0.0f, 0.0f, &c.out.buf);
  kiln_zero_skip_pointwise_portable_only = 0;
  ASSERT_EQ(rc, 0);
  c.expectOutput(/*residual=*/false, /*activation=*/0);
}

TEST(ZeroSkipPointwise, RefusesOtherLayouts) {
  {
    Case c; // channel blocks not 16 floats apart: not pixel-major
    c.mid.dims[3].stride = B * W * H;
    EXPECT_EQ(kiln_zero_skip_pointwise(&c.mid.buf, &c.w.buf, &c.bias.buf, C,
                                       W, H, M, 0, 0.0f, 0.0f, &c.out.buf),
              -1);
  }
  {
    Case c; // weights for fewer input channels than C
    c.w.dims[3].extent = C - B;
    EXPECT_EQ(kiln_zero_skip_pointwise(&c.mid.buf, &c.w.buf, &c.bias.buf, C,
                                       W, H, M, 0, 0.0f, 0.0f, &c.out.buf),
              -1);
  }
  {
    Case c; // an output region past the image
    c.out.dims[1].min = 1;
    EXPECT_EQ(kiln_zero_skip_pointwise(&c.mid.buf, &c.w.buf, &c.bias.buf, C,
                                       W, H, M, 0, 0.0f, 0.0f, &c.out.buf),
              -1);
  }
  {
    Case c; // a residual that does not cover the output region
    c.res.dims[2].extent = 1;
    EXPECT_EQ(kiln_zero_skip_pointwise_residual(
                  &c.mid.buf, &c.w.buf, &c.bias.buf, &c.res.buf, C, W, H, M,
                  0, 0.0f, 0.0f, &c.out.buf),
              -1);
  }
}

} // namespace
