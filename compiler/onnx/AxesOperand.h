//===- AxesOperand.h - The `axes` of Squeeze, Unsqueeze, Reduce* -*- C++ -*-===//
//
// ONNX moved these ops' `axes` from an attribute to input 1 at some opset
// (Squeeze, Unsqueeze and ReduceSum at 13, ReduceMean / Max / Min at 18),
// like Slice's and Split's integer lists; kiln needs them constant either
// way. readIntListOperand reads any such list, readAxes axes in particular.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ONNX_AXESOPERAND_H
#define KILN_COMPILER_ONNX_AXESOPERAND_H

#include "compiler/onnx/GraphImporter.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace kiln {

/// An integer list operand: attribute `name` before `inputSinceOpset`, the
/// constant 1-D input `index` from it on (ONNX moved Slice's starts / ends
/// / axes / steps, Split's sizes and the axes of Squeeze, Unsqueeze and
/// Reduce* this way); std::nullopt when absent.
mlir::FailureOr<std::optional<llvm::SmallVector<int64_t>>>
readIntListOperand(GraphImporter &imp, llvm::StringRef name, unsigned index,
                   int64_t inputSinceOpset);

/// The current node's axes: the `axes` attribute before `inputSinceOpset`,
/// the constant input 1 from it on; std::nullopt when absent. Each is
/// normalized against `rank` and must be unique; the order is kept.
mlir::FailureOr<std::optional<llvm::SmallVector<int64_t>>>
readAxes(GraphImporter &imp, int64_t rank, int64_t inputSinceOpset);

} // namespace kiln

#endif // KILN_COMPILER_ONNX_AXESOPERAND_H
