//===- InvertedResidualChannelVectors.cpp - All stages on channel vectors ===//
//
// The inverted residual block (InvertedResidual.cpp) with every stage on
// 16-channel vectors, for expand and project weights packed in blocks of 16
// output channels (KernelSpec::weightBlock = 16, ConvWeightLayout.h):
//
// ex(j, gx, gy, eb, n)  = exAct(exBias + sum_c exW(j, c, eb) * x(c, gx, gy))
//                         over the image, read as 0 outside it
// mid(j, ox, oy, eb, n) = dwAct(dwBias + sum_taps dwW(j, kx, ky, eb) *
//                               ex(j, ox*sw + kx*dw - padLeft,
//                                  oy*sh + ky*dh - padTop, eb, n))
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

  // Expand stage over the image's pixels only. The depthwise stage reads
  // it through a zero boundary condition (the conv pads the activated
  // tensor, and exAct(exBias) is not 0 in general); Halide marks its
  // condition likely, so loop partitioning keeps the interior taps plain
  // vector loads. (Computed over the padded grid and masked, the padding
  // cells and the register tiles' ragged ends were 7-14 % more expand
  // work on MobileNetV2's 56x56 and 28x28 blocks.) Input reads are clamped
  // for the columns a ragged last register tile computes (RoundUp).
  RDom rc(0, (int)C, "rc");
  Expr ix = clamp(gx, 0, (int)W - 1);
  Expr iy = clamp(gy, 0, (int)H - 1);
  Expr xv = blockedIn.input ? blockedAt(in[0], ix, iy, rc, n)
                            : in[0](ix, iy, rc, n);
  Func exAcc("ex_acc");
  exAcc(j, gx, gy, eb, n) = in[2](eb * block + j);
  exAcc(j, gx, gy, eb, n) += in[1](j, 0, 0, rc, eb) * xv;
  Func ex("ex");
  ex(j, gx, gy, eb, n) =
      applyStageActivation(spec.exActivation, spec.exActParam0,
                           spec.exActParam1, exAcc(j, gx, gy, eb, n));
  Func padded = BoundaryConditions::constant_exterior(
      ex, 0.0f, {Range(), {0, (int)W}, {0, (int)H}, Range(), Range()});
  Func mid = depthwiseOnChannelVectors(
      padded, in[3], in[4], win, ops.kernelHeight, ops.kernelWidth,
      -(int)win.padLeft, -(int)win.padTop, spec, f);
  pointwiseOnChannelVectors(mid, E, in[5], in[6], residualIndex,
                            blockedIn.residual, in, spec, f,
                            channelVectorAccumulatorBlock(spec, fullRateLanes));

  f.expandStage = ex;
  f.expandAccumulator = exAcc;
  f.expandDomain = rc;
  f.expandConv.form = ConvForm::ChannelVectors;
  f.expandConv.accVars = {j, gx, gy, eb, n};
  f.expandConv.outWidth = W;
  f.expandConv.outHeight = H;
  f.expandConv.weightBlock = block;
  f.expandConv.channels = E;
  f.expandConv.paddedChannels = E;
  f.expandConv.inputChannels = C;
  f.expandConv.blockedInput = blockedIn.input;
  f.expandWindowRows = (win.kh - 1) * win.dh + 1;
  f.conv.stride = win.sh;
  return f;
}

} // namespace kiln
