//===- FuseInvertedResidual.cpp - Expand conv into the separable op -------===//
//
// kiln-fuse-inverted-residual: see Passes.td.
//
//===----------------------------------------------------------------------===//
#include "compiler/passes/ConstantData.h"
#include "compiler/passes/Passes.h"
#include "compiler/passes/RewriteConfig.h"
#include "dialects/kiln/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLExtras.h"

namespace kiln {
#define GEN_PASS_DEF_FUSEINVERTEDRESIDUALPASS
#include "compiler/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// Bytes of the expanded tensor (f32).
int64_t expandedBytes(Conv2DOp expand) {
  int64_t bytes = 4;
  for (int64_t d : shapeOf(expand.getResult()))
    bytes *= d;
  return bytes;
}

/// The pass options that bound which blocks are worth one kernel.
struct FusionLimits {
  int64_t minExpandedBytes, minImagePixels;
};

/// Why `expand` cannot become the first stage of an inverted residual
/// kernel reading its result through `sep`, or "" when it can.
/// `limits`: see the pass options.
std::string unfusableReason(Conv2DOp expand, SeparableConv2DOp sep,
                            FusionLimits limits) {
  int64_t minExpandedBytes = limits.minExpandedBytes;
  auto w = shapeOf(expand.getWeight());
  if (w[2] != 1 || w[3] != 1)
    return "it is not a 1x1 conv";
  if (expand.getGroups() != 1)
    return "it is grouped";
  if (llvm::any_of(expand.getStrides(), [](int64_t s) { return s != 1; }))
    return "it is strided";
  if (llvm::any_of(expand.getPads(), [](int64_t p) { return p != 0; }))
    return "it is padded";
  if (expand.getResidual())
    return "it has a residual operand";
  // Another reader (an op or a function result) needs the expanded tensor
  // in memory anyway.
  if (!expand.getResult().hasOneUse())
    return "its result has other readers";
  if (expand->getBlock() != sep->getBlock())
    return "the separable conv is in another block";
  if (expandedBytes(expand) < minExpandedBytes)
    return "its result (" + std::to_string(expandedBytes(expand)) +
           " bytes) is below min-expanded-bytes=" +
           std::to_string(minExpandedBytes);
  auto e = shapeOf(expand.getResult());
  if (e[2] * e[3] < limits.minImagePixels)
    return "its image (" + std::to_string(e[2]) + "x" +
           std::to_string(e[3]) + ") is below min-image-pixels=" +
           std::to_string(limits.minImagePixels);
  return "";
}

struct FuseExpandIntoSeparable : OpRewritePattern<SeparableConv2DOp> {
  FuseExpandIntoSeparable(MLIRContext *ctx, FusionLimits limits)
      : OpRewritePattern(ctx), limits(limits) {}
  FusionLimits limits;

  LogicalResult matchAndRewrite(SeparableConv2DOp sep,
                                PatternRewriter &rewriter) const override {
    auto expand = sep.getInput().getDefiningOp<Conv2DOp>();
    if (!expand)
      return rewriter.notifyMatchFailure(sep, "input is not a conv2d");
    std::string reason = unfusableReason(expand, sep, limits);
    if (!reason.empty())
      return rewriter.notifyMatchFailure(sep, "expand conv: " + reason);

    rewriter.setInsertionPoint(sep);
    Value bias = expand.getBias();
    if (!bias) {
      int64_t e = shapeOf(expand.getWeight())[0];
      auto type = RankedTensorType::get({e}, rewriter.getF32Type());
      bias = createF32Constant(rewriter, expand.getLoc(), type,
                               std::vector<float>(e, 0.0f), "expand_zero_bias");
    }
    auto fused = InvertedResidualOp::create(
        rewriter, rewriter.getFusedLoc({expand.getLoc(), sep.getLoc()}),
        sep.getType(), expand.getInput(), expand.getWeight(), bias,
        sep.getDwWeight(), sep.getDwBias(), sep.getPwWeight(), sep.getPwBias(),
        sep.getResidual(), sep.getStridesAttr(), sep.getPadsAttr(),
        sep.getDilationsAttr(), expand.getActivationAttr(),
        expand.getClipMinAttr(), expand.getClipMaxAttr(),
        sep.getDwActivationAttr(), sep.getDwClipMinAttr(),
        sep.getDwClipMaxAttr(), sep.getActivationAttr(), sep.getClipMinAttr(),
        sep.getClipMaxAttr());
    rewriter.replaceOp(sep, fused.getResult());
    rewriter.eraseOp(expand);
    return success();
  }
};

struct FuseInvertedResidualPass
    : public kiln::impl::FuseInvertedResidualPassBase<
          FuseInvertedResidualPass> {
  using FuseInvertedResidualPassBase::FuseInvertedResidualPassBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseExpandIntoSeparable>(&getContext(), limits());
    int64_t before = countFused();
    // Not converging only means some candidates were left unfused.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                patternsOnlyRewriteConfig());
    numFused += countFused() - before;
    if (reportMissed)
      remarkMissed();
  }

  /// One remark per separable conv whose input is a conv2d that stayed
  /// separate, saying why.
  void remarkMissed() {
    getOperation().walk([&](SeparableConv2DOp sep) {
      auto expand = sep.getInput().getDefiningOp<Conv2DOp>();
      if (!expand)
        return;
      std::string reason = unfusableReason(expand, sep, limits());
      if (!reason.empty())
        sep.emitRemark() << "conv2d input not fused into an inverted "
                            "residual: "
                         << reason;
    });
  }

  FusionLimits limits() { return {minExpandedBytes, minImagePixels}; }

  int64_t countFused() {
    int64_t n = 0;
    getOperation().walk([&](InvertedResidualOp) { ++n; });
    return n;
  }
};

} // namespace
