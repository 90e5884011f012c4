//===- Softmax.cpp - Numerically stable softmax along one axis ------------===//
//
// y = exp(x - max) / sum(exp(x - max)) along `axis`; subtracting the max
// keeps exp from overflowing and leaves the result unchanged.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

namespace kiln {

using namespace Halide;

KernelFuncs buildSoftmax(const KernelSpec &spec,
                         const std::vector<ImageParam> &in) {
  const auto &xs = spec.inputShapes[0];
  requireOutputShape(spec, xs);
  if (spec.axis < 0 || spec.axis >= (int64_t)xs.size())
    specFail("axis " + std::to_string(spec.axis) + " out of range for rank " +
             std::to_string(xs.size()));
  KernelFuncs f = makeOutputFuncs(spec);
  size_t h = xs.size() - 1 - (size_t)spec.axis; // Halide dim of the axis.
  for (size_t i = 0; i < f.vars.size(); ++i)
    if (i != h) {
      f.statVars.push_back(f.vars[i]);
      f.statExtents.push_back(f.extents[i]);
    }
  RDom r(0, (int)f.extents[h], "r");
  // Argument lists: the row point with the axis index replaced by r.
  std::vector<Expr> rowArgs(f.statVars.begin(), f.statVars.end());
  std::vector<Expr> inArgs(f.vars.begin(), f.vars.end());
  inArgs[h] = r;

  Func rowMax("softmax_max");
  rowMax(rowArgs) = Float(32).min();
  rowMax(rowArgs) = max(rowMax(rowArgs), in[0](inArgs));

  Func shifted("softmax_exp");
  shifted(f.vars) = exp(in[0](f.vars) - rowMax(rowArgs));

  Func rowSum("softmax_sum");
  rowSum(rowArgs) = 0.0f;
  rowSum(rowArgs) += shifted(inArgs);

  f.output(f.vars) = applyActivation(spec, shifted(f.vars) / rowSum(rowArgs));
  f.stats = {rowMax, rowSum};
  f.statDomain = r;
  return f;
}

} // namespace kiln
