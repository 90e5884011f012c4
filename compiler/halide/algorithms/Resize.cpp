//===- Resize.cpp - ONNX Resize: nearest, (multi)linear and cubic ---------===//
//
// Each dim maps an output index to an input coordinate on its own
// (KernelSpec::coordMode with that dim's scale, in float as onnxruntime
// does); nearest rounds it by nearestMode, linear reads the two input
// cells around it (clamped to the edge) weighted by the distance, cubic
// the four around it weighted by the cubic convolution kernel (Keys, with
// coefficient A; taps past the edge read the edge cell, or with
// excludeOutside weigh 0 and the rest are renormalized: the ONNX
// reference). Dims whose mapping is the identity are read directly, so a
// spatial resize of NCHW interpolates over 2 dims (4 or 16 taps), not 4.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

#include <cmath>

namespace kiln {

using namespace Halide;

namespace {

/// inputCoordinate's formula (ONNX's coordinate_transformation_mode).
Expr coordinateFormula(CoordMode mode, Expr v, int64_t in, int64_t out,
                       float scale) {
  Expr x = cast<float>(v);
  switch (mode) {
  case CoordMode::HalfPixel:
    return (x + 0.5f) / scale - 0.5f;
  case CoordMode::PytorchHalfPixel:
    return out > 1 ? (x + 0.5f) / scale - 0.5f : Expr(0.0f);
  case CoordMode::AlignCorners:
    return out == 1 ? Expr(0.0f) : x * (float)(in - 1) / (float)(out - 1);
  case CoordMode::Asymmetric:
    return x / scale;
  case CoordMode::TfHalfPixelForNn:
    return (x + 0.5f) / scale;
  }
  specFail("unknown coordinate transformation mode");
}

/// The input coordinate of output index `v` along a dim of `in` -> `out`
/// cells at `scale`, in IEEE float like onnxruntime (strict_float keeps
/// the division a division: as a multiply by 1 / scale, (3 + 0.5) / 3.5
/// came out just above 1 and moved a nearest pick across a tie).
Expr inputCoordinate(CoordMode mode, Expr v, int64_t in, int64_t out,
                     float scale) {
  return strict_float(coordinateFormula(mode, v, in, out, scale));
}

/// The nearest input index of coordinate `x`, inside 0..in-1.
Expr nearestIndex(NearestMode mode, Expr x, int64_t in) {
  Expr i;
  switch (mode) {
  case NearestMode::RoundPreferFloor: // x.5 -> x
    i = ceil(x - 0.5f);
    break;
  case NearestMode::RoundPreferCeil: // x.5 -> x + 1
    i = floor(x + 0.5f);
    break;
  case NearestMode::Floor:
    i = floor(x);
    break;
  case NearestMode::Ceil:
    i = ceil(x);
    break;
  }
  return clamp(cast<int>(i), 0, (int)in - 1);
}

/// The four taps of cubic interpolation at coordinate `x` along a dim of
/// `in` cells: indices floor(x) - 1 .. floor(x) + 2 (clamped to the edge)
/// and their weights.
struct CubicTaps {
  Expr index[4], weight[4];
};

CubicTaps cubicTaps(Expr x, int64_t in, float a, bool excludeOutside) {
  Expr fx = floor(x);
  Expr i0 = cast<int>(fx);
  Expr t = x - fx;
  // Keys' kernel: |d| <= 1: (A + 2)|d|^3 - (A + 3)|d|^2 + 1; 1 < |d| < 2:
  // A|d|^3 - 5A|d|^2 + 8A|d| - 4A; the taps sit at d = t + 1, t, 1 - t,
  // 2 - t.
  auto near = [&](Expr d) { return ((a + 2.0f) * d - (a + 3.0f)) * d * d + 1.0f; };
  auto far = [&](Expr d) { return ((a * d - 5.0f * a) * d + 8.0f * a) * d - 4.0f * a; };
  Expr w[4] = {far(t + 1.0f), near(t), near(1.0f - t), far(2.0f - t)};
  CubicTaps taps;
  Expr sum = 0.0f;
  for (int k = 0; k < 4; ++k) {
    Expr i = i0 - 1 + k;
    taps.index[k] = clamp(i, 0, (int)in - 1);
    if (excludeOutside)
      w[k] = select(i >= 0 && i < (int)in, w[k], 0.0f);
    sum = sum + w[k];
  }
  for (int k = 0; k < 4; ++k)
    taps.weight[k] = excludeOutside ? w[k] / sum : w[k];
  return taps;
}

} // namespace

KernelFuncs buildResize(const KernelSpec &spec,
                        const std::vector<ImageParam> &in) {
  const auto &xs = spec.inputShapes[0];
  const auto &ys = spec.outputShape;
  size_t rank = xs.size();
  if (ys.size() != rank || spec.resizeScales.size() != rank)
    specFail("output " + shapeText(ys) + " and " +
             std::to_string(spec.resizeScales.size()) +
             " scales must match the input's rank " + std::to_string(rank));
  for (size_t d = 0; d < rank; ++d)
    if (!(spec.resizeScales[d] > 0.0f) || ys[d] < 1)
      specFail("scales and output dims must be positive");
  KernelFuncs f = makeOutputFuncs(spec);

  // Per Halide dim h (ONNX dim rank - 1 - h): the nearest index, or the
  // two linear taps and the weight of the second; identity dims read v.
  std::vector<Expr> lo(rank), hi(rank), weight(rank);
  std::vector<CubicTaps> cubic(rank);
  std::vector<size_t> moved;
  for (size_t h = 0; h < rank; ++h) {
    size_t d = rank - 1 - h;
    float scale = spec.resizeScales[d];
    bool identity = xs[d] == ys[d] &&
                    (scale == 1.0f || spec.coordMode == CoordMode::AlignCorners) &&
                    spec.coordMode != CoordMode::TfHalfPixelForNn;
    Var v = f.vars[h];
    if (identity) {
      lo[h] = v;
      continue;
    }
    Expr x = inputCoordinate(spec.coordMode, v, xs[d], ys[d], scale);
    if (spec.resizeMode == ResizeMode::Nearest) {
      lo[h] = nearestIndex(spec.nearestMode, x, xs[d]);
      continue;
    }
    if (spec.resizeMode == ResizeMode::Cubic) {
      if (!std::isfinite(spec.cubicCoeffA))
        specFail("cubic_coeff_a must be finite");
      cubic[h] = cubicTaps(x, xs[d], spec.cubicCoeffA, spec.excludeOutside);
      moved.push_back(h);
      continue;
    }
    Expr xc = clamp(x, 0.0f, (float)(xs[d] - 1));
    Expr i0 = cast<int>(floor(xc));
    lo[h] = i0;
    hi[h] = min(i0 + 1, (int)xs[d] - 1);
    weight[h] = xc - cast<float>(i0);
    moved.push_back(h);
  }
  if (spec.resizeMode == ResizeMode::Nearest) {
    f.output(f.vars) = applyActivation(spec, in[0](lo));
    return f;
  }
  if (spec.resizeMode == ResizeMode::Cubic) {
    if (moved.size() > 2)
      specFail("cubic resize of " + std::to_string(moved.size()) +
               " dims; at most 2 are supported");
    // Sum over the 4^k taps of the moved dims.
    Expr sum = 0.0f;
    for (unsigned tap = 0; tap < (1u << (2 * moved.size())); ++tap) {
      std::vector<Expr> args = lo;
      Expr w = 1.0f;
      for (size_t k = 0; k < moved.size(); ++k) {
        size_t h = moved[k];
        unsigned which = (tap >> (2 * k)) & 3u;
        args[h] = cubic[h].index[which];
        w = w * cubic[h].weight[which];
      }
      sum = sum + w * in[0](args);
    }
    f.output(f.vars) = applyActivation(spec, sum);
    return f;
  }
  if (moved.size() > 3)
    specFail("linear resize of " + std::to_string(moved.size()) +
             " dims; at most 3 are supported");
  // Sum over the 2^k corners of the moved dims.
  Expr sum = 0.0f;
  for (unsigned corner = 0; corner < (1u << moved.size()); ++corner) {
    std::vector<Expr> args = lo;
    Expr w = 1.0f;
    for (size_t k = 0; k < moved.size(); ++k) {
      size_t h = moved[k];
      bool upper = (corner >> k) & 1u;
      args[h] = upper ? hi[h] : lo[h];
      w = w * (upper ? weight[h] : 1.0f - weight[h]);
    }
    sum = sum + w * in[0](args);
  }
  f.output(f.vars) = applyActivation(spec, sum);
  return f;
}

} // namespace kiln
