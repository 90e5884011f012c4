//===- ConvOps.cpp - Conv and Pad -> kiln.conv2d --------------------------===//
//
// Conv becomes kiln.conv2d (2-D, NCHW). A zero constant Pad in front of a
// Conv is folded into the Conv's pads: kiln has no standalone pad op.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "compiler/onnx/WindowPadding.h"
#include "dialects/kiln/KilnOps.h"

using namespace kiln;
using namespace mlir;

LogicalResult kiln::convertConv(GraphImporter &imp) {
  NodeAttributes attrs = imp.attributes();
  SmallVector<int64_t, 4> folded;
  auto input = imp.inputAbsorbingPad(0, folded);
  auto weight = imp.input(1);
  auto bias = imp.optionalInput(2);
  if (failed(input) || failed(weight) || failed(bias))
    return failure();
  auto in = GraphImporter::shapeOf(*input);
  auto w = GraphImporter::shapeOf(*weight);
  if (in.size() != 4)
    return imp.fail("unsupported: only 2-D convolution of NCHW input is "
                    "supported; the input has rank " +
                    Twine(in.size()));
  if (w.size() != 4)
    return imp.fail(
        "the weight must be 4-D (M x C/group x kH x kW), got rank " +
        Twine(w.size()));
  if (*bias && GraphImporter::shapeOf(*bias).size() != 1)
    return imp.fail("the bias must be 1-D");

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

  int64_t paddedHW[2] = {in[2] + folded[0] + folded[2],
                         in[3] + folded[1] + folded[3]};
  auto pads = computeWindowPads(attrs, imp.errorFn(), paddedHW, {w[2], w[3]},
                                *strides, *dilations);
  if (failed(pads))
    return failure();
  for (int k = 0; k < 4; ++k)
    (*pads)[k] += folded[k];

  OpBuilder &b = imp.getBuilder();
  auto result = imp.createInferred<Conv2DOp>(
      *input, *weight, *bias, Value(), b.getDenseI64ArrayAttr(*strides),
      b.getDenseI64ArrayAttr(*pads), b.getDenseI64ArrayAttr(*dilations),
      b.getI64IntegerAttr(*group), StringAttr(), FloatAttr(), FloatAttr());
  if (failed(result))
    return failure();
  imp.setOutput(0, *result);
  return success();
}

LogicalResult kiln::convertPad(GraphImporter &imp) {
  NodeAttributes attrs = imp.attributes();
  auto mode = attrs.getString("mode", "constant");
  if (failed(mode))
    return failure();
  if (*mode != "constant")
    return imp.fail("Pad cannot be folded: mode '" + *mode +
                    "' is unsupported (only zero constant padding)");
  auto input = imp.input(0);
  auto pads = imp.requireConstantInput(1, "the pads");
  if (failed(input) || failed(pads))
    return failure();
  if (imp.hasInput(3))
    return imp.fail("Pad cannot be folded: the 'axes' input is unsupported");
  if (imp.hasInput(2)) {
    auto value = imp.requireConstantInput(2, "the constant_value");
    if (failed(value))
      return failure();
    bool zero = (*value)->numElements() == 1 &&
                ((*value)->isFloat() ? (*value)->floats[0] == 0.0f
                                     : (*value)->ints[0] == 0);
    if (!zero)
      return imp.fail("unsupported: Pad cannot be folded: only zero padding "
                      "is supported");
  }
  auto in = GraphImporter::shapeOf(*input);
  const TensorData &p = **pads;
  if (p.isFloat() || p.numElements() != 2 * (int64_t)in.size())
    return imp.fail("the pads must be " + Twine(2 * in.size()) +
                    " int64 values for a rank-" + Twine(in.size()) + " input");
  if (in.size() != 4)
    return imp.fail("unsupported: Pad cannot be folded: only 4-D (NCHW) "
                    "inputs are supported");
  for (int64_t v : p.ints)
    if (v < 0)
      return imp.fail("Pad cannot be folded: negative pads (cropping) are "
                      "unsupported");
  if (p.ints[0] || p.ints[1] || p.ints[4] || p.ints[5])
    return imp.fail("unsupported: Pad cannot be folded: only the spatial "
                    "(H, W) dimensions may be padded");
  if (llvm::all_of(p.ints, [](int64_t v) { return v == 0; })) {
    imp.setOutputAlias(0, 0);
    return success();
  }
  // ONNX order is [begins..., ends...]; kiln's is [top, left, bottom, right].
  int64_t spatial[4] = {p.ints[2], p.ints[3], p.ints[6], p.ints[7]};
  imp.setOutputPendingPad(0, *input, spatial);
  return success();
}
