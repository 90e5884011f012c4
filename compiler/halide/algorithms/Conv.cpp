//===- Conv.cpp - 2-D convolution with fused epilogue ---------------------===//
//
// y[n,m,oy,ox] = act(bias[m] + residual[n,m,oy,ox] +
//   sum_{c<C/g, ky, kx} w[m,c,ky,kx] * x[n, g(m)*C/g + c,
//                                       oy*sh + ky*dh - padTop,
//                                       ox*sw + kx*dw - padLeft])
// with zero padding and g(m) = m / (M/groups). Depthwise is groups == C.
// Dense convs may get their weights pre-packed in blocks of output channels
// (KernelSpec::weightBlock, compiler/kernels/ConvWeightLayout.h): blocks of
// 16 select the channel-vector form, others the flat pixel-vector form.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"
#include "compiler/kernels/ConvWeightLayout.h"
#include "compiler/kernels/PointwiseFlattening.h"

namespace kiln {

using namespace Halide;

KernelFuncs buildConv2D(const KernelSpec &spec,
                        const std::vector<ImageParam> &in) {
  if (spec.winogradTile)
    return buildWinogradConv2D(spec, in);
  const auto &xs = requireRank(spec, 0, 4, "x");
  // Weights are OIHW [M, C/g, KH, KW], or pre-packed by the kernelizer into
  // [ceil(M/B), C, KH, KW, B] (B = spec.weightBlock, ConvWeightLayout.h).
  int64_t block = spec.weightBlock;
  const auto &ws = requireRank(spec, 1, block ? 5 : 4, "weights");
  int64_t N = xs[0], C = xs[1], H = xs[2], W = xs[3];
  int64_t M = ws[0], Cg = ws[1], KH = ws[2], KW = ws[3];
  int64_t groups = spec.groups;
  if (block) {
    if (block < 0 || groups != 1 || spec.outputShape.size() != 4)
      specFail("packed weights (weight_block=" + std::to_string(block) +
               ") need a dense conv (groups=1) with a 4-D output");
    M = spec.outputShape[1];
    if (packedConvWeightShape({M, Cg, KH, KW}, block) != ws)
      specFail("packed weights " + shapeText(ws) + " do not match " +
               std::to_string(M) + " output channels in blocks of " +
               std::to_string(block));
  }
  if (groups < 1 || C % groups != 0 || M % groups != 0)
    specFail("groups=" + std::to_string(groups) + " must divide C=" +
             std::to_string(C) + " and M=" + std::to_string(M));
  if (Cg != C / groups)
    specFail("weights " + shapeText(ws) +
             " need dim 1 == C/groups = " + std::to_string(C / groups));
  Window2D win = readWindow(spec, KH, KW);
  auto [OH, OW] = convOutputExtents(win, xs);
  // A strided 1x1 conv's output (and residual) may come as single rows
  // (kernels/PointwiseFlattening.h): the epilogue then reads accumulator
  // pixel q for output pixel q (the phase-split rows are OW wide; channel
  // vectors read input pixel (q % OW, q / OW) times the stride in place).
  bool flatOutput = OH > 1 && flattensPointwiseConv(spec) &&
                    spec.outputShape == std::vector<int64_t>{N, M, 1, OH * OW};
  bool padded = win.padTop || win.padLeft || win.padBottom || win.padRight;
  requireOutputShape(spec, flatOutput ? std::vector<int64_t>{N, M, 1, OH * OW}
                                      : std::vector<int64_t>{N, M, OH, OW});

  EpilogueInputs epilogueInputs = requireEpilogueInputs(spec, 2, M);
  int biasIndex = epilogueInputs.bias, residualIndex = epilogueInputs.residual;
  // Channel-blocked activations (kernels/ActivationLayout.h): the data
  // input (read in place, or through a blocked padded copy), the residual
  // and the output of a channel-vector conv.
  auto [blockedInput, blockedResidual] =
      requireBlockedConvInputs(spec, residualIndex);
  bool anyBlocked = spec.blockedInputs || spec.blockedOutput;
  if (anyBlocked && (block != kConvChannelVectorBlock || groups != 1))
    specFail("channel-blocked arguments need a channel-vector conv "
             "(weight_block=16)");
  if (spec.residualInPlace && (!blockedResidual || !spec.blockedOutput))
    specFail("residual_in_place needs a channel-blocked residual and "
             "output");

  KernelFuncs f = makeOutputFuncs(spec);
  Var ox = f.vars[0], oy = f.vars[1], m = f.vars[2], n = f.vars[3];
  // With packed weights the accumulator also covers the zero channels that
  // fill the last block (M..Mpad-1), so the channel tile always divides it;
  // their bias is clamped in bounds and their values are never read.
  int64_t paddedM = block ? (M + block - 1) / block * block : M;
  Expr biasChannel = paddedM > M ? min(m, (int)M - 1) : Expr(m);
  Expr bias = biasIndex >= 0 ? in[biasIndex](biasChannel) : Expr(0.0f);
  auto weight = [&](Expr kx, Expr ky, Expr c, Expr om) {
    if (block)
      return in[1](om % (int)block, kx, ky, c, om / (int)block);
    return in[1](kx, ky, c, om);
  };
  // NCHW output and residual (channel-vector convs: channelVectorEpilogue,
  // which also takes blocked ones).
  auto epilogue = [&](Expr v) {
    if (residualIndex >= 0)
      v += in[residualIndex](ox, oy, m, n);
    return applyActivation(spec, v);
  };
  RDom r(0, (int)KW, 0, (int)KH, 0, (int)Cg, "r");
  Func acc("conv_acc");
  f.accumulator = acc;
  f.accumulatorDomain = r;

  if (groups == 1) {
    // Dense conv over flattened rows of the phase-split padded input
    // (PhaseSplitInput): output (ox, oy) is q = oy * Wph + ox and every tap
    // is one dense vector load at a constant offset for every stride and
    // image width, so a register tile of output vectors x output channels
    // has no per-row tails or strided loads. The Wph - OW columns that wrap
    // into the next row are computed and never read (0% for unpadded 1x1,
    // 3.5% at 56x56 3x3, 22% at 7x7 3x3).
    // (An unpadded channel-blocked input is read in place; the split is
    // then only the tap arithmetic, over an NCHW view of it.)
    Func nchwInput = in[0];
    if (blockedInput) {
      Var vx, vy, vc, vn;
      nchwInput = Func("x_nchw");
      nchwInput(vx, vy, vc, vn) = blockedAt(in[0], vx, vy, vc, vn);
    }
    // A padded blocked input gets a blocked copy (dense 16-channel vectors).
    PhaseSplitInput split =
        blockedInput && padded ? phaseSplitBlockedInput(in[0], W, H, win)
                               : phaseSplitInput(nchwInput, W, H, win);
    int64_t sh = win.sh, sw = win.sw, Wph = split.rowPitch;
    Func flat = split.flat;
    Expr tx = r.x * (int)win.dw, ty = r.y * (int)win.dh;
    // A one-tap dimension is the constant 0, so bounds inference sees a
    // 1x1 conv read one phase: its interval arithmetic over r % stride
    // gave every phase, and a strided 1x1's copy was the whole input.
    Expr kx = KW == 1 ? Expr(0) : Expr(r.x), ky = KH == 1 ? Expr(0) : Expr(r.y);
    Expr tapOffset = split.tapOffset(kx, ky);
    Expr tapPhase = split.tapPhase(kx, ky);
    // Channel vectors broadcast one input element per tap, so an unpadded
    // input is read in place at any stride (no phase copy; the ResNet
    // downsampling 1x1 stride 2 convs read 1 in 4 input pixels).
    bool channelVectors = block == kConvChannelVectorBlock;
    // A padded input of a strided 3x3 window conv to rows of 14 pixels or
    // more is read in place too, blocked or NCHW, the zero padding a
    // boundary condition (Halide's loop partitioning keeps the interior
    // tiles free of it): no phase-split copy pass. Xeon, kernel_ab, paired:
    // ResNet-50's 3x3 stride-2 convs to 28x28 and 14x14 12-22 % faster at 1
    // and 2 threads, MobileNetV2's 3x3 stem (NCHW) 28-33 %. Not stride 1
    // (GoogLeNet's 5x5s at 28x28 and 14x14: 42-93 % slower), 7-pixel rows
    // (ResNet-50's 14x14 -> 7x7: 14 % slower) nor the 7x7 stems (39-65 %
    // slower): there the border tiles are most of the work.
    bool inPlacePadded = channelVectors && padded && win.sh > 1 && win.sw > 1 &&
                         KH <= 3 && KW <= 3 && OW >= 14 && OH >= 14;
    bool readInPlace = channelVectors && (!padded || inPlacePadded);
    if (split.materialize && !readInPlace) {
      // Materialized once per call (schedule): one pass over the part of
      // the input the taps read (only phase 0 for a strided 1x1).
      f.paddedInputs.push_back(flat);
      f.flatRowPitch = Wph;
    }
    if (channelVectors) {
      // Channel vectors (blocks of 16): acc(j, px, py, mb, n) is output
      // channel mb * B + j at pixel (px, py); the packed weights of a block
      // are one vector over j, and each input pixel is broadcast. Pixels
      // are indexed by (px, py), so no wrap-around columns are computed.
      Var j("j"), px("px"), py("py"), mb("mb");
      Expr channel = min(mb * (int)block + j, (int)M - 1);
      acc(j, px, py, mb, n) =
          biasIndex >= 0 ? in[biasIndex](channel) : Expr(0.0f);
      // A single-row output (flatOutput): px is the output pixel q.
      Expr ox0 = flatOutput ? px % (int)OW : Expr(px);
      Expr oy0 = flatOutput ? px / (int)OW : Expr(py);
      Expr ix = ox0 * (int)sw + tx, iy = oy0 * (int)sh + ty;
      // A strided 1x1 reads its pixels through a dense copy of them when
      // the schedule stores one (CpuSchedule.cpp); inlined it is the
      // in-place read.
      Func subsampled;
      if (blockedInput && readInPlace && KH == 1 && KW == 1 &&
          (sh > 1 || sw > 1)) {
        Var vj("vj"), vx("vx"), vy("vy"), vcb("vcb"), vn("vn");
        subsampled = Func("x_subsampled");
        subsampled(vj, vx, vy, vcb, vn) =
            in[0](vj, vx * (int)sw, vy * (int)sh, vcb, vn);
        f.conv.subsampledInput = subsampled;
      }
      Func bounded;
      if (inPlacePadded)
        bounded =
            padSpatialInPlace(in[0], blockedInput, W, H, 0.0f, "x_bounded");
      Expr bx = ix - (int)win.padLeft, by = iy - (int)win.padTop;
      Expr pixel =
          inPlacePadded ? (blockedInput ? blockedAt(bounded, bx, by, r.z, n)
                                        : bounded(bx, by, r.z, n))
          : subsampled.defined() ? blockedAt(subsampled, ox0, oy0, r.z, n)
          : split.blocked ? blockedAt(flat, py * (int)Wph + px + tapOffset,
                                      tapPhase, r.z, n)
          : blockedInput  ? blockedAt(in[0], ix, iy, r.z, n)
          : readInPlace
              ? in[0](ix, iy, r.z, n)
              : flat(py * (int)Wph + px + tapOffset, tapPhase, r.z, n);
      acc(j, px, py, mb, n) += in[1](j, r.x, r.y, r.z, mb) * pixel;
      f.conv.weights = in[1];
      channelVectorEpilogue(spec, in, acc, residualIndex, blockedResidual, f);
      f.conv.form = ConvForm::ChannelVectors;
      f.conv.blockedInput = blockedInput;
      f.conv.outputOverResidual = spec.residualInPlace;
      f.conv.accVars = {j, px, py, mb, n};
      f.conv.outWidth = flatOutput ? OH * OW : OW;
      f.conv.outHeight = flatOutput ? 1 : OH;
    } else {
      Var q("q");
      acc(q, m, n) = bias;
      acc(q, m, n) +=
          weight(r.x, r.y, r.z, m) * flat(q + tapOffset, tapPhase, r.z, n);
      if (flatOutput && Wph != OW)
        specFail("internal: a single-row output needs phase-split rows of "
                 "the output's width");
      f.output(ox, oy, m, n) = epilogue(
          flatOutput ? acc(ox, m, n) : acc(oy * (int)Wph + ox, m, n));
      f.conv.form = ConvForm::FlatPixels;
      f.conv.accVars = {q, m, n};
    }
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
  f.conv.stride = win.sh;
  f.conv.residual = residualIndex >= 0;
  f.conv.weightBlock = block;
  f.conv.paddedChannels = paddedM;
  f.conv.inputChannels = Cg;
  f.conv.inputPixels = H * W;
  f.conv.kernelWidth = KW;
  f.conv.kernelHeight = KH;
  return f;
}

} // namespace kiln
