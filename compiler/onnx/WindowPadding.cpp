//===- WindowPadding.cpp - ONNX auto_pad and pads for 2-D windows ---------===//
#include "compiler/onnx/WindowPadding.h"

using namespace kiln;
using namespace mlir;

FailureOr<llvm::SmallVector<int64_t, 4>> kiln::computeWindowPads(
    const NodeAttributes &attrs, const NodeAttributes::ErrorFn &error,
    llvm::ArrayRef<int64_t> inputHW, llvm::ArrayRef<int64_t> kernel,
    llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> dilations) {
  auto autoPad = attrs.getString("auto_pad", "NOTSET");
  if (failed(autoPad))
    return failure();
  if (*autoPad == "NOTSET") {
    auto pads = attrs.getIntsOfSize("pads", 4, 0);
    if (failed(pads))
      return failure();
    for (int64_t p : *pads)
      if (p < 0) {
        (void)error("negative pads are not supported");
        return failure();
      }
    return *pads;
  }
  if (attrs.has("pads")) {
    (void)error("'pads' cannot be combined with auto_pad " + *autoPad);
    return failure();
  }
  if (*autoPad == "VALID")
    return llvm::SmallVector<int64_t, 4>{0, 0, 0, 0};
  if (*autoPad != "SAME_UPPER" && *autoPad != "SAME_LOWER") {
    (void)error("unknown auto_pad '" + *autoPad + "'");
    return failure();
  }
  llvm::SmallVector<int64_t, 4> pads(4, 0);
  for (int d = 0; d < 2; ++d) {
    if (strides[d] <= 0 || dilations[d] <= 0 || kernel[d] <= 0) {
      (void)error("strides, dilations and kernel sizes must be positive");
      return failure();
    }
    // SAME: output = ceil(input / stride).
    int64_t out = (inputHW[d] + strides[d] - 1) / strides[d];
    int64_t span = (kernel[d] - 1) * dilations[d] + 1;
    int64_t total =
        std::max<int64_t>(0, (out - 1) * strides[d] + span - inputHW[d]);
    int64_t small = total / 2, large = total - small;
    // SAME_UPPER puts the extra cell at the end, SAME_LOWER at the start.
    pads[d] = *autoPad == "SAME_UPPER" ? small : large;
    pads[d + 2] = *autoPad == "SAME_UPPER" ? large : small;
  }
  return pads;
}
