//===- WindowPadding.h - ONNX auto_pad and pads for 2-D windows -*- C++ -*-===//
//
// Conv and the pooling ops share ONNX's padding rules: explicit `pads`
// ([top, left, bottom, right] for 2-D, the kiln order too) or `auto_pad`
// VALID / SAME_UPPER / SAME_LOWER computed from the input size.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ONNX_WINDOWPADDING_H
#define KILN_COMPILER_ONNX_WINDOWPADDING_H

#include "compiler/onnx/NodeAttributes.h"

namespace kiln {

/// Returns [top, left, bottom, right] for a window with `kernel`, `strides`
/// and `dilations` over `inputHW`, from the node's `auto_pad` and `pads`.
mlir::FailureOr<llvm::SmallVector<int64_t, 4>> computeWindowPads(
    const NodeAttributes &attrs, const NodeAttributes::ErrorFn &error,
    llvm::ArrayRef<int64_t> inputHW, llvm::ArrayRef<int64_t> kernel,
    llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> dilations);

} // namespace kiln

#endif // KILN_COMPILER_ONNX_WINDOWPADDING_H
