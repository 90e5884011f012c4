//===- Transpose.cpp - Permutation of a tensor's dimensions ---------------===//
//
// y[i0, ..., i{r-1}] = x[j] with j[perm[k]] = i[k]: output dim k reads input
// dim perm[k]. Both sides are dense, so this is a strided copy.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

namespace kiln {

using namespace Halide;

KernelFuncs buildTranspose(const KernelSpec &spec,
                           const std::vector<ImageParam> &in) {
  const auto &xs = spec.inputShapes[0];
  size_t rank = xs.size();
  if (spec.perm.size() != rank)
    specFail("perm " + shapeText(spec.perm) + " needs " + std::to_string(rank) +
             " values for input " + shapeText(xs));
  std::vector<bool> seen(rank, false);
  std::vector<int64_t> expected(rank);
  for (size_t k = 0; k < rank; ++k) {
    int64_t p = spec.perm[k];
    if (p < 0 || p >= (int64_t)rank || seen[p])
      specFail("perm " + shapeText(spec.perm) + " is not a permutation of 0.." +
               std::to_string(rank - 1));
    seen[p] = true;
    expected[k] = xs[p];
  }
  requireOutputShape(spec, expected);
  KernelFuncs f = makeOutputFuncs(spec);
  // Halide dim of ONNX dim d is rank - 1 - d.
  std::vector<Expr> args(rank);
  for (size_t k = 0; k < rank; ++k)
    args[rank - 1 - spec.perm[k]] = f.vars[rank - 1 - k];
  f.output(f.vars) = applyActivation(spec, in[0](args));
  return f;
}

} // namespace kiln
