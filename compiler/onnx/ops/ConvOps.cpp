//===- ConvOps.cpp - Conv, ConvTranspose, Pad -----------------------------===//
//
// Conv becomes kiln.conv2d (2-D, NCHW), ConvTranspose kiln.conv_transpose2d
// (2-D, NCHW). Pad (any mode) becomes
// kiln.pad; kiln-fold-pad later moves a spatial zero pad in front of a conv
// or pool into that op's own pads.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "compiler/onnx/WindowPadding.h"
#include "dialects/kiln/KilnOps.h"

#include <algorithm>
#include <cmath>

using namespace kiln;
using namespace mlir;

namespace {

/// Conv's / ConvTranspose's operands: a 4-D (NCHW) input, a 4-D weight and
/// an optional 1-D bias. `what` names the op for the message about the
/// input's rank, `weightLayout` the weight's dims for the one about its.
struct ConvOperands {
  Value input, weight, bias;
  ArrayRef<int64_t> in, w;
};

FailureOr<ConvOperands> readConvOperands(GraphImporter &imp, StringRef what,
                                         StringRef weightLayout) {
  auto input = imp.input(0);
  auto weight = imp.input(1);
  auto bias = imp.optionalInput(2);
  if (failed(input) || failed(weight) || failed(bias))
    return failure();
  ConvOperands ops{*input, *weight, *bias, GraphImporter::shapeOf(*input),
                   GraphImporter::shapeOf(*weight)};
  if (ops.in.size() != 4)
    return imp.fail("unsupported: only 2-D " + what +
                    " of NCHW input is supported; the input has rank " +
                    Twine(ops.in.size()));
  if (ops.w.size() != 4)
    return imp.fail("the weight must be 4-D (" + weightLayout +
                    "), got rank " + Twine(ops.w.size()));
  if (ops.bias && GraphImporter::shapeOf(ops.bias).size() != 1)
    return imp.fail("the bias must be 1-D");
  return ops;
}

} // namespace

LogicalResult kiln::convertConv(GraphImporter &imp) {
  NodeAttributes attrs = imp.attributes();
  auto operands = readConvOperands(imp, "convolution", "M x C/group x kH x kW");
  if (failed(operands))
    return failure();
  Value input = operands->input, weight = operands->weight,
        bias = operands->bias;
  ArrayRef<int64_t> in = operands->in, w = operands->w;

  auto kernel = attrs.getInts("kernel_shape");
  auto strides = attrs.getIntsOfSize("strides", 2, 1);
  auto dilations = attrs.getIntsOfSize("dilations", 2, 1);
  auto group = attrs.getInt("group", 1);
  if (failed(kernel) || failed(strides) || failed(dilations) || failed(group))
    return failure();
  if (*kernel && (**kernel).size() != 2)
    return imp.fail("kernel_shape needs 2 values, got " +
                    Twine((**kernel).size()));
  if (*kernel && ((**kernel)[0] != w[2] || (**kernel)[1] != w[3]))
    return imp.fail("kernel_shape [" + Twine((**kernel)[0]) + ", " +
                    Twine((**kernel)[1]) + "] does not match the weight's " +
                    Twine(w[2]) + "x" + Twine(w[3]) + " kernel");

  auto pads = computeWindowPads(attrs, imp.errorFn(), {in[2], in[3]},
                                {w[2], w[3]}, *strides, *dilations);
  if (failed(pads))
    return failure();

  OpBuilder &b = imp.getBuilder();
  return imp.setCreatedOutput(
      0,
      imp.createInferred<Conv2DOp>(
          input, weight, bias, Value(), b.getDenseI64ArrayAttr(*strides),
          b.getDenseI64ArrayAttr(*pads), b.getDenseI64ArrayAttr(*dilations),
          b.getI64IntegerAttr(*group), StringAttr(), FloatAttr(), FloatAttr()));
}

