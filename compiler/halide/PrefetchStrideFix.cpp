//===- PrefetchStrideFix.cpp - Cache-line steps for Halide prefetches -----===//

#include "compiler/halide/PrefetchStrideFix.h"

#include <string>
#include <vector>

namespace kiln {

using namespace Halide;
using namespace Halide::Internal;

namespace {

/// Halide's SplitPrefetch names its per-line loops "prefetch_split_<buffer>.
/// <dim>" and adds loop * (bytes per step) to the prefetch's element
/// offset; here each such term becomes loop * (elements per step).
class FixPrefetchSteps : public IRMutator {
  using IRMutator::visit;
  std::vector<std::string> splitLoops;

  Stmt visit(const For *op) override {
    bool split = op->name.rfind("prefetch_split_", 0) == 0;
    if (split)
      splitLoops.push_back(op->name);
    Stmt s = IRMutator::visit(op);
    if (split)
      splitLoops.pop_back();
    return s;
  }

  Expr visit(const Call *op) override {
    if (!op->is_intrinsic(Call::prefetch) || splitLoops.empty() ||
        op->args.size() < 2 || op->type.bytes() <= 1)
      return IRMutator::visit(op);
    Expr offset = op->args[1];
    int bytes = op->type.bytes();
    for (const std::string &loop : splitLoops) {
      Expr atZero =
          simplify(substitute(loop, make_zero(offset.type()), offset));
      offset = simplify(atZero + (offset - atZero) / bytes);
    }
    std::vector<Expr> args = op->args;
    args[1] = offset;
    return Call::make(op->type, op->name, args, op->call_type, op->func,
                      op->value_index, op->image, op->param);
  }
};

} // namespace

void addPrefetchStrideFix(Pipeline &pipeline) {
  pipeline.add_custom_lowering_pass(new FixPrefetchSteps);
}

} // namespace kiln
