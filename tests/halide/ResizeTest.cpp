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

/// Per output element: per dim either the nearest index or the two linear
/// taps (clamped coordinate) with their weights, summed over all dims'
/// tap combinations.
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
