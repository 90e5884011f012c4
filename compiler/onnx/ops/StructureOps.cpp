//===- StructureOps.cpp - Concat, Flatten, Reshape, Transpose, ... --------===//
//
// Shape-only ops: Concat (folded when every input is constant:
// ShapeOps.cpp), Flatten, Reshape, Squeeze, Unsqueeze, Transpose,
// Identity, Dropout, Constant. Reshape's target shape and Squeeze's /
// Unsqueeze's axes are read at import time (they must be constant);
// Identity and inference-mode Dropout only rename a tensor.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/AxesOperand.h"
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "dialects/kiln/KilnOps.h"

using namespace kiln;
using namespace mlir;

LogicalResult kiln::convertConcat(GraphImporter &imp) {
  auto axis = imp.attributes().getInt("axis", INT64_MIN);
  if (failed(axis))
    return failure();
  if (*axis == INT64_MIN)
    return imp.fail("missing required attribute 'axis'");
  // Every input constant (shape arithmetic): fold.
  bool anyInput = false, allConstant = true;
  for (int i = 0; i < imp.node().input_size(); ++i)
    if (imp.hasInput(i)) {
      anyInput = true;
      allConstant = allConstant && imp.constantInput(i);
    }
  if (anyInput && allConstant)
    return foldConstantConcat(imp, *axis);
  SmallVector<Value> inputs;
  for (int i = 0; i < imp.node().input_size(); ++i) {
    if (!imp.hasInput(i))
      continue;
    auto value = imp.input(i);
    if (failed(value))
      return failure();
    inputs.push_back(*value);
  }
  if (inputs.empty())
    return imp.fail("needs at least one input");
  int64_t rank = GraphImporter::shapeOf(inputs[0]).size();
  int64_t normalized = *axis < 0 ? *axis + rank : *axis;
  if (normalized < 0 || normalized >= rank)
    return imp.fail("axis " + Twine(*axis) + " is out of range for rank " +
                    Twine(rank));
  return imp.setCreatedOutput(
      0,
      imp.createInferred<ConcatOp>(
          ValueRange(inputs), imp.getBuilder().getI64IntegerAttr(normalized)));
}

/// Result of reshaping input 0 to `shape`: a new constant when the input is
/// constant, a kiln.reshape otherwise.
static LogicalResult emitReshape(GraphImporter &imp, ArrayRef<int64_t> shape) {
  if (const TensorData *data = imp.constantInput(0)) {
    auto reshaped = std::make_shared<TensorData>(*data);
    reshaped->name = imp.node().output(0);
    reshaped->dims.assign(shape.begin(), shape.end());
    imp.setOutputConstant(0, std::move(reshaped));
    return success();
  }
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  return imp.setCreatedOutput(
      0, imp.createWithType<ReshapeOp>(imp.tensorType(shape), *input));
}

LogicalResult kiln::convertFlatten(GraphImporter &imp) {
  auto axis = imp.attributes().getInt("axis", 1);
  auto in = imp.inputShape(0);
  if (failed(axis) || failed(in))
    return failure();
  int64_t rank = in->size();
  int64_t normalized = *axis < 0 ? *axis + rank : *axis;
  if (normalized < 0 || normalized > rank)
    return imp.fail("axis " + Twine(*axis) + " is out of range for rank " +
                    Twine(rank));
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < normalized ? outer : inner) *= (*in)[d];
  return emitReshape(imp, {outer, inner});
}

LogicalResult kiln::convertReshape(GraphImporter &imp) {
  auto allowZero = imp.attributes().getInt("allowzero", 0);
  auto in = imp.inputShape(0);
  auto target = imp.requireConstantInput(1, "the target shape");
  if (failed(allowZero) || failed(in) || failed(target))
    return failure();
  const TensorData &spec = **target;
  if (spec.isFloat() || spec.dims.size() != 1)
    return imp.fail("the target shape must be a 1-D int64 tensor");
  if (spec.ints.empty())
    return imp.fail("reshaping to a scalar is unsupported");
  int64_t total = 1;
  for (int64_t d : *in)
    total *= d;
  SmallVector<int64_t> shape;
  int inferred = -1;
  int64_t known = 1;
  for (size_t i = 0; i < spec.ints.size(); ++i) {
    int64_t v = spec.ints[i];
    if (v == 0 && !*allowZero) {
      if (i >= in->size())
        return imp.fail("target dim " + Twine(i) +
                        " copies an input dim that does not exist");
      v = (*in)[i];
    } else if (v == -1) {
      if (inferred >= 0)
        return imp.fail("the target shape has more than one -1");
      inferred = i;
      shape.push_back(1);
      continue;
    } else if (v <= 0) {
      return imp.fail("target dim " + Twine(i) + " is " + Twine(v) +
                      "; sizes must be positive (or 0 / -1)");
    }
    if (known > (int64_t(1) << 40) / v)
      return imp.fail("the target shape is too large");
    known *= v;
    shape.push_back(v);
  }
  if (inferred >= 0) {
    if (total % known != 0)
      return imp.fail("cannot infer the -1 dim: " + Twine(total) +
                      " elements are not divisible by " + Twine(known));
    shape[inferred] = total / known;
  } else if (known != total) {
    return imp.fail("the target shape has " + Twine(known) +
                    " elements but the input has " + Twine(total));
  }
  if (shape.size() > 8)
    return imp.fail("the target shape has rank " + Twine(shape.size()) +
                    "; at most 8 is supported");
  return emitReshape(imp, shape);
}

