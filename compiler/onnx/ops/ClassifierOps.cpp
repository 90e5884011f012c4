//===- ClassifierOps.cpp - Gemm, MatMul, Softmax --------------------------===//
//
// Gemm and MatMul become kiln.dense with the weight stored as N x K (the
// layout of Gemm with transB = 1): constant weights are transposed at import
// and alpha / beta are multiplied into the weight and bias constants;
// computed operands go through kiln.transpose and kiln.mul instead.
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

FailureOr<Value> emitDenseOp(GraphImporter &imp, Value input, Value weight,
                             Value bias) {
  return imp.createInferred<DenseOp>(input, weight, bias, StringAttr(),
                                     FloatAttr(), FloatAttr());
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
  return imp.setCreatedOutput(0,
                              emitDenseOp(imp, input, *weightValue, biasValue));
}

/// Input `i` as a matrix; other ranks (batched or vector MatMul) are
/// unsupported.
FailureOr<Value> matrixOperand(GraphImporter &imp, unsigned i, StringRef role) {
  auto value = imp.input(i);
  if (failed(value))
    return failure();
  size_t rank = GraphImporter::shapeOf(*value).size();
  if (rank != 2)
    return imp.fail("unsupported: " + role + " has rank " + Twine(rank) +
                    "; only 2-D matrices are supported (no batched or "
                    "vector products)");
  return *value;
}

/// The constant 2-D float operand `i`, or null when it is computed.
const TensorData *constantMatrix(GraphImporter &imp, unsigned i) {
  const TensorData *data = imp.constantInput(i);
  return data && data->isFloat() && data->dims.size() == 2 ? data : nullptr;
}

FailureOr<Value> transpose2D(GraphImporter &imp, Value matrix) {
  return imp.createInferred<TransposeOp>(
      matrix, imp.getBuilder().getDenseI64ArrayAttr({1, 0}));
}

/// Gemm whose B (or C) is computed at run time: B is brought into the
/// dense N x K layout with kiln.transpose, alpha and beta become kiln.mul by
/// a scalar, and C is added with numpy broadcasting.
LogicalResult convertComputedGemm(GraphImporter &imp, Value input, float alpha,
                                  float beta, bool transB) {
  auto b = matrixOperand(imp, 1, "the operand B");
  if (failed(b))
    return failure();
  Value weight = *b;
  if (!transB) {
    auto t = transpose2D(imp, weight);
    if (failed(t))
      return failure();
    weight = *t;
  }
  if (alpha != 1.0f) {
    auto scaled = scaleBy(imp, weight, alpha, "_alpha");
    if (failed(scaled))
      return failure();
    weight = *scaled;
  }
  auto result = emitDenseOp(imp, input, weight, Value());
  if (failed(result))
    return failure();
  if (imp.hasInput(2) && beta != 0.0f) {
    auto c = imp.input(2);
    if (failed(c))
      return failure();
    Value bias = *c;
    if (beta != 1.0f) {
      auto scaled = scaleBy(imp, bias, beta, "_beta");
      if (failed(scaled))
        return failure();
      bias = *scaled;
    }
    result = imp.createInferred<AddOp>(*result, bias);
    if (failed(result))
      return failure();
    if (GraphImporter::shapeOf(*result) !=
        GraphImporter::shapeOf(result->getDefiningOp()->getOperand(0)))
      return imp.fail("the bias C does not broadcast to the M x N result");
  }
  imp.setOutput(0, *result);
  return success();
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
  auto a = matrixOperand(imp, 0, "input A");
  if (failed(a))
    return failure();
  Value input = *a;
  if (*transA) {
    // Transposing a row or column vector is a reshape (a view).
    auto shape = GraphImporter::shapeOf(input);
    auto transposed = shape[0] == 1 || shape[1] == 1
                          ? imp.createWithType<ReshapeOp>(
                                imp.tensorType({shape[1], shape[0]}), input)
                          : transpose2D(imp, input);
    if (failed(transposed))
      return failure();
    input = *transposed;
  }
  const TensorData *b = constantMatrix(imp, 1);
  const TensorData *c = imp.hasInput(2) ? imp.constantInput(2) : nullptr;
  bool constantBias = !imp.hasInput(2) || *beta == 0.0f || (c && c->isFloat());
  if (!b || !constantBias)
    return convertComputedGemm(imp, input, *alpha, *beta, *transB != 0);

  auto weight = denseWeight(*b, /*transposed=*/*transB == 0, *alpha);
  int64_t n = weight->dims[0];

  std::shared_ptr<TensorData> bias;
  if (imp.hasInput(2) && *beta != 0.0f) {
    const TensorData &cd = *c;
    int64_t count = cd.numElements();
    bool row = cd.dims.size() <= 2 && (cd.dims.size() < 2 || cd.dims[0] == 1) &&
               (count == n || count == 1);
    // A full M x N (or M x 1) C is added after the dense layer.
    if (!row)
      return convertComputedGemm(imp, input, *alpha, *beta, *transB != 0);
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
  auto a = matrixOperand(imp, 0, "input A");
  if (failed(a))
    return failure();
  if (const TensorData *b = constantMatrix(imp, 1)) {
    auto weight = denseWeight(*b, /*transposed=*/true, 1.0f);
    return emitDense(imp, *a, *weight, nullptr);
  }
  auto b = matrixOperand(imp, 1, "input B");
  if (failed(b))
    return failure();
  auto weight = transpose2D(imp, *b);
  if (failed(weight))
    return failure();
  return imp.setCreatedOutput(0, emitDenseOp(imp, *a, *weight, Value()));
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
  return imp.setCreatedOutput(
      0, imp.createWithType<SoftmaxOp>(
             input->getType(), *input,
             imp.getBuilder().getI64IntegerAttr(normalized)));
}
