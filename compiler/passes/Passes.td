//===- Passes.td - Kiln optimization passes ----------------*- tablegen -*-===//
//
// Rewrites on the kiln dialect that run in the driver's optimize phase,
// before kernelization. Each pass lives in the .cpp file named after it and
// is tested by tests/lit/passes/<snake_case_name>.mlir.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_PASSES_PASSES_TD
#define KILN_COMPILER_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Constant folding into weights
//===----------------------------------------------------------------------===//

def FoldBatchNormPass : Pass<"kiln-fold-batch-norm", "mlir::func::FuncOp"> {
  let summary = "Fold inference batch normalization into the preceding "
                "conv2d or dense weights and bias";
  let description = [{
    A `kiln.batch_norm` is a per-channel affine map
    `y = s * x + t` with `s = scale / sqrt(var + epsilon)` and
    `t = bias - mean * s`. When its input is a `kiln.conv2d` (or a
    `kiln.dense`, channel = dim 1) with a constant weight, an optional
    constant bias, no residual and activation "none", and that result is
    read only by the batch norm, the map moves into the producer:
    `weight'[c, ...] = weight[c, ...] * s[c]` and
    `bias'[c] = (bias[c] - mean[c]) * s[c] + bias_bn[c]` (computed in double,
    stored as f32). The new weight and bias are new `kiln.constant` ops
    (`dense_resource` blobs above 16 elements); the old ones go away once
    nothing else reads them.

    Before:
    ```mlir
    %c = kiln.conv2d %x, %w {...} : (...) -> tensor<1x8x16x16xf32>
    %y = kiln.batch_norm %c, %scale, %bias, %mean, %var
           {epsilon = 1.0e-05 : f32} : (...) -> tensor<1x8x16x16xf32>
    ```
    After:
    ```mlir
    %w2 = kiln.constant dense_resource<w_bn> : tensor<8x3x3x3xf32>
    %b2 = kiln.constant dense<[...]> : tensor<8xf32>
    %y = kiln.conv2d %x, %w2, bias %b2 {...} : (...) -> tensor<1x8x16x16xf32>
    ```
  }];
  let dependentDialects = ["kiln::KilnDialect"];
  let statistics = [
    Statistic<"numFolded", "folded", "Number of batch norms folded away">
  ];
}

//===----------------------------------------------------------------------===//
// Epilogue fusion
//===----------------------------------------------------------------------===//

def FuseResidualAddPass : Pass<"kiln-fuse-residual-add", "mlir::func::FuncOp"> {
  let summary = "Fuse a residual kiln.add into the conv2d that produces one "
                "of its operands";
  let description = [{
    `kiln.add(conv(x), shortcut)` becomes `conv(x, residual shortcut)` when
    the conv result is read only by the add, both operands have the add's
    type (no broadcasting), and the conv has no residual and activation
    "none" (the epilogue adds the residual before the activation). Either
    operand order matches. When both operands are such convs (a projection
    block) the one defined later is chosen, so the other one already
    dominates it. If the shortcut is defined after the conv, the conv moves
    to just before the add. Run before kiln-fuse-activation, which then picks
    up the block's final relu.

    Before:
    ```mlir
    %c = kiln.conv2d %x, %w, bias %b {...} : (...) -> tensor<1x8x8x8xf32>
    %s = kiln.add %c, %shortcut : (...) -> tensor<1x8x8x8xf32>
    ```
    After:
    ```mlir
    %s = kiln.conv2d %x, %w, bias %b, residual %shortcut {...}
         : (...) -> tensor<1x8x8x8xf32>
    ```
  }];
  let dependentDialects = ["kiln::KilnDialect"];
  let statistics = [
    Statistic<"numFused", "fused", "Number of adds fused into a conv2d">
  ];
}

def FuseActivationPass : Pass<"kiln-fuse-activation", "mlir::func::FuncOp"> {
  let summary = "Fuse kiln.relu / kiln.clip into the preceding conv2d or "
                "dense epilogue";
  let description = [{
    A `kiln.relu` or `kiln.clip` whose input is a `kiln.conv2d` or
    `kiln.dense` with activation "none", read only by it, becomes that op's
    activation: "relu", or "clip" with `clip_min` / `clip_max`
    (`clip(0, +inf)` is "relu").

    Before:
    ```mlir
    %c = kiln.conv2d %x, %w {...} : (...) -> tensor<1x8x8x8xf32>
    %y = kiln.clip %c {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8x8x8xf32>
    ```
    After:
    ```mlir
    %y = kiln.conv2d %x, %w {..., activation = "clip", clip_min = 0.0 : f32,
           clip_max = 6.0 : f32} : (...) -> tensor<1x8x8x8xf32>
    ```
  }];
  let dependentDialects = ["kiln::KilnDialect"];
  let statistics = [
    Statistic<"numFused", "fused", "Number of activations fused">
  ];
}

#endif // KILN_COMPILER_PASSES_PASSES_TD
