//===- ConvTranspose.cpp - ONNX ConvTranspose, gathered per output cell ---===//
//
// Output cell (oy, ox) of channel m sums, over its group's input channels c
// and the taps (ky, kx), x[c, iy, ix] * w[c, m, ky, kx] where
// oy + pad_top = iy * stride + ky * dilation (likewise along x): the taps
// whose offset is not a multiple of the stride, or whose iy falls outside
// the input, add nothing. The reduction is the kernel's accumulator
// (generic CPU schedule: per output vector along ox).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

namespace kiln {

using namespace Halide;

KernelFuncs buildConvTranspose2D(const KernelSpec &spec,
                                 const std::vector<ImageParam> &in) {
  const auto &xs = requireRank(spec, 0, 4, "x");
  const auto &ws = requireRank(spec, 1, 4, "w");
  int64_t G = spec.groups;
  if (G < 1 || xs[1] % G || ws[0] != xs[1])
    specFail("weight " + shapeText(ws) + " and groups " + std::to_string(G) +
             " do not fit input " + shapeText(xs));
  int64_t Cg = xs[1] / G, Mg = ws[1], M = Mg * G;
  if (spec.kernel != std::vector<int64_t>{ws[2], ws[3]} ||
      spec.strides.size() != 2 || spec.dilations.size() != 2 ||
      spec.pads.size() != 4)
    specFail("window attributes do not match weight " + shapeText(ws));
  const auto &ys = spec.outputShape;
  if (ys.size() != 4 || ys[0] != xs[0] || ys[1] != M)
    specFail("output " + shapeText(ys) + " must be [" +
             std::to_string(xs[0]) + "," + std::to_string(M) + ",OH,OW]");
  if (spec.hasBias)
    requireVector(spec, 2, M, "bias");

  KernelFuncs f = makeOutputFuncs(spec);
  Var ox = f.vars[0], oy = f.vars[1], m = f.vars[2], n = f.vars[3];
  int sh = (int)spec.strides[0], sw = (int)spec.strides[1];
  int dh = (int)spec.dilations[0], dw = (int)spec.dilations[1];
  RDom r(0, (int)ws[3], 0, (int)ws[2], 0, (int)Cg, "r");
  Expr ty = oy + (int)spec.pads[0] - r.y * dh;
  Expr tx = ox + (int)spec.pads[1] - r.x * dw;
  Expr iy = ty / sh, ix = tx / sw; // floor division; checked below
  Expr hit = ty >= 0 && tx >= 0 && ty % sh == 0 && tx % sw == 0 &&
             iy < (int)xs[2] && ix < (int)xs[3];
  Expr g = m / (int)Mg;
  Expr c = g * (int)Cg + r.z;
  Expr tap = in[0](clamp(ix, 0, (int)xs[3] - 1), clamp(iy, 0, (int)xs[2] - 1),
                   c, n) *
             in[1](r.x, r.y, m % (int)Mg, c);
  Func acc("conv_transpose_acc");
  acc(ox, oy, m, n) = spec.hasBias ? in[2](m) : Expr(0.0f);
  acc(ox, oy, m, n) += select(hit, tap, 0.0f);
  f.output(ox, oy, m, n) = applyActivation(spec, acc(ox, oy, m, n));
  f.accumulator = acc;
  f.accumulatorDomain = r;
  return f;
}

} // namespace kiln
