//===- FuseResidualAdd.cpp - Fuse a residual add into a conv2d ------------===//
//
// kiln-fuse-residual-add: see Passes.td.
//
//===----------------------------------------------------------------------===//
#include "compiler/passes/Passes.h"
#include "compiler/passes/RewriteConfig.h"
#include "dialects/kiln/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_FUSERESIDUALADDPASS
#include "compiler/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {

/// The conv2d defining `operand` if it can absorb `add` as its residual:
/// read only by the add, in the add's block, without residual or activation
/// (the epilogue adds the residual before the activation).
Conv2DOp fusableConv(Value operand, AddOp add) {
  auto conv = operand.getDefiningOp<Conv2DOp>();
  if (!conv || conv->getBlock() != add->getBlock() ||
      !conv.getResult().hasOneUse() || conv.getResidual() ||
      conv.getActivation() != "none")
    return nullptr;
  return conv;
}

struct FuseResidualAddIntoConv : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    Type type = add.getType();
    if (add.getLhs().getType() != type || add.getRhs().getType() != type)
      return rewriter.notifyMatchFailure(add, "add broadcasts");
    Conv2DOp lhs = fusableConv(add.getLhs(), add);
    Conv2DOp rhs = fusableConv(add.getRhs(), add);
    if (!lhs && !rhs)
      return rewriter.notifyMatchFailure(add, "no operand is a fusable conv");
    // Prefer the conv defined later: the other operand (often the other
    // branch's conv) then already dominates it and nothing has to move.
    bool useLhs = lhs && (!rhs || rhs->isBeforeInBlock(lhs));
    Conv2DOp conv = useLhs ? lhs : rhs;
    Value shortcut = useLhs ? add.getRhs() : add.getLhs();

    // The shortcut must dominate the conv. Values from outside the block
    // (arguments, enclosing regions) dominate all of it; one defined in the
    // block after the conv is before the add, so the conv moves down to the
    // add (its own operands dominate its old place, hence the add).
    Operation *shortcutDef = shortcut.getDefiningOp();
    if (shortcutDef && shortcutDef->getBlock() == conv->getBlock() &&
        conv->isBeforeInBlock(shortcutDef))
      rewriter.moveOpBefore(conv, add);

    rewriter.modifyOpInPlace(
        conv, [&] { conv.getResidualMutable().assign(shortcut); });
    rewriter.replaceOp(add, conv.getResult());
    return success();
  }
};

struct FuseResidualAddPass
    : public kiln::impl::FuseResidualAddPassBase<FuseResidualAddPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseResidualAddIntoConv>(&getContext());
    int64_t before = countAdds(), after;
    // Not converging only means some candidates were left unfused.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                patternsOnlyRewriteConfig());
    after = countAdds();
    numFused += before - after;
  }

  int64_t countAdds() {
    int64_t n = 0;
    getOperation().walk([&](AddOp) { ++n; });
    return n;
  }
};

} // namespace
