//===- FoldPad.cpp - Fold a spatial pad into a conv2d / pooling op --------===//
//
// kiln-fold-pad: see Passes.td. Each fold is exact: the window op reads the
// same values in the same windows and (avg_pool2d) divides by the same count.
//
//===----------------------------------------------------------------------===//
#include "compiler/passes/Passes.h"
#include "compiler/passes/RewriteConfig.h"
#include "dialects/kiln/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <optional>

namespace kiln {
#define GEN_PASS_DEF_FOLDPADPASS
#include "compiler/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {

/// A lower bound of an epilogue activation's output, if it has one.
std::optional<float> activationLowerBound(StringRef act, float clipMin) {
  if (act == "relu" || act == "sigmoid" || act == "hard_sigmoid")
    return 0.0f;
  if (act == "clip")
    return clipMin;
  return std::nullopt;
}

/// A value that every element of `v` is known to be at least, from the op
/// that produces it.
std::optional<float> lowerBound(Value v) {
  Operation *op = v.getDefiningOp();
  if (!op)
    return std::nullopt;
  if (isa<ReluOp, SigmoidOp, HardSigmoidOp>(op))
    return 0.0f;
  if (auto clip = dyn_cast<ClipOp>(op))
    return clip.getMin().convertToFloat();
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return activationLowerBound(conv.getActivation(),
                                conv.getClipMin().convertToFloat());
  return std::nullopt;
}

/// `own` + the pad's spatial part, both [top, left, bottom, right].
SmallVector<int64_t, 4> addPads(ArrayRef<int64_t> own,
                                ArrayRef<int64_t> spatial) {
  SmallVector<int64_t, 4> sum(4);
  for (int k = 0; k < 4; ++k)
    sum[k] = own[k] + spatial[k];
  return sum;
}

/// Pooling pads stay below the kernel size (the verifier's ONNX rule).
bool fitsKernel(ArrayRef<int64_t> pads, ArrayRef<int64_t> kernel) {
  for (int k = 0; k < 4; ++k)
    if (pads[k] >= kernel[k % 2])
      return false;
  return true;
}

/// Whether a pool over `in` (NCHW) with the folded `pads` still has the
/// result shape `out`. In floor mode the padded extent, hence the shape, is
/// unchanged. In ceil mode ONNX drops a last window that starts in the end
/// padding: a window that started on the pad's cells (input to the pool)
/// may now start in the pool's own padding. (Same formula as the pooling
/// verifiers' in KilnOps.cpp.)
template <typename PoolOp>
bool keepsResultShape(PoolOp pool, ArrayRef<int64_t> in, ArrayRef<int64_t> pads,
                      ArrayRef<int64_t> dilations) {
  if (!pool.getCeilMode())
    return true;
  auto out = cast<RankedTensorType>(pool.getType()).getShape();
  for (int d = 0; d < 2; ++d) {
    int64_t k = pool.getKernelShape()[d], s = pool.getStrides()[d];
    int64_t span = dilations[d] * (k - 1) + 1;
    int64_t padded = in[2 + d] + pads[d] + pads[d + 2];
    if (padded < span)
      return false;
    int64_t extent = (padded - span + s - 1) / s + 1;
    if ((extent - 1) * s >= in[2 + d] + pads[d])
      --extent;
    if (extent != out[2 + d])
      return false;
  }
  return true;
}

struct FoldPadIntoWindowOp : OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PadOp pad,
                                PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> p = pad.getPads();
    if (p.size() != 8)
      return rewriter.notifyMatchFailure(pad, "not a 4-D pad");
    if (p[0] || p[1] || p[4] || p[5])
      return rewriter.notifyMatchFailure(pad, "pads the N or C dimension");
    if (!pad.getResult().hasOneUse())
      return rewriter.notifyMatchFailure(pad, "result has several uses");
    if (pad.getMode() != "constant")
      return rewriter.notifyMatchFailure(
          pad, "mode '" + pad.getMode() + "' is not a constant border");
    // ONNX [n, c, h, w begins, n, c, h, w ends] -> [top, left, bottom, right].
    int64_t spatial[4] = {p[2], p[3], p[6], p[7]};
    float value = pad.getValue().convertToFloat();
    ArrayRef<int64_t> inputShape =
        cast<RankedTensorType>(pad.getInput().getType()).getShape();
    Operation *user = *pad->getUsers().begin();

