//===- AxesOperand.h - The `axes` of Squeeze, Unsqueeze, Reduce* -*- C++ -*-===//
//
// ONNX moved these ops' `axes` from an attribute to input 1 at some opset
// (Squeeze, Unsqueeze and ReduceSum at 13, ReduceMean / Max / Min at 18);
// kiln needs them constant either way.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ONNX_AXESOPERAND_H
#define KILN_COMPILER_ONNX_AXESOPERAND_H

#include "compiler/onnx/GraphImporter.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace kiln {

/// The current node's axes: the `axes` attribute before `inputSinceOpset`,
/// the constant input 1 from it on; std::nullopt when absent. Each is
/// normalized against `rank` and must be unique; the order is kept.
mlir::FailureOr<std::optional<llvm::SmallVector<int64_t>>>
readAxes(GraphImporter &imp, int64_t rank, int64_t inputSinceOpset);

} // namespace kiln

#endif // KILN_COMPILER_ONNX_AXESOPERAND_H
