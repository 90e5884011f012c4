//===- FoldBatchNorm.cpp - Fold batch norm into conv2d / dense weights ----===//
//
// kiln-fold-batch-norm: see Passes.td. The fold is exact up to f32 rounding
// of the new weights (the arithmetic is done in double).
//
//===----------------------------------------------------------------------===//
#include "compiler/passes/ConstantData.h"
#include "compiler/passes/Passes.h"
#include "compiler/passes/RewriteConfig.h"
#include "dialects/kiln/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace kiln {
#define GEN_PASS_DEF_FOLDBATCHNORMPASS
#include "compiler/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {

/// Folds `batch_norm(producer(...))` for producer = Conv2DOp or DenseOp: both
/// keep output channels in weight dim 0 and have an optional 1-D bias.
template <typename ProducerOp>
struct FoldBatchNormIntoProducer : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern<BatchNormOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto producer = bn.getInput().template getDefiningOp<ProducerOp>();
    if (!producer)
      return failure();
    if (!producer.getResult().hasOneUse())
      return rewriter.notifyMatchFailure(bn, "producer result has other uses");
    if (producer.getActivation() != "none")
      return rewriter.notifyMatchFailure(bn, "producer has an activation");
    if (!canFoldEpilogue(producer))
      return rewriter.notifyMatchFailure(bn, "producer has a residual");

    auto weightType = cast<RankedTensorType>(producer.getWeight().getType());
    int64_t channels = weightType.getDimSize(0);
    auto weight = readF32Constant(producer.getWeight());
    auto gamma = readF32Constant(bn.getScale());
    auto beta = readF32Constant(bn.getBias());
    auto mean = readF32Constant(bn.getMean());
    auto var = readF32Constant(bn.getVariance());
    std::optional<std::vector<float>> bias;
    if (producer.getBias()) {
      bias = readF32Constant(producer.getBias());
      if (!bias)
        return rewriter.notifyMatchFailure(bn, "producer bias not constant");
    }
    if (!weight || !gamma || !beta || !mean || !var)
      return rewriter.notifyMatchFailure(bn, "operands are not f32 constants");
    for (const std::vector<float> *param : {&*gamma, &*beta, &*mean, &*var})
      if ((int64_t)param->size() != channels)
        return rewriter.notifyMatchFailure(bn, "channel count mismatch");
    if (bias && (int64_t)bias->size() != channels)
      return rewriter.notifyMatchFailure(bn, "bias size mismatch");

    // y = s * (conv + b - mean) + beta with s = gamma / sqrt(var + eps).
    double eps = bn.getEpsilon().convertToDouble();
    size_t perChannel = weight->size() / channels;
    std::vector<float> newWeight(weight->size()), newBias(channels);
    for (int64_t c = 0; c < channels; ++c) {
      double s = (double)(*gamma)[c] / std::sqrt((double)(*var)[c] + eps);
      double b = bias ? (double)(*bias)[c] : 0.0;
      newBias[c] = (float)((b - (double)(*mean)[c]) * s + (double)(*beta)[c]);
      for (size_t i = c * perChannel, e = i + perChannel; i < e; ++i)
        newWeight[i] = (float)((double)(*weight)[i] * s);
    }

    rewriter.setInsertionPoint(producer);
    std::string key = resourceKeyOf(producer.getWeight());
    Value weightValue = createF32Constant(
        rewriter, producer.getWeight().getLoc(), weightType, newWeight,
        (key.empty() ? std::string("weight") : key) + "_bn");
    auto biasType =
        RankedTensorType::get({channels}, weightType.getElementType());
    Value biasValue = createF32Constant(rewriter, bn.getBias().getLoc(),
                                        biasType, newBias, "bias_bn");
    rewriter.modifyOpInPlace(producer, [&] {
      producer.getWeightMutable().assign(weightValue);
      producer.getBiasMutable().assign(biasValue);
    });
    rewriter.replaceOp(bn, producer.getResult());
    return success();
  }

  static bool canFoldEpilogue(Conv2DOp conv) { return !conv.getResidual(); }
  static bool canFoldEpilogue(DenseOp) { return true; }
};

/// "0.25", "-1e-05", "nan": shortest readable form for messages.
std::string formatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

/// Emits an error on `bn` and returns failure when its constant variance
/// plus epsilon is not positive in some channel: folding (here or in the
/// kernelizer) would divide by sqrt(<= 0) and fill that channel with inf or
/// NaN. The verifier cannot see it: it does not read constant data.
LogicalResult checkVariance(BatchNormOp bn) {
  auto var = readF32Constant(bn.getVariance());
  if (!var)
    return success();
  double eps = bn.getEpsilon().convertToDouble();
  for (size_t c = 0; c < var->size(); ++c) {
    double sum = (double)(*var)[c] + eps;
    // Not `<= 0`: a NaN variance must be rejected too.
    if (!(sum > 0))
      return bn.emitError()
             << "variance + epsilon is " << formatNumber(sum) << " in channel "
             << c << " (variance " << formatNumber((*var)[c]) << ", epsilon "
             << formatNumber(eps)
             << "); it must be positive: normalizing would divide by its "
                "square root";
  }
  return success();
}

struct FoldBatchNormPass
    : public kiln::impl::FoldBatchNormPassBase<FoldBatchNormPass> {
  void runOnOperation() override {
    bool bad = false;
    getOperation().walk(
        [&](BatchNormOp bn) { bad |= failed(checkVariance(bn)); });
    if (bad)
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoProducer<Conv2DOp>,
                 FoldBatchNormIntoProducer<DenseOp>>(&getContext());
    // Count by the batch norms that disappear.
    int64_t before = 0, after = 0;
    getOperation().walk([&](BatchNormOp) { ++before; });
    // Not converging only means some candidates were left unfolded.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                patternsOnlyRewriteConfig());
    getOperation().walk([&](BatchNormOp) { ++after; });
    numFolded += before - after;
  }
};

} // namespace
