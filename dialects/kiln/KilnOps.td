//===- KilnOps.td - kiln dialect operations -----------------*- tablegen -*-===//
//
// One op per CNN operator. Shapes are static; every op with a computable
// result type implements InferTypeOpInterface and a verifier that rejects
// inconsistent shapes with a message naming the op.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_OPS_TD
#define KILN_OPS_TD

include "KilnDialect.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Activation names an epilogue may carry: "none", "relu", "clip" (clamp to
// [clip_min, clip_max]), "sigmoid", "hard_sigmoid" (max(0, min(1,
// clip_min * x + clip_max)): the two parameter attributes carry alpha and
// beta), "hard_swish" (x * max(0, min(1, x / 6 + 0.5))), "leaky_relu"
// (x < 0 ? alpha * x : x, alpha in clip_min), "silu" (x * sigmoid(x)),
// "tanh", "softplus", "mish", "elu" (alpha in clip_min) and "selu" (alpha
// in clip_min, gamma in clip_max): the standalone ops of the same names.
// dialects/kiln/Activations.h lists them.
def Kiln_ActivationAttr : DefaultValuedStrAttr<StrAttr, "none">;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Kiln_ConstantOp : Kiln_Op<"constant", [ConstantLike, Pure,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "A constant tensor (weights, biases, statistics)";
  let description = [{
    Holds an ONNX initializer or Constant node. Large weights are stored as
    `dense_resource` blobs so that they are not uniqued or printed inline.

    ```mlir
    %w = kiln.constant dense<1.0> : tensor<8x3x3x3xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

def Kiln_Conv2DOp : Kiln_Op<"conv2d", [Pure, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "2-D convolution with an optional fused epilogue";
  let description = [{
    `result = act(conv(input, weight) + bias + residual)`.

    `input` is NxCxHxW, `weight` is Mx(C/groups)xKHxKW, `bias` (optional)
    has M elements, `residual` (optional) has the result's shape. `pads` are
    [top, left, bottom, right]. Depthwise convolution is `groups = C` with
    M a multiple of C. `activation` is "none", "relu", "clip"
    (clamp to [clip_min, clip_max]; ReLU6 is clip 0..6), "sigmoid",
    "hard_sigmoid" (alpha = clip_min, beta = clip_max), "hard_swish",
    "leaky_relu" (alpha = clip_min), "silu", "tanh", "softplus", "mish",
    "elu" (alpha = clip_min) or "selu" (alpha = clip_min, gamma =
    clip_max). In the custom
    syntax the epilogue operands follow the weight as `, bias %b` and/or
    `, residual %r`, in that order.

    ```mlir
    %y = kiln.conv2d %x, %w, bias %b {strides = array<i64: 2, 2>,
           pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
           groups = 1 : i64, activation = "relu"}
         : (tensor<1x3x224x224xf32>, tensor<64x3x3x3xf32>, tensor<64xf32>)
           -> tensor<1x64x112x112xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor4D:$input, Kiln_Tensor4D:$weight,
      Optional<Kiln_Tensor1D>:$bias, Optional<Kiln_Tensor4D>:$residual,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations, I64Attr:$groups,
      Kiln_ActivationAttr:$activation,
      DefaultValuedAttr<F32Attr, "0.0f">:$clip_min,
      DefaultValuedAttr<F32Attr, "0.0f">:$clip_max);
  let results = (outs Kiln_Tensor4D:$result);
  // The epilogue operands are `, bias %b` and/or `, residual %r`; a custom
  // directive because ODS optional groups cannot both begin with `,` (a
  // residual without a bias would print but not parse).
  let assemblyFormat = [{
    $input `,` $weight `` custom<ConvEpilogue>($bias, $residual)
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_ConvTranspose2DOp : Kiln_Op<"conv_transpose2d", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "2-D transposed convolution (ONNX ConvTranspose)";
  let description = [{
    Input NxCxHxW, weight Cx(M/groups)xKHxKW (ONNX's layout: input channels
    first), optional bias[M]. Each input cell scatters its weighted window
    into the output at `strides`; `pads` [top, left, bottom, right] crop the
    full result and `output_padding` [h, w] extends its bottom / right:
    OH = strides[0] * (H - 1) + output_padding[0] +
         (KH - 1) * dilations[0] + 1 - pads[0] - pads[2].
    `activation` is an epilogue like kiln.conv2d's.

    ```mlir
    %y = kiln.conv_transpose2d %x, %w, bias %b {strides = array<i64: 2, 2>,
           pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
           output_padding = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor4D:$input, Kiln_Tensor4D:$weight,
      Optional<Kiln_Tensor1D>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations, DenseI64ArrayAttr:$output_padding,
      I64Attr:$groups, Kiln_ActivationAttr:$activation,
      DefaultValuedAttr<F32Attr, "0.0f">:$clip_min,
      DefaultValuedAttr<F32Attr, "0.0f">:$clip_max);
  let results = (outs Kiln_Tensor4D:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` `bias` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_SeparableConv2DOp : Kiln_Op<"separable_conv2d", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Depthwise 2-D convolution followed by a pointwise (1x1) "
                "convolution, as one kernel";
  let description = [{
    `mid = dw_act(depthwise(input, dw_weight) + dw_bias)` and
    `result = act(pointwise(mid, pw_weight) + pw_bias + residual)`, where the
    depthwise stage has one filter per input channel (`dw_weight` is
    Cx1xKHxKW, `dw_bias` has C elements) with the given `strides`, `pads`
    ([top, left, bottom, right]) and `dilations`, and the pointwise stage is
    a 1x1, stride-1, unpadded convolution (`pw_weight` is MxCx1x1, `pw_bias`
    has M elements). `residual` (optional) has the result's shape. Both
    activations take the names and parameters of `kiln.conv2d`'s:
    `dw_activation` with `dw_clip_min` / `dw_clip_max`, `activation` with
    `clip_min` / `clip_max`.

    Produced by `kiln-fuse-depthwise-pointwise`; the kernel computes `mid`
    per tile inside the pointwise reduction, so it never exists whole in
    memory.

    ```mlir
    %y = kiln.separable_conv2d %x, %dw, %dwb, %pw, %pwb {strides = array<i64: 1, 1>,
           pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
           dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
         : (tensor<1x32x56x56xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>,
            tensor<16x32x1x1xf32>, tensor<16xf32>) -> tensor<1x16x56x56xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor4D:$input, Kiln_Tensor4D:$dw_weight,
      Kiln_Tensor1D:$dw_bias, Kiln_Tensor4D:$pw_weight, Kiln_Tensor1D:$pw_bias,
      Optional<Kiln_Tensor4D>:$residual,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations,
      Kiln_ActivationAttr:$dw_activation,
      DefaultValuedAttr<F32Attr, "0.0f">:$dw_clip_min,
      DefaultValuedAttr<F32Attr, "0.0f">:$dw_clip_max,
      Kiln_ActivationAttr:$activation,
      DefaultValuedAttr<F32Attr, "0.0f">:$clip_min,
      DefaultValuedAttr<F32Attr, "0.0f">:$clip_max);
  let results = (outs Kiln_Tensor4D:$result);
  let assemblyFormat = [{
    $input `,` $dw_weight `,` $dw_bias `,` $pw_weight `,` $pw_bias
    (`,` `residual` $residual^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_InvertedResidualOp : Kiln_Op<"inverted_residual", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "MobileNetV2 inverted residual block (1x1 expand, depthwise, "
                "1x1 project) as one kernel";
  let description = [{
    `ex = expand_act(pointwise(input, expand_weight) + expand_bias)`,
    `mid = dw_act(depthwise(zero_pad(ex), dw_weight) + dw_bias)` and
    `result = act(pointwise(mid, pw_weight) + pw_bias + residual)`.
    `expand_weight` is ExCx1x1 (E expanded channels), `expand_bias` has E
    elements; the depthwise stage is that of `kiln.separable_conv2d` over E
    channels (`dw_weight` Ex1xKHxKW, `dw_bias` E, `strides`, `pads`
    [top, left, bottom, right], `dilations`), `pw_weight` is MxEx1x1 and
    `pw_bias` has M elements. The depthwise padding is applied to the
    activated expanded tensor: padded cells are 0, not
    `expand_act(expand_bias)`. `residual` (optional) has the result's shape.
    The three activations take `kiln.conv2d`'s names and parameters
    (`expand_activation` with `expand_clip_min` / `expand_clip_max`, and so
    on).

    Produced by `kiln-fuse-inverted-residual`; the kernel computes `ex` per
    block of rows and `mid` per tile, so neither exists whole in memory.

    ```mlir
    %y = kiln.inverted_residual %x, %ew, %eb, %dw, %dwb, %pw, %pwb, residual %x
           {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
            dilations = array<i64: 1, 1>, expand_activation = "clip",
            expand_clip_min = 0.0 : f32, expand_clip_max = 6.0 : f32,
            dw_activation = "clip", dw_clip_min = 0.0 : f32,
            dw_clip_max = 6.0 : f32}
         : (tensor<1x24x56x56xf32>, tensor<144x24x1x1xf32>, tensor<144xf32>,
            tensor<144x1x3x3xf32>, tensor<144xf32>, tensor<24x144x1x1xf32>,
            tensor<24xf32>, tensor<1x24x56x56xf32>) -> tensor<1x24x56x56xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor4D:$input, Kiln_Tensor4D:$expand_weight,
      Kiln_Tensor1D:$expand_bias, Kiln_Tensor4D:$dw_weight,
      Kiln_Tensor1D:$dw_bias, Kiln_Tensor4D:$pw_weight, Kiln_Tensor1D:$pw_bias,
      Optional<Kiln_Tensor4D>:$residual,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations,
      Kiln_ActivationAttr:$expand_activation,
      DefaultValuedAttr<F32Attr, "0.0f">:$expand_clip_min,
      DefaultValuedAttr<F32Attr, "0.0f">:$expand_clip_max,
      Kiln_ActivationAttr:$dw_activation,
      DefaultValuedAttr<F32Attr, "0.0f">:$dw_clip_min,
      DefaultValuedAttr<F32Attr, "0.0f">:$dw_clip_max,
      Kiln_ActivationAttr:$activation,
      DefaultValuedAttr<F32Attr, "0.0f">:$clip_min,
      DefaultValuedAttr<F32Attr, "0.0f">:$clip_max);
  let results = (outs Kiln_Tensor4D:$result);
  let assemblyFormat = [{
    $input `,` $expand_weight `,` $expand_bias `,` $dw_weight `,` $dw_bias `,`
    $pw_weight `,` $pw_bias (`,` `residual` $residual^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_BatchNormOp : Kiln_Op<"batch_norm", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Inference batch normalization over channel dim 1";
  let description = [{
    `y = scale * (x - mean) / sqrt(var + epsilon) + bias`, per channel.
    Every parameter has C elements.

    ```mlir
    %y = kiln.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0e-05 : f32}
         : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
            tensor<8xf32>) -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_Tensor1D:$scale,
      Kiln_Tensor1D:$bias, Kiln_Tensor1D:$mean, Kiln_Tensor1D:$variance,
      DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}


def Kiln_LRNOp : Kiln_Op<"lrn", [Pure, SameOperandsAndResultType]> {
  let summary = "Local response normalization across channels (dim 1)";
  let description = [{
    ONNX LRN: `y = x / (bias + alpha / size * sqsum)^beta`, where `sqsum`
    at channel c sums x^2 over the channels c - floor((size - 1) / 2) to
    c + ceil((size - 1) / 2) that exist. `size` is positive; `alpha`,
    `beta` and `bias` are finite, `bias` positive.

    ```mlir
    %y = kiln.lrn %x {size = 5 : i64, alpha = 1.0e-04 : f32, beta = 0.75 : f32,
           bias = 1.0 : f32} : tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, I64Attr:$size,
      DefaultValuedAttr<F32Attr, "1.0e-4f">:$alpha,
      DefaultValuedAttr<F32Attr, "0.75f">:$beta,
      DefaultValuedAttr<F32Attr, "1.0f">:$bias);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

def Kiln_ReluOp : Kiln_Op<"relu", [Pure, SameOperandsAndResultType]> {
  let summary = "max(x, 0)";
  let description = [{
    Folds: relu of a `dense` constant (at most 2^20 elements) is a constant.

    ```mlir
    %y = kiln.relu %x : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Kiln_ClipOp : Kiln_Op<"clip", [Pure, SameOperandsAndResultType]> {
  let summary = "Clamp to [min, max] (ReLU6 is min = 0, max = 6)";
  let description = [{
    Folds: clip of a `dense` constant (at most 2^20 elements) is a constant.

    ```mlir
    %y = kiln.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, F32Attr:$min, F32Attr:$max);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_AddOp : Kiln_Op<"add", [Pure, Commutative,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Elementwise addition with numpy broadcasting";
  let description = [{
    Shapes broadcast numpy-style (right-aligned; a dimension of 1 stretches).
    The residual connection of a ResNet block is an add of equal shapes.
    Folds: an add of two `dense` constants (at most 2^20 result elements)
    is a constant.

    ```mlir
    %y = kiln.add %a, %b : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$lhs, Kiln_Tensor:$rhs);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}


def Kiln_MulOp : Kiln_Op<"mul", [Pure, Commutative,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Elementwise multiplication with numpy broadcasting";
  let description = [{
    Shapes broadcast numpy-style, exactly like `kiln.add`. Folds like
    `kiln.add`.

    ```mlir
    %y = kiln.mul %a, %b : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$lhs, Kiln_Tensor:$rhs);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_SigmoidOp : Kiln_Op<"sigmoid", [Pure, SameOperandsAndResultType]> {
  let summary = "1 / (1 + exp(-x))";
  let description = [{
    ```mlir
    %y = kiln.sigmoid %x : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Kiln_HardSigmoidOp : Kiln_Op<"hard_sigmoid", [Pure,
    SameOperandsAndResultType]> {
  let summary = "max(0, min(1, alpha * x + beta))";
  let description = [{
    ONNX HardSigmoid; `alpha` and `beta` default to 0.2 and 0.5 and must be
    finite.

    ```mlir
    %y = kiln.hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input,
      DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
      DefaultValuedAttr<F32Attr, "0.5f">:$beta);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Kiln_HardSwishOp : Kiln_Op<"hard_swish", [Pure, SameOperandsAndResultType]> {
  let summary = "x * max(0, min(1, x / 6 + 0.5))";
  let description = [{
    ```mlir
    %y = kiln.hard_swish %x : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Kiln_PReluOp : Kiln_Op<"prelu", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "x < 0 ? slope * x : x, slope broadcast to x";
  let description = [{
    ONNX PRelu: `slope` broadcasts to `input` numpy-style (right-aligned;
    typically Cx1x1 for an NCHW input, one slope per channel) and the result
    has the input's shape.

    ```mlir
    %y = kiln.prelu %x, %s : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_Tensor:$slope);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input `,` $slope attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_LeakyReluOp : Kiln_Op<"leaky_relu", [Pure,
    SameOperandsAndResultType]> {
  let summary = "x < 0 ? alpha * x : x";
  let description = [{
    ONNX LeakyRelu; `alpha` defaults to 0.01 and must be finite.

    ```mlir
    %y = kiln.leaky_relu %x {alpha = 0.1 : f32} : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input,
      DefaultValuedAttr<F32Attr, "0.01f">:$alpha);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Kiln_SiluOp : Kiln_Op<"silu", [Pure, SameOperandsAndResultType]> {
  let summary = "x * sigmoid(x) (SiLU, swish)";
  let description = [{
    ONNX has no op of its own for it: exporters write `Mul(x, Sigmoid(x))`,
    which `kiln-fuse-activation` reads as this op.

    ```mlir
    %y = kiln.silu %x : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Kiln_TanhOp : Kiln_Op<"tanh", [Pure, SameOperandsAndResultType]> {
  let summary = "tanh(x)";
  let description = [{
    ```mlir
    %y = kiln.tanh %x : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Kiln_SoftplusOp : Kiln_Op<"softplus", [Pure, SameOperandsAndResultType]> {
  let summary = "log(1 + exp(x))";
  let description = [{
    ```mlir
    %y = kiln.softplus %x : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Kiln_MishOp : Kiln_Op<"mish", [Pure, SameOperandsAndResultType]> {
  let summary = "x * tanh(softplus(x))";
  let description = [{
    ONNX Mish (opset 18), YOLOv4's activation.

    ```mlir
    %y = kiln.mish %x : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Kiln_EluOp : Kiln_Op<"elu", [Pure, SameOperandsAndResultType]> {
  let summary = "x < 0 ? alpha * (exp(x) - 1) : x";
  let description = [{
    ONNX Elu; `alpha` defaults to 1 and must be finite.

    ```mlir
    %y = kiln.elu %x {alpha = 1.0 : f32} : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input,
      DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Kiln_SeluOp : Kiln_Op<"selu", [Pure, SameOperandsAndResultType]> {
  let summary = "gamma * (x <= 0 ? alpha * (exp(x) - 1) : x)";
  let description = [{
    ONNX Selu; `alpha` and `gamma` default to ONNX's 1.67326... and
    1.05070... and must be finite.

    ```mlir
    %y = kiln.selu %x {alpha = 1.5 : f32, gamma = 1.0 : f32} : tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input,
      DefaultValuedAttr<F32Attr, "1.67326319217681884765625f">:$alpha,
      DefaultValuedAttr<F32Attr, "1.05070102214813232421875f">:$gamma);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def Kiln_MaxPool2DOp : Kiln_Op<"max_pool2d", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "2-D max pooling";
  let description = [{
    Window `kernel_shape`, `strides`, `pads` [top, left, bottom, right],
    `dilations`; `ceil_mode` rounds the output size up. Padding never wins.
    As in ONNX, every pad is smaller than the kernel, so no window lies
    entirely in the padding.

    ```mlir
    %y = kiln.max_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
           pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
         : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor4D:$input, DenseI64ArrayAttr:$kernel_shape,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations, DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs Kiln_Tensor4D:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_AvgPool2DOp : Kiln_Op<"avg_pool2d", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "2-D average pooling";
  let description = [{
    Like max_pool2d; `count_include_pad` says whether padded cells count in
    the divisor.

    ```mlir
    %y = kiln.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>,
           pads = array<i64: 1, 1, 1, 1>, count_include_pad = false}
         : (tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor4D:$input, DenseI64ArrayAttr:$kernel_shape,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<BoolAttr, "false">:$count_include_pad,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs Kiln_Tensor4D:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_GlobalAvgPoolOp : Kiln_Op<"global_avg_pool", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Mean over H and W: NxCxHxW -> NxCx1x1";
  let description = [{
    ```mlir
    %y = kiln.global_avg_pool %x : (tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor4D:$input);
  let results = (outs Kiln_Tensor4D:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_ResizeOp : Kiln_Op<"resize", [Pure]> {
  let summary = "ONNX Resize: nearest, linear or cubic, one scale per dim";
  let description = [{
    Each result dim d maps an index to an input coordinate by
    `coordinate_transformation_mode` ("half_pixel", "pytorch_half_pixel",
    "align_corners", "asymmetric", "tf_half_pixel_for_nn") with
    `scales[d]`; `mode` "nearest" rounds it by `nearest_mode`
    ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil"), "linear"
    interpolates between the two cells around it (clamped to the edge),
    "cubic" over the four around it with the cubic convolution kernel of
    coefficient `cubic_coeff_a` (taps past the edge read the edge cell, or
    with `exclude_outside` get weight 0 and the rest are renormalized; at
    most 2 dims move).
    The result shape is given (the importer derives it from ONNX's scales
    or sizes); its rank is the input's.

    ```mlir
    %y = kiln.resize %x {mode = "nearest", coordinate_transformation_mode = "asymmetric",
           nearest_mode = "floor", scales = array<f32: 1.0, 1.0, 2.0, 2.0>}
         : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, StrAttr:$mode,
      StrAttr:$coordinate_transformation_mode,
      DefaultValuedAttr<StrAttr, "\"round_prefer_floor\"">:$nearest_mode,
      DenseF32ArrayAttr:$scales,
      DefaultValuedAttr<F32Attr, "-0.75f">:$cubic_coeff_a,
      DefaultValuedAttr<BoolAttr, "false">:$exclude_outside);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_ReduceOp : Kiln_Op<"reduce", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Sum, mean, max or min over some dimensions";
  let description = [{
    ONNX ReduceSum / ReduceMean / ReduceMax / ReduceMin: `kind` is "sum",
    "mean", "max" or "min"; `axes` are distinct dims in 0..rank-1, in
    increasing order, at least one. With `keepdims` the reduced dims stay
    as size 1, otherwise they are dropped. The importer turns a mean or max
    over H and W of an NCHW tensor into the global pooling kernels instead.

    ```mlir
    %y = kiln.reduce %x {kind = "mean", axes = array<i64: 1>, keepdims = false}
         : (tensor<3x2x2xf32>) -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, StrAttr:$kind,
      DenseI64ArrayAttr:$axes, DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

def Kiln_ConcatOp : Kiln_Op<"concat", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Concatenation along one axis";
  let description = [{
    All inputs have the same rank and agree on every dimension but `axis`
    (non-negative). Inception modules concatenate their branches on axis 1.
    Folds: a concat of one input is that input.

    ```mlir
    %y = kiln.concat %a, %b {axis = 1 : i64}
         : (tensor<1x8x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x12x4x4xf32>
    ```
  }];
  let arguments = (ins Variadic<Kiln_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_ReshapeOp : Kiln_Op<"reshape", [Pure]> {
  let summary = "Reinterpret a tensor with another static shape (Flatten, Reshape)";
  let description = [{
    The element count must not change. The target shape is the result type.
    Folds: a reshape to the input's own type is the input; a reshape of a
    reshape reads the first one's input; a reshape of a `dense` constant is
    a constant (`dense_resource` blobs are left alone so they are not
    copied).

    ```mlir
    %y = kiln.reshape %x : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}


def Kiln_TransposeOp : Kiln_Op<"transpose", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Permutation of the dimensions";
  let description = [{
    Result dim i is input dim `perm[i]`; `perm` is a permutation of
    0..rank-1. Gemm with transA = 1 or a computed B operand uses it to bring
    a matrix into kiln.dense's layout. Folds: the identity perm is the
    input; a transpose of a transpose reads the first one's input with the
    composed perm; a transpose of a `dense` constant (at most 2^20
    elements) is a constant.

    ```mlir
    %y = kiln.transpose %x {perm = array<i64: 1, 0>} : (tensor<4x3xf32>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_SliceOp : Kiln_Op<"slice", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Strided window of a tensor (ONNX Slice and Split)";
  let description = [{
    Result dim d has `sizes[d]` elements, read from input indices
    `starts[d] + i * steps[d]` for i in 0..sizes[d]-1. Every attribute has
    one value per dim; steps are non-zero (a negative step reads backwards)
    and every index read lies inside the input. The importer normalizes
    ONNX Slice's starts / ends / axes / steps (negative indices, clamping)
    into this form, and Split into one slice per output. Folds: a slice
    that reads the whole input in order is the input.

    ```mlir
    %y = kiln.slice %x {starts = array<i64: 0, 16, 0, 0>,
           sizes = array<i64: 1, 16, 8, 8>, steps = array<i64: 1, 1, 1, 1>}
         : (tensor<1x32x8x8xf32>) -> tensor<1x16x8x8xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$starts,
      DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$steps);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_PadOp : Kiln_Op<"pad", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Padding of any dimensions (ONNX Pad: constant, edge, reflect, wrap)";
  let description = [{
    `pads` has 2 x rank values in ONNX order, all begins then all ends:
    `[x1_begin, x2_begin, ..., x1_end, x2_end, ...]`. Dimension d of the
    result is `input[d] + pads[d] + pads[rank + d]`. Pads are non-negative
    (cropping is not supported). `mode` says what the cells outside the
    input hold, as ONNX Pad defines it:
    - `constant` (the default): `value` (which may be -inf, not NaN);
    - `edge`: the nearest cell of the input (its index clamped);
    - `reflect`: the input mirrored about its first and last cell, which
      are not repeated (`[a b c]` padded by 2 each side is
      `[c b a b c b a]`); pads wider than the input keep reflecting;
    - `wrap`: the input repeated (the index modulo the dimension).
    `value` is ignored by the non-constant modes (tensors are never
    empty, so there is always a cell to copy). `kiln-fold-pad` moves the spatial padding of a
    constant pad into the conv2d / pooling op that reads it; the rest
    becomes a Pad kernel. Folds: a pad whose pads are all zero is its input.

    ```mlir
    %y = kiln.pad %x {pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 2>, value = 0.0 : f32}
         : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x8xf32>
    %z = kiln.pad %x {mode = "reflect", pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
         : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x6xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<F32Attr, "0.0f">:$value,
      DefaultValuedStrAttr<StrAttr, "constant">:$mode);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Classifier head
//===----------------------------------------------------------------------===//

def Kiln_DenseOp : Kiln_Op<"dense", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Fully connected layer: result = act(input * weight^T + bias)";
  let description = [{
    `input` is MxK, `weight` NxK (ONNX Gemm with transB = 1), `bias`
    (optional) N. Gemm's alpha/beta/transA/transB and MatMul+Add are
    normalized to this form by the importer. `activation` takes the values
    of conv2d's epilogue.

    ```mlir
    %y = kiln.dense %x, %w, bias %b : (tensor<1x512xf32>, tensor<1000x512xf32>,
           tensor<1000xf32>) -> tensor<1x1000xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor2D:$input, Kiln_Tensor2D:$weight,
      Optional<Kiln_Tensor1D>:$bias, Kiln_ActivationAttr:$activation,
      DefaultValuedAttr<F32Attr, "0.0f">:$clip_min,
      DefaultValuedAttr<F32Attr, "0.0f">:$clip_max);
  let results = (outs Kiln_Tensor2D:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` `bias` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_SoftmaxOp : Kiln_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "Softmax along one axis";
  let description = [{
    `axis` is non-negative and less than the rank.

    ```mlir
    %y = kiln.softmax %x {axis = 1 : i64} : tensor<1x1000xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, I64Attr:$axis);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

#endif // KILN_OPS_TD
