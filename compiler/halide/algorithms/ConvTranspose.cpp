//===- ConvTranspose.cpp - ONNX ConvTranspose as a GEMM and a col2im ------===//
//
// Two stages. `columns` is a GEMM: per input pixel and per (m, ky, kx),
// the sum over the group's input channels of x[c] * w[c, m, ky, kx] (a 1x1
// convolution to M * KH * KW channels, vectorized along the pixels). The
// output then sums, per cell (oy, ox) of channel m, the columns of the
// taps (ky, kx) whose input cell iy = (oy + pad_top - ky * dilation) /
// stride divides and lies inside (likewise along x): KH * KW reads instead
// of C * KH * KW products per output cell. (Gathering the products per
// output cell directly ran 150x slower than onnxruntime on a U-Net
// up-conv.) That sum is computed per stride phase, where which taps hit is
// known at compile time and the columns are read densely; the phases are
// stored interleaved, so the output reads them densely too.
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
  int64_t Cg = xs[1] / G, Mg = ws[1], M = Mg * G, KH = ws[2], KW = ws[3];
  if (spec.kernel != std::vector<int64_t>{KH, KW} ||
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

  // columns(ix, iy, q, n), q = (m * KH + ky) * KW + kx.
  Var ix("ix"), iy("iy"), q("q");
  Expr qm = q / (int)(KH * KW), qky = (q / (int)KW) % (int)KH,
       qkx = q % (int)KW;
  RDom rc(0, (int)Cg, "rc");
  Expr c = (qm / (int)Mg) * (int)Cg + rc;
  Func acc("conv_transpose_acc");
  acc(ix, iy, q, n) = 0.0f;
  acc(ix, iy, q, n) += in[0](ix, iy, c, n) * in[1](qkx, qky, qm % (int)Mg, c);
  Func columns("conv_transpose_columns");
  columns(ix, iy, q, n) = acc(ix, iy, q, n);

  // The output in phases: u = ox + pad_left = sw * a + b (v = oy +
  // pad_top = sh * ay + by). Tap kx reaches phase b exactly when
  // b - kx * dw divides by sw, from input column a + (b - kx * dw) / sw:
  // with b and the taps unrolled that test is a constant, and the reads
  // along a are dense.
  int sh = (int)spec.strides[0], sw = (int)spec.strides[1];
  int dh = (int)spec.dilations[0], dw = (int)spec.dilations[1];
  Var a("a"), b("b"), ay("ay"), by("by");
  RDom r(0, (int)KW, 0, (int)KH, "r");
  Expr tx = b - r.x * dw, ty = by - r.y * dh;
  Expr sx = a + tx / sw, sy = ay + ty / sh; // floor division
  // likely: loop partitioning gives the interior clamp-free dense reads.
  Expr hit = tx % sw == 0 && ty % sh == 0 &&
             likely(sx >= 0 && sy >= 0 && sx < (int)xs[3] && sy < (int)xs[2]);
  Expr tap = columns(clamp(sx, 0, (int)xs[3] - 1),
                     clamp(sy, 0, (int)xs[2] - 1),
                     (m * (int)KH + r.y) * (int)KW + r.x, n);
  Func phases("conv_transpose_phases");
  phases(b, a, by, ay, m, n) = spec.hasBias ? in[2](m) : Expr(0.0f);
  phases(b, a, by, ay, m, n) += select(hit, tap, 0.0f);
  Expr u = ox + (int)spec.pads[1], v = oy + (int)spec.pads[0];
  f.output(ox, oy, m, n) = applyActivation(
      spec, phases(u % sw, u / sw, v % sh, v / sh, m, n));
  f.convTranspose = std::make_shared<ConvTransposeStages>(
      ConvTransposeStages{columns, acc, phases, r,
                          {xs[3], xs[2], M * KH * KW, xs[0]}, sh});
  return f;
}

} // namespace kiln
