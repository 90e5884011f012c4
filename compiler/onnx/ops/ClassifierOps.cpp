//===- ClassifierOps.cpp - Gemm, MatMul, Softmax --------------------------===//
//
// Gemm and MatMul become kiln.dense with the weight stored as N x K (the
// layout of Gemm with transB = 1): other layouts are transposed at import,
// and alpha / beta are multiplied into the weight and bias constants.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "dialects/kiln/KilnOps.h"

using namespace kiln;
using namespace mlir;

namespace {

/// N x K weight from a constant that is K x N (`transposed`) or N x K,
/// scaled by `alpha`.
std::shared_ptr<TensorData> denseWeight(const TensorData &b, bool transposed,
                                        float alpha) {
  auto w = std::make_shared<TensorData>();
  int64_t rows = b.dims[0], cols = b.dims[1];
  w->name = b.name;
  w->dims = transposed ? SmallVector<int64_t, 4>{cols, rows}
                       : SmallVector<int64_t, 4>{rows, cols};
  w->floats.resize(b.floats.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      int64_t to = transposed ? c * rows + r : r * cols + c;
      w->floats[to] = alpha * b.floats[r * cols + c];
    }
  return w;
}

LogicalResult emitDense(GraphImporter &imp, Value input,
                        const TensorData &weight, const TensorData *bias) {
  auto weightValue = imp.emitConstant(weight);
  if (failed(weightValue))
    return failure();
  Value biasValue;
  if (bias) {
    auto value = imp.emitConstant(*bias);
    if (failed(value))
      return failure();
    biasValue = *value;
  }
  auto result = imp.createInferred<DenseOp>(
      input, *weightValue, biasValue, StringAttr(), FloatAttr(), FloatAttr());
  if (failed(result))
    return failure();
  imp.setOutput(0, *result);
  return success();
}

FailureOr<Value> matrixInput(GraphImporter &imp) {
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  if (GraphImporter::shapeOf(*input).size() != 2)
    return imp.fail("input A must be 2-D, got rank " +
                    Twine(GraphImporter::shapeOf(*input).size()));
  return *input;
}

FailureOr<const TensorData *> matrixWeight(GraphImporter &imp, StringRef role) {
  auto b = imp.requireConstantInput(1, role);
  if (failed(b))
    return failure();
  if (!(*b)->isFloat() || (*b)->dims.size() != 2)
    return imp.fail(role + " must be a 2-D float32 constant");
  return *b;
}

} // namespace

LogicalResult kiln::convertGemm(GraphImporter &imp) {
  NodeAttributes attrs = imp.attributes();
  auto alpha = attrs.getFloat("alpha", 1.0f);
  auto beta = attrs.getFloat("beta", 1.0f);
  auto transA = attrs.getInt("transA", 0);
  auto transB = attrs.getInt("transB", 0);
  if (failed(alpha) || failed(beta) || failed(transA) || failed(transB))
    return failure();
  auto a = matrixInput(imp);
  auto b = matrixWeight(imp, "the weight B");
  if (failed(a) || failed(b))
    return failure();
  Value input = *a;
  if (*transA) {
    // Transposing a row or column vector is a reshape; anything else would
    // need a transpose op that kiln does not have.
    auto shape = GraphImporter::shapeOf(input);
    if (shape[0] != 1 && shape[1] != 1)
      return imp.fail("transA=1 is unsupported for a " + Twine(shape[0]) + "x" +
                      Twine(shape[1]) + " input");
    auto reshaped = imp.createWithType<ReshapeOp>(
        imp.tensorType({shape[1], shape[0]}), input);
    if (failed(reshaped))
      return failure();
    input = *reshaped;
  }
  auto weight = denseWeight(**b, /*transposed=*/*transB == 0, *alpha);
  int64_t n = weight->dims[0];

  std::shared_ptr<TensorData> bias;
  if (imp.hasInput(2) && *beta != 0.0f) {
    auto c = imp.requireConstantInput(2, "the bias C");
    if (failed(c))
      return failure();
    const TensorData &cd = **c;
    int64_t count = cd.numElements();
    bool row = cd.dims.size() <= 2 && (cd.dims.size() < 2 || cd.dims[0] == 1) &&
               (count == n || count == 1);
    if (!cd.isFloat() || !row)
      return imp.fail("the bias C must be a float32 constant of N=" + Twine(n) +
                      " elements (shape [N], [1,N] or a "
                      "scalar)");
    bias = std::make_shared<TensorData>();
    bias->name = cd.name;
    bias->dims = {n};
    bias->floats.resize(n);
    for (int64_t i = 0; i < n; ++i)
      bias->floats[i] = *beta * cd.floats[count == 1 ? 0 : i];
  }
  return emitDense(imp, input, *weight, bias.get());
}

LogicalResult kiln::convertMatMul(GraphImporter &imp) {
  auto a = matrixInput(imp);
  if (failed(a))
    return failure();
  auto b = matrixWeight(imp, "the right operand B (MatMul is supported only "
                             "with a constant 2-D right operand)");
  if (failed(b))
    return failure();
  auto weight = denseWeight(**b, /*transposed=*/true, 1.0f);
  return emitDense(imp, *a, *weight, nullptr);
}

LogicalResult kiln::convertSoftmax(GraphImporter &imp) {
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  auto shape = GraphImporter::shapeOf(*input);
  int64_t rank = shape.size();
  // Opset 13 made softmax per-axis (default -1); before, it flattened the
  // input to 2-D at `axis` (default 1) and normalized over all trailing dims.
  bool perAxis = imp.opset() >= 13;
  auto axis = imp.attributes().getInt("axis", perAxis ? -1 : 1);
  if (failed(axis))
    return failure();
  int64_t normalized = *axis < 0 ? *axis + rank : *axis;
  if (normalized < 0 || normalized >= rank)
    return imp.fail("axis " + Twine(*axis) + " is out of range for rank " +
                    Twine(rank));
  if (!perAxis) {
    // The old semantics agree with a per-axis softmax when at most one of
    // the trailing dims is larger than 1: use that dim.
    int64_t chosen = normalized, wide = 0;
    for (int64_t d = normalized; d < rank; ++d)
      if (shape[d] > 1) {
        chosen = d;
        ++wide;
      }
    if (wide > 1)
      return imp.fail("opset " + Twine(imp.opset()) + " Softmax over dims " +
                      Twine(normalized) + ".." + Twine(rank - 1) +
                      " jointly (coerced to 2-D) is unsupported");
    normalized = chosen;
  }
  auto result = imp.createWithType<SoftmaxOp>(
      input->getType(), *input, imp.getBuilder().getI64IntegerAttr(normalized));
  if (failed(result))
    return failure();
  imp.setOutput(0, *result);
  return success();
}
