//===- Pad.cpp - Constant padding of a tensor of any rank -----------------===//
//
// y[i] = x[i - begin] where that index is inside x; outside it, per
// spec.padMode, spec.padValue or the input cell that ONNX Pad's edge /
// reflect / wrap mode names. The constant pads the MLIR side could not fold
// into a conv2d or pooling window (a non-zero value, padded N/C dims, a pad
// with several readers) and every pad of another mode land here.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

#include <cmath>

namespace kiln {

using namespace Halide;

namespace {

/// Index i itself inside [0, n), else `outside`: `likely` lets loop
/// partitioning give the interior a loop of dense vector loads, where the
/// modular forms alone made every load a gather (reflect and wrap pads of
/// 1x32x256x256 by 1 took 4-5x the time of an edge pad). The clamp changes
/// no value; it keeps bounds inference inside the input.
Expr insideOrElse(const Expr &i, int n, const Expr &outside) {
  return select(i >= 0 && i < n, likely(clamp(i, 0, n - 1)), outside);
}

} // namespace

KernelFuncs buildPad(const KernelSpec &spec,
                     const std::vector<ImageParam> &in) {
  const auto &xs = spec.inputShapes[0];
  size_t rank = xs.size();
  if (spec.pads.size() != 2 * rank)
    specFail("pads " + shapeText(spec.pads) + " needs " +
             std::to_string(2 * rank) +
             " values (begins, then ends) for input " + shapeText(xs));
  std::vector<int64_t> expected(rank);
  for (size_t d = 0; d < rank; ++d) {
    int64_t begin = spec.pads[d], end = spec.pads[rank + d];
    if (begin < 0 || end < 0)
      specFail("pads " + shapeText(spec.pads) +
               " are negative (cropping is unsupported)");
    expected[d] = xs[d] + begin + end;
  }
  requireOutputShape(spec, expected);
  if (std::isnan(spec.padValue))
    specFail("pad value is NaN");

  KernelFuncs f = makeOutputFuncs(spec);
  // Halide dim k is ONNX dim rank - 1 - k. Every mode maps the output index
  // to an input index inside x (no dim is empty: buildPipeline refuses
  // those), so bounds inference never asks for more than the input's static
  // extent.
  std::vector<Expr> args(rank);
  Expr inside = Internal::const_true();
  for (size_t k = 0; k < rank; ++k) {
    size_t d = rank - 1 - k;
    Expr i = f.vars[k] - (int)spec.pads[d];
    int n = (int)xs[d];
    inside = inside && i >= 0 && i < n;
    if (spec.pads[d] == 0 && spec.pads[rank + d] == 0) {
      args[k] = i; // not padded: the index is always inside
      continue;
    }
    switch (spec.padMode) {
    case PadMode::Constant:
    case PadMode::Edge:
      args[k] = clamp(i, 0, n - 1);
      break;
    case PadMode::Wrap:
      // Halide's % of a positive divisor is never negative.
      args[k] = insideOrElse(i, n, i % n);
      break;
    case PadMode::Reflect: {
      // Mirroring about cells 0 and n - 1 repeats with period 2 (n - 1);
      // within one period the index walks up to n - 1 and back down.
      if (n == 1) {
        args[k] = 0;
        break;
      }
      // The clamp changes no value; it tells bounds inference so.
      Expr j = i % (2 * (n - 1));
      args[k] = insideOrElse(i, n, clamp(min(j, 2 * (n - 1) - j), 0, n - 1));
      break;
    }
    }
  }
  if (spec.padMode == PadMode::Constant)
    f.output(f.vars) = select(inside, in[0](args), Expr(spec.padValue));
  else
    f.output(f.vars) = in[0](args);
  return f;
}

} // namespace kiln
