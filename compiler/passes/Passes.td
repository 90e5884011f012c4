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

    Diagnostics: an error naming the channel when a constant variance plus
    epsilon is not positive (or NaN) there, for every batch norm, foldable
    or not: normalizing would divide by the square root of it. The pass
    then fails.

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
// Padding into windowed ops
//===----------------------------------------------------------------------===//

def FoldPadPass : Pass<"kiln-fold-pad", "mlir::func::FuncOp"> {
  let summary = "Fold a spatial kiln.pad into the conv2d or pooling op that "
                "reads it";
  let description = [{
    A `kiln.pad` of a 4-D (NCHW) tensor that pads only H and W, whose result
    is read only by one window op (as its input), becomes part of that op's
    `pads` ([top, left, bottom, right] += [H begin, W begin, H end, W end])
    when that computes exactly the same values:
    - `kiln.conv2d`: the pad value is 0 (conv pads with zeros).
    - `kiln.avg_pool2d` with `count_include_pad = true`: the value is 0; the
      pad's cells counted in the divisor before and still are (the divisor
      counts cells inside the padded range).
    - `kiln.avg_pool2d` with `count_include_pad = false` and no pads of its
      own: the value is 0 and the op becomes `count_include_pad = true`,
      which counts exactly the pad's cells. With pads of its own it is left
      alone: those cells must stay out of the divisor and the pad's must not.
    - `kiln.max_pool2d`: the value is -inf (what max pooling pads with), or
      the value is at most a lower bound of the input that its producer
      guarantees (0 after relu / sigmoid / hard_sigmoid, `min` after clip,
      the same for a conv2d / dense epilogue) and dilations are 1, so every
      window holds an input cell at least as large as any padded one.
    Pooling ops keep their pads smaller than the kernel (ONNX rule), so a
    pad that would break it is not folded. Pads that stay become Pad
    kernels.

    Diagnostics: a warning when a pad with an infinite value is read by a
    conv2d or avg_pool2d (every output whose window touches the padding is
    infinite or NaN; usually a broken export).

    Before:
    ```mlir
    %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 0.0 : f32}
         : (tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32>
    %y = kiln.conv2d %p, %w {pads = array<i64: 0, 0, 0, 0>, ...}
         : (tensor<1x3x10x10xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x8x8xf32>
    ```
    After:
    ```mlir
    %y = kiln.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>, ...}
         : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x8x8xf32>
    ```
  }];
  let dependentDialects = ["kiln::KilnDialect"];
  let statistics = [
    Statistic<"numFolded", "folded", "Number of pads folded into a window op">
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
  let summary = "Fuse standalone activations (relu, clip, sigmoid, "
                "hard_sigmoid, hard_swish, leaky_relu, silu, tanh, softplus, "
                "mish, elu, selu) into the preceding conv2d or dense epilogue";
  let description = [{
    A standalone activation op (`kiln.relu`, `kiln.clip`, `kiln.sigmoid`,
    `kiln.hard_sigmoid`, `kiln.hard_swish`, `kiln.leaky_relu`,
    `kiln.silu`, `kiln.tanh`, `kiln.softplus`, `kiln.mish`, `kiln.elu`,
    `kiln.selu`) whose input is a `kiln.conv2d`, `kiln.conv_transpose2d` or
    `kiln.dense` with activation "none", read only by
    it, becomes that op's activation, its parameters in `clip_min` /
    `clip_max` (clip's bounds, hard_sigmoid's alpha and beta, leaky_relu's
    and elu's alpha, selu's alpha and gamma; `clip(0, +inf)` is "relu").
    First, `kiln.mul %x, kiln.sigmoid(%x)` (SiLU / swish as exporters
    write it) becomes `kiln.silu %x`.

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

def FuseDepthwisePointwisePass
    : Pass<"kiln-fuse-depthwise-pointwise", "mlir::func::FuncOp"> {
  let summary = "Fuse a depthwise conv2d and the 1x1 conv2d reading it into "
                "one kiln.separable_conv2d";
  let description = [{
    A depthwise `kiln.conv2d` (groups = input channels = output channels,
    no residual) whose result is read only by a 1x1, stride-1, unpadded,
    ungrouped `kiln.conv2d` becomes one `kiln.separable_conv2d`. The
    depthwise conv's bias and activation (e.g. the ReLU6 of a MobileNetV2
    block) become the op's `dw_bias` / `dw_activation`; the pointwise conv's
    bias, residual and activation stay its epilogue. A missing bias becomes
    a zero constant. The kernel then computes the depthwise result per tile
    inside the pointwise reduction, so the (expanded, widest) tensor between
    the two convs is never written to memory. Run after kiln-fuse-residual-add
    and kiln-fuse-activation, so both convs already carry their epilogues.
    Not fused: a depthwise result with another reader (including a function
    result), a channel multiplier above 1, a strided or padded pointwise conv.

    Before:
    ```mlir
    %d = kiln.conv2d %x, %dw, bias %db {groups = 32 : i64, activation = "clip",
           clip_min = 0.0 : f32, clip_max = 6.0 : f32, ...}
         : (...) -> tensor<1x32x56x56xf32>
    %y = kiln.conv2d %d, %pw, bias %pb, residual %r {groups = 1 : i64, ...}
         : (...) -> tensor<1x16x56x56xf32>
    ```
    After:
    ```mlir
    %y = kiln.separable_conv2d %x, %dw, %db, %pw, %pb, residual %r
           {dw_activation = "clip", dw_clip_min = 0.0 : f32,
            dw_clip_max = 6.0 : f32, ...} : (...) -> tensor<1x16x56x56xf32>
    ```
  }];
  let dependentDialects = ["kiln::KilnDialect"];
  let statistics = [
    Statistic<"numFused", "fused", "Number of depthwise + pointwise pairs fused">
  ];
  let options = [
    Option<"reportMissed", "report-missed", "bool", /*default=*/"false",
           "Emit a remark on each depthwise conv2d read by a 1x1 conv2d "
           "that stays unfused, saying why">
  ];
}

def FuseInvertedResidualPass
    : Pass<"kiln-fuse-inverted-residual", "mlir::func::FuncOp"> {
  let summary = "Fuse the 1x1 expand conv2d feeding a kiln.separable_conv2d "
                "into one kiln.inverted_residual";
  let description = [{
    A `kiln.conv2d` that is 1x1, stride 1, unpadded, ungrouped, without a
    residual, and whose result is read only by a `kiln.separable_conv2d` as
    its input becomes that op's expand stage: the pair is one
    `kiln.inverted_residual` (MobileNetV2's expand, depthwise, project
    block). The conv's bias and activation become `expand_bias` /
    `expand_activation` (a missing bias becomes a zero constant). The
    kernel then computes the expanded tensor per block of rows, with the
    depthwise halo, so the 6x-wide tensor between the expand conv and the
    depthwise conv is never written to memory either. Run after
    kiln-fuse-depthwise-pointwise.
    Not fused: an expand result with another reader (including a function
    result), a strided, padded, grouped or non-1x1 conv, a conv with a
    residual, and an expanded tensor smaller than `min-expanded-bytes`:
    such a tensor stays in cache between two kernels anyway, while the
    fused kernel computes the expand stage on the padded grid (7x7: 81
    cells for 49 pixels) and the expand conv alone has a faster
    channel-vector kernel (MobileNetV2's 7x7 blocks are ~10% slower fused);
    and a block whose expand conv runs on an image of fewer than
    `min-image-pixels` pixels (default 14 * 14 + 1, so 14x14 and smaller):
    there the expand conv and the separable conv each run on channel
    vectors (compiler/kernels/ConvWeightLayout.h), faster than the fused
    kernel's pixel-vector stages (MobileNetV2's 14x14
    blocks 96->576->96: 0.44 ms fused, 0.18 + 0.21 ms as two kernels;
    with the channel-vector fused kernel, fusing the 14x14 and 7x7 blocks
    too still made MobileNetV2 13 % slower).

    Before:
    ```mlir
    %e = kiln.conv2d %x, %ew, bias %eb {groups = 1 : i64, activation = "clip",
           clip_min = 0.0 : f32, clip_max = 6.0 : f32, ...}
         : (...) -> tensor<1x144x56x56xf32>
    %y = kiln.separable_conv2d %e, %dw, %db, %pw, %pb, residual %x {...}
         : (...) -> tensor<1x24x56x56xf32>
    ```
    After:
    ```mlir
    %y = kiln.inverted_residual %x, %ew, %eb, %dw, %db, %pw, %pb, residual %x
           {expand_activation = "clip", expand_clip_max = 6.0 : f32, ...}
         : (...) -> tensor<1x24x56x56xf32>
    ```
  }];
  let dependentDialects = ["kiln::KilnDialect"];
  let statistics = [
    Statistic<"numFused", "fused", "Number of expand convs fused">
  ];
  let options = [
    Option<"reportMissed", "report-missed", "bool", /*default=*/"false",
           "Emit a remark on each separable conv whose conv2d input stays "
           "unfused, saying why">,
    Option<"minExpandedBytes", "min-expanded-bytes", "int64_t",
           /*default=*/"256 * 1024",
           "Fuse only expand convs whose result (f32) has at least this "
           "many bytes">,
    Option<"minImagePixels", "min-image-pixels", "int64_t",
           /*default=*/"::kiln::kConvChannelVectorMaxPointwisePixels + 1",
           "Fuse only blocks whose expand conv runs on an image of at least "
           "this many pixels (default: larger than the images whose 1x1 "
           "convs run on channel vectors, 14x14)">
  ];
}

#endif // KILN_COMPILER_PASSES_PASSES_TD