    if (auto conv = dyn_cast<Conv2DOp>(user)) {
      if (conv.getInput() != pad.getResult())
        return rewriter.notifyMatchFailure(pad, "not the conv's input");
      if (value != 0.0f)
        return rewriter.notifyMatchFailure(pad, "conv pads with zeros");
      auto pads = addPads(conv.getPads(), spatial);
      rewriter.modifyOpInPlace(conv, [&] {
        conv.setPads(pads);
        conv.getInputMutable().assign(pad.getInput());
      });
      rewriter.eraseOp(pad);
      return success();
    }

    if (auto pool = dyn_cast<AvgPool2DOp>(user)) {
      if (value != 0.0f)
        return rewriter.notifyMatchFailure(pad, "avg_pool pads with zeros");
      bool ownPads = llvm::any_of(pool.getPads(), [](int64_t v) { return v; });
      // Without count_include_pad the divisor counts the pad's cells but not
      // the pool's own padding: only expressible when there is none.
      if (!pool.getCountIncludePad() && ownPads)
        return rewriter.notifyMatchFailure(
            pad, "count_include_pad = false with pads of its own");
      auto pads = addPads(pool.getPads(), spatial);
      if (!fitsKernel(pads, pool.getKernelShape()))
        return rewriter.notifyMatchFailure(pad, "pads would reach the kernel");
      const int64_t unitDilations[2] = {1, 1};
      if (!keepsResultShape(pool, inputShape, pads, unitDilations))
        return rewriter.notifyMatchFailure(pad, "ceil mode drops a window");
      rewriter.modifyOpInPlace(pool, [&] {
        pool.setPads(pads);
        pool.setCountIncludePad(true);
        pool.getInputMutable().assign(pad.getInput());
      });
      rewriter.eraseOp(pad);
      return success();
    }

    if (auto pool = dyn_cast<MaxPool2DOp>(user)) {
      bool padIsMinusInf = std::isinf(value) && value < 0;
      if (!padIsMinusInf) {
        // A padded cell no larger than every input cell never changes a
        // max, provided each window holds an input cell: true for
        // undilated windows with pads below the kernel.
        std::optional<float> bound = lowerBound(pad.getInput());
        bool undilated =
            llvm::all_of(pool.getDilations(), [](int64_t d) { return d == 1; });
        if (!bound || !(value <= *bound) || !undilated)
          return rewriter.notifyMatchFailure(
              pad, "the padding value could win the max");
      }
      auto pads = addPads(pool.getPads(), spatial);
      if (!fitsKernel(pads, pool.getKernelShape()))
        return rewriter.notifyMatchFailure(pad, "pads would reach the kernel");
      if (!keepsResultShape(pool, inputShape, pads, pool.getDilations()))
        return rewriter.notifyMatchFailure(pad, "ceil mode drops a window");
      rewriter.modifyOpInPlace(pool, [&] {
        pool.setPads(pads);
        pool.getInputMutable().assign(pad.getInput());
      });
      rewriter.eraseOp(pad);
      return success();
    }
    return rewriter.notifyMatchFailure(pad, "not read by a window op");
  }
};

struct FoldPadPass : public kiln::impl::FoldPadPassBase<FoldPadPass> {
  void runOnOperation() override {
    warnAboutInfinitePadding();
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldPadIntoWindowOp>(&getContext());
    int64_t before = countPads(), after;
    // Not converging only means some candidates were left unfolded.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                patternsOnlyRewriteConfig());
    after = countPads();
    numFolded += before - after;
  }

  /// A sum over a window that covers an infinite pad is infinite (or NaN
  /// with a zero weight or mixed signs): almost certainly a broken export.
  void warnAboutInfinitePadding() {
    getOperation().walk([&](PadOp pad) {
      float value = pad.getValue().convertToFloat();
      if (!std::isinf(value))
        return;
      for (Operation *user : pad->getUsers())
        if (isa<Conv2DOp, AvgPool2DOp>(user))
          pad.emitWarning()
              << "pads with " << (value < 0 ? "-inf" : "+inf")
              << " and is read by '" << user->getName()
              << "': every output whose window covers the padding is "
                 "infinite or NaN";
    });
  }

  int64_t countPads() {
    int64_t n = 0;
    getOperation().walk([&](PadOp) { ++n; });
    return n;
  }
};

} // namespace
