//===- SeparableConv.cpp - Depthwise then pointwise conv, one kernel ------===//
//
// mid[n,c,oy,ox] = dwAct(dwBias[c] + sum_{ky,kx} dw[c,0,ky,kx] *
//                        x[n, c, oy*sh + ky*dh - padTop, ox*sw + kx*dw -
//                        padLeft])
// y[n,m,oy,ox]   = act(pwBias[m] + residual[n,m,oy,ox] +
//                      sum_c pw[m,c,0,0] * mid[n,c,oy,ox])
//
// Both stages use the flat-pixel form of the dense conv (Conv.cpp): pixels
// are q = oy * rowPitch + ox over the phase-split padded input, so the
// depthwise taps are dense vector loads at constant offsets and `mid` comes
// out in exactly the layout the pointwise register tile reads. The taps are
// unrolled into one expression (no reduction Func): a schedule computes
// `mid` per pixel tile straight into the buffer the pointwise stage reads.
//
// Small images (pointwise weights packed in blocks of 16 output channels,
// KernelSpec::weightBlock) take the channel-vector form of Conv.cpp for
// the pointwise stage instead: acc(j, px, py, mb, n) = channel mb*16 + j at
// output pixel (px, py), one weight vector per input channel and each
// `mid` value broadcast, so a 7x7 row fills every lane (pixel vectors of a
// 7x7 image waste half of them in the last tile).
//
// With channel-blocked arguments (kernels/ActivationLayout.h) both stages
// run on 16-channel vectors instead (ChannelVectorStages.cpp): the
// depthwise taps are whole-vector loads of the blocked input's rows
// (padding by a boundary condition), and the pointwise stage reads the
// depthwise result in that layout. On small images its output (and residual)
// may come as single rows (kernels/PointwiseFlattening.h): pointwise pixel q
// reads depthwise pixel (q % OW, q / OW).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"
#include "compiler/kernels/ConvWeightLayout.h"
#include "compiler/kernels/PointwiseFlattening.h"

