//===- ChannelVectorStages.cpp - Depthwise / 1x1 stages on channel vectors ===//
//
// The stages that the channel-vector forms of the fused kernels share
// (InvertedResidualChannelVectors.cpp, SeparableConv.cpp with a blocked
// input): a depthwise conv over a source laid out like a channel-blocked
// tensor, src(j, x, y, cb, n) = channel cb * 16 + j at pixel (x, y), and a
// 1x1 conv over such a stage with weights packed in blocks of 16 output
// channels, plus the channel-vector epilogue (shared with Conv.cpp's
// channel-vector convs). 16 channels of one pixel are one vector, so
// the depthwise taps are whole-vector loads at any stride, and the 1x1
// stage multiplies weight vectors by broadcast pixels (Conv.cpp's
// ChannelVectors form).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"
#include "compiler/kernels/ConvWeightLayout.h"

namespace kiln {

using namespace Halide;

void channelVectorEpilogue(const KernelSpec &spec,
                           const std::vector<ImageParam> &in, const Func &acc,
                           int residualIndex, bool blockedResidual,
                           KernelFuncs &f, int accumulatorBlock) {
  const int block = accumulatorBlock;
  const std::vector<Var> &v = f.vars;
  if (spec.blockedOutput) {
    // Stored as computed: 16-channel vectors, no transpose.
    Expr val = acc(v[0], v[1], v[2], v[3], v[4]);
    if (residualIndex >= 0)
      val += blockedResidual
                 ? in[residualIndex](v[0], v[1], v[2], v[3], v[4])
                 : in[residualIndex](v[1], v[2], v[3] * block + v[0], v[4]);
    f.output(v[0], v[1], v[2], v[3], v[4]) = applyActivation(spec, val);
  } else {
    Var ox = v[0], oy = v[1], m = v[2], n = v[3];
    Func sum = acc;
    if (blockedResidual) {
      // A blocked residual is added in the accumulator's layout, before
      // the transpose to NCHW (after it, each would be a gather).
      std::vector<Var> a = acc.args();
      sum = Func("acc_residual");
      sum(a) = acc(a) + in[residualIndex](a);
      f.conv.residualSum = sum;
    }
    Expr val = sum(m % block, ox, oy, m / block, n);
    if (residualIndex >= 0 && !blockedResidual)
      val += in[residualIndex](ox, oy, m, n);
    f.output(ox, oy, m, n) = applyActivation(spec, val);
  }
  f.conv.blockedOutput = spec.blockedOutput;
}

Func depthwiseOnChannelVectors(const Func &src, const ImageParam &weights,
                               const ImageParam &bias, const Window2D &win,
                               int64_t kernelHeight, int64_t kernelWidth,
                               Expr x0, Expr y0, const KernelSpec &spec,
                               KernelFuncs &f) {
  const int block = (int)kConvChannelVectorBlock;
  // The weights as channel vectors: packed at compile time (one dense
  // vector per tap), or OIHW transposed once per call (OIHW reads would be
  // strided gathers; the transpose's gathers took 3-10 us per call before
  // the first task, a few percent of MobileNetV2's 7x7 kernels).
  Var j("j"), kx("kx"), ky("ky"), cb("cb"), n("n"), x("dx"), y("dy");
  Func w("dw_w");
  if (weights.dimensions() == 5) {
    w(j, kx, ky, cb) = weights(j, kx, ky, 0, cb);
  } else {
    w(j, kx, ky, cb) = weights(kx, ky, 0, cb * block + j);
    f.weightStages.push_back(w);
  }

  Expr sum = bias(cb * block + j);
  for (int ty = 0; ty < (int)kernelHeight; ++ty)
    for (int tx = 0; tx < (int)kernelWidth; ++tx)
      sum += w(j, tx, ty, cb) * src(j, x * (int)win.sw + tx * (int)win.dw + x0,
                                    y * (int)win.sh + ty * (int)win.dh + y0,
                                    cb, n);
  Func mid("dw_mid");
  mid(j, x, y, cb, n) = applyStageActivation(
      spec.dwActivation, spec.dwActParam0, spec.dwActParam1, sum);
  return mid;
}

int channelVectorAccumulatorBlock(const KernelSpec &spec, int fullRateLanes) {
  const int64_t half = kConvChannelVectorBlock / 2;
  int64_t M = spec.outputShape.size() > 1 ? spec.outputShape[1] : 0;
  bool oddHalves = M % kConvChannelVectorBlock == half;
  return oddHalves && !spec.blockedOutput && fullRateLanes <= half
             ? (int)half
             : (int)kConvChannelVectorBlock;
}

void pointwiseOnChannelVectors(const Func &mid, int64_t C,
                               const ImageParam &weights,
                               const ImageParam &bias, int residualIndex,
                               bool blockedResidual,
                               const std::vector<ImageParam> &in,
                               const KernelSpec &spec, KernelFuncs &f,
                               int accumulatorBlock, int64_t flatMidWidth) {
  const int weightBlock = (int)kConvChannelVectorBlock;
  const int block = accumulatorBlock;
  if (block <= 0 || weightBlock % block)
    specFail("internal: accumulator blocks of " + std::to_string(block) +
             " channels must divide the weight blocks of " +
             std::to_string(weightBlock));
  int64_t M = spec.outputShape[1];
  Var j("pj"), px("px"), py("py"), mb("mb"), n("n");
  RDom r(0, 1, 0, 1, 0, (int)C, "r");
  Func acc("pw_acc");
  acc(j, px, py, mb, n) = bias(min(mb * block + j, (int)M - 1));
  // Accumulator block mb is part mb % k of weight block mb / k (k blocks
  // per weight block): one dense vector load at any mb.
  int perWeightBlock = weightBlock / block;
  Expr wj = perWeightBlock > 1 ? j + (mb % perWeightBlock) * block : Expr(j);
  Expr wb = perWeightBlock > 1 ? mb / perWeightBlock : Expr(mb);
  // A flat output row (flatMidWidth > 0) reads mid's pixel (q % W, q / W):
  // per register tile, outside the reduction.
  Expr mx = px, my = py;
  if (flatMidWidth > 0) {
    mx = px % (int)flatMidWidth;
    my = px / (int)flatMidWidth;
  }
  acc(j, px, py, mb, n) += weights(wj, 0, 0, r.z, wb) *
                           mid(r.z % weightBlock, mx, my, r.z / weightBlock, n);

  channelVectorEpilogue(spec, in, acc, residualIndex, blockedResidual, f,
                        block);

  f.accumulator = acc;
  f.accumulatorDomain = r;
  f.depthwiseStage = mid;
  f.conv.form = ConvForm::ChannelVectors;
  f.conv.accVars = {j, px, py, mb, n};
  f.conv.outWidth = spec.outputShape[3];
  f.conv.outHeight = spec.outputShape[2];
  f.conv.weightBlock = block;
  f.conv.channels = M;
  f.conv.paddedChannels = (M + block - 1) / block * block;
  f.conv.inputChannels = C;
  f.conv.kernelWidth = 1;
  f.conv.blockedMid = true;
  f.conv.blockedInput = true;
}

Expr depthwiseWeight(const ImageParam &weights, Expr kx, Expr ky, Expr c) {
  const int block = (int)kConvChannelVectorBlock;
  return weights.dimensions() == 5 ? weights(c % block, kx, ky, 0, c / block)
                                   : weights(kx, ky, 0, c);
}

} // namespace kiln
