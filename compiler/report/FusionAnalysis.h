//===- FusionAnalysis.h - What the optimize phase fused ---------*- C++ -*-===//
//
// The fusion passes rewrite ops in place and keep no record of what they
// absorbed, so this compares the imported IR with the optimized IR:
//  - fusion groups: for a conv2d / dense of the optimized IR, the imported
//    op of the same ONNX node, followed along its single-use chain by the
//    ops that disappeared and that its epilogue now does: a batch_norm
//    (folded), an add (when the op has a residual operand) and a relu/clip
//    (when it has an activation). E.g. conv2d+batch_norm+add+relu.
//  - the report's fusion summary counts (FusionSummary).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_REPORT_FUSIONANALYSIS_H
#define KILN_COMPILER_REPORT_FUSIONANALYSIS_H

#include "compiler/report/ReportModel.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"

#include <string>
#include <vector>

namespace kiln {

/// The imported ops one optimized op stands for (itself first).
struct FusionGroup {
  std::vector<std::string> ops;   // kiln op names without dialect
  std::vector<std::string> nodes; // their ONNX node names
};

/// The ONNX node name of an op: its first NameLoc ("" if none).
std::string onnxNodeName(mlir::Operation *op);

/// Groups for every non-constant op of the optimized module's @main.
llvm::DenseMap<mlir::Operation *, FusionGroup>
inferFusionGroups(mlir::ModuleOp imported, mlir::ModuleOp optimized);

/// Fusion summary, except concatCopies and sliceViews (kernel-plan counts):
///  - residualAddsTotal: kiln.add ops of the imported IR whose operands and
///    result have one type and where one operand is a conv result (a
///    conv2d, or a batch_norm of a conv2d: the conv's output as the model
///    computes it);
///  - residualAddsFused: conv2d and separable_conv2d ops of the optimized
///    IR with a residual;
///  - depthwisePointwiseCandidates: depthwise -> pointwise pairs of the
///    imported IR (ModelStats' separablePairs); depthwisePointwiseFused:
///    separable_conv2d and inverted_residual ops of the optimized IR;
///  - invertedResidualCandidates: expand convs of the imported IR (1x1,
///    stride 1, unpadded, ungrouped) whose result reaches, through
///    single-reader batch_norm / relu / clip ops, only the depthwise conv of
///    a depthwise -> pointwise pair; invertedResidualFused:
///    inverted_residual ops of the optimized IR.
/// Returns false and sets `error` if ModelStats cannot analyze the module.
bool computeFusionSummary(mlir::ModuleOp imported, mlir::ModuleOp optimized,
                          FusionSummary &summary, std::string &error);

} // namespace kiln

#endif // KILN_COMPILER_REPORT_FUSIONANALYSIS_H
