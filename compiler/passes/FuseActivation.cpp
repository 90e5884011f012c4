//===- FuseActivation.cpp - Fuse activations into conv2d / dense ----------===//
//
// kiln-fuse-activation: see Passes.td.
//
//===----------------------------------------------------------------------===//
#include "compiler/passes/Passes.h"
#include "compiler/passes/RewriteConfig.h"
#include "dialects/kiln/Activations.h"
#include "dialects/kiln/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_FUSEACTIVATIONPASS
#include "compiler/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {

/// Gives `producer` (Conv2DOp, ConvTranspose2DOp or DenseOp, activation
/// "none") the activation
/// and makes it replace `act`.
template <typename ProducerOp>
void setActivation(ProducerOp producer, const ActivationAttrs &activation,
                   PatternRewriter &rewriter) {
  rewriter.modifyOpInPlace(producer, [&] {
    producer.setActivation(activation.name);
    producer.setClipMinAttr(rewriter.getF32FloatAttr(activation.param0));
    producer.setClipMaxAttr(rewriter.getF32FloatAttr(activation.param1));
  });
}

/// Any standalone activation op (Activations.h) whose input is a conv2d,
/// conv_transpose2d or dense result read by nothing else.
struct FuseActivationIntoProducer : RewritePattern {
  explicit FuseActivationIntoProducer(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *act,
                                PatternRewriter &rewriter) const override {
    std::optional<ActivationAttrs> activation = activationOf(act);
    if (!activation)
      return failure();
    Value input = act->getOperand(0);
    if (!input.hasOneUse())
      return rewriter.notifyMatchFailure(act, "input has other uses");
    Operation *producer = input.getDefiningOp();
    if (!producer)
      return failure();
    if (auto conv = dyn_cast<Conv2DOp>(producer)) {
      if (conv.getActivation() != "none")
        return rewriter.notifyMatchFailure(act, "conv has an activation");
      setActivation(conv, *activation, rewriter);
    } else if (auto dense = dyn_cast<DenseOp>(producer)) {
      if (dense.getActivation() != "none")
        return rewriter.notifyMatchFailure(act, "dense has an activation");
      setActivation(dense, *activation, rewriter);
    } else if (auto up = dyn_cast<ConvTranspose2DOp>(producer)) {
      if (up.getActivation() != "none")
        return rewriter.notifyMatchFailure(act, "conv has an activation");
      setActivation(up, *activation, rewriter);
    } else {
      return rewriter.notifyMatchFailure(act, "input is not conv2d or dense");
    }
    rewriter.replaceOp(act, input);
    return success();
  }
};

/// x * sigmoid(x), as exporters write SiLU (swish), becomes kiln.silu(x),
/// which then fuses like any activation. The sigmoid stays if something
/// else reads it.
struct MulSigmoidIsSilu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (auto [x, gate] : {std::pair(mul.getLhs(), mul.getRhs()),
                           std::pair(mul.getRhs(), mul.getLhs())}) {
      auto sigmoid = gate.getDefiningOp<SigmoidOp>();
      if (!sigmoid || sigmoid.getInput() != x || x.getType() != mul.getType())
        continue;
      rewriter.replaceOpWithNewOp<SiluOp>(mul, x);
      return success();
    }
    return rewriter.notifyMatchFailure(mul, "not x * sigmoid(x)");
  }
};

struct FuseActivationPass
    : public kiln::impl::FuseActivationPassBase<FuseActivationPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseActivationIntoProducer, MulSigmoidIsSilu>(&getContext());
    int64_t before = countActivations(), after;
    // Not converging only means some candidates were left unfused.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                patternsOnlyRewriteConfig());
    after = countActivations();
    numFused += before - after;
  }

  int64_t countActivations() {
    int64_t n = 0;
    getOperation().walk(
        [&](Operation *op) { n += activationOf(op).has_value(); });
    return n;
  }
};

} // namespace
