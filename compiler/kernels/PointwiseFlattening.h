//===- PointwiseFlattening.h - 1x1 convs over whole planes ------*- C++ -*-===//
//
// A dense 1x1 unpadded conv with stride s reads input pixel (s*oy, s*ox) for
// output pixel (oy, ox). Its kernel may see the NCHW output (and residual)
// [N, M, OH, OW] as one row [N, M, 1, OH*OW] (the same bytes, dense
// strides), and at stride 1 the input [N, C, H, W] too. The kernelizer
// gives such convs that view (Kernelize.cpp) and the CPU schedule then runs
// register tiles along whole channel planes, from registers straight to the
// output (schedules/CpuSchedule.cpp, scheduleFlatConvByTiles) instead of
// stopping at row ends; a strided one first copies the pixels it reads into
// a dense plane (the phase-split copy, algorithms/PhaseSplitInput.cpp).
// Channel-vector convs (weight blocks of 16) keep their rows (their tiles
// walk rows in place at any stride), except on images of fewer than 14
// rows: there a row of 7 pixels left register tiles of 4 or 5 pixels
// (AVX2) partly empty, and one 49-pixel row wastes at most a pixel a
// plane. A strided one still reads its input in place (its tile's pixel
// addresses computed once per tile, outside the reduction). The view is
// the same for channel-blocked tensors ([N][C/16][H][W][16] =
// [N][C/16][1][H*W][16]); their tasks stay channel tiles.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELS_POINTWISEFLATTENING_H
#define KILN_COMPILER_KERNELS_POINTWISEFLATTENING_H

#include "compiler/kernels/ConvWeightLayout.h"
#include "compiler/kernels/KernelSpec.h"

namespace kiln {

/// Whether the kernel for `spec` (with its weight block already chosen) sees
/// its output planes as single rows.
inline bool flattensPointwiseConv(const KernelSpec &spec) {
  if (spec.kind != KernelKind::Conv2D || spec.groups != 1 ||
      spec.kernel != std::vector<int64_t>{1, 1} || spec.strides.size() != 2 ||
      spec.strides[0] < 1 || spec.strides[1] < 1 ||
      spec.pads != std::vector<int64_t>{0, 0, 0, 0} ||
      spec.dilations != std::vector<int64_t>{1, 1} || spec.winogradTile ||
      spec.outputShape.size() != 4 || spec.inputShapes.empty() ||
      spec.inputShapes[0].size() != 4)
    return false;
  if (spec.weightBlock != kConvChannelVectorBlock)
    return true;
  // Channel vectors: short images only. Measured in the networks on an
  // AVX2 AMD EPYC (kernel_ab, 1 thread): the 7x7 1x1s -6 to -8 %
  // (ResNet-50), -7 to -12 % (GoogLeNet, MobileNetV2); at 14x14 (row-block
  // tasks otherwise) no change beyond noise.
  return spec.outputShape[2] < 14;
}

/// [N, C, H, W] -> [N, C, 1, H*W]; a channel-blocked view [N, C/16, H, W,
/// 16] -> [N, C/16, 1, H*W, 16].
inline std::vector<int64_t> flatPlaneShape(const std::vector<int64_t> &s) {
  if (s.size() == 5)
    return {s[0], s[1], 1, s[2] * s[3], s[4]};
  return {s[0], s[1], 1, s[2] * s[3]};
}

/// Rewrites the output and inputs `images` of `spec` to single rows;
/// returns `images`.
inline std::vector<size_t> flattenImageShapes(KernelSpec &spec,
                                              std::vector<size_t> images) {
  for (size_t i : images)
    spec.inputShapes[i] = flatPlaneShape(spec.inputShapes[i]);
  spec.outputShape = flatPlaneShape(spec.outputShape);
  return images;
}

/// Rewrites the image shapes of `spec` (the output, the residual when
/// present, x at stride 1) to single rows; the weights and bias keep
/// theirs. Returns the indices of the rewritten inputs (the output is
/// always rewritten).
inline std::vector<size_t> flattenPointwiseConv(KernelSpec &spec) {
  // Inputs: x, weights, then bias and residual when present.
  std::vector<size_t> rewritten;
  if (spec.strides == std::vector<int64_t>{1, 1})
    rewritten.push_back(0);
  if (spec.hasResidual)
    rewritten.push_back(spec.inputShapes.size() - 1);
  return flattenImageShapes(spec, std::move(rewritten));
}

/// Whether the separable (depthwise then 1x1) kernel for `spec` sees its
/// output and residual as single rows: channel-blocked arguments (both
/// stages on channel vectors) on images of fewer than 14 rows, as for the
/// channel-vector 1x1 convs above. Its depthwise stage keeps the input's
/// rows (computed whole, before the 1x1 stage); the 1x1 stage's register
/// tiles run along the flat pixels and read depthwise pixel (q % OW,
/// q / OW). MobileNetV2's 7x7 separable kernels on an AVX2 AMD EPYC: a
/// row of 7 took two tiles of 4 pixels (8 accumulators, FMA-latency
/// bound); 49 pixels take ten of 5. Holds before and after the rewrite.
inline bool flattensSeparablePointwise(const KernelSpec &spec) {
  return spec.kind == KernelKind::SeparableConv2D &&
         spec.weightBlock == kConvChannelVectorBlock &&
         (spec.blockedInputs || spec.blockedOutput) &&
         spec.outputShape.size() == 4 && spec.outputShape[2] < 14;
}

/// Rewrites the output (and residual) shapes of a separable spec to single
/// rows. Returns the indices of the rewritten inputs.
inline std::vector<size_t> flattenSeparablePointwise(KernelSpec &spec) {
  // Inputs: x, depthwise weights and bias, pointwise weights and bias,
  // then the residual when present.
  std::vector<size_t> rewritten;
  if (spec.hasResidual && !spec.inputShapes.empty())
    rewritten.push_back(spec.inputShapes.size() - 1);
  return flattenImageShapes(spec, std::move(rewritten));
}

} // namespace kiln

#endif // KILN_COMPILER_KERNELS_POINTWISEFLATTENING_H
