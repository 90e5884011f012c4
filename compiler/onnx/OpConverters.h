//===- OpConverters.h - One function per supported ONNX op ------*- C++ -*-===//
//
// Each converter translates the importer's current node into kiln ops (or
// folds it into constants/aliases) and sets the node's outputs. Converters
// live in ops/<Family>Ops.cpp; OpRegistry.cpp maps op types to them.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ONNX_OPCONVERTERS_H
#define KILN_COMPILER_ONNX_OPCONVERTERS_H

#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

namespace kiln {

class GraphImporter;

using OpConverter = mlir::LogicalResult (*)(GraphImporter &);

/// Converter for a default-domain op type, or null when unsupported.
OpConverter lookupOpConverter(llvm::StringRef opType);

/// Oldest opset from which on the op's semantics (inputs, attributes,
/// broadcasting) are those its converter implements; older versions of the
/// op are unsupported.
int64_t oldestSupportedOpset(llvm::StringRef opType);

// ops/ConvOps.cpp
mlir::LogicalResult convertConv(GraphImporter &importer);
mlir::LogicalResult convertPad(GraphImporter &importer);
// ops/NormalizationOps.cpp
mlir::LogicalResult convertBatchNormalization(GraphImporter &importer);
mlir::LogicalResult convertMul(GraphImporter &importer);
mlir::LogicalResult convertLRN(GraphImporter &importer);
// ops/ElementwiseOps.cpp
mlir::LogicalResult convertRelu(GraphImporter &importer);
mlir::LogicalResult convertSigmoid(GraphImporter &importer);
mlir::LogicalResult convertHardSigmoid(GraphImporter &importer);
mlir::LogicalResult convertHardSwish(GraphImporter &importer);
mlir::LogicalResult convertLeakyRelu(GraphImporter &importer);
mlir::LogicalResult convertTanh(GraphImporter &importer);
mlir::LogicalResult convertSoftplus(GraphImporter &importer);
mlir::LogicalResult convertMish(GraphImporter &importer);
mlir::LogicalResult convertElu(GraphImporter &importer);
mlir::LogicalResult convertSelu(GraphImporter &importer);
mlir::LogicalResult convertPRelu(GraphImporter &importer);
mlir::LogicalResult convertClip(GraphImporter &importer);
mlir::LogicalResult convertAdd(GraphImporter &importer);
// ops/PoolingOps.cpp
mlir::LogicalResult convertMaxPool(GraphImporter &importer);
mlir::LogicalResult convertAveragePool(GraphImporter &importer);
mlir::LogicalResult convertGlobalAveragePool(GraphImporter &importer);
mlir::LogicalResult convertConvTranspose(GraphImporter &importer);
// ops/ResizeOps.cpp
mlir::LogicalResult convertResize(GraphImporter &importer);
mlir::LogicalResult convertUpsample(GraphImporter &importer);
// ops/ShapeOps.cpp
mlir::LogicalResult convertShape(GraphImporter &importer);
mlir::LogicalResult convertGather(GraphImporter &importer);
/// Concat whose inputs are all constants (called by convertConcat).
mlir::LogicalResult foldConstantConcat(GraphImporter &importer, int64_t axis);
// ops/SliceOps.cpp
/// Gather along `axis` (normalized) of the current node's computed input 0
/// at `picks` (normalized indices of a scalar, indicesRank 0, or a list):
/// kiln.slices of their evenly spaced runs, concatenated.
mlir::LogicalResult gatherBySlices(GraphImporter &importer, int64_t axis,
                                   llvm::ArrayRef<int64_t> picks,
                                   size_t indicesRank);
// ops/ReductionOps.cpp
mlir::LogicalResult convertReduceSum(GraphImporter &importer);
mlir::LogicalResult convertReduceMean(GraphImporter &importer);
mlir::LogicalResult convertReduceMax(GraphImporter &importer);
mlir::LogicalResult convertReduceMin(GraphImporter &importer);
mlir::LogicalResult convertGlobalMaxPool(GraphImporter &importer);
// ops/StructureOps.cpp
mlir::LogicalResult convertConcat(GraphImporter &importer);
mlir::LogicalResult convertFlatten(GraphImporter &importer);
mlir::LogicalResult convertReshape(GraphImporter &importer);
mlir::LogicalResult convertSqueeze(GraphImporter &importer);
mlir::LogicalResult convertUnsqueeze(GraphImporter &importer);
mlir::LogicalResult convertTranspose(GraphImporter &importer);
mlir::LogicalResult convertIdentity(GraphImporter &importer);
mlir::LogicalResult convertDropout(GraphImporter &importer);
mlir::LogicalResult convertConstant(GraphImporter &importer);
// ops/PixelShuffleOps.cpp
mlir::LogicalResult convertDepthToSpace(GraphImporter &importer);
mlir::LogicalResult convertSpaceToDepth(GraphImporter &importer);
// ops/SliceOps.cpp
mlir::LogicalResult convertSlice(GraphImporter &importer);
mlir::LogicalResult convertSplit(GraphImporter &importer);
// ops/ArithmeticOps.cpp
mlir::LogicalResult convertSub(GraphImporter &importer);
mlir::LogicalResult convertDiv(GraphImporter &importer);
/// `value * factor` with a one-element constant factor named after the
/// node's output plus `suffix`.
mlir::FailureOr<mlir::Value> scaleBy(GraphImporter &importer, mlir::Value value,
                                     float factor, llvm::StringRef suffix);
// ops/ClassifierOps.cpp
mlir::LogicalResult convertGemm(GraphImporter &importer);
mlir::LogicalResult convertMatMul(GraphImporter &importer);
mlir::LogicalResult convertSoftmax(GraphImporter &importer);

} // namespace kiln

#endif // KILN_COMPILER_ONNX_OPCONVERTERS_H
