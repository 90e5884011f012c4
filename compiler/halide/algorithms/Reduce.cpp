//===- Reduce.cpp - Sum, mean, max or min over some dimensions ------------===//
//
// y[kept dims] = reduce of x over `axes` (KernelSpec::reduce). The
// reduction is the kernel's accumulator: one RDom over the reduced dims,
// innermost first, so the generic CPU schedule computes it per output
// vector with the reduced loops inside.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

#include <limits>

namespace kiln {

using namespace Halide;

KernelFuncs buildReduce(const KernelSpec &spec,
                        const std::vector<ImageParam> &in) {
  const auto &xs = spec.inputShapes[0];
  int64_t rank = (int64_t)xs.size();
  if (spec.axes.empty())
    specFail("reduce needs at least one axis");
  std::vector<bool> reduced(rank, false);
  for (size_t i = 0; i < spec.axes.size(); ++i) {
    int64_t a = spec.axes[i];
    if (a < 0 || a >= rank || (i && a <= spec.axes[i - 1]))
      specFail("axes " + shapeText(spec.axes) +
               " must be increasing dims of input " + shapeText(xs));
    reduced[a] = true;
  }
  std::vector<int64_t> expected;
  int64_t count = 1;
  for (int64_t d = 0; d < rank; ++d) {
    if (reduced[d])
      count *= xs[d];
    if (!reduced[d] || spec.keepdims)
      expected.push_back(reduced[d] ? 1 : xs[d]);
  }
  requireOutputShape(spec, expected);

  KernelFuncs f = makeOutputFuncs(spec);
  int64_t outRank = (int64_t)expected.size();
  // Reduced dims, innermost (Halide order) first.
  std::vector<Range> ranges;
  for (int64_t d = rank - 1; d >= 0; --d)
    if (reduced[d])
      ranges.emplace_back(0, (int)xs[d]);
  RDom r(ranges, "r");
  // The input point: Halide dim h is ONNX dim rank - 1 - h.
  std::vector<Expr> args(rank);
  int64_t nextR = 0, outDim = outRank - 1; // ONNX output dim, innermost first
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (reduced[d]) {
      args[rank - 1 - d] = r[nextR++];
      if (spec.keepdims)
        --outDim;
    } else {
      args[rank - 1 - d] = f.vars[outRank - 1 - outDim];
      --outDim;
    }
  }
  Func acc("reduce_acc");
  Expr x = in[0](args);
  Expr result;
  switch (spec.reduce) {
  case ReduceKind::Sum:
  case ReduceKind::Mean:
    acc(f.vars) = 0.0f;
    acc(f.vars) += x;
    break;
  case ReduceKind::Max:
    acc(f.vars) = -std::numeric_limits<float>::infinity();
    acc(f.vars) = max(acc(f.vars), x);
    break;
  case ReduceKind::Min:
    acc(f.vars) = std::numeric_limits<float>::infinity();
    acc(f.vars) = min(acc(f.vars), x);
    break;
  }
  result = acc(f.vars);
  if (spec.reduce == ReduceKind::Mean)
    result = result / (float)count;
  f.output(f.vars) = applyActivation(spec, result);
  f.accumulator = acc;
  f.accumulatorDomain = r;
  return f;
}

} // namespace kiln
