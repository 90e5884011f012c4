//===- InvertedResidualChannelVectors.cpp - All stages on channel vectors ===//
//
// The inverted residual block (InvertedResidual.cpp) with every stage on
// 16-channel vectors, for expand and project weights packed in blocks of 16
// output channels (KernelSpec::weightBlock = 16, ConvWeightLayout.h):
//
// ex(j, gx, gy, eb, n)  = exAct(exBias + sum_c exW(j, c, eb) * x(c, gx, gy))
//                         over the padded input grid, 0 in the padding
// mid(j, ox, oy, eb, n) = dwAct(dwBias + sum_taps dwW(j, kx, ky, eb) *
//                               ex(j, ox*sw + kx*dw, oy*sh + ky*dh, eb, n))
// acc(j, px, py, mb, n) = pwBias + sum_e pwW(j, e, mb) * mid(e, px, py)
// y[n,m,oy,ox]          = act(acc(m % 16, ox, oy, m / 16, n) + residual)
//
// (acc in blocks of 8 channels where the output has an odd number of
// 8-channel halves and the target's full-rate vectors are 8 lanes or
// fewer: channelVectorAccumulatorBlock.)
//
// Element e of ex and mid is ex(e % 16, ..., e / 16, ...): 16 channels of
// one pixel are one vector, so the depthwise taps are whole-vector loads at
// any stride (no phase split, no gathers), and both 1x1 stages are
// channel-vector convs (weight vectors x broadcast pixels, Conv.cpp's
// ChannelVectors form). The pixel-vector form's phase-split grids and
// plane-per-channel stores were MobileNetV2's slowest kernels (40-59 % of
// peak on 56x56 and 112x112 images).
//
// x is NCHW (each broadcast is a scalar load; the layout does not matter)
// or channel-blocked (kernels/ActivationLayout.h); the output is NCHW (the
// epilogue transposes channel vectors) or channel-blocked (stored as
// computed). E must be whole blocks of 16.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"
#include "compiler/kernels/ConvWeightLayout.h"

namespace kiln {

using namespace Halide;

KernelFuncs
buildInvertedResidualChannelVectors(const KernelSpec &spec,
                                    const std::vector<ImageParam> &in,
                                    int fullRateLanes) {
  const int block = (int)kConvChannelVectorBlock;
  const auto &xs = requireRank(spec, 0, 4, "x");
  int64_t C = xs[1], H = xs[2], W = xs[3];
  const auto &exs = requireRank(spec, 1, 5, "packed expand weights");
  int64_t E = exs[0] * block;
  if (exs[1] != C || exs[2] != 1 || exs[3] != 1 || exs[4] != block)
    specFail("packed expand weights " + shapeText(exs) + " must be [E/16," +
             std::to_string(C) + ",1,1,16]");
  requireVector(spec, 2, E, "expand bias");
  // Depthwise and packed project weights (weight_block applies to the
  // project weights as in a separable kernel).
  SeparableOperands ops = requireSeparableOperands(spec, 3, E, xs);
  Window2D win = ops.win;
  int residualIndex = ops.residualIndex;
  BlockedConvInputs blockedIn = requireBlockedConvInputs(spec, residualIndex);

  KernelFuncs f = makeOutputFuncs(spec);
  Var j("j"), gx("gx"), gy("gy"), eb("eb"), n("n");

  // Expand stage over the padded grid (gx, gy) = input pixel (gx - padLeft,
  // gy - padTop). Reads are clamped into the image; the padding cells are
  // selected to 0 after the activation (the depthwise conv pads the
  // activated tensor, and exAct(exBias) is not 0 in general).
  RDom rc(0, (int)C, "rc");
  Expr ix = clamp(gx - (int)win.padLeft, 0, (int)W - 1);
  Expr iy = clamp(gy - (int)win.padTop, 0, (int)H - 1);
  Expr xv = blockedIn.input ? blockedAt(in[0], ix, iy, rc, n)
                            : in[0](ix, iy, rc, n);
  Func exAcc("ex_acc");
  exAcc(j, gx, gy, eb, n) = in[2](eb * block + j);
  exAcc(j, gx, gy, eb, n) += in[1](j, 0, 0, rc, eb) * xv;
  Expr inside = gx >= (int)win.padLeft && gx < (int)(win.padLeft + W) &&
                gy >= (int)win.padTop && gy < (int)(win.padTop + H);
  Func ex("ex");
  ex(j, gx, gy, eb, n) =
      select(inside,
             applyStageActivation(spec.exActivation, spec.exActParam0,
                                  spec.exActParam1, exAcc(j, gx, gy, eb, n)),
             0.0f);

  Func mid = depthwiseOnChannelVectors(ex, in[3], in[4], win,
                                       ops.kernelHeight, ops.kernelWidth, 0,
                                       0, spec, f);
  pointwiseOnChannelVectors(mid, E, in[5], in[6], residualIndex,
                            blockedIn.residual, in, spec, f,
                            channelVectorAccumulatorBlock(spec, fullRateLanes));

  f.expandStage = ex;
  f.expandAccumulator = exAcc;
  f.expandDomain = rc;
  f.expandConv.form = ConvForm::ChannelVectors;
  f.expandConv.accVars = {j, gx, gy, eb, n};
  f.expandConv.outWidth = W + win.padLeft + win.padRight;
  f.expandConv.outHeight = H + win.padTop + win.padBottom;
  f.expandConv.weightBlock = block;
  f.expandConv.channels = E;
  f.expandConv.paddedChannels = E;
  f.expandConv.inputChannels = C;
  f.expandConv.blockedInput = blockedIn.input;
  f.conv.stride = win.sh;
  return f;
}

} // namespace kiln
