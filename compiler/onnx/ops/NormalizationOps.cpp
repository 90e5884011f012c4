//===- NormalizationOps.cpp - BatchNormalization, LRN, Mul ----------------===//
//
// BatchNormalization (inference) becomes kiln.batch_norm. Mul by a constant
// scalar or per-channel factor is expressed as a batch_norm with epsilon 0,
// mean 0, variance 1 and bias 0 (exactly x * scale), which fusion can fold
// into the preceding convolution; any other Mul is a broadcasting kiln.mul.
// LRN becomes kiln.lrn.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "dialects/kiln/KilnOps.h"

using namespace kiln;
using namespace mlir;

LogicalResult kiln::convertBatchNormalization(GraphImporter &imp) {
  NodeAttributes attrs = imp.attributes();
  auto epsilon = attrs.getFloat("epsilon", 1e-5f);
  auto training = attrs.getInt("training_mode", 0);
  if (failed(epsilon) || failed(training))
    return failure();
  if (*training != 0)
    return imp.fail("training_mode=1 is unsupported (inference only)");
  for (unsigned i = 1; i < 5; ++i)
    if (imp.isOutputUsed(i))
      return imp.fail("the training outputs (running mean/variance) are "
                      "unsupported");
  SmallVector<Value, 5> operands;
  for (unsigned i = 0; i < 5; ++i) {
    auto value = imp.input(i);
    if (failed(value))
      return failure();
    operands.push_back(*value);
  }
  if (GraphImporter::shapeOf(operands[0]).size() < 2)
    return imp.fail("the input needs a channel dimension (rank >= 2)");
  static const char *const names[] = {"", "scale", "B", "mean", "var"};
  for (unsigned i = 1; i < 5; ++i)
    if (GraphImporter::shapeOf(operands[i]).size() != 1)
      return imp.fail(Twine("'") + names[i] + "' must be 1-D");
  return imp.setCreatedOutput(
      0, imp.createInferred<BatchNormOp>(
             operands[0], operands[1], operands[2], operands[3], operands[4],
             imp.getBuilder().getF32FloatAttr(*epsilon)));
}

/// Mul of a computed tensor by a constant scalar or per-channel scale as a
/// batch_norm (see the file comment). Returns null when the operands do not
/// have that form.
static FailureOr<Value> tryChannelScale(GraphImporter &imp) {
  const TensorData *factor = imp.constantInput(1);
  unsigned dataIndex = 0;
  if (!factor || !factor->isFloat()) {
    factor = imp.constantInput(0);
    dataIndex = 1;
  }
  if (!factor || !factor->isFloat() || imp.constantInput(dataIndex))
    return Value();
  auto input = imp.input(dataIndex);
  if (failed(input))
    return failure();
  auto in = GraphImporter::shapeOf(*input);
  ArrayRef<int64_t> f = factor->dims;
  if (in.size() < 2 || f.size() > in.size())
    return Value();
  // Right-aligned numpy broadcasting: only dim 1 may differ from 1.
  size_t offset = in.size() - f.size();
  for (size_t d = 0; d < f.size(); ++d) {
    size_t dim = d + offset;
    if (f[d] != 1 && !(dim == 1 && f[d] == in[1]))
      return Value();
  }
  int64_t channels = in[1];
  auto makeVector = [&](StringRef suffix, auto valueAt) {
    auto data = std::make_shared<TensorData>();
    data->name = imp.node().output(0) + suffix.str();
    data->dims = {channels};
    data->floats.resize(channels);
    for (int64_t c = 0; c < channels; ++c)
      data->floats[c] = valueAt(c);
    return data;
  };
  auto scaleData = makeVector("_scale", [&](int64_t c) {
    return factor->floats[factor->floats.size() == 1 ? 0 : c];
  });
  auto zeroData = makeVector("_zero", [](int64_t) { return 0.0f; });
  auto oneData = makeVector("_one", [](int64_t) { return 1.0f; });
  auto scale = imp.emitConstant(*scaleData);
  auto zero = imp.emitConstant(*zeroData);
  auto one = imp.emitConstant(*oneData);
  if (failed(scale) || failed(zero) || failed(one))
    return failure();
  return imp.createInferred<BatchNormOp>(*input, *scale, *zero, *zero, *one,
                                         imp.getBuilder().getF32FloatAttr(0));
}

LogicalResult kiln::convertMul(GraphImporter &imp) {
  auto scaled = tryChannelScale(imp);
  if (failed(scaled))
    return failure();
  if (*scaled) {
    imp.setOutput(0, *scaled);
    return success();
  }
  auto lhs = imp.input(0);
  auto rhs = imp.input(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  return imp.setCreatedOutput(0, imp.createInferred<MulOp>(*lhs, *rhs));
}

LogicalResult kiln::convertLRN(GraphImporter &imp) {
  NodeAttributes attrs = imp.attributes();
  auto size = attrs.getInt("size", 0);
  auto alpha = attrs.getFloat("alpha", 1e-4f);
  auto beta = attrs.getFloat("beta", 0.75f);
  auto bias = attrs.getFloat("bias", 1.0f);
  if (failed(size) || failed(alpha) || failed(beta) || failed(bias))
    return failure();
  if (!attrs.has("size"))
    return imp.fail("missing required attribute 'size'");
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  if (GraphImporter::shapeOf(*input).size() < 2)
    return imp.fail("the input needs a channel dimension (rank >= 2)");
  OpBuilder &b = imp.getBuilder();
  return imp.setCreatedOutput(
      0, imp.createWithType<LRNOp>(
             input->getType(), *input, b.getI64IntegerAttr(*size),
             b.getF32FloatAttr(*alpha), b.getF32FloatAttr(*beta),
             b.getF32FloatAttr(*bias)));
}
