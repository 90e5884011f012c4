//===- Slice.cpp - A strided window of a tensor ---------------------------===//
//
// y[i0, ..., i{r-1}] = x[start_0 + i0 * step_0, ...]: ONNX Slice, and each
// output of Split. The spec's starts and steps were checked against the
// input by the dialect's verifier; they are checked again here because a
// spec can also come from a file (kiln-codegen), and an index outside the
// input would read out of bounds.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

#include <cstdint>

namespace kiln {

using namespace Halide;

KernelFuncs buildSlice(const KernelSpec &spec,
                       const std::vector<ImageParam> &in) {
  const auto &xs = spec.inputShapes[0];
  const auto &ys = spec.outputShape;
  size_t rank = xs.size();
  if (ys.size() != rank || spec.sliceStarts.size() != rank ||
      spec.sliceSteps.size() != rank)
    specFail("slice of input " + shapeText(xs) + " to " + shapeText(ys) +
             " needs " + std::to_string(rank) + " starts and steps, got " +
             shapeText(spec.sliceStarts) + " and " +
             shapeText(spec.sliceSteps));
  for (size_t d = 0; d < rank; ++d) {
    int64_t start = spec.sliceStarts[d], step = spec.sliceSteps[d];
    int64_t size = ys[d];
    // Halide indexes in int32: a step beyond it is refused, not wrapped.
    bool stepFits = step != 0 && step >= -INT32_MAX && step <= INT32_MAX;
    int64_t room = !stepFits ? -1
                   : step > 0 ? (xs[d] - 1 - start) / step
                              : start / -step;
    if (start < 0 || start >= xs[d] || size <= 0 || size - 1 > room)
      specFail("slice of dim " + std::to_string(d) + " (start " +
               std::to_string(start) + ", step " + std::to_string(step) +
               ", " + std::to_string(size) + " elements) does not fit input " +
               shapeText(xs));
  }
  KernelFuncs f = makeOutputFuncs(spec);
  // Halide dim of ONNX dim d is rank - 1 - d.
  std::vector<Expr> args(rank);
  for (size_t d = 0; d < rank; ++d) {
    Expr i = f.vars[rank - 1 - d];
    args[rank - 1 - d] = spec.sliceStarts[d] == 0 && spec.sliceSteps[d] == 1
                             ? i
                             : Expr((int)spec.sliceStarts[d]) +
                                   i * (int)spec.sliceSteps[d];
  }
  f.output(f.vars) = applyActivation(spec, in[0](args));
  return f;
}

} // namespace kiln