LogicalResult kiln::convertSqueeze(GraphImporter &imp) {
  auto in = imp.inputShape(0);
  if (failed(in))
    return failure();
  int64_t rank = in->size();
  auto axes = readAxes(imp, rank, /*inputSinceOpset=*/13);
  if (failed(axes))
    return failure();
  if (*axes && (*axes)->empty())
    return imp.fail("unsupported: an empty axes list (onnxruntime squeezes "
                    "every size-1 axis there, the ONNX reference none)");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    bool squeezed = *axes ? llvm::is_contained(**axes, d) : (*in)[d] == 1;
    if (squeezed && (*in)[d] != 1)
      return imp.fail("axis " + Twine(d) + " has size " + Twine((*in)[d]) +
                      "; only size-1 axes can be squeezed");
    if (!squeezed)
      shape.push_back((*in)[d]);
  }
  if (shape.empty())
    return imp.fail("unsupported: squeezing every axis (a scalar result)");
  return emitReshape(imp, shape);
}

LogicalResult kiln::convertUnsqueeze(GraphImporter &imp) {
  auto in = imp.inputShape(0);
  if (failed(in))
    return failure();
  int64_t inRank = in->size();
  // The output rank is known before the axes: one new axis per entry.
  int64_t count = 0;
  if (imp.opset() < 13) {
    auto attr = imp.attributes().getInts("axes");
    if (failed(attr))
      return failure();
    count = *attr ? (int64_t)(*attr)->size() : 0;
  } else if (const TensorData *data = imp.constantInput(1)) {
    count = data->numElements();
  }
  int64_t rank = inRank + count;
  if (rank > 8)
    return imp.fail("the result has rank " + Twine(rank) +
                    "; at most 8 is supported");
  auto axes = readAxes(imp, rank, /*inputSinceOpset=*/13);
  if (failed(axes))
    return failure();
  if (!*axes || (*axes)->empty())
    return imp.fail("missing the axes to insert");
  SmallVector<int64_t> shape;
  for (int64_t d = 0, next = 0; d < rank; ++d)
    shape.push_back(llvm::is_contained(**axes, d) ? 1 : (*in)[next++]);
  return emitReshape(imp, shape);
}

LogicalResult kiln::convertTranspose(GraphImporter &imp) {
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  int64_t rank = GraphImporter::shapeOf(*input).size();
  auto attr = imp.attributes().getInts("perm");
  if (failed(attr))
    return failure();
  SmallVector<int64_t> perm;
  if (*attr)
    perm.assign((*attr)->begin(), (*attr)->end());
  else // ONNX's default: the dimensions reversed
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  if ((int64_t)perm.size() != rank)
    return imp.fail("perm has " + Twine(perm.size()) +
                    " entries; the input has rank " + Twine(rank));
  SmallVector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return imp.fail("perm is not a permutation of 0.." + Twine(rank - 1));
    seen[p] = true;
  }
  return imp.setCreatedOutput(
      0, imp.createInferred<TransposeOp>(
             *input, imp.getBuilder().getDenseI64ArrayAttr(perm)));
}

LogicalResult kiln::convertIdentity(GraphImporter &imp) {
  if (!imp.hasInput(0))
    return imp.fail("missing required input #0");
  imp.setOutputAlias(0, 0);
  return success();
}

LogicalResult kiln::convertDropout(GraphImporter &imp) {
  if (!imp.hasInput(0))
    return imp.fail("missing required input #0");
  if (imp.isOutputUsed(1))
    return imp.fail("the mask output is unsupported (inference only)");
  if (imp.hasInput(2)) {
    const TensorData *training = imp.constantInput(2);
    bool off = training && training->numElements() == 1 &&
               (training->isFloat() ? training->floats[0] == 0.0f
                                    : training->ints[0] == 0);
    if (!off)
      return imp.fail("unsupported: training mode (training_mode must be a "
                      "constant false; inference only)");
  }
  imp.setOutputAlias(0, 0);
  return success();
}

LogicalResult kiln::convertConstant(GraphImporter &imp) {
  NodeAttributes attrs = imp.attributes();
  auto data = std::make_shared<TensorData>();
  data->name = imp.node().output_size() ? imp.node().output(0) : "constant";
  if (const auto *attr = attrs.find("value")) {
    if (!attr->has_t())
      return imp.fail("attribute 'value' holds no tensor");
    std::string error;
    if (!decodeTensor(attr->t(), imp.modelDirectory(), *data, error))
      return imp.fail("attribute 'value': " + error);
    data->name = imp.node().output_size() ? imp.node().output(0) : data->name;
  } else if (const auto *attr = attrs.find("value_float")) {
    data->floats = {attr->f()};
  } else if (const auto *attr = attrs.find("value_floats")) {
    data->floats.assign(attr->floats().begin(), attr->floats().end());
    data->dims = {(int64_t)data->floats.size()};
  } else if (const auto *attr = attrs.find("value_int")) {
    data->kind = TensorData::Kind::Int64;
    data->ints = {attr->i()};
  } else if (const auto *attr = attrs.find("value_ints")) {
    data->kind = TensorData::Kind::Int64;
    data->ints.assign(attr->ints().begin(), attr->ints().end());
    data->dims = {(int64_t)data->ints.size()};
  } else {
    return imp.fail("only the value, value_float(s) and value_int(s) forms "
                    "are supported");
  }
  imp.setOutputConstant(0, std::move(data));
  return success();
}