/// ONNX ConvTranspose. The pads come from `pads`, `auto_pad` (SAME_*: an
/// output of input * stride) or `output_shape`: there the total padding
/// full - wanted is split as the spec says (SAME_UPPER: the smaller half
/// first), and a wanted size past the full result becomes output_padding.
LogicalResult kiln::convertConvTranspose(GraphImporter &imp) {
  NodeAttributes attrs = imp.attributes();
  auto operands =
      readConvOperands(imp, "transposed convolution", "C x M/group x kH x kW");
  if (failed(operands))
    return failure();
  ArrayRef<int64_t> in = operands->in, w = operands->w;
  auto kernel = attrs.getInts("kernel_shape");
  auto strides = attrs.getIntsOfSize("strides", 2, 1);
  auto dilations = attrs.getIntsOfSize("dilations", 2, 1);
  auto outputPadding = attrs.getIntsOfSize("output_padding", 2, 0);
  auto pads = attrs.getIntsOfSize("pads", 4, 0);
  auto outputShape = attrs.getInts("output_shape");
  auto group = attrs.getInt("group", 1);
  auto autoPad = attrs.getString("auto_pad", "NOTSET");
  if (failed(kernel) || failed(strides) || failed(dilations) ||
      failed(outputPadding) || failed(pads) || failed(outputShape) ||
      failed(group) || failed(autoPad))
    return failure();
  if (*kernel && *kernel != SmallVector<int64_t>{w[2], w[3]})
    return imp.fail("kernel_shape does not match the weight's " + Twine(w[2]) +
                    "x" + Twine(w[3]) + " kernel");
  SmallVector<int64_t, 4> p = *pads, op = *outputPadding;
  bool same = *autoPad == "SAME_UPPER" || *autoPad == "SAME_LOWER";
  if (*autoPad == "VALID")
    p.assign(4, 0);
  else if (!same && *autoPad != "NOTSET")
    return imp.fail("unknown auto_pad '" + *autoPad + "'");
  if (*outputShape || same) {
    if (*outputShape && (**outputShape).size() != 2 &&
        (**outputShape).size() != 4)
      return imp.fail("output_shape needs 2 (or 4) values");
    for (int i = 0; i < 2; ++i) {
      int64_t wanted = *outputShape ? (**outputShape).end()[i - 2]
                                    : in[2 + i] * (*strides)[i];
      int64_t full = (*strides)[i] * (in[2 + i] - 1) + op[i] +
                     (w[2 + i] - 1) * (*dilations)[i] + 1;
      int64_t total = full - wanted;
      if (total < 0) { // wanted past the full result: output padding
        int64_t limit = std::max((*strides)[i], (*dilations)[i]);
        if (op[i] - total >= limit)
          return imp.fail("output size " + Twine(wanted) + " along spatial "
                          "dim " + Twine(i) + " exceeds the full result " +
                          Twine(full) + " by " + Twine(-total) +
                          "; at most " + Twine(limit - 1 - op[i]) +
                          " more cells can be output padding");
        op[i] -= total;
        total = 0;
      }
      bool upper = *autoPad == "SAME_UPPER";
      p[i] = upper ? total / 2 : total - total / 2;
      p[i + 2] = total - p[i];
    }
  }
  OpBuilder &b = imp.getBuilder();
  return imp.setCreatedOutput(
      0, imp.createInferred<ConvTranspose2DOp>(
             operands->input, operands->weight, operands->bias,
             b.getDenseI64ArrayAttr(*strides),
             b.getDenseI64ArrayAttr(p), b.getDenseI64ArrayAttr(*dilations),
             b.getDenseI64ArrayAttr(op), b.getI64IntegerAttr(*group),
             StringAttr(), FloatAttr(), FloatAttr()));
}

