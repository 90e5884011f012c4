//===- ResizeTest.cpp - Resize kernels against a naive reference ----------===//

#include "tests/halide/TestUtil.h"

#include <cmath>

namespace kiln::test {
namespace {

/// ONNX's coordinate transformation of output index `x` (float, as
/// onnxruntime computes it).
float originalCoordinate(CoordMode mode, int64_t x, int64_t in, int64_t out,
                         float scale) {
  float xf = (float)x;
  switch (mode) {
  case CoordMode::HalfPixel:
    return (xf + 0.5f) / scale - 0.5f;
  case CoordMode::PytorchHalfPixel:
    return out > 1 ? (xf + 0.5f) / scale - 0.5f : 0.0f;
  case CoordMode::AlignCorners:
    return out == 1 ? 0.0f : xf * (float)(in - 1) / (float)(out - 1);
  case CoordMode::Asymmetric:
    return xf / scale;
  case CoordMode::TfHalfPixelForNn:
    return (xf + 0.5f) / scale;
  }
  return 0.0f;
}

int64_t nearest(NearestMode mode, float x, int64_t in) {
  float r = 0;
  switch (mode) {
  case NearestMode::RoundPreferFloor: // ties go down
    r = (x == std::floor(x) + 0.5f) ? std::floor(x) : std::round(x);
    break;
  case NearestMode::RoundPreferCeil: // ties go up
    r = (x == std::floor(x) + 0.5f) ? std::ceil(x) : std::round(x);
    break;
  case NearestMode::Floor:
    r = std::floor(x);
    break;
  case NearestMode::Ceil:
    r = std::ceil(x);
    break;
  }
  return std::min<int64_t>(std::max<int64_t>((int64_t)r, 0), in - 1);
}

/// Cubic taps as the ONNX reference (onnx/reference/ops/op_resize.py)
/// picks them: the 4 indices nearest to `c` in the edge-padded dim (ties to
/// the lower index), a ratio of 0 counted as 1, Keys' coefficients, and
/// with exclude_outside the outside taps zeroed and the rest renormalized.
std::vector<std::pair<int64_t, double>> cubicTaps(double c, int64_t in,
                                                  double a, bool exclude) {
  int64_t base = (int64_t)std::floor(c);
  double ratio = c - base;
  if (ratio == 0)
    ratio = 1;
  auto far = [&](double d) { return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a; };
  auto near = [&](double d) { return ((a + 2) * d - (a + 3)) * d * d + 1; };
  double w[4] = {far(ratio + 1), near(ratio), near(1 - ratio),
                 far(2 - ratio)};
  // The 4 nearest integers to c, ascending: with ratio 1 (c integral) the
  // reference's choice is c - 2 .. c + 1.
  int64_t first = c == (double)base ? base - 2 : base - 1;
  std::vector<std::pair<int64_t, double>> taps;
  double sum = 0;
  for (int k = 0; k < 4; ++k) {
    int64_t i = first + k;
    double wk = (exclude && (i < 0 || i >= in)) ? 0.0 : w[k];
    sum += wk;
    taps.push_back({std::min<int64_t>(std::max<int64_t>(i, 0), in - 1), wk});
  }
  if (exclude)
    for (auto &t : taps)
      t.second /= sum;
  return taps;
}

/// Per output element: per dim the nearest index, the two linear taps
/// (clamped coordinate) or the four cubic taps with their weights, summed
/// over all dims' tap combinations.
Tensor referenceResize(const Tensor &x, const KernelSpec &spec) {
  const auto &in = x.shape, &out = spec.outputShape;
  size_t rank = in.size();
  Tensor y(out);
  for (size_t i = 0; i < y.numel(); ++i) {
    std::vector<int64_t> idx = unravel(i, out);
    std::vector<std::vector<std::pair<int64_t, double>>> taps(rank);
    for (size_t d = 0; d < rank; ++d) {
      float c = originalCoordinate(spec.coordMode, idx[d], in[d], out[d],
                                   spec.resizeScales[d]);
      if (spec.resizeMode == ResizeMode::Nearest) {
        taps[d] = {{nearest(spec.nearestMode, c, in[d]), 1.0}};
        continue;
      }
      if (spec.resizeMode == ResizeMode::Cubic) {
        taps[d] = cubicTaps(c, in[d], spec.cubicCoeffA, spec.excludeOutside);
        continue;
      }
      double cc = std::min<double>(std::max<double>(c, 0.0), in[d] - 1);
      int64_t i0 = (int64_t)std::floor(cc);
      int64_t i1 = std::min<int64_t>(i0 + 1, in[d] - 1);
      taps[d] = {{i0, 1.0 - (cc - i0)}, {i1, cc - i0}};
    }
    double sum = 0;
    std::vector<size_t> pick(rank, 0);
    while (true) {
      std::vector<int64_t> at(rank);
      double w = 1;
      for (size_t d = 0; d < rank; ++d) {
        at[d] = taps[d][pick[d]].first;
        w *= taps[d][pick[d]].second;
      }
      sum += w * x.at(at);
      size_t d = 0;
      while (d < rank && ++pick[d] == taps[d].size())
        pick[d++] = 0;
      if (d == rank)
        break;
    }
    y.data[i] = (float)sum;
  }
  return y;
}

struct ResizeCase {
  std::vector<int64_t> in, out;
  std::vector<float> scales; // empty: out / in
  ResizeMode mode = ResizeMode::Nearest;
  CoordMode coord = CoordMode::HalfPixel;
  NearestMode nearestMode = NearestMode::RoundPreferFloor;
  float cubicA = -0.75f;
  bool excludeOutside = false;
};

void runResize(const ResizeCase &c, unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::Resize;
  spec.name = "resize_test";
  spec.inputShapes = {c.in};
  spec.outputShape = c.out;
  spec.resizeMode = c.mode;
  spec.coordMode = c.coord;
  spec.nearestMode = c.nearestMode;
  spec.resizeScales = c.scales;
  spec.cubicCoeffA = c.cubicA;
  spec.excludeOutside = c.excludeOutside;
  if (spec.resizeScales.empty())
    for (size_t d = 0; d < c.in.size(); ++d)
      spec.resizeScales.push_back((float)c.out[d] / (float)c.in[d]);
  std::mt19937 rng(seed);
  Tensor x = randomTensor(c.in, rng, -2.0f, 2.0f);
  expectClose(runJit(spec, {x}), referenceResize(x, spec));
}

TEST(HalideResize, NearestTimesTwoAsymmetricFloor) {
  // PyTorch's F.interpolate(scale_factor=2) (FPN, YOLO necks).
  runResize({{1, 5, 6, 7}, {1, 5, 12, 14}, {1, 1, 2, 2}, ResizeMode::Nearest,
             CoordMode::Asymmetric, NearestMode::Floor},
            1);
}

TEST(HalideResize, NearestTiesEachRounding) {
  // 2 -> 7 rows under half_pixel puts row 3 exactly at 0.5 (a tie), and
  // asymmetric x2 every odd column: each rounding mode decides them.
  for (NearestMode m : {NearestMode::RoundPreferFloor,
                        NearestMode::RoundPreferCeil, NearestMode::Floor,
                        NearestMode::Ceil}) {
    SCOPED_TRACE(nearestModeName(m));
    runResize({{1, 2, 2, 3}, {1, 2, 7, 6}, {}, ResizeMode::Nearest,
               CoordMode::HalfPixel, m},
              2);
    runResize({{2, 3, 5}, {2, 3, 10}, {}, ResizeMode::Nearest,
               CoordMode::Asymmetric, m},
              3);
  }
}

TEST(HalideResize, NearestDownsampleTfHalfPixel) {
  runResize({{1, 3, 9, 10}, {1, 3, 4, 3}, {}, ResizeMode::Nearest,
             CoordMode::TfHalfPixelForNn, NearestMode::RoundPreferFloor},
            4);
}

TEST(HalideResize, LinearEveryCoordinateMode) {
  for (CoordMode m : {CoordMode::HalfPixel, CoordMode::PytorchHalfPixel,
                      CoordMode::AlignCorners, CoordMode::Asymmetric}) {
    SCOPED_TRACE(coordModeName(m));
    // Up (5 -> 8 rows, a non-integer ratio) and down (9 -> 4 columns).
    runResize({{2, 3, 5, 9}, {2, 3, 8, 4}, {}, ResizeMode::Linear, m}, 5);
  }
}

TEST(HalideResize, LinearGivenScalesAndOneCellOutput) {
  // Scales as given (0.6 gives 2.4 -> 2 columns, mapped by 0.6), and a dim
  // resized to one cell (pytorch_half_pixel maps it to 0).
  runResize({{1, 1, 2, 4}, {1, 1, 1, 2}, {1, 1, 0.6f, 0.6f},
             ResizeMode::Linear, CoordMode::PytorchHalfPixel},
            6);
  runResize({{1, 1, 2, 4}, {1, 1, 1, 2}, {1, 1, 0.6f, 0.6f},
             ResizeMode::Linear, CoordMode::HalfPixel},
            7);
}

TEST(HalideResize, CubicEveryCoordinateMode) {
  for (CoordMode m : {CoordMode::HalfPixel, CoordMode::PytorchHalfPixel,
                      CoordMode::AlignCorners, CoordMode::Asymmetric}) {
    SCOPED_TRACE(coordModeName(m));
    // Up 5 -> 11 rows, down 9 -> 4 columns (taps past both edges).
    runResize({{2, 3, 5, 9}, {2, 3, 11, 4}, {}, ResizeMode::Cubic, m}, 9);
  }
}

TEST(HalideResize, CubicExcludeOutsideAndCoefficient) {
  // PyTorch's bicubic is A = -0.75; OpenCV's -0.5; exclude_outside
  // renormalizes the weights at the borders.
  ResizeCase c{{1, 2, 4, 6}, {1, 2, 9, 3}, {}, ResizeMode::Cubic,
               CoordMode::HalfPixel};
  c.cubicA = -0.5f;
  c.excludeOutside = true;
  runResize(c, 10);
  c.excludeOutside = false;
  runResize(c, 11);
  // One moved dim, given scales (2.5 -> 12 rows from 5).
  runResize({{3, 5, 2}, {3, 12, 2}, {1, 2.5f, 1}, ResizeMode::Cubic,
             CoordMode::Asymmetric},
            12);
}

TEST(HalideResize, CubicRefusesThreeDims) {
  KernelSpec spec;
  spec.kind = KernelKind::Resize;
  spec.name = "resize_bad";
  spec.resizeMode = ResizeMode::Cubic;
  spec.inputShapes = {{2, 2, 2}};
  spec.outputShape = {3, 3, 3};
  spec.resizeScales = {1.5f, 1.5f, 1.5f};
  expectSpecError(spec, "cubic resize of 3 dims; at most 2");
}

TEST(HalideResize, LinearThreeDimsAndTooMany) {
  runResize({{2, 4, 3, 5}, {2, 7, 6, 5}, {}, ResizeMode::Linear,
             CoordMode::HalfPixel},
            8);
  KernelSpec spec;
  spec.kind = KernelKind::Resize;
  spec.name = "resize_bad";
  spec.resizeMode = ResizeMode::Linear;
  spec.inputShapes = {{2, 2, 2, 2}};
  spec.outputShape = {3, 3, 3, 3};
  spec.resizeScales = {1.5f, 1.5f, 1.5f, 1.5f};
  expectSpecError(spec, "linear resize of 4 dims; at most 3");
  spec.resizeScales = {1.5f, 1.5f};
  expectSpecError(spec, "2 scales must match the input's rank 4");
}

} // namespace
} // namespace kiln::test
