//===- FuseActivation.cpp - Fuse relu / clip into conv2d / dense ----------===//
//
// kiln-fuse-activation: see Passes.td.
//
//===----------------------------------------------------------------------===//
#include "compiler/passes/Passes.h"
#include "compiler/passes/RewriteConfig.h"
#include "dialects/kiln/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

namespace kiln {
#define GEN_PASS_DEF_FUSEACTIVATIONPASS
#include "compiler/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {

/// The epilogue activation an elementwise op stands for.
struct Activation {
  StringRef name; // "relu" or "clip"
  float min = 0.0f, max = 0.0f;
};

Activation activationOf(ReluOp) { return {"relu"}; }

Activation activationOf(ClipOp clip) {
  float lo = clip.getMin().convertToFloat();
  float hi = clip.getMax().convertToFloat();
  // clip(0, +inf) is relu; relu is the kernels' cheaper, common form.
  if (lo == 0.0f && std::isinf(hi) && hi > 0)
    return {"relu"};
  return {"clip", lo, hi};
}

/// Gives `producer` (Conv2DOp or DenseOp, activation "none") the activation
/// and makes it replace `act`.
template <typename ProducerOp>
void setActivation(ProducerOp producer, const Activation &activation,
                   PatternRewriter &rewriter) {
  rewriter.modifyOpInPlace(producer, [&] {
    producer.setActivation(activation.name);
    if (activation.name == "clip") {
      producer.setClipMinAttr(rewriter.getF32FloatAttr(activation.min));
      producer.setClipMaxAttr(rewriter.getF32FloatAttr(activation.max));
    }
  });
}

template <typename ActivationOp>
struct FuseActivationIntoProducer : OpRewritePattern<ActivationOp> {
  using OpRewritePattern<ActivationOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ActivationOp act,
                                PatternRewriter &rewriter) const override {
    Value input = act.getInput();
    if (!input.hasOneUse())
      return rewriter.notifyMatchFailure(act, "input has other uses");
    Operation *producer = input.getDefiningOp();
    if (!producer)
      return failure();
    Activation activation = activationOf(act);
    if (auto conv = dyn_cast<Conv2DOp>(producer)) {
      if (conv.getActivation() != "none")
        return rewriter.notifyMatchFailure(act, "conv has an activation");
      setActivation(conv, activation, rewriter);
    } else if (auto dense = dyn_cast<DenseOp>(producer)) {
      if (dense.getActivation() != "none")
        return rewriter.notifyMatchFailure(act, "dense has an activation");
      setActivation(dense, activation, rewriter);
    } else {
      return rewriter.notifyMatchFailure(act, "input is not conv2d or dense");
    }
    rewriter.replaceOp(act, input);
    return success();
  }
};

struct FuseActivationPass
    : public kiln::impl::FuseActivationPassBase<FuseActivationPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseActivationIntoProducer<ReluOp>,
                 FuseActivationIntoProducer<ClipOp>>(&getContext());
    int64_t before = countActivations(), after;
    // Not converging only means some candidates were left unfused.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                patternsOnlyRewriteConfig());
    after = countActivations();
    numFused += before - after;
  }

  int64_t countActivations() {
    int64_t n = 0;
    getOperation().walk([&](Operation *op) { n += isa<ReluOp, ClipOp>(op); });
    return n;
  }
};

} // namespace
