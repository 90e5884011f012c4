//===- FuseDepthwisePointwise.cpp - Depthwise + 1x1 conv as one op --------===//
//
// kiln-fuse-depthwise-pointwise: see Passes.td.
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
#define GEN_PASS_DEF_FUSEDEPTHWISEPOINTWISEPASS
#include "compiler/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

bool allEqual(ArrayRef<int64_t> values, int64_t want) {
  return llvm::all_of(values, [&](int64_t v) { return v == want; });
}

/// A 1x1, stride-1, unpadded, ungrouped conv.
bool isPointwise(Conv2DOp conv) {
  auto w = shapeOf(conv.getWeight());
  return conv.getGroups() == 1 && w[2] == 1 && w[3] == 1 &&
         allEqual(conv.getStrides(), 1) && allEqual(conv.getPads(), 0);
}

/// One filter per channel (channel multiplier 1) and no residual: the
/// separable kernel's first stage. Its activation may be anything the
/// epilogue supports.
bool isDepthwise(Conv2DOp conv) {
  int64_t c = shapeOf(conv.getInput())[1];
  auto w = shapeOf(conv.getWeight());
  return c > 1 && conv.getGroups() == c && w[0] == c && w[1] == 1 &&
         !conv.getResidual();
}

/// `bias`, or a zero bias of `channels` elements when the conv has none.
Value biasOrZeros(PatternRewriter &rewriter, Location loc, Value bias,
                  int64_t channels, StringRef name) {
  if (bias)
    return bias;
  auto type = RankedTensorType::get({channels}, rewriter.getF32Type());
  return createF32Constant(rewriter, loc, type,
                           std::vector<float>(channels, 0.0f), name);
}

struct FuseDepthwiseIntoPointwise : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2DOp pw,
                                PatternRewriter &rewriter) const override {
    if (!isPointwise(pw))
      return rewriter.notifyMatchFailure(pw, "not a 1x1 stride-1 conv");
    auto dw = pw.getInput().getDefiningOp<Conv2DOp>();
    if (!dw || !isDepthwise(dw))
      return rewriter.notifyMatchFailure(pw, "input is not a depthwise conv");
    // A second reader (another op or a function result) needs the
    // depthwise result in memory anyway.
    if (!dw.getResult().hasOneUse() || dw->getBlock() != pw->getBlock())
      return rewriter.notifyMatchFailure(pw, "depthwise result is shared");

    rewriter.setInsertionPoint(pw);
    int64_t c = shapeOf(dw.getWeight())[0], m = shapeOf(pw.getWeight())[0];
    Value dwBias =
        biasOrZeros(rewriter, dw.getLoc(), dw.getBias(), c, "dw_zero_bias");
    Value pwBias =
        biasOrZeros(rewriter, pw.getLoc(), pw.getBias(), m, "pw_zero_bias");
    auto fused = SeparableConv2DOp::create(
        rewriter, rewriter.getFusedLoc({dw.getLoc(), pw.getLoc()}),
        pw.getType(), dw.getInput(), dw.getWeight(), dwBias, pw.getWeight(),
        pwBias, pw.getResidual(), dw.getStridesAttr(), dw.getPadsAttr(),
        dw.getDilationsAttr(), dw.getActivationAttr(), dw.getClipMinAttr(),
        dw.getClipMaxAttr(), pw.getActivationAttr(), pw.getClipMinAttr(),
        pw.getClipMaxAttr());
    rewriter.replaceOp(pw, fused.getResult());
    rewriter.eraseOp(dw);
    return success();
  }
};

/// Why the depthwise-like `dw` feeding the 1x1 conv `pw` was not fused, or
/// "" if it is a candidate after all.
std::string missedReason(Conv2DOp dw, Conv2DOp pw) {
  if (!isPointwise(pw))
    return "the 1x1 conv reading it is strided or padded";
  auto w = shapeOf(dw.getWeight());
  if (w[0] != shapeOf(dw.getInput())[1])
    return "channel multiplier " +
           std::to_string(w[0] / shapeOf(dw.getInput())[1]) +
           " (only 1 is fused)";
  if (dw.getResidual())
    return "it has a residual operand";
  if (!dw.getResult().hasOneUse())
    return "its result has " +
           std::to_string(std::distance(dw.getResult().use_begin(),
                                        dw.getResult().use_end())) +
           " readers";
  if (dw->getBlock() != pw->getBlock())
    return "the 1x1 conv is in another block";
  return "";
}

struct FuseDepthwisePointwisePass
    : public kiln::impl::FuseDepthwisePointwisePassBase<
          FuseDepthwisePointwisePass> {
  using FuseDepthwisePointwisePassBase::FuseDepthwisePointwisePassBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseDepthwiseIntoPointwise>(&getContext());
    int64_t before = countFused();
    // Not converging only means some candidates were left unfused.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                patternsOnlyRewriteConfig());
    numFused += countFused() - before;
    if (reportMissed)
      remarkMissed();
  }

  /// One remark per depthwise conv (groups = input channels) still read by
  /// a 1x1 conv.
  void remarkMissed() {
    getOperation().walk([&](Conv2DOp dw) {
      int64_t c = shapeOf(dw.getInput())[1];
      if (c <= 1 || dw.getGroups() != c)
        return;
      for (Operation *user : dw.getResult().getUsers()) {
        auto pw = dyn_cast<Conv2DOp>(user);
        auto w = pw ? shapeOf(pw.getWeight()) : ArrayRef<int64_t>();
        if (!pw || pw.getInput() != dw.getResult() || pw.getGroups() != 1 ||
            w[2] != 1 || w[3] != 1)
          continue;
        std::string reason = missedReason(dw, pw);
        if (!reason.empty())
          dw.emitRemark() << "depthwise conv not fused with the 1x1 conv "
                             "after it: "
                          << reason;
        return;
      }
    });
  }

  int64_t countFused() {
    int64_t n = 0;
    getOperation().walk([&](SeparableConv2DOp) { ++n; });
    return n;
  }
};

} // namespace
