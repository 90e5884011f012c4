//===- ReductionOps.cpp - ReduceSum, ReduceMean, ReduceMax, ReduceMin -----===//
//
// One kiln.reduce each. A mean or max over H and W of an NCHW tensor (how
// exporters often write a global pool) becomes kiln.global_avg_pool or a
// whole-image kiln.max_pool2d instead, the kernels the rest of a CNN
// already uses (channel-blocked inputs included), reshaped to drop the two
// dims without keepdims.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/AxesOperand.h"
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "dialects/kiln/KilnOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace kiln;
using namespace mlir;

namespace {

/// Max over the whole H x W image: a max pool with one window.
FailureOr<Value> emitGlobalMaxPool(GraphImporter &imp, Value input) {
  ArrayRef<int64_t> in = GraphImporter::shapeOf(input);
  OpBuilder &b = imp.getBuilder();
  return imp.createInferred<MaxPool2DOp>(
      input, b.getDenseI64ArrayAttr({in[2], in[3]}),
      b.getDenseI64ArrayAttr({1, 1}), b.getDenseI64ArrayAttr({0, 0, 0, 0}),
      b.getDenseI64ArrayAttr({1, 1}), b.getBoolAttr(false));
}

/// `kind` is kiln.reduce's: "sum", "mean", "max" or "min".
/// `inputSinceOpset`: the opset from which `axes` is input 1.
LogicalResult convertReduce(GraphImporter &imp, StringRef kind,
                            int64_t inputSinceOpset) {
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  NodeAttributes attrs = imp.attributes();
  auto keepdims = attrs.getInt("keepdims", 1);
  auto noopWithEmptyAxes = attrs.getInt("noop_with_empty_axes", 0);
  if (failed(keepdims) || failed(noopWithEmptyAxes))
    return failure();
  ArrayRef<int64_t> in = GraphImporter::shapeOf(*input);
  int64_t rank = in.size();
  auto given = readAxes(imp, rank, inputSinceOpset);
  if (failed(given))
    return failure();
  SmallVector<int64_t> axes;
  if (*given && !(*given)->empty()) {
    axes = **given;
    llvm::sort(axes);
  } else if (*noopWithEmptyAxes) {
    imp.setOutputAlias(0, 0); // No axes: the input unchanged.
    return success();
  } else {
    for (int64_t d = 0; d < rank; ++d) // No axes: every one.
      axes.push_back(d);
  }
  if (!*keepdims && (int64_t)axes.size() == rank)
    return imp.fail("unsupported: reducing every axis without keepdims (a "
                    "scalar result)");

  bool spatial = rank == 4 && axes == SmallVector<int64_t>{2, 3};
  if (spatial && (kind == "mean" || kind == "max")) {
    FailureOr<Value> pooled = kind == "mean"
                                  ? imp.createInferred<GlobalAvgPoolOp>(*input)
                                  : emitGlobalMaxPool(imp, *input);
    if (failed(pooled) || *keepdims)
      return imp.setCreatedOutput(0, pooled);
    return imp.setCreatedOutput(0, imp.createWithType<ReshapeOp>(
                                       imp.tensorType({in[0], in[1]}),
                                       *pooled));
  }
  OpBuilder &b = imp.getBuilder();
  return imp.setCreatedOutput(
      0, imp.createInferred<ReduceOp>(*input, b.getStringAttr(kind),
                                      b.getDenseI64ArrayAttr(axes),
                                      b.getBoolAttr(*keepdims != 0)));
}

} // namespace

LogicalResult kiln::convertReduceSum(GraphImporter &imp) {
  return convertReduce(imp, "sum", 13);
}

LogicalResult kiln::convertReduceMean(GraphImporter &imp) {
  return convertReduce(imp, "mean", 18);
}

LogicalResult kiln::convertReduceMax(GraphImporter &imp) {
  return convertReduce(imp, "max", 18);
}

LogicalResult kiln::convertReduceMin(GraphImporter &imp) {
  return convertReduce(imp, "min", 18);
}

LogicalResult kiln::convertGlobalMaxPool(GraphImporter &imp) {
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  if (GraphImporter::shapeOf(*input).size() != 4)
    return imp.fail("unsupported: only 2-D pooling of NCHW input is "
                    "supported; the input has rank " +
                    Twine(GraphImporter::shapeOf(*input).size()));
  return imp.setCreatedOutput(0, emitGlobalMaxPool(imp, *input));
}
