//===- ElementwiseOps.cpp - Activations and Add ---------------------------===//
//
// Relu, Sigmoid, HardSigmoid, HardSwish, LeakyRelu, PRelu, Tanh, Softplus,
// Mish, Elu and Selu map one-to-one onto kiln ops (SiLU, exported as
// Mul(x, Sigmoid(x)), is recognized by kiln-fuse-activation).
// Clip bounds (inputs since opset 11) are read at import time (min > max
// becomes min = max, as the spec defines it). An Add of a
// constant bias right after a bias-less dense layer (MatMul + Add) becomes
// that dense layer's bias.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "dialects/kiln/KilnOps.h"

#include <array>
#include <initializer_list>
#include <limits>
#include <utility>

using namespace kiln;
using namespace mlir;

namespace {

/// A float attribute of an activation node and ONNX's default for it.
struct FloatParam {
  const char *name;
  float defaultValue;
};

template <typename OpTy, size_t N, size_t... I>
LogicalResult createActivation(GraphImporter &imp,
                               const std::array<float, N> &values,
                               std::index_sequence<I...>) {
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  OpBuilder &b = imp.getBuilder();
  return imp.setCreatedOutput(
      0, imp.createWithType<OpTy>(input->getType(), *input,
                                  b.getF32FloatAttr(values[I])...));
}

/// An activation: one kiln op of the input's type whose attributes are the
/// node's float `params`, in order.
template <typename OpTy, typename... Params>
LogicalResult convertActivation(GraphImporter &imp, Params... params) {
  NodeAttributes attrs = imp.attributes();
  std::array<float, sizeof...(Params)> values{};
  size_t i = 0;
  for (FloatParam p : std::initializer_list<FloatParam>{params...}) {
    auto value = attrs.getFloat(p.name, p.defaultValue);
    if (failed(value))
      return failure();
    values[i++] = *value;
  }
  return createActivation<OpTy>(imp, values,
                                std::index_sequence_for<Params...>{});
}

} // namespace

LogicalResult kiln::convertRelu(GraphImporter &imp) {
  return convertActivation<ReluOp>(imp);
}

LogicalResult kiln::convertSigmoid(GraphImporter &imp) {
  return convertActivation<SigmoidOp>(imp);
}

LogicalResult kiln::convertHardSwish(GraphImporter &imp) {
  return convertActivation<HardSwishOp>(imp);
}

LogicalResult kiln::convertLeakyRelu(GraphImporter &imp) {
  return convertActivation<LeakyReluOp>(imp, FloatParam{"alpha", 0.01f});
}

LogicalResult kiln::convertTanh(GraphImporter &imp) {
  return convertActivation<TanhOp>(imp);
}

LogicalResult kiln::convertSoftplus(GraphImporter &imp) {
  return convertActivation<SoftplusOp>(imp);
}

LogicalResult kiln::convertMish(GraphImporter &imp) {
  return convertActivation<MishOp>(imp);
}

LogicalResult kiln::convertElu(GraphImporter &imp) {
  return convertActivation<EluOp>(imp, FloatParam{"alpha", 1.0f});
}

LogicalResult kiln::convertSelu(GraphImporter &imp) {
  // ONNX's defaults, to float precision.
  return convertActivation<SeluOp>(
      imp, FloatParam{"alpha", 1.67326319217681884765625f},
      FloatParam{"gamma", 1.05070102214813232421875f});
}

LogicalResult kiln::convertPRelu(GraphImporter &imp) {
  auto input = imp.input(0);
  auto slope = imp.input(1);
  if (failed(input) || failed(slope))
    return failure();
  return imp.setCreatedOutput(0, imp.createInferred<PReluOp>(*input, *slope));
}

LogicalResult kiln::convertHardSigmoid(GraphImporter &imp) {
  return convertActivation<HardSigmoidOp>(imp, FloatParam{"alpha", 0.2f},
                                          FloatParam{"beta", 0.5f});
}

