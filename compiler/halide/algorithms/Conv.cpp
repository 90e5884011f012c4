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
  Expr bias = biasIndex >= 0 ? in[biasIndex](m) : Expr(0.0f);
  auto epilogue = [&](Expr v) {
    if (residualIndex >= 0)
      v += in[residualIndex](ox, oy, m, n);
    return applyActivation(spec, v);
  };
  bool padded = win.padTop || win.padLeft || win.padBottom || win.padRight;
  RDom r(0, (int)KW, 0, (int)KH, 0, (int)Cg, "r");
  Func acc("conv_acc");
  f.accumulator = acc;
  f.accumulatorDomain = r;

  if (groups == 1) {
    // Dense conv over flattened rows. The padded input is split into
    // sh x sw phases (phase (py, px) holds padded rows py, py+sh, ... and
    // columns px, px+sw, ...), each Hph x Wph. Output (ox, oy) is then
    // q = oy * Wph + ox, and tap (kx, ky) at offset (tx, ty) = (kx*dw, ky*dh)
    // reads element q + (ty / sh) * Wph + tx / sw of phase
    // (ty % sh, tx % sw): one dense vector load at a constant offset per tap
    // for every stride and image width, so a register tile of output vectors
    // x output channels has no per-row tails or strided loads. The
    // Wph - OW columns that wrap into the next row are computed and never
    // read (0% for unpadded 1x1, 3.5% at 56x56 3x3, 22% at 7x7 3x3).
    int64_t sh = win.sh, sw = win.sw;
    int64_t Wp = W + win.padLeft + win.padRight;
    int64_t Wph = (Wp + sw - 1) / sw;
    int64_t phases = sh * sw;
    Var i("i"), p("p"), c("c"), b("b");
    Func flat("x_flat");
    Expr tx = r.x * (int)win.dw, ty = r.y * (int)win.dh;
    Expr tapOffset = (ty / (int)sh) * (int)Wph + tx / (int)sw;
    Expr tapPhase = (ty % (int)sh) * (int)sw + tx % (int)sw;
    if (padded || phases > 1) {
      // Materialized once per call (schedule): one pass over the part of
      // the input the taps read (only phase 0 for a strided 1x1).
      Expr col = (i % (int)Wph) * (int)sw + p % (int)sw - (int)win.padLeft;
      Expr row = (i / (int)Wph) * (int)sh + p / (int)sw - (int)win.padTop;
      Expr inside = col >= 0 && col < (int)W && row >= 0 && row < (int)H;
      flat(i, p, c, b) = select(
          inside,
          in[0](clamp(col, 0, (int)W - 1), clamp(row, 0, (int)H - 1), c, b),
          0.0f);
      f.paddedInputs.push_back(flat);
    } else {
      // Unpadded stride 1: inlined; the dense strides make
      // (i % W) + (i / W) * W simplify back to i, a plain input load.
      flat(i, p, c, b) = in[0](i % (int)W, i / (int)W, c, b);
    }
    Var q("q");
    acc(q, m, n) = bias;
    acc(q, m, n) +=
        in[1](r.x, r.y, r.z, m) * flat(q + tapOffset, tapPhase, r.z, n);
    f.output(ox, oy, m, n) = epilogue(acc(oy * (int)Wph + ox, m, n));
    f.conv.form = ConvForm::FlatPixels;
    f.conv.accVars = {q, m, n};
    f.conv.vecExtent = (OH - 1) * Wph + OW;
  } else {
    Func input =
        padded ? padSpatial(in[0], W, H, 0.0f, "x_padded") : Func(in[0]);
    Expr ix = ox * (int)win.sw + r.x * (int)win.dw - (int)win.padLeft;
    Expr iy = oy * (int)win.sh + r.y * (int)win.dh - (int)win.padTop;
    Expr ic = (m / (int)(M / groups)) * (int)Cg + r.z;
    acc(ox, oy, m, n) = bias;
    acc(ox, oy, m, n) += in[1](r.x, r.y, r.z, m) * input(ix, iy, ic, n);
    f.output(ox, oy, m, n) = epilogue(acc(ox, oy, m, n));
    if (padded)
      f.paddedInputs.push_back(input);
  }
  f.conv.channels = M;
  f.conv.inputChannels = Cg;
  f.conv.kernelWidth = KW;
  return f;
}

} // namespace kiln