namespace {

/// Pad before opset 11: `pads` and `value` are attributes.
LogicalResult readPadAttributes(GraphImporter &imp, const NodeAttributes &attrs,
                                int64_t rank, SmallVectorImpl<int64_t> &pads,
                                float &value) {
  auto list = attrs.getInts("pads");
  auto v = attrs.getFloat("value", 0.0f);
  if (failed(list) || failed(v))
    return failure();
  if (!*list)
    return imp.fail("missing required attribute 'pads'");
  if ((int64_t)(**list).size() != 2 * rank)
    return imp.fail("the pads must be " + Twine(2 * rank) +
                    " values (begins, then ends) for a rank-" + Twine(rank) +
                    " input");
  pads.assign((**list).begin(), (**list).end());
  value = *v;
  return success();
}

/// Pad from opset 11 on: `pads`, `constant_value` and (opset 18) `axes` are
/// constant inputs.
LogicalResult readPadInputs(GraphImporter &imp, int64_t rank,
                            SmallVectorImpl<int64_t> &allPads, float &value) {
  auto pads = imp.requireConstantInput(1, "the pads");
  if (failed(pads))
    return failure();
  // The padded axes: all of them, or the optional 'axes' input.
  SmallVector<int64_t> axes;
  if (imp.hasInput(3)) {
    auto axesData = imp.requireConstantInput(3, "the axes");
    if (failed(axesData))
      return failure();
    if ((*axesData)->isFloat())
      return imp.fail("the axes must be int64");
    for (int64_t a : (*axesData)->ints) {
      int64_t axis = a < 0 ? a + rank : a;
      if (axis < 0 || axis >= rank || llvm::is_contained(axes, axis))
        return imp.fail("axes value " + Twine(a) +
                        " is out of range or repeated for a rank-" +
                        Twine(rank) + " input");
      axes.push_back(axis);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  const TensorData &p = **pads;
  int64_t numAxes = axes.size();
  if (p.isFloat() || p.numElements() != 2 * numAxes)
    return imp.fail("the pads must be " + Twine(2 * numAxes) +
                    " int64 values (begins, then ends) for " + Twine(numAxes) +
                    " padded axes");
  // kiln.pad takes every axis, ONNX order [begins..., ends...].
  allPads.assign(2 * rank, 0);
  for (int64_t i = 0; i < numAxes; ++i) {
    allPads[axes[i]] = p.ints[i];
    allPads[rank + axes[i]] = p.ints[numAxes + i];
  }
  value = 0.0f;
  if (imp.hasInput(2)) {
    auto data = imp.requireConstantInput(2, "the constant_value");
    if (failed(data))
      return failure();
    if ((*data)->numElements() != 1)
      return imp.fail("the constant_value must be one value");
    value = (*data)->isFloat() ? (*data)->floats[0] : (float)(*data)->ints[0];
  }
  return success();
}

} // namespace

LogicalResult kiln::convertPad(GraphImporter &imp) {
  NodeAttributes attrs = imp.attributes();
  auto mode = attrs.getString("mode", "constant");
  if (failed(mode))
    return failure();
  if (*mode != "constant" && *mode != "edge" && *mode != "reflect" &&
      *mode != "wrap")
    return imp.fail("unsupported: Pad mode '" + *mode +
                    "' (supported: constant, edge, reflect, wrap)");
  if (*mode == "wrap" && imp.opset() < 19)
    return imp.fail("Pad mode 'wrap' needs opset 19 or later (the model "
                    "imports opset " + Twine(imp.opset()) + ")");
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  int64_t rank = GraphImporter::shapeOf(*input).size();
  SmallVector<int64_t> allPads;
  float value = 0.0f;
  if (failed(imp.opset() < 11
                 ? readPadAttributes(imp, attrs, rank, allPads, value)
                 : readPadInputs(imp, rank, allPads, value)))
    return failure();
  for (int64_t v : allPads)
    if (v < 0)
      return imp.fail("unsupported: negative pads (cropping)");
  if (std::isnan(value))
    return imp.fail("unsupported: a NaN pad value");
  if (llvm::all_of(allPads, [](int64_t v) { return v == 0; })) {
    imp.setOutputAlias(0, 0);
    return success();
  }
  OpBuilder &b = imp.getBuilder();
  return imp.setCreatedOutput(
      0, imp.createInferred<PadOp>(
             *input, b.getDenseI64ArrayAttr(allPads),
             b.getF32FloatAttr(*mode == "constant" ? value : 0.0f),
             b.getStringAttr(*mode)));
}