LogicalResult kiln::convertClip(GraphImporter &imp) {
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  // Absent bounds are unbounded; present ones must be constant scalars.
  constexpr float inf = std::numeric_limits<float>::infinity();
  float bounds[2] = {-inf, inf};
  bool present[2] = {false, false};
  static const char *const roles[2] = {"the min bound", "the max bound"};
  for (unsigned k = 0; k < 2; ++k) {
    if (!imp.hasInput(k + 1))
      continue;
    auto data = imp.requireConstantInput(k + 1, roles[k]);
    if (failed(data))
      return failure();
    if (!(*data)->isFloat() || (*data)->numElements() != 1)
      return imp.fail(Twine(roles[k]) + " must be a float32 scalar");
    bounds[k] = (*data)->floats[0];
    present[k] = true;
  }
  if (!present[0] && !present[1]) {
    imp.setOutputAlias(0, 0);
    return success();
  }
  // ONNX: min > max sets every value to max (Min(max, Max(x, min))), which
  // is clip(x, max, max); kiln.clip keeps min <= max.
  if (bounds[0] > bounds[1])
    bounds[0] = bounds[1];
  FailureOr<Value> result;
  if (present[0] && bounds[0] == 0.0f && !present[1]) {
    result = imp.createWithType<ReluOp>(input->getType(), *input);
  } else {
    OpBuilder &b = imp.getBuilder();
    result = imp.createWithType<ClipOp>(input->getType(), *input,
                                        b.getF32FloatAttr(bounds[0]),
                                        b.getF32FloatAttr(bounds[1]));
  }
  if (failed(result))
    return failure();
  imp.setOutput(0, *result);
  return success();
}

/// Folds `dense + bias` into the dense op when input `denseIndex` comes from
/// a bias-less kiln.dense read only here and the other input is a constant
/// of N (or 1xN) floats. Returns the new result, or null when it does not
/// apply.
static FailureOr<Value> tryFoldDenseBias(GraphImporter &imp,
                                         unsigned denseIndex) {
  unsigned biasIndex = 1 - denseIndex;
  const TensorData *bias = imp.constantInput(biasIndex);
  if (!bias || !bias->isFloat() || imp.constantInput(denseIndex))
    return Value();
  auto lhs = imp.input(denseIndex);
  if (failed(lhs))
    return failure();
  auto dense = lhs->getDefiningOp<DenseOp>();
  if (!dense || dense.getBias() || imp.numReadersOf(*lhs) != 1)
    return Value();
  int64_t n = GraphImporter::shapeOf(*lhs)[1];
  ArrayRef<int64_t> dims = bias->dims;
  bool isRow = (dims.size() == 1 && dims[0] == n) ||
               (dims.size() == 2 && dims[0] == 1 && dims[1] == n);
  if (!isRow)
    return Value();
  int64_t shape[1] = {n};
  auto biasValue = imp.emitConstant(*bias, ArrayRef<int64_t>(shape));
  if (failed(biasValue))
    return failure();
  auto folded = imp.createInferred<DenseOp>(
      dense.getInput(), dense.getWeight(), *biasValue,
      dense.getActivationAttr(), dense.getClipMinAttr(),
      dense.getClipMaxAttr());
  if (failed(folded))
    return failure();
  // Keep the dense op's own location (its node name) on the merged op.
  folded->getDefiningOp()->setLoc(dense->getLoc());
  imp.replaceValue(*lhs, *folded);
  dense->erase();
  return *folded;
}

LogicalResult kiln::convertAdd(GraphImporter &imp) {
  for (unsigned denseIndex : {0u, 1u}) {
    auto folded = tryFoldDenseBias(imp, denseIndex);
    if (failed(folded))
      return failure();
    if (*folded) {
      imp.setOutput(0, *folded);
      return success();
    }
  }
  auto lhs = imp.input(0);
  auto rhs = imp.input(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  return imp.setCreatedOutput(0, imp.createInferred<AddOp>(*lhs, *rhs));
}
