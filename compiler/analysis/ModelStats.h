//===- ModelStats.h - Parameter and multiplication counts -------*- C++ -*-===//
//
// Walks @main of an imported (unfused) kiln module and counts, per layer and
// in total, parameters, multiplications (MACs) and output sizes, and the cost
// of the standard convolution that each depthwise + pointwise pair replaces.
// The result is a plain struct; StatsFormat.h prints it.
//
// Counting conventions (see also compiler/analysis/README.md):
//  - conv2d MACs = M * OH * OW * (C_in / groups) * KH * KW * batch
//    (M output channels; dilation and padding do not change the count).
//  - dense MACs  = rows * N * K for an rows x K input and an N x K weight
//    (rows is the batch).
//  - Bias adds, batch norm, activations, pooling, adds, concat, reshape and
//    softmax are not multiply-accumulates of a layer: 0 MACs. So is an
//    elementwise mul (e.g. squeeze-excitation scaling, x * sigmoid(x)),
//    as in the usual MAC tables, which count conv and dense layers only.
//  - params = weights + biases + batch-norm gamma and beta. Batch-norm
//    running mean and variance are counted apart as `bnStats`;
//    paramsWithBnStats = params + bnStats. A tensor used by several layers
//    (shared weights) counts once in the totals.
//  - Depthwise conv: groups == C_in == M with C_in > 1. Pointwise conv:
//    1x1 kernel, groups 1, stride 1, no padding. A depthwise conv is
//    "followed by" a pointwise conv when its result reaches the pointwise
//    conv's input through a chain of single-use batch_norm / relu / clip ops
//    (the per-channel ops an unfused model puts between them).
//  - For such a pair, with n_C the depthwise channels, N the pointwise
//    filters, f^2 = KH * KW of the depthwise kernel and n_out^2 = OH * OW of
//    the pointwise output:
//      standard  = N * n_out^2 * f^2 * n_C          (* batch)
//      separable = n_C * n_out^2 * (f^2 + N)        (* batch)
//      ratio     = separable / standard = 1/N + 1/f^2
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ANALYSIS_MODELSTATS_H
#define KILN_COMPILER_ANALYSIS_MODELSTATS_H

#include "mlir/IR/BuiltinOps.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiln {

/// A depthwise conv followed by a pointwise conv, against the standard conv
/// with the same input channels, filters, kernel and output size.
struct SeparableStats {
  std::string pointwiseName; // the pointwise layer's node name
  int64_t nC = 0;            // depthwise channels (input channels)
  int64_t n = 0;             // pointwise filters (output channels)
  int64_t kh = 0, kw = 0;    // depthwise kernel; f^2 = kh * kw
  int64_t oh = 0, ow = 0;    // output size; n_out^2 = oh * ow
  int64_t batch = 1;         // both MAC counts include it
  int64_t standardMacs = 0;
  int64_t separableMacs = 0;
  double ratio = 0; // 1/N + 1/f^2

  bool isSquare() const { return kh == kw && oh == ow; }
};

/// One op of @main (constants and the return are not layers).
struct LayerStats {
  std::string name; // ONNX node name from the op's NameLoc; "" if none
  std::string op;   // op name without the dialect, e.g. "conv2d"
  /// conv2d: "conv", "depthwise", "pointwise" or "grouped";
  /// separable_conv2d: "separable"; inverted_residual:
  /// "inverted_residual"; else "".
  std::string convKind;
  std::vector<int64_t> outputShape;
  int64_t outputElements = 0;
  int64_t params = 0;  // weights + biases + BN gamma/beta
  int64_t bnStats = 0; // BN running mean + variance
  int64_t macs = 0;
  /// Set on a depthwise conv that a pointwise conv follows.
  std::optional<SeparableStats> separable;
};

struct StatsTotals {
  int64_t params = 0;
  int64_t bnStats = 0;
  int64_t paramsWithBnStats = 0;
  int64_t macs = 0;
  int64_t separablePairs = 0;
};

struct ModelStats {
  /// Dim 0 of the first input of @main (1 if it has none). MAC counts
  /// include it.
  int64_t batch = 1;
  std::vector<LayerStats> layers;
  StatsTotals total;
};

/// Computes the statistics of `module`'s @main. Returns std::nullopt and sets
/// `error` if there is no @main or a layer has a non-static shape.
std::optional<ModelStats> computeModelStats(mlir::ModuleOp module,
                                            std::string &error);

/// The separable-vs-standard numbers for a depthwise conv with `nC` channels
/// and a kh x kw kernel followed by a pointwise conv with `n` filters, both
/// producing oh x ow outputs, `batch` images.
SeparableStats separableCost(int64_t nC, int64_t n, int64_t kh, int64_t kw,
                             int64_t oh, int64_t ow, int64_t batch);

} // namespace kiln

#endif // KILN_COMPILER_ANALYSIS_MODELSTATS_H
