//===- Dense.cpp - Fully connected layer ----------------------------------===//
//
// y[m, j] = act(bias[j] + sum_k x[m, k] * w[j, k]); Halide indexes a 2-D
// [rows, cols] tensor as (col, row). With weight_block=4 the weights come
// packed as [4, ceil(N/4), K/16, 16] (compiler/kernels/DenseWeightLayout.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"
#include "compiler/kernels/DenseWeightLayout.h"

namespace kiln {

using namespace Halide;

KernelFuncs buildDense(const KernelSpec &spec,
                       const std::vector<ImageParam> &in) {
  const auto &xs = requireRank(spec, 0, 2, "x");
  int64_t M = xs[0], K = xs[1];
  bool packed = spec.weightBlock != 0;
  if (packed && spec.weightBlock != kDenseWeightRows)
    specFail("dense weights pack " + std::to_string(kDenseWeightRows) +
             " rows per group (weight_block=" +
             std::to_string(spec.weightBlock) + ")");
  const auto &ws = requireRank(spec, 1, packed ? 4 : 2,
                               packed ? "packed weights" : "weights");
  int64_t N =
      packed ? (spec.outputShape.size() == 2 ? spec.outputShape[1] : 0) : ws[0];
  if (packed) {
    if (!denseWeightsPackable(N, K) || ws != packedDenseWeightShape(N, K))
      specFail("packed weights " + shapeText(ws) + " need to be " +
               shapeText(packedDenseWeightShape(N, K)) +
               " for K = " + std::to_string(K) + ", N = " + std::to_string(N) +
               " (K a multiple of " + std::to_string(kDenseWeightLanes) +
               ", at least " + std::to_string(8 * kDenseWeightLanes) + ")");
  } else if (ws[1] != K) {
    specFail("weights " + shapeText(ws) +
             " need dim 1 == K = " + std::to_string(K));
  }
  if (spec.hasBias && requireRank(spec, 2, 1, "bias")[0] != N)
    specFail("bias must be [" + std::to_string(N) + "]");
  requireOutputShape(spec, {M, N});

  KernelFuncs f = makeOutputFuncs(spec);
  Var j = f.vars[0], m = f.vars[1];
  RDom r(0, (int)K, "r");
  Func acc("dense_acc");
  acc(j, m) = spec.hasBias ? in[2](j) : Expr(0.0f);
  // w[j, k], read from the packed groups when packed.
  constexpr int R = (int)kDenseWeightRows, L = (int)kDenseWeightLanes;
  Expr w = packed ? in[1](r % L, r / L, j / R, j % R) : in[1](r, j);
  acc(j, m) += in[0](r, m) * w;
  f.output(j, m) = applyActivation(spec, acc(j, m));
  f.accumulator = acc;
  f.accumulatorDomain = r;
  return f;
}

} // namespace kiln
