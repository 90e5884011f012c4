//===- WinogradConv.cpp - Winograd F(m x m, r x r) convolution ------------===//
//
// y = act(conv(x, w) + bias + residual) for dense 3x3 and 5x5 stride-1
// convs (3x3 also at stride 2: WinogradLayout.h's kWinogradBtS2), as
// Y = A^T [U . (B^T d B)] A per m x m output tile (WinogradLayout.h), with
// U = G w G^T transformed at compile time and the products summed over
// input channels. Stages (WinogradConv.h): input tile rows and columns
// transformed (B^T d B), one [M x C] x [C x tiles] product per tile
// position with output channels as vector lanes, the output transform
// (A^T . A) plus bias per channel block, then the residual and activation
// per output pixel like the direct conv.
//
// The transforms are written out per tile position with their constant
// coefficients (zero terms dropped, +-1 without a multiply), selected by
// the position; the schedule unrolls the positions so each select folds
// to one short sum.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/WinogradConv.h"

#include "compiler/halide/algorithms/Algorithms.h"
#include "compiler/kernels/WinogradLayout.h"

#include <functional>

namespace kiln {

using namespace Halide;

namespace {

/// sum_k coeffs[k] * term(k) over the non-zero coefficients.
Expr linearCombination(const float *coeffs, int count,
                       const std::function<Expr(int)> &term) {
  Expr sum;
  for (int k = 0; k < count; ++k) {
    float w = coeffs[k];
    if (w == 0.0f)
      continue;
    Expr t = term(k);
    if (w == -1.0f)
      sum = sum.defined() ? sum - t : -t;
    else {
      Expr scaled = w == 1.0f ? t : w * t;
      sum = sum.defined() ? sum + scaled : scaled;
    }
  }
  return sum.defined() ? sum : Expr(0.0f);
}

/// cases[index] for an index in [0, cases.size()): constant once the
/// index's loop is unrolled.
Expr selectByIndex(Expr index, const std::vector<Expr> &cases) {
  Expr result = cases.back();
  for (int k = (int)cases.size() - 2; k >= 0; --k)
    result = select(index == k, cases[k], result);
  return result;
}

} // namespace

KernelFuncs buildWinogradConv2D(const KernelSpec &spec,
                                const std::vector<ImageParam> &in) {
  const auto &xs = requireRank(spec, 0, 4, "x");
  int64_t N = xs[0], C = xs[1], H = xs[2], W = xs[3];
  if (spec.outputShape.size() != 4)
    specFail("output must have 4 dims, got " + shapeText(spec.outputShape));
  int64_t M = spec.outputShape[1];
  int64_t m = spec.winogradTile;
  if (!winogradApplies(spec.groups, spec.kernel, spec.strides, spec.dilations,
                       spec.pads))
    specFail("winograd_tile needs a dense 3x3 or 5x5 conv with stride 1 "
             "(3x3: or 2), dilation 1 and pads <= 1 (3x3) or 2 (5x5)");
  int64_t r = spec.kernel[0];
  // Square strides (winogradApplies): 1, or 2 for 3x3 windows.
  int64_t stride = spec.strides[0];
  if (!winogradTransformExists(m, r, stride))
    specFail("winograd_tile " + std::to_string(m) + " has no transform for " +
             std::to_string(r) + "x" + std::to_string(r) +
             " windows at stride " + std::to_string(stride) +
             " (3x3: 2, 3 or 4, 5x5: 2; at stride 2, 3x3: 2)");
  if (spec.weightBlock != kWinogradBlock)
    specFail("winograd_tile needs weight_block=" +
             std::to_string(kWinogradBlock));
  const auto &ws = requireRank(spec, 1, 4, "weights");
  if (ws != winogradWeightShape(M, C, m, r, stride))
    specFail("Winograd weights " + shapeText(ws) + " must be " +
             shapeText(winogradWeightShape(M, C, m, r, stride)) + " for " +
             std::to_string(M) + " output and " + std::to_string(C) +
             " input channels");
  Window2D win = readWindow(spec, r, r);
  auto [OH, OW] = convOutputExtents(win, xs);
  requireOutputShape(spec, {N, M, OH, OW});
  EpilogueInputs epilogueInputs = requireEpilogueInputs(spec, 2, M);
  int biasIndex = epilogueInputs.bias, residualIndex = epilogueInputs.residual;
  // Channel-blocked (kernels/ActivationLayout.h): the input (the input
  // transform then runs on 16-channel vectors), the residual and the
  // output (the output transform's own layout).
  auto [blockedInput, blockedResidual] =
      requireBlockedConvInputs(spec, residualIndex);

  auto stages = std::make_shared<WinogradStages>();
  WinogradStages &s = *stages;
  s.weights = in[1].parameter();
  WinogradTransform t = winogradTransform(m, r, stride);
  int alpha = t.alpha, tile = (int)m, B = (int)kWinogradBlock;
  s.tile = m;
  s.alpha = alpha;
  s.stride = stride;
  s.tilesX = (OW + m - 1) / m;
  s.tilesY = (OH + m - 1) / m;
  s.channels = M;
  s.paddedChannels = ws[1] * B;
  s.inputChannels = C;
  s.block = B;
  Var a = s.a, b = s.b, i = s.i, j = s.j, c = s.c, u = s.u, tx = s.tx,
      ty = s.ty, mb = s.mb, n = s.n, ox = s.ox, oy = s.oy;

  // Input transform, rows then columns: V = B^T d B. A blocked input is
  // padded as blocked: xpad(k, x, y, cb, n), channel cb * 16 + k, a
  // boundary condition the schedule leaves inline (read in place).
  s.blockedInput = blockedInput;
  std::function<Expr(Expr, Expr)> padded;
  if (blockedInput) {
    s.paddedInput =
        padSpatialBlocked(in[0], W, H, 0.0f, "wino_x_padded_blocked");
    padded = [&](Expr x, Expr y) {
      return blockedAt(s.paddedInput, x, y, c, n);
    };
  } else {
    s.paddedInput = padSpatial(in[0], W, H, 0.0f, "wino_x_padded");
    padded = [&](Expr x, Expr y) { return s.paddedInput(x, y, c, n); };
  }
  // A tile's input patch starts tile * stride pixels after its neighbour's.
  Expr x0 = tx * (int)(tile * stride) - (int)win.padLeft,
       y0 = ty * (int)(tile * stride) - (int)win.padTop;
  s.rowTransform = Func("wino_rows");
  std::vector<Expr> rowCases;
  for (int k = 0; k < alpha; ++k)
    rowCases.push_back(linearCombination(t.bt + k * alpha, alpha, [&](int col) {
      return padded(x0 + col, y0 + j);
    }));
  s.rowTransform(a, j, c, tx, ty, n) = selectByIndex(a, rowCases);
  s.inputTransform = Func("wino_v");
  std::vector<Expr> colCases;
  for (int k = 0; k < alpha; ++k)
    colCases.push_back(linearCombination(t.bt + k * alpha, alpha, [&](int row) {
      return s.rowTransform(a, row, c, tx, ty, n);
    }));
  s.inputTransform(a, b, c, tx, ty, n) = selectByIndex(b, colCases);

  // One product per tile position (a, b), output channels innermost.
  s.reduction = RDom(0, (int)C, "wr");
  s.product = Func("wino_product");
  s.product(j, tx, ty, mb, a, b, n) = 0.0f;
  // The block is clamped: a channel group split with GuardWithIf computes
  // its products over whole groups, past the last block when the groups do
  // not divide the blocks (GoogLeNet's 208 channels in groups of 3 blocks
  // on AVX2); those lanes are never stored, but must not read past U.
  s.product(j, tx, ty, mb, a, b, n) +=
      in[1](j, s.reduction, min(mb, (int)ws[1] - 1), b * alpha + a) *
      s.inputTransform(a, b, s.reduction, tx, ty, n);

  // Output transform, columns then rows: Y = A^T P A (+ bias).
  s.columnTransform = Func("wino_cols");
  std::vector<Expr> outColCases;
  for (int k = 0; k < tile; ++k)
    outColCases.push_back(
        linearCombination(t.at + k * alpha, alpha, [&](int col) {
          return s.product(j, tx, ty, mb, col, b, n);
        }));
  s.columnTransform(j, u, b, tx, ty, mb, n) = selectByIndex(u, outColCases);
  Expr v = oy % tile;
  std::vector<Expr> outRowCases;
  for (int k = 0; k < tile; ++k)
    outRowCases.push_back(
        linearCombination(t.at + k * alpha, alpha, [&](int row) {
          return s.columnTransform(j, ox % tile, row, ox / tile, oy / tile, mb,
                                   n);
        }));
  Expr bias =
      biasIndex >= 0 ? in[biasIndex](min(mb * B + j, (int)M - 1)) : Expr(0.0f);
  // A blocked residual with an NCHW output is added here, in channel
  // vectors (after the transpose to NCHW each would be a gather); clamped,
  // since Y covers whole tiles past the image.
  if (blockedResidual && !spec.blockedOutput)
    bias += in[residualIndex](j, min(ox, (int)OW - 1), min(oy, (int)OH - 1),
                              min(mb, (int)ws[1] - 1), n);
  s.outputTransform = Func("wino_y");
  s.outputTransform(j, ox, oy, mb, n) = selectByIndex(v, outRowCases) + bias;

  KernelFuncs f = makeOutputFuncs(spec);
  if (spec.blockedOutput) {
    // Stored as transformed: 16-channel vectors, no transpose.
    Var fj = f.vars[0], fx = f.vars[1], fy = f.vars[2], fb = f.vars[3],
        fn = f.vars[4];
    Expr y = s.outputTransform(fj, fx, fy, fb, fn);
    if (residualIndex >= 0)
      y += blockedResidual ? in[residualIndex](fj, fx, fy, fb, fn)
                           : in[residualIndex](fx, fy, fb * B + fj, fn);
    f.output(fj, fx, fy, fb, fn) = applyActivation(spec, y);
  } else {
    Var fx = f.vars[0], fy = f.vars[1], fm = f.vars[2], fn = f.vars[3];
    Expr y = s.outputTransform(fm % B, fx, fy, fm / B, fn);
    if (residualIndex >= 0 && !blockedResidual)
      y += in[residualIndex](fx, fy, fm, fn);
    f.output(fx, fy, fm, fn) = applyActivation(spec, y);
  }
  s.blockedOutput = spec.blockedOutput;
  f.winograd = stages;
  return f;
}

} // namespace kiln
