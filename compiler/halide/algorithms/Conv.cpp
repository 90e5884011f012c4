//===- Conv.cpp - 2-D convolution with fused epilogue ---------------------===//
//
// y[n,m,oy,ox] = act(bias[m] + residual[n,m,oy,ox] +
//   sum_{c<C/g, ky, kx} w[m,c,ky,kx] * x[n, g(m)*C/g + c,
//                                       oy*sh + ky*dh - padTop,
//                                       ox*sw + kx*dw - padLeft])
// with zero padding and g(m) = m / (M/groups). Depthwise is groups == C.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

namespace kiln {

using namespace Halide;

KernelFuncs buildConv2D(const KernelSpec &spec,
                        const std::vector<ImageParam> &in) {
  const auto &xs = requireRank(spec, 0, 4, "x");
  const auto &ws = requireRank(spec, 1, 4, "weights");
  int64_t N = xs[0], C = xs[1], H = xs[2], W = xs[3];
  int64_t M = ws[0], Cg = ws[1], KH = ws[2], KW = ws[3];
  int64_t groups = spec.groups;
  if (groups < 1 || C % groups != 0 || M % groups != 0)
    specFail("groups=" + std::to_string(groups) + " must divide C=" +
             std::to_string(C) + " and M=" + std::to_string(M));
  if (Cg != C / groups)
    specFail("weights " + shapeText(ws) +
             " need dim 1 == C/groups = " + std::to_string(C / groups));
  Window2D win = readWindow(spec, KH, KW);
  int64_t OH = Window2D::outExtent(H, KH, win.sh, win.dh, win.padTop,
                                   win.padBottom, false);
  int64_t OW = Window2D::outExtent(W, KW, win.sw, win.dw, win.padLeft,
                                   win.padRight, false);
  if (OH < 1 || OW < 1)
    specFail("window larger than the padded input " + shapeText(xs));
  requireOutputShape(spec, {N, M, OH, OW});

  size_t next = 2;
  int biasIndex = -1, residualIndex = -1;
  if (spec.hasBias) {
    biasIndex = (int)next;
    if (requireRank(spec, next++, 1, "bias")[0] != M)
      specFail("bias must be [" + std::to_string(M) + "]");
  }
  if (spec.hasResidual) {
    residualIndex = (int)next;
    if (requireRank(spec, next++, 4, "residual") != spec.outputShape)
      specFail("residual must have the output shape " +
               shapeText(spec.outputShape));
  }

  KernelFuncs f = makeOutputFuncs(spec);
  Var ox = f.vars[0], oy = f.vars[1], m = f.vars[2], n = f.vars[3];

  bool padded = win.padTop || win.padLeft || win.padBottom || win.padRight;
  Func input = padded ? padSpatial(in[0], W, H, 0.0f, "x_padded") : Func(in[0]);

  RDom r(0, (int)KW, 0, (int)KH, 0, (int)Cg, "r");
  Expr ix = ox * (int)win.sw + r.x * (int)win.dw - (int)win.padLeft;
  Expr iy = oy * (int)win.sh + r.y * (int)win.dh - (int)win.padTop;
  // Plain convs skip the group arithmetic so the channel index stays simple.
  Expr ic = groups == 1 ? Expr(r.z) : (m / (int)(M / groups)) * (int)Cg + r.z;

  Func acc("conv_acc");
  acc(ox, oy, m, n) = biasIndex >= 0 ? in[biasIndex](m) : Expr(0.0f);
  acc(ox, oy, m, n) += in[1](r.x, r.y, r.z, m) * input(ix, iy, ic, n);

  Expr v = acc(ox, oy, m, n);
  if (residualIndex >= 0)
    v += in[residualIndex](ox, oy, m, n);
  f.output(ox, oy, m, n) = applyActivation(spec, v);
  if (padded)
    f.paddedInputs.push_back(input);
  f.accumulator = acc;
  f.accumulatorDomain = r;
  return f;
}

} // namespace kiln
