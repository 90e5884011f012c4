//===- PoolingOps.cpp - MaxPool, AveragePool, GlobalAveragePool -----------===//
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "compiler/onnx/WindowPadding.h"
#include "dialects/kiln/KilnOps.h"

using namespace kiln;
using namespace mlir;

namespace {

struct WindowAttributes {
  SmallVector<int64_t, 4> kernel, strides, pads, dilations;
  bool ceilMode = false;
};

/// Reads kernel_shape, strides, dilations, ceil_mode and the padding of a
/// 2-D pooling node over `inputHW`.
FailureOr<WindowAttributes> readWindow(GraphImporter &imp,
                                       ArrayRef<int64_t> inputHW) {
  NodeAttributes attrs = imp.attributes();
  auto kernel = attrs.getInts("kernel_shape");
  if (failed(kernel))
    return failure();
  if (!*kernel)
    return imp.fail("missing required attribute 'kernel_shape'");
  if ((**kernel).size() != 2)
    return imp.fail("unsupported: only 2-D pooling is supported; "
                    "kernel_shape has " +
                    Twine((**kernel).size()) + " values");
  auto strides = attrs.getIntsOfSize("strides", 2, 1);
  auto dilations = attrs.getIntsOfSize("dilations", 2, 1);
  auto ceilMode = attrs.getInt("ceil_mode", 0);
  if (failed(strides) || failed(dilations) || failed(ceilMode))
    return failure();
  auto pads = computeWindowPads(attrs, imp.errorFn(), inputHW, **kernel,
                                *strides, *dilations);
  if (failed(pads))
    return failure();
  return WindowAttributes{**kernel, *strides, *pads, *dilations,
                          *ceilMode != 0};
}

LogicalResult requireNCHW(GraphImporter &imp, Value input) {
  if (GraphImporter::shapeOf(input).size() == 4)
    return success();
  return imp.fail("unsupported: only 2-D pooling of NCHW input is "
                  "supported; the input has rank " +
                  Twine(GraphImporter::shapeOf(input).size()));
}

} // namespace

LogicalResult kiln::convertMaxPool(GraphImporter &imp) {
  auto input = imp.input(0);
  if (failed(input) || failed(requireNCHW(imp, *input)))
    return failure();
  auto storageOrder = imp.attributes().getInt("storage_order", 0);
  if (failed(storageOrder))
    return failure();
  if (*storageOrder != 0)
    return imp.fail("storage_order=1 (column-major indices) is unsupported");
  if (imp.isOutputUsed(1))
    return imp.fail("the Indices output is unsupported");
  auto in = GraphImporter::shapeOf(*input);
  auto window = readWindow(imp, in.drop_front(2));
  if (failed(window))
    return failure();
  OpBuilder &b = imp.getBuilder();
  return imp.setCreatedOutput(0, imp.createInferred<MaxPool2DOp>(
                                     *input,
                                     b.getDenseI64ArrayAttr(window->kernel),
                                     b.getDenseI64ArrayAttr(window->strides),
                                     b.getDenseI64ArrayAttr(window->pads),
                                     b.getDenseI64ArrayAttr(window->dilations),
                                     b.getBoolAttr(window->ceilMode)));
}

LogicalResult kiln::convertAveragePool(GraphImporter &imp) {
  auto countIncludePad = imp.attributes().getInt("count_include_pad", 0);
  if (failed(countIncludePad))
    return failure();
  auto input = imp.input(0);
  if (failed(input) || failed(requireNCHW(imp, *input)))
    return failure();
  auto in = GraphImporter::shapeOf(*input);
  auto window = readWindow(imp, in.drop_front(2));
  if (failed(window))
    return failure();
  if (window->dilations[0] != 1 || window->dilations[1] != 1)
    return imp.fail("dilated average pooling is unsupported");
  OpBuilder &b = imp.getBuilder();
  return imp.setCreatedOutput(0, imp.createInferred<AvgPool2DOp>(
                                     *input,
                                     b.getDenseI64ArrayAttr(window->kernel),
                                     b.getDenseI64ArrayAttr(window->strides),
                                     b.getDenseI64ArrayAttr(window->pads),
                                     b.getBoolAttr(*countIncludePad != 0),
                                     b.getBoolAttr(window->ceilMode)));
}

LogicalResult kiln::convertGlobalAveragePool(GraphImporter &imp) {
  auto input = imp.input(0);
  if (failed(input) || failed(requireNCHW(imp, *input)))
    return failure();
  return imp.setCreatedOutput(0, imp.createInferred<GlobalAvgPoolOp>(*input));
}