namespace kiln {

using namespace Halide;

namespace {

/// The depthwise stage's activation (the spec's dw fields).
Expr applyDepthwiseActivation(const KernelSpec &spec, Expr v) {
  return applyStageActivation(spec.dwActivation, spec.dwActParam0,
                              spec.dwActParam1, v);
}

} // namespace

SeparableOperands requireSeparableOperands(const KernelSpec &spec,
                                           size_t first, int64_t C,
                                           const std::vector<int64_t> &xs) {
  SeparableOperands ops;
  // OIHW [C,1,KH,KW], or packed in blocks of 16 channels [C/16,1,KH,KW,16]
  // (ConvWeightLayout.h): the channel-vector depthwise stage reads one
  // weight vector per tap with no per-call re-layout.
  if (spec.inputShapes.size() > first && spec.inputShapes[first].size() == 5) {
    const auto &dws = spec.inputShapes[first];
    ops.kernelHeight = dws[2];
    ops.kernelWidth = dws[3];
    if (dws !=
        packedConvWeightShape({C, 1, dws[2], dws[3]}, kConvChannelVectorBlock))
      specFail("packed depthwise weights " + shapeText(dws) + " must be [" +
               std::to_string((C + kConvChannelVectorBlock - 1) /
                              kConvChannelVectorBlock) +
               ",1,KH,KW," + std::to_string(kConvChannelVectorBlock) + "]");
  } else {
    const auto &dws = requireRank(spec, first, 4, "depthwise weights");
    ops.kernelHeight = dws[2];
    ops.kernelWidth = dws[3];
    if (dws[0] != C || dws[1] != 1)
      specFail("depthwise weights " + shapeText(dws) + " must be [" +
               std::to_string(C) + ",1,KH,KW]");
  }
  requireVector(spec, first + 1, C, "depthwise bias");
  int64_t block = spec.weightBlock;
  const auto &pws =
      requireRank(spec, first + 2, block ? 5 : 4, "pointwise weights");
  if (block) {
    // Packed [ceil(M/16), C, 1, 1, 16] (ConvWeightLayout.h): M is the
    // output's channel count.
    ops.M = spec.outputShape.size() == 4 ? spec.outputShape[1] : 0;
    if (block != kConvChannelVectorBlock || ops.M < 1 ||
        packedConvWeightShape({ops.M, C, 1, 1}, block) != pws)
      specFail("packed pointwise weights " + shapeText(pws) +
               " (weight_block=" + std::to_string(block) + ") must be [" +
               std::to_string((ops.M + kConvChannelVectorBlock - 1) /
                              kConvChannelVectorBlock) +
               "," + std::to_string(C) + ",1,1," +
               std::to_string(kConvChannelVectorBlock) + "]");
  } else {
    ops.M = pws[0];
    if (pws[1] != C || pws[2] != 1 || pws[3] != 1)
      specFail("pointwise weights " + shapeText(pws) + " must be [M," +
               std::to_string(C) + ",1,1]");
  }
  requireVector(spec, first + 3, ops.M, "pointwise bias");
  ops.win = readWindow(spec, ops.kernelHeight, ops.kernelWidth);
  std::tie(ops.OH, ops.OW) = convOutputExtents(ops.win, xs);
  std::vector<int64_t> flat = {xs[0], ops.M, 1, ops.OH * ops.OW};
  ops.flatOutput = ops.OH > 1 && flattensSeparablePointwise(spec) &&
                   spec.outputShape == flat;
  requireOutputShape(spec, ops.flatOutput ? flat
                                          : std::vector<int64_t>{
                                                xs[0], ops.M, ops.OH, ops.OW});
  ops.residualIndex = requireResidual(spec, first + 4);
  return ops;
}

namespace {

/// The channel-vector form, for channel-blocked arguments: the padded
/// input as channel vectors (a blocked input's rows, or an NCHW input
/// transposed), the depthwise stage on 16-channel vectors and the
/// pointwise stage over it (ChannelVectorStages.cpp).
KernelFuncs buildSeparableOnChannelVectors(const KernelSpec &spec,
                                           const std::vector<ImageParam> &in,
                                           const SeparableOperands &ops,
                                           int64_t C, int64_t H, int64_t W) {
  const int block = (int)kConvChannelVectorBlock;
  if (spec.weightBlock != block || C % block)
    specFail("channel-blocked arguments need " + std::to_string(block) +
             "-channel blocks: pointwise weights packed with weight_block=" +
             std::to_string(block) + " (got " +
             std::to_string(spec.weightBlock) + ") and a multiple of " +
             std::to_string(block) + " input channels (got " +
             std::to_string(C) + ")");
  BlockedConvInputs blocked = requireBlockedConvInputs(spec, ops.residualIndex);
  KernelFuncs f = makeOutputFuncs(spec);
  Func src("x_padded");
  if (blocked.input) {
    // Read in place: the zero padding is a boundary condition inlined into
    // the depthwise taps, and Halide's loop partitioning leaves the
    // interior pixels plain vector loads. (A padded copy per channel block
    // cost a store and a reload of every input vector: MobileNetV2's
    // separable kernels 2-28 % slower at 1 thread, its 112x112 one most.)
    src = padSpatialInPlace(in[0], /*blocked=*/true, W, H, 0.0f, "x_padded");
  } else {
    Func nchw = padSpatial(in[0], W, H, 0.0f, "x_nchw_padded");
    Var j("j"), x("x"), y("y"), cb("cb"), n("n");
    src(j, x, y, cb, n) = nchw(x, y, cb * block + j, n);
    f.paddedInputs.push_back(src);
  }
  Func mid = depthwiseOnChannelVectors(
      src, in[1], in[2], ops.win, ops.kernelHeight, ops.kernelWidth,
      -(int)ops.win.padLeft, -(int)ops.win.padTop, spec, f);
  pointwiseOnChannelVectors(
      mid, C, in[3], in[4], ops.residualIndex, blocked.residual, in, spec, f,
      (int)kConvChannelVectorBlock, ops.flatOutput ? ops.OW : 0);
  return f;
}

} // namespace

KernelFuncs buildSeparableConv2D(const KernelSpec &spec,
                                 const std::vector<ImageParam> &in) {
  const auto &xs = requireRank(spec, 0, 4, "x");
  int64_t C = xs[1], H = xs[2], W = xs[3];
  SeparableOperands ops = requireSeparableOperands(spec, 1, C, xs);
  if (spec.zeroSkipPointwise)
    return buildZeroSkipSeparable(spec, in, ops, C, H, W);
  if (spec.blockedInputs || spec.blockedOutput)
    return buildSeparableOnChannelVectors(spec, in, ops, C, H, W);
  int64_t KH = ops.kernelHeight, KW = ops.kernelWidth, M = ops.M;
  int64_t OH = ops.OH, OW = ops.OW;
  Window2D win = ops.win;
  int residualIndex = ops.residualIndex;

  KernelFuncs f = makeOutputFuncs(spec);
  Var ox = f.vars[0], oy = f.vars[1], m = f.vars[2], n = f.vars[3];
  // Always a copy: the depthwise stage is computed per pointwise pixel
  // tile, and the last (partial) tile's stage reads a little past the
  // pixels the output needs, which only a padded copy can serve.
  PhaseSplitInput split =
      phaseSplitInput(in[0], W, H, win, /*alwaysCopy=*/true);
  f.paddedInputs.push_back(split.flat);
  f.flatRowPitch = split.rowPitch;

  // Depthwise stage, taps unrolled.
  Var q("q"), c("c");
  Expr sum = in[2](c);
  for (int ky = 0; ky < (int)KH; ++ky)
    for (int kx = 0; kx < (int)KW; ++kx)
      sum +=
          depthwiseWeight(in[1], kx, ky, c) *
          split.flat(q + split.tapOffset(kx, ky), split.tapPhase(kx, ky), c, n);
  Func mid("dw_mid");
  mid(q, c, n) = applyDepthwiseActivation(spec, sum);
  f.depthwiseStage = mid;

  // Pointwise stage over the same flat pixels.
  RDom r(0, 1, 0, 1, 0, (int)C, "r");
  Func acc("pw_acc");
  int64_t pitch = split.rowPitch;
  Expr v;
  if (spec.weightBlock) {
    int block = (int)spec.weightBlock;
    Var j("j"), px("px"), py("py"), mb("mb");
    acc(j, px, py, mb, n) = in[4](min(mb * block + j, (int)M - 1));
    acc(j, px, py, mb, n) +=
        in[3](j, 0, 0, r.z, mb) * mid(py * (int)pitch + px, r.z, n);
    v = acc(m % block, ox, oy, m / block, n);
    f.conv.form = ConvForm::ChannelVectors;
    f.conv.accVars = {j, px, py, mb, n};
    f.conv.outWidth = OW;
    f.conv.outHeight = OH;
    f.conv.weightBlock = block;
    f.conv.paddedChannels = (M + block - 1) / block * block;
  } else {
    acc(q, m, n) = in[4](m);
    acc(q, m, n) += in[3](0, 0, r.z, m) * mid(q, r.z, n);
    v = acc(oy * (int)pitch + ox, m, n);
    f.conv.form = ConvForm::FlatPixels;
    f.conv.accVars = {q, m, n};
  }
  if (residualIndex >= 0)
    v += in[residualIndex](ox, oy, m, n);
  f.output(ox, oy, m, n) = applyActivation(spec, v);

  f.accumulator = acc;
  f.accumulatorDomain = r;
  f.conv.vecExtent = split.vecExtent(OH, OW);
  f.conv.channels = M;
  f.conv.inputChannels = C;
  f.conv.kernelWidth = 1;
  return f;
}

} // namespace kiln
