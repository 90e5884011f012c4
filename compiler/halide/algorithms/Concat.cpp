//===- Concat.cpp - Concatenation along one axis --------------------------===//
//
// Each output element selects the input whose slice covers it along the
// axis. Indices are clamped into every input so bounds inference never asks
// an input for more than its static extent (select evaluates all branches).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

namespace kiln {

using namespace Halide;

KernelFuncs buildConcat(const KernelSpec &spec,
                        const std::vector<ImageParam> &in) {
  size_t rank = spec.outputShape.size();
  if (spec.axis < 0 || spec.axis >= (int64_t)rank)
    specFail("axis " + std::to_string(spec.axis) + " out of range for rank " +
             std::to_string(rank));
  size_t axis = (size_t)spec.axis;
  std::vector<int64_t> expected = spec.inputShapes[0];
  if (expected.size() != rank)
    specFail("input 0 must have the output's rank");
  expected[axis] = 0;
  for (size_t k = 0; k < spec.inputShapes.size(); ++k) {
    const auto &s = spec.inputShapes[k];
    bool same = s.size() == rank;
    for (size_t d = 0; same && d < rank; ++d)
      same = d == axis || s[d] == spec.inputShapes[0][d];
    if (!same)
      specFail("input " + std::to_string(k) + " " + shapeText(s) +
               " differs from input 0 " + shapeText(spec.inputShapes[0]) +
               " off the concat axis");
    if (s[axis] < 1)
      specFail("input " + std::to_string(k) + " is empty along the axis");
    expected[axis] += s[axis];
  }
  requireOutputShape(spec, expected);

  KernelFuncs f = makeOutputFuncs(spec);
  size_t h = rank - 1 - axis; // Halide dim of the axis.
  Var a = f.vars[h];
  // Build select(a < end0, x0, a < end1, x1, ..., x_last) back to front.
  Expr value;
  int64_t end = expected[axis];
  for (size_t k = spec.inputShapes.size(); k-- > 0;) {
    int64_t extent = spec.inputShapes[k][axis];
    int64_t begin = end - extent;
    std::vector<Expr> args(f.vars.begin(), f.vars.end());
    args[h] = clamp(a - (int)begin, 0, (int)extent - 1);
    Expr call = in[k](args);
    value = value.defined() ? select(a < (int)end, call, value) : call;
    end = begin;
  }
  f.output(f.vars) = applyActivation(spec, value);
  return f;
}

} // namespace kiln
