//===- Pad.cpp - Constant padding of a tensor of any rank -----------------===//
//
// y[i] = x[i - begin] where that index is inside x, else spec.padValue. The
// pads the MLIR side could not fold into a conv2d or pooling window (a
// non-zero value, padded N/C dims, a pad with several readers) land here.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

#include <cmath>

namespace kiln {

using namespace Halide;

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
  // Halide dim k is ONNX dim rank - 1 - k. Indices are clamped so bounds
  // inference never asks for more than the input's static extent.
  std::vector<Expr> args(rank);
  Expr inside = Internal::const_true();
  for (size_t k = 0; k < rank; ++k) {
    size_t d = rank - 1 - k;
    Expr i = f.vars[k] - (int)spec.pads[d];
    inside = inside && i >= 0 && i < (int)xs[d];
    args[k] = clamp(i, 0, (int)xs[d] - 1);
  }
  f.output(f.vars) = select(inside, in[0](args), Expr(spec.padValue));
  return f;
}

} // namespace kiln
