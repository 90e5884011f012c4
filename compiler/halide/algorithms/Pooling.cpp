//===- Pooling.cpp - Max, average and global average pooling --------------===//
//
// Windowed pools follow ONNX (and onnxruntime) semantics:
// - MaxPool: padding never wins; padded cells read -inf.
// - AvgPool: the divisor counts the window cells inside [0, H) x [0, W)
//   (countIncludePad=false) or inside the padded range [-padTop, H+padBottom)
//   x [-padLeft, W+padRight) (countIncludePad=true). Windows that reach past
//   the padded range (ceil mode) therefore never count those cells.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

namespace {

struct PoolGeometry {
  int64_t N, C, H, W, OH, OW;
  Window2D win;
};

PoolGeometry readPoolGeometry(const KernelSpec &spec) {
  if (spec.inputShapes.size() != 1)
    specFail("pooling takes one input");
  const auto &xs = requireRank(spec, 0, 4, "x");
  if (spec.kernel.size() != 2)
    specFail("pooling needs kernel[2]");
  PoolGeometry g{xs[0],
                 xs[1],
                 xs[2],
                 xs[3],
                 0,
                 0,
                 readWindow(spec, spec.kernel[0], spec.kernel[1])};
  // The MLIR side chose floor or ceil mode; accept either. In ceil mode
  // onnxruntime drops a last window that starts inside the end padding while
  // ONNX shape inference keeps it, so accept both counts; such a window holds
  // no input cell (max gives -inf, average gives 0).
  const Window2D &w = g.win;
  auto candidates = [](int64_t in, int64_t k, int64_t s, int64_t d, int64_t p0,
                       int64_t p1) {
    int64_t span = in + p0 + p1 - d * (k - 1) - 1;
    return std::vector<int64_t>{Window2D::outExtent(in, k, s, d, p0, p1, false),
                                Window2D::outExtent(in, k, s, d, p0, p1, true),
                                span < 0 ? 0 : (span + s - 1) / s + 1};
  };
  auto accepted = [](const std::vector<int64_t> &c, int64_t v) {
    return v >= 1 && std::find(c.begin(), c.end(), v) != c.end();
  };
  std::vector<int64_t> hs =
      candidates(g.H, w.kh, w.sh, w.dh, w.padTop, w.padBottom);
  std::vector<int64_t> ws =
      candidates(g.W, w.kw, w.sw, w.dw, w.padLeft, w.padRight);
  const auto &os = spec.outputShape;
  if (os.size() != 4 || os[0] != g.N || os[1] != g.C || !accepted(hs, os[2]) ||
      !accepted(ws, os[3]))
    specFail("output shape " + shapeText(os) + " does not match " +
             shapeText({g.N, g.C, hs[0], ws[0]}) + " (floor mode) or " +
             shapeText({g.N, g.C, hs[1], ws[1]}) + " (ceil mode)");
  g.OH = os[2];
  g.OW = os[3];
  return g;
}

/// Number of k in [0, size) with lo <= start + k*dilation < hi.
Expr countInRange(Expr start, int64_t size, int64_t dilation, int64_t lo,
                  int64_t hi) {
  // Halide's integer division rounds toward -inf, so these are exact
  // floor/ceil for either sign of the numerator.
  Expr first = max(0, ((int)lo - start + (int)dilation - 1) / (int)dilation);
  Expr last = min((int)size - 1, ((int)hi - 1 - start) / (int)dilation);
  return max(0, last - first + 1);
}

} // namespace

namespace {

/// A max pool over a channel-blocked input into a channel-blocked output
/// (kernels/ActivationLayout.h): out(k, x, y, cb, n), channel cb * 16 + k.
/// Every tap is one 16-channel vector, so the window is taken directly
/// (no row-max stage); -inf outside the image, through a boundary
/// condition Halide peels off the interior.
KernelFuncs buildBlockedMaxPool2D(const KernelSpec &spec,
                                  const std::vector<ImageParam> &in,
                                  const PoolGeometry &g) {
  if (!spec.inputBlocked(0) || !spec.blockedOutput)
    specFail("a max pool's input and output are channel-blocked together");
  const Window2D &w = g.win;
  KernelFuncs f = makeOutputFuncs(spec);
  Var k = f.vars[0], ox = f.vars[1], oy = f.vars[2], cb = f.vars[3],
      n = f.vars[4];
  Func input =
      padSpatialBlocked(in[0], g.W, g.H, Float(32).min(), "x_padded_blocked");
  Expr windowMax = Float(32).min();
  for (int64_t ky = 0; ky < w.kh; ++ky)
    for (int64_t kx = 0; kx < w.kw; ++kx)
      windowMax = max(windowMax,
                      input(k, ox * (int)w.sw + (int)(kx * w.dw - w.padLeft),
                            oy * (int)w.sh + (int)(ky * w.dh - w.padTop), cb,
                            n));
  f.output(k, ox, oy, cb, n) = applyActivation(spec, windowMax);
  return f;
}

} // namespace

