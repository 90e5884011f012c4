//===- Dense.cpp - Fully connected layer ----------------------------------===//
//
// y[m, j] = act(bias[j] + sum_k x[m, k] * w[j, k]); Halide indexes a 2-D
// [rows, cols] tensor as (col, row).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

namespace kiln {

using namespace Halide;

KernelFuncs buildDense(const KernelSpec &spec,
                       const std::vector<ImageParam> &in) {
  const auto &xs = requireRank(spec, 0, 2, "x");
  const auto &ws = requireRank(spec, 1, 2, "weights");
  int64_t M = xs[0], K = xs[1], N = ws[0];
  if (ws[1] != K)
    specFail("weights " + shapeText(ws) +
             " need dim 1 == K = " + std::to_string(K));
  if (spec.hasBias && requireRank(spec, 2, 1, "bias")[0] != N)
    specFail("bias must be [" + std::to_string(N) + "]");
  requireOutputShape(spec, {M, N});

  KernelFuncs f = makeOutputFuncs(spec);
  Var j = f.vars[0], m = f.vars[1];
  RDom r(0, (int)K, "r");
  Func acc("dense_acc");
  acc(j, m) = spec.hasBias ? in[2](j) : Expr(0.0f);
  acc(j, m) += in[0](r, m) * in[1](r, j);
  f.output(j, m) = applyActivation(spec, acc(j, m));
  f.accumulator = acc;
  f.accumulatorDomain = r;
  return f;
}

} // namespace kiln
