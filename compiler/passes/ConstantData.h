//===- ConstantData.h - Read and create f32 kiln constants ------*- C++ -*-===//
//
// Helpers shared by passes that rewrite weights: read the floats of a
// kiln.constant (inline `dense` or `dense_resource` blob) and create a new one
// stored the way the importer stores it (inline up to 16 elements, a blob
// above, so megabytes of weights are never uniqued in the context).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_PASSES_CONSTANTDATA_H
#define KILN_COMPILER_PASSES_CONSTANTDATA_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <vector>

namespace kiln {

/// Constants up to this many elements are inline DenseElementsAttr.
constexpr int64_t kMaxInlineConstantElements = 16;

/// The floats of `value` when it is the result of a kiln.constant holding
/// f32 data that can be read (a resource blob that was not elided);
/// std::nullopt otherwise.
std::optional<std::vector<float>> readF32Constant(mlir::Value value);

/// Creates a kiln.constant of `type` (f32) holding `data`. `blobName` names
/// the resource blob when one is made; it is made identifier-like and the
/// blob manager makes it unique.
mlir::Value createF32Constant(mlir::OpBuilder &builder, mlir::Location loc,
                              mlir::RankedTensorType type,
                              llvm::ArrayRef<float> data,
                              llvm::StringRef blobName);

/// The blob key of a dense_resource constant, or "" for any other value.
std::string resourceKeyOf(mlir::Value value);

} // namespace kiln

#endif // KILN_COMPILER_PASSES_CONSTANTDATA_H