KernelFuncs buildMaxPool2D(const KernelSpec &spec,
                           const std::vector<ImageParam> &in) {
  PoolGeometry g = readPoolGeometry(spec);
  if (spec.blockedInputs || spec.blockedOutput)
    return buildBlockedMaxPool2D(spec, in, g);
  const Window2D &w = g.win;
  KernelFuncs f = makeOutputFuncs(spec);
  Var ox = f.vars[0], oy = f.vars[1], c = f.vars[2], n = f.vars[3];
  // An undilated window is contiguous, so when it holds a cell of the
  // image an out-of-range tap may read the nearest edge cell instead of
  // -inf (that cell is in the same window): no padded copy, only clamps
  // that Halide peels off the interior (BoundaryConditions::repeat_edge).
  // Every window holds a cell unless a pad reaches a whole window (a
  // ceil-mode window starting in the end padding: that one is -inf).
  auto windowsHoldCells = [](int64_t in, int64_t out, int64_t k, int64_t s,
                             int64_t p0) {
    return k - 1 - p0 >= 0 && (out - 1) * s - p0 <= in - 1;
  };
  bool clampEdges = w.dh == 1 && w.dw == 1 &&
                    windowsHoldCells(g.H, g.OH, w.kh, w.sh, w.padTop) &&
                    windowsHoldCells(g.W, g.OW, w.kw, w.sw, w.padLeft);
  Func input =
      clampEdges
          ? BoundaryConditions::repeat_edge(in[0], {{0, (int)g.W},
                                                    {0, (int)g.H}})
          : padSpatial(in[0], g.W, g.H, Float(32).min(), "x_padded");
  // Separable: the max along each row of the window, then across the
  // window's rows; both pure folds over the taps (no reduction stage).
  Var y("y");
  Expr rowMax = Float(32).min();
  for (int64_t kx = 0; kx < w.kw; ++kx)
    rowMax = max(rowMax, input(ox * (int)w.sw + (int)(kx * w.dw - w.padLeft),
                               y, c, n));
  Func rows("maxpool_rows");
  rows(ox, y, c, n) = rowMax;
  Expr windowMax = Float(32).min();
  for (int64_t ky = 0; ky < w.kh; ++ky)
    windowMax = max(windowMax, rows(ox, oy * (int)w.sh +
                                            (int)(ky * w.dh - w.padTop),
                                    c, n));
  f.output(ox, oy, c, n) = applyActivation(spec, windowMax);
  if (!clampEdges)
    f.paddedInputs.push_back(input);
  f.poolRowMax = rows;
  return f;
}

KernelFuncs buildAvgPool2D(const KernelSpec &spec,
                           const std::vector<ImageParam> &in) {
  PoolGeometry g = readPoolGeometry(spec);
  const Window2D &w = g.win;
  KernelFuncs f = makeOutputFuncs(spec);
  Var ox = f.vars[0], oy = f.vars[1], c = f.vars[2], n = f.vars[3];
  Func input = padSpatial(in[0], g.W, g.H, 0.0f, "x_padded");
  RDom r(0, (int)w.kw, 0, (int)w.kh, "r");
  Expr x0 = ox * (int)w.sw - (int)w.padLeft;
  Expr y0 = oy * (int)w.sh - (int)w.padTop;
  Func acc("avgpool_acc");
  acc(ox, oy, c, n) = 0.0f;
  acc(ox, oy, c, n) += input(x0 + r.x * (int)w.dw, y0 + r.y * (int)w.dh, c, n);

  int64_t loH = spec.countIncludePad ? -w.padTop : 0;
  int64_t hiH = spec.countIncludePad ? g.H + w.padBottom : g.H;
  int64_t loW = spec.countIncludePad ? -w.padLeft : 0;
  int64_t hiW = spec.countIncludePad ? g.W + w.padRight : g.W;
  Expr count = countInRange(y0, w.kh, w.dh, loH, hiH) *
               countInRange(x0, w.kw, w.dw, loW, hiW);
  // An all-padding window has no cells to average; it yields 0, not NaN.
  Expr avg = acc(ox, oy, c, n) / cast<float>(max(count, 1));
  f.output(ox, oy, c, n) = applyActivation(spec, avg);
  f.paddedInputs.push_back(input);
  f.accumulator = acc;
  f.accumulatorDomain = r;
  return f;
}

KernelFuncs buildGlobalAvgPool(const KernelSpec &spec,
                               const std::vector<ImageParam> &in) {
  if (spec.inputShapes.size() != 1)
    specFail("GlobalAvgPool takes one input");
  const auto &xs = requireRank(spec, 0, 4, "x");
  requireOutputShape(spec, {xs[0], xs[1], 1, 1});
  if (spec.blockedOutput || (spec.blockedInputs & ~1u))
    specFail("only a global average pool's input can be channel-blocked");
  KernelFuncs f = makeOutputFuncs(spec);
  Var ox = f.vars[0], oy = f.vars[1], c = f.vars[2], n = f.vars[3];
  RDom r(0, (int)xs[3], 0, (int)xs[2], "r");
  Func acc("gap_acc");
  acc(ox, oy, c, n) = 0.0f;
  // A channel-blocked input (kernels/ActivationLayout.h) is 5-D.
  acc(ox, oy, c, n) +=
      spec.inputBlocked(0) ? blockedAt(in[0], r.x, r.y, c, n)
                           : in[0](r.x, r.y, c, n);
  f.output(ox, oy, c, n) =
      applyActivation(spec, acc(ox, oy, c, n) / (float)(xs[2] * xs[3]));
  f.accumulator = acc;
  f.accumulatorDomain = r;
  return f;
}

} // namespace kiln
