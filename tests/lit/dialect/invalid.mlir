// Every verifier and shape-inference error of the kiln ops, and the type
// constraints ODS checks, with the message that names the op.
// RUN: kiln-opt %s --split-input-file --verify-diagnostics

//===----------------------------------------------------------------------===//
// Type constraints (ODS)
//===----------------------------------------------------------------------===//

func.func @dynamic_dim(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+1 {{'kiln.relu' op operand #0 must be 1D/2D/3D/4D/5D/6D/7D/8D tensor of 32-bit float values with static, non-zero dimensions, but got 'tensor<?x8xf32>'}}
  %y = kiln.relu %x : tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

func.func @zero_sized_dim(%x: tensor<1x0x4x4xf32>) -> tensor<1x0x4x4xf32> {
  // expected-error @+1 {{'kiln.relu' op operand #0 must be 1D/2D/3D/4D/5D/6D/7D/8D tensor of 32-bit float values with static, non-zero dimensions, but got 'tensor<1x0x4x4xf32>'}}
  %y = kiln.relu %x : tensor<1x0x4x4xf32>
  return %y : tensor<1x0x4x4xf32>
}

// -----

func.func @not_f32(%x: tensor<4xf16>) -> tensor<4xf16> {
  // expected-error @+1 {{'kiln.relu' op operand #0 must be 1D/2D/3D/4D/5D/6D/7D/8D tensor of 32-bit float values}}
  %y = kiln.relu %x : tensor<4xf16>
  return %y : tensor<4xf16>
}

// -----

func.func @rank0(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'kiln.relu' op operand #0 must be 1D/2D/3D/4D/5D/6D/7D/8D tensor of 32-bit float values}}
  %y = kiln.relu %x : tensor<f32>
  return %y : tensor<f32>
}

// -----

func.func @relu_type_mismatch(%x: tensor<4xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'kiln.relu' op requires the same type for all operands and results}}
  %y = "kiln.relu"(%x) : (tensor<4xf32>) -> tensor<5xf32>
  return %y : tensor<5xf32>
}

// -----

func.func @conv2d_input_not_4d(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' op operand #0 must be 4D tensor of 32-bit float values with static, non-zero dimensions, but got 'tensor<3x8x8xf32>'}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_bias_not_1d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<1x4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' op operand #2 must be 1D tensor of 32-bit float values with static, non-zero dimensions, but got 'tensor<1x4xf32>'}}
  %y = kiln.conv2d %x, %w, bias %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<1x4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_missing_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' op requires attribute 'strides'}}
  %y = kiln.conv2d %x, %w {pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_epilogue_order(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4xf32>, %r: tensor<1x4x6x6xf32>) {
  // expected-error @+1 {{'kiln.conv2d' expected 'bias' or 'residual' (in that order), got 'bias'}}
  %y = kiln.conv2d %x, %w, residual %r, bias %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_epilogue_twice(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.conv2d' has more than one bias operand}}
  %y = kiln.conv2d %x, %w, bias %b, bias %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_epilogue_unknown(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.conv2d' expected 'bias' or 'residual' (in that order), got 'shift'}}
  %y = kiln.conv2d %x, %w, shift %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return
}

//===----------------------------------------------------------------------===//
// kiln.constant
//===----------------------------------------------------------------------===//

// -----

func.func @constant_type_mismatch() -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.constant' op failed to verify that all of {value, result} have same type}}
  %c = "kiln.constant"() <{value = dense<1.0> : tensor<2x2xf32>}> : () -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

func.func @constant_not_f32() -> tensor<4xi32> {
  // expected-error @+1 {{'kiln.constant' op result #0 must be 1D/2D/3D/4D/5D/6D/7D/8D tensor of 32-bit float values with static, non-zero dimensions, but got 'tensor<4xi32>'}}
  %c = kiln.constant dense<1> : tensor<4xi32>
  return %c : tensor<4xi32>
}

// -----

func.func @constant_empty() -> tensor<0xf32> {
  // expected-error @+1 {{'kiln.constant' op result #0 must be 1D/2D/3D/4D/5D/6D/7D/8D tensor of 32-bit float values with static, non-zero dimensions, but got 'tensor<0xf32>'}}
  %c = kiln.constant dense<> : tensor<0xf32>
  return %c : tensor<0xf32>
}

//===----------------------------------------------------------------------===//
// kiln.conv2d
//===----------------------------------------------------------------------===//

// -----

func.func @conv2d_groups_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' groups must be positive, got 0}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 0 : i64}
       : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_groups_negative(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' groups must be positive, got -2}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = -2 : i64}
       : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_input_channels_not_divisible(%x: tensor<1x6x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' input channels 6 are not divisible by groups 4}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 4 : i64}
       : (tensor<1x6x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_output_channels_not_divisible(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' output channels 6 are not divisible by groups 4}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 4 : i64}
       : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %y : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_channel_mismatch(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' weight expects 2 input channels (2 per group x 1 groups) but the input has 3}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_grouped_channel_mismatch(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' weight expects 8 input channels (4 per group x 2 groups) but the input has 4}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 2 : i64}
       : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_bias_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<5xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' op bias has 5 elements but there are 4 output channels}}
  %y = kiln.conv2d %x, %w, bias %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<5xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_residual_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %r: tensor<1x4x8x8xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' op residual operand shape 1x4x8x8 differs from the result shape 1x4x6x6}}
  %y = kiln.conv2d %x, %w, residual %r {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_unknown_activation(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' op unknown activation 'gelu' (expected none, relu, clip, sigmoid, hard_sigmoid, hard_swish, leaky_relu, silu, tanh, softplus, mish, elu or selu)}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "gelu"}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_clip_min_above_max(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' op clip_min 6.000000e+00 exceeds clip_max 0.000000e+00}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "clip", clip_min = 6.0 : f32}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_stride_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' stride must be positive, got 0}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 0>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_stride_negative(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' stride must be positive, got -1}}
  %y = kiln.conv2d %x, %w {strides = array<i64: -1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_dilation_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' dilation must be positive, got 0}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 0, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_pads_negative(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' pads must be non-negative, got 0 and -1}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, -1, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_kernel_too_big(%x: tensor<1x3x4x4xf32>, %w: tensor<4x3x5x5xf32>) -> tensor<1x4x1x1xf32> {
  // expected-error @+1 {{'kiln.conv2d' window of 5 does not fit input of 4 (+ padding)}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x4x4xf32>, tensor<4x3x5x5xf32>) -> tensor<1x4x1x1xf32>
  return %y : tensor<1x4x1x1xf32>
}

// -----

// Dilation 3 stretches a 3x3 kernel over 7 cells.
func.func @conv2d_dilated_kernel_too_big(%x: tensor<1x3x6x6xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32> {
  // expected-error @+1 {{'kiln.conv2d' window of 7 does not fit input of 6 (+ padding)}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 3, 3>, groups = 1 : i64}
       : (tensor<1x3x6x6xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32>
  return %y : tensor<1x4x1x1xf32>
}

// -----

func.func @conv2d_strides_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' attribute 'strides' needs 2 values, got 1}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_pads_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' attribute 'pads' needs 4 values, got 2}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_dilations_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' attribute 'dilations' needs 2 values, got 3}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv2d_result_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'kiln.conv2d' op result shape 1x4x8x8 does not match the inferred shape 1x4x6x6}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

//===----------------------------------------------------------------------===//
// kiln.batch_norm
//===----------------------------------------------------------------------===//

// -----

func.func @batch_norm_param_size(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>, %bad: tensor<4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.batch_norm' op parameter 'variance' has 4 elements but the input has 8 channels}}
  %y = kiln.batch_norm %x, %p, %p, %p, %bad
       : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

func.func @batch_norm_scale_size(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>, %bad: tensor<9xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.batch_norm' op parameter 'scale' has 9 elements but the input has 8 channels}}
  %y = kiln.batch_norm %x, %bad, %p, %p, %p
       : (tensor<1x8x4x4xf32>, tensor<9xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

func.func @batch_norm_rank1(%x: tensor<8xf32>, %p: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'kiln.batch_norm' op input needs a channel dimension (rank >= 2)}}
  %y = kiln.batch_norm %x, %p, %p, %p, %p
       : (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

func.func @batch_norm_negative_epsilon(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.batch_norm' op epsilon must be non-negative, got -1.000000e-05}}
  %y = kiln.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0e-05 : f32}
       : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

func.func @batch_norm_result_shape(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>) -> tensor<1x8x2x8xf32> {
  // expected-error @+1 {{'kiln.batch_norm' op result shape 1x8x2x8 does not match the inferred shape 1x8x4x4}}
  %y = kiln.batch_norm %x, %p, %p, %p, %p
       : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x2x8xf32>
  return %y : tensor<1x8x2x8xf32>
}

//===----------------------------------------------------------------------===//
// kiln.clip
//===----------------------------------------------------------------------===//

// -----

func.func @clip_min_above_max(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.clip' op min 6.000000e+00 exceeds max 0.000000e+00}}
  %y = kiln.clip %x {min = 6.0 : f32, max = 0.0 : f32} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @clip_nan_bound(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.clip' op min and max must not be NaN}}
  %y = kiln.clip %x {min = 0x7FC00000 : f32, max = 6.0 : f32} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @conv2d_clip_nan_bound(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' op clip_min and clip_max must not be NaN}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "clip", clip_max = 0x7FC00000 : f32}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @clip_missing_max(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.clip' op requires attribute 'max'}}
  %y = kiln.clip %x {min = 0.0 : f32} : tensor<4xf32>
  return %y : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// kiln.add
//===----------------------------------------------------------------------===//

// -----

func.func @add_not_broadcastable(%a: tensor<1x8x4x4xf32>, %b: tensor<1x4x4x4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.add' operand shapes do not broadcast: dimension 1 is 8 vs 4}}
  %y = kiln.add %a, %b : (tensor<1x8x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

// Broadcasting is right-aligned: 8 meets the last dimension (4), not dim 1.
func.func @add_not_broadcastable_right_aligned(%a: tensor<1x8x4x4xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.add' operand shapes do not broadcast: dimension 3 is 4 vs 8}}
  %y = kiln.add %a, %b : (tensor<1x8x4x4xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

func.func @add_result_shape(%a: tensor<4x1xf32>, %b: tensor<1x5xf32>) -> tensor<4x1xf32> {
  // expected-error @+1 {{'kiln.add' op result shape 4x1 does not match the inferred shape 4x5}}
  %y = kiln.add %a, %b : (tensor<4x1xf32>, tensor<1x5xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

//===----------------------------------------------------------------------===//
// kiln.max_pool2d / kiln.avg_pool2d / kiln.global_avg_pool
//===----------------------------------------------------------------------===//

// -----

func.func @max_pool2d_kernel_zero(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'kiln.max_pool2d' kernel size must be positive, got 0}}
  %y = kiln.max_pool2d %x {kernel_shape = array<i64: 2, 0>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

func.func @max_pool2d_stride_zero(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'kiln.max_pool2d' stride must be positive, got 0}}
  %y = kiln.max_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 0, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

func.func @max_pool2d_dilation_negative(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'kiln.max_pool2d' dilation must be positive, got -1}}
  %y = kiln.max_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, -1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

func.func @max_pool2d_pad_as_large_as_kernel(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x5x5xf32> {
  // expected-error @+1 {{'kiln.max_pool2d' pads must be smaller than the kernel size 2, got 2 and 0}}
  %y = kiln.max_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 2, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}

// -----

func.func @max_pool2d_kernel_too_big(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32> {
  // expected-error @+1 {{'kiln.max_pool2d' window of 4 does not fit input of 3 (+ padding)}}
  %y = kiln.max_pool2d %x {kernel_shape = array<i64: 4, 4>, strides = array<i64: 1, 1>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32>
  return %y : tensor<1x2x1x1xf32>
}

// -----

func.func @max_pool2d_kernel_shape_length(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'kiln.max_pool2d' attribute 'kernel_shape' needs 2 values, got 3}}
  %y = kiln.max_pool2d %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Without ceil_mode, 7 cells with kernel 2 and stride 2 give 3 windows.
func.func @max_pool2d_result_shape(%x: tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'kiln.max_pool2d' op result shape 1x2x4x4 does not match the inferred shape 1x2x3x3}}
  %y = kiln.max_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// ceil_mode never starts a window in the end padding: 2 windows, not 3.
func.func @max_pool2d_ceil_result_shape(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  // expected-error @+1 {{'kiln.max_pool2d' op result shape 1x1x3x3 does not match the inferred shape 1x1x2x2}}
  %y = kiln.max_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 3, 3>,
         pads = array<i64: 0, 0, 1, 1>, dilations = array<i64: 1, 1>, ceil_mode = true}
       : (tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// -----

func.func @avg_pool2d_pads_negative(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  // expected-error @+1 {{'kiln.avg_pool2d' pads must be non-negative, got -1 and 1}}
  %y = kiln.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>,
         pads = array<i64: 1, -1, 1, 1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %y : tensor<1x2x8x8xf32>
}

// -----

func.func @avg_pool2d_pad_as_large_as_kernel(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x10x10xf32> {
  // expected-error @+1 {{'kiln.avg_pool2d' pads must be smaller than the kernel size 1, got 1 and 1}}
  %y = kiln.avg_pool2d %x {kernel_shape = array<i64: 1, 1>, strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, count_include_pad = true}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x10x10xf32>
  return %y : tensor<1x2x10x10xf32>
}

// -----

func.func @avg_pool2d_stride_negative(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  // expected-error @+1 {{'kiln.avg_pool2d' stride must be positive, got -1}}
  %y = kiln.avg_pool2d %x {kernel_shape = array<i64: 1, 1>, strides = array<i64: 1, -1>,
         pads = array<i64: 0, 0, 0, 0>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %y : tensor<1x2x8x8xf32>
}

// -----

func.func @avg_pool2d_kernel_negative(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  // expected-error @+1 {{'kiln.avg_pool2d' kernel size must be positive, got -3}}
  %y = kiln.avg_pool2d %x {kernel_shape = array<i64: -3, 3>, strides = array<i64: 1, 1>,
         pads = array<i64: 0, 0, 0, 0>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %y : tensor<1x2x8x8xf32>
}

// -----

func.func @avg_pool2d_kernel_too_big(%x: tensor<1x2x8x2xf32>) -> tensor<1x2x6x1xf32> {
  // expected-error @+1 {{'kiln.avg_pool2d' window of 3 does not fit input of 2 (+ padding)}}
  %y = kiln.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>,
         pads = array<i64: 0, 0, 0, 0>}
       : (tensor<1x2x8x2xf32>) -> tensor<1x2x6x1xf32>
  return %y : tensor<1x2x6x1xf32>
}

// -----

func.func @avg_pool2d_pads_length(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  // expected-error @+1 {{'kiln.avg_pool2d' attribute 'pads' needs 4 values, got 5}}
  %y = kiln.avg_pool2d %x {kernel_shape = array<i64: 1, 1>, strides = array<i64: 1, 1>,
         pads = array<i64: 0, 0, 0, 0, 0>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %y : tensor<1x2x8x8xf32>
}

// -----

func.func @avg_pool2d_result_shape(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  // expected-error @+1 {{'kiln.avg_pool2d' op result shape 1x2x3x3 does not match the inferred shape 1x2x4x4}}
  %y = kiln.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>,
         pads = array<i64: 1, 1, 1, 1>, ceil_mode = true}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

func.func @global_avg_pool_result_shape(%x: tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32> {
  // expected-error @+1 {{'kiln.global_avg_pool' op result shape 1x8x7x7 does not match the inferred shape 1x8x1x1}}
  %y = kiln.global_avg_pool %x : (tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  return %y : tensor<1x8x7x7xf32>
}

//===----------------------------------------------------------------------===//
// kiln.concat
//===----------------------------------------------------------------------===//

// -----

func.func @concat_no_inputs() -> tensor<1xf32> {
  // expected-error @+1 {{'kiln.concat' needs at least one input}}
  %y = kiln.concat {axis = 0 : i64} : () -> tensor<1xf32>
  return %y : tensor<1xf32>
}

// -----

func.func @concat_axis_too_large(%a: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.concat' axis 4 is out of range for rank 4}}
  %y = kiln.concat %a {axis = 4 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

func.func @concat_axis_negative(%a: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.concat' axis -1 is out of range for rank 4}}
  %y = kiln.concat %a {axis = -1 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

func.func @concat_rank_mismatch(%a: tensor<1x8x4x4xf32>, %b: tensor<8x4x4xf32>) -> tensor<1x16x4x4xf32> {
  // expected-error @+1 {{'kiln.concat' input 1 has rank 3, expected 4}}
  %y = kiln.concat %a, %b {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

func.func @concat_dim_mismatch(%a: tensor<1x8x4x4xf32>, %b: tensor<1x8x4x4xf32>, %c: tensor<1x8x4x2xf32>) -> tensor<1x24x4x4xf32> {
  // expected-error @+1 {{'kiln.concat' input 2 has 2 in dimension 3, expected 4}}
  %y = kiln.concat %a, %b, %c {axis = 1 : i64}
       : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x2xf32>) -> tensor<1x24x4x4xf32>
  return %y : tensor<1x24x4x4xf32>
}

// -----

func.func @concat_result_shape(%a: tensor<1x8x4x4xf32>, %b: tensor<1x4x4x4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.concat' op result shape 1x8x4x4 does not match the inferred shape 1x12x4x4}}
  %y = kiln.concat %a, %b {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

//===----------------------------------------------------------------------===//
// kiln.reshape
//===----------------------------------------------------------------------===//

// -----

func.func @reshape_element_count(%x: tensor<1x512x1x1xf32>) -> tensor<1x256xf32> {
  // expected-error @+1 {{'kiln.reshape' op changes the element count from 512 to 256}}
  %y = kiln.reshape %x : (tensor<1x512x1x1xf32>) -> tensor<1x256xf32>
  return %y : tensor<1x256xf32>
}

// -----

func.func @reshape_dynamic_result(%x: tensor<1x512xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'kiln.reshape' op result #0 must be 1D/2D/3D/4D/5D/6D/7D/8D tensor of 32-bit float values with static, non-zero dimensions, but got 'tensor<?xf32>'}}
  %y = kiln.reshape %x : (tensor<1x512xf32>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

//===----------------------------------------------------------------------===//
// kiln.dense
//===----------------------------------------------------------------------===//

// -----

func.func @dense_feature_mismatch(%x: tensor<1x512xf32>, %w: tensor<10x256xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'kiln.dense' op input has 512 features but the weight expects 256}}
  %y = kiln.dense %x, %w : (tensor<1x512xf32>, tensor<10x256xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

func.func @dense_bias_size(%x: tensor<1x512xf32>, %w: tensor<10x512xf32>, %b: tensor<512xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'kiln.dense' op bias has 512 elements but there are 10 outputs}}
  %y = kiln.dense %x, %w, bias %b : (tensor<1x512xf32>, tensor<10x512xf32>, tensor<512xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

func.func @dense_unknown_activation(%x: tensor<1x512xf32>, %w: tensor<10x512xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'kiln.dense' op unknown activation 'Relu' (expected none, relu, clip, sigmoid, hard_sigmoid, hard_swish, leaky_relu, silu, tanh, softplus, mish, elu or selu)}}
  %y = kiln.dense %x, %w {activation = "Relu"} : (tensor<1x512xf32>, tensor<10x512xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

func.func @dense_clip_min_above_max(%x: tensor<1x512xf32>, %w: tensor<10x512xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'kiln.dense' op clip_min 1.000000e+00 exceeds clip_max -1.000000e+00}}
  %y = kiln.dense %x, %w {activation = "clip", clip_min = 1.0 : f32, clip_max = -1.0 : f32}
       : (tensor<1x512xf32>, tensor<10x512xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

func.func @dense_result_shape(%x: tensor<2x512xf32>, %w: tensor<10x512xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'kiln.dense' op result shape 1x10 does not match the inferred shape 2x10}}
  %y = kiln.dense %x, %w : (tensor<2x512xf32>, tensor<10x512xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

func.func @dense_input_not_2d(%x: tensor<1x512x1x1xf32>, %w: tensor<10x512xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'kiln.dense' op operand #0 must be 2D tensor of 32-bit float values with static, non-zero dimensions, but got 'tensor<1x512x1x1xf32>'}}
  %y = kiln.dense %x, %w : (tensor<1x512x1x1xf32>, tensor<10x512xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

//===----------------------------------------------------------------------===//
// kiln.softmax
//===----------------------------------------------------------------------===//

// -----

func.func @softmax_axis_too_large(%x: tensor<1x1000xf32>) -> tensor<1x1000xf32> {
  // expected-error @+1 {{'kiln.softmax' op axis 2 is out of range for rank 2}}
  %y = kiln.softmax %x {axis = 2 : i64} : tensor<1x1000xf32>
  return %y : tensor<1x1000xf32>
}

// -----

func.func @softmax_axis_negative(%x: tensor<1x1000xf32>) -> tensor<1x1000xf32> {
  // expected-error @+1 {{'kiln.softmax' op axis -1 is out of range for rank 2}}
  %y = kiln.softmax %x {axis = -1 : i64} : tensor<1x1000xf32>
  return %y : tensor<1x1000xf32>
}

//===----------------------------------------------------------------------===//
// Activations with parameters: hard_sigmoid, leaky_relu, elu, selu (op and
// epilogue)
//===----------------------------------------------------------------------===//

// -----

func.func @hard_sigmoid_infinite_alpha(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.hard_sigmoid' op alpha INF and beta 5.000000e-01 must be finite}}
  %y = kiln.hard_sigmoid %x {alpha = 0x7F800000 : f32, beta = 0.5 : f32} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @dense_hard_sigmoid_nan_beta(%x: tensor<1x512xf32>, %w: tensor<10x512xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'kiln.dense' op hard_sigmoid alpha (clip_min) 2.000000e-01 and beta (clip_max) nan must be finite}}
  %y = kiln.dense %x, %w {activation = "hard_sigmoid", clip_min = 0.2 : f32, clip_max = 0x7FC00000 : f32} : (tensor<1x512xf32>, tensor<10x512xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

func.func @leaky_relu_nan_alpha(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.leaky_relu' op alpha nan must be finite}}
  %y = kiln.leaky_relu %x {alpha = 0x7FC00000 : f32} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @conv_leaky_relu_infinite_alpha(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' op leaky_relu alpha (clip_min) -INF must be finite}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "leaky_relu", clip_min = 0xFF800000 : f32}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @elu_infinite_alpha(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.elu' op alpha INF must be finite}}
  %y = kiln.elu %x {alpha = 0x7F800000 : f32} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @selu_nan_gamma(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.selu' op alpha 1.500000e+00 and gamma nan must be finite}}
  %y = kiln.selu %x {alpha = 1.5 : f32, gamma = 0x7FC00000 : f32} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @dense_elu_nan_alpha(%x: tensor<1x512xf32>, %w: tensor<10x512xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'kiln.dense' op elu alpha (clip_min) nan must be finite}}
  %y = kiln.dense %x, %w {activation = "elu", clip_min = 0x7FC00000 : f32} : (tensor<1x512xf32>, tensor<10x512xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

func.func @conv_selu_infinite_gamma(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.conv2d' op selu alpha (clip_min) 1.000000e+00 and gamma (clip_max) INF must be finite}}
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "selu", clip_min = 1.0 : f32, clip_max = 0x7F800000 : f32}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

//===----------------------------------------------------------------------===//
// kiln.mul
//===----------------------------------------------------------------------===//

// -----

func.func @mul_no_broadcast(%a: tensor<3x4x5xf32>, %b: tensor<4xf32>) -> tensor<3x4x5xf32> {
  // expected-error @+1 {{'kiln.mul' operand shapes do not broadcast: dimension 2 is 5 vs 4}}
  %y = kiln.mul %a, %b : (tensor<3x4x5xf32>, tensor<4xf32>) -> tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}

// -----

func.func @mul_wrong_result(%a: tensor<3x1xf32>, %b: tensor<2x1x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'kiln.mul' op result shape 3x4 does not match the inferred shape 2x3x4}}
  %y = kiln.mul %a, %b : (tensor<3x1xf32>, tensor<2x1x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

//===----------------------------------------------------------------------===//
// kiln.lrn
//===----------------------------------------------------------------------===//

// -----

func.func @lrn_rank1(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'kiln.lrn' op input needs a channel dimension (rank >= 2)}}
  %y = kiln.lrn %x {size = 3 : i64} : tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

func.func @lrn_zero_size(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.lrn' op size must be positive, got 0}}
  %y = kiln.lrn %x {size = 0 : i64} : tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

func.func @lrn_nan_beta(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.lrn' op alpha 1.000000e-04 and beta nan must be finite}}
  %y = kiln.lrn %x {size = 3 : i64, beta = 0x7FC00000 : f32} : tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

func.func @lrn_zero_bias(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.lrn' op bias must be positive and finite, got 0.000000e+00}}
  %y = kiln.lrn %x {size = 3 : i64, bias = 0.0 : f32} : tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

//===----------------------------------------------------------------------===//
// kiln.transpose
//===----------------------------------------------------------------------===//

// -----

func.func @transpose_short_perm(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  // expected-error @+1 {{'kiln.transpose' perm has 2 values for rank 3}}
  %y = kiln.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  return %y : tensor<3x2x4xf32>
}

// -----

func.func @transpose_repeated_axis(%x: tensor<2x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{'kiln.transpose' perm [1, 1] is not a permutation of 0..1}}
  %y = kiln.transpose %x {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return %y : tensor<3x3xf32>
}

// -----

func.func @transpose_wrong_result(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'kiln.transpose' op result shape 2x3 does not match the inferred shape 3x2}}
  %y = kiln.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// kiln.slice
//===----------------------------------------------------------------------===//

// -----

func.func @slice_short_steps(%x: tensor<2x6xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'kiln.slice' attribute 'steps' needs 2 values, got 1}}
  %y = kiln.slice %x {starts = array<i64: 0, 0>, sizes = array<i64: 2, 3>, steps = array<i64: 1>} : (tensor<2x6xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @slice_zero_step(%x: tensor<2x6xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'kiln.slice' step of dimension 1 is 0}}
  %y = kiln.slice %x {starts = array<i64: 0, 0>, sizes = array<i64: 2, 3>, steps = array<i64: 1, 0>} : (tensor<2x6xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @slice_empty(%x: tensor<2x6xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'kiln.slice' size of dimension 1 is 0; it must be positive}}
  %y = kiln.slice %x {starts = array<i64: 0, 0>, sizes = array<i64: 2, 0>, steps = array<i64: 1, 1>} : (tensor<2x6xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @slice_start_outside(%x: tensor<2x6xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'kiln.slice' start 6 of dimension 1 is outside 0..5}}
  %y = kiln.slice %x {starts = array<i64: 0, 6>, sizes = array<i64: 2, 1>, steps = array<i64: 1, 1>} : (tensor<2x6xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @slice_runs_past_end(%x: tensor<2x6xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'kiln.slice' 3 elements with step 2 from 2 run past dimension 1 of size 6}}
  %y = kiln.slice %x {starts = array<i64: 0, 2>, sizes = array<i64: 2, 3>, steps = array<i64: 1, 2>} : (tensor<2x6xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @slice_runs_past_begin(%x: tensor<2x6xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'kiln.slice' 3 elements with step -2 from 3 run past dimension 1 of size 6}}
  %y = kiln.slice %x {starts = array<i64: 0, 3>, sizes = array<i64: 2, 3>, steps = array<i64: 1, -2>} : (tensor<2x6xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @slice_min_step(%x: tensor<2x6xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'kiln.slice' 2 elements with step -9223372036854775808 from 5 run past dimension 1 of size 6}}
  %y = kiln.slice %x {starts = array<i64: 0, 5>, sizes = array<i64: 2, 2>, steps = array<i64: 1, -9223372036854775808>} : (tensor<2x6xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @slice_wrong_result(%x: tensor<2x6xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'kiln.slice' op result shape 2x4 does not match the inferred shape 2x3}}
  %y = kiln.slice %x {starts = array<i64: 0, 0>, sizes = array<i64: 2, 3>, steps = array<i64: 1, 2>} : (tensor<2x6xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

//===----------------------------------------------------------------------===//
// kiln.pad
//===----------------------------------------------------------------------===//

// -----

func.func @pad_wrong_count(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  // expected-error @+1 {{'kiln.pad' pads has 4 values, expected 8 (begins then ends) for rank 4}}
  %y = kiln.pad %x {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}

// -----

func.func @pad_negative(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x2x3xf32> {
  // expected-error @+1 {{'kiln.pad' pads of dimension 2 are -1 and 0; negative pads (cropping) are not supported}}
  %y = kiln.pad %x {pads = array<i64: 0, 0, -1, 0, 0, 0, 0, 0>} : (tensor<1x2x3x3xf32>) -> tensor<1x2x2x3xf32>
  return %y : tensor<1x2x2x3xf32>
}

// -----

func.func @pad_wrong_result(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  // expected-error @+1 {{'kiln.pad' op result shape 1x2x5x5 does not match the inferred shape 1x2x4x5}}
  %y = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 0, 1>} : (tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}

// -----

func.func @pad_nan_value(%x: tensor<2x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{'kiln.pad' op value must not be NaN}}
  %y = kiln.pad %x {pads = array<i64: 1, 0, 0, 0>, value = 0x7FC00000 : f32} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return %y : tensor<3x3xf32>
}

// -----

func.func @pad_unknown_mode(%x: tensor<2x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{'kiln.pad' op mode 'symmetric' is not one of constant, edge, reflect, wrap}}
  %y = kiln.pad %x {pads = array<i64: 1, 0, 0, 0>, mode = "symmetric"} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return %y : tensor<3x3xf32>
}

// -----

func.func @inverted_residual_expand_shape(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x3x1x1xf32>, %eb: tensor<12xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.inverted_residual' expand_weight 12x3x1x1 must be Ex4x1x1}}
  %y = kiln.inverted_residual %x, %ew, %eb, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
       : (tensor<1x4x6x6xf32>, tensor<12x3x1x1xf32>, tensor<12xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @inverted_residual_dw_shape(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>, %dw: tensor<8x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.inverted_residual' dw_weight 8x1x3x3 must be 12x1xKHxKW (one filter per expanded channel)}}
  %y = kiln.inverted_residual %x, %ew, %eb, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>, tensor<8x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @inverted_residual_pw_shape(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x8x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.inverted_residual' pw_weight 4x8x1x1 must be Mx12x1x1}}
  %y = kiln.inverted_residual %x, %ew, %eb, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x8x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @inverted_residual_expand_bias(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<10xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.inverted_residual' op expand_bias has 10 elements but there are 12 expanded channels}}
  %y = kiln.inverted_residual %x, %ew, %eb, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<10xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @inverted_residual_residual_shape(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>, %r: tensor<1x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.inverted_residual' op residual operand shape 1x4x3x3 differs from the result shape 1x4x6x6}}
  %y = kiln.inverted_residual %x, %ew, %eb, %dw, %db, %pw, %pb, residual %r {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>, tensor<1x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @inverted_residual_expand_activation(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.inverted_residual' op unknown activation 'gelu'}}
  %y = kiln.inverted_residual %x, %ew, %eb, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, expand_activation = "gelu"}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @inverted_residual_result_shape(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x5x5xf32> {
  // expected-error @+1 {{'kiln.inverted_residual' op result shape 1x4x5x5 does not match the inferred shape 1x4x6x6}}
  %y = kiln.inverted_residual %x, %ew, %eb, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
  return %y : tensor<1x4x5x5xf32>
}

// -----

func.func @separable_dw_weight_shape(%x: tensor<1x8x6x6xf32>, %dw: tensor<8x2x3x3xf32>, %db: tensor<8xf32>,
                                     %pw: tensor<4x8x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.separable_conv2d' dw_weight 8x2x3x3 must be 8x1xKHxKW (one filter per input channel)}}
  %y = kiln.separable_conv2d %x, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
       : (tensor<1x8x6x6xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>, tensor<4x8x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @separable_pw_weight_shape(%x: tensor<1x8x6x6xf32>, %dw: tensor<8x1x3x3xf32>, %db: tensor<8xf32>,
                                     %pw: tensor<4x8x3x3xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.separable_conv2d' pw_weight 4x8x3x3 must be Mx8x1x1}}
  %y = kiln.separable_conv2d %x, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
       : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<4x8x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @separable_bias_size(%x: tensor<1x8x6x6xf32>, %dw: tensor<8x1x3x3xf32>, %db: tensor<8xf32>,
                               %pw: tensor<4x8x1x1xf32>, %pb: tensor<5xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.separable_conv2d' op pw_bias has 5 elements but there are 4 output channels}}
  %y = kiln.separable_conv2d %x, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
       : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<4x8x1x1xf32>, tensor<5xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @separable_residual_shape(%x: tensor<1x8x6x6xf32>, %dw: tensor<8x1x3x3xf32>, %db: tensor<8xf32>,
                                    %pw: tensor<4x8x1x1xf32>, %pb: tensor<4xf32>, %r: tensor<1x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.separable_conv2d' op residual operand shape 1x4x3x3 differs from the result shape 1x4x6x6}}
  %y = kiln.separable_conv2d %x, %dw, %db, %pw, %pb, residual %r {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
       : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<4x8x1x1xf32>, tensor<4xf32>, tensor<1x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @separable_dw_activation(%x: tensor<1x8x6x6xf32>, %dw: tensor<8x1x3x3xf32>, %db: tensor<8xf32>,
                                   %pw: tensor<4x8x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'kiln.separable_conv2d' op unknown activation 'gelu'}}
  %y = kiln.separable_conv2d %x, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, dw_activation = "gelu"}
       : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<4x8x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

//===----------------------------------------------------------------------===//
// kiln.reduce
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_unknown_kind(%x: tensor<3x4xf32>) -> tensor<3x1xf32> {
  // expected-error @+1 {{'kiln.reduce' unknown kind 'prod' (expected sum, mean, max or min)}}
  %y = kiln.reduce %x {kind = "prod", axes = array<i64: 1>} : (tensor<3x4xf32>) -> tensor<3x1xf32>
  return %y : tensor<3x1xf32>
}

// -----

func.func @reduce_axis_out_of_range(%x: tensor<3x4xf32>) -> tensor<3x1xf32> {
  // expected-error @+1 {{'kiln.reduce' axis 2 is out of range for rank 2}}
  %y = kiln.reduce %x {kind = "sum", axes = array<i64: 2>} : (tensor<3x4xf32>) -> tensor<3x1xf32>
  return %y : tensor<3x1xf32>
}

// -----

func.func @reduce_axes_not_increasing(%x: tensor<3x4xf32>) -> tensor<1x1xf32> {
  // expected-error @+1 {{'kiln.reduce' axes must be distinct and increasing}}
  %y = kiln.reduce %x {kind = "sum", axes = array<i64: 1, 0>} : (tensor<3x4xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

// -----

func.func @reduce_no_axes(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'kiln.reduce' needs at least one axis}}
  %y = kiln.reduce %x {kind = "sum", axes = array<i64>} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

func.func @reduce_wrong_result(%x: tensor<3x4xf32>) -> tensor<3x1xf32> {
  // expected-error @+1 {{'kiln.reduce' op result shape 3x1 does not match the inferred shape 3}}
  %y = kiln.reduce %x {kind = "min", axes = array<i64: 1>, keepdims = false} : (tensor<3x4xf32>) -> tensor<3x1xf32>
  return %y : tensor<3x1xf32>
}

//===----------------------------------------------------------------------===//
// kiln.prelu
//===----------------------------------------------------------------------===//

// -----

func.func @prelu_slope_widens_input(%x: tensor<1x8x1x1xf32>, %s: tensor<8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.prelu' slope shape 8x4x4 would widen the input shape 1x8x1x1}}
  %y = kiln.prelu %x, %s : (tensor<1x8x1x1xf32>, tensor<8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

func.func @prelu_slope_does_not_broadcast(%x: tensor<1x8x4x4xf32>, %s: tensor<3x1x1xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'kiln.prelu' operand shapes do not broadcast: dimension 1 is 8 vs 3}}
  %y = kiln.prelu %x, %s : (tensor<1x8x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

//===----------------------------------------------------------------------===//
// kiln.resize
//===----------------------------------------------------------------------===//

// -----

func.func @resize_area(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'kiln.resize' op unknown mode 'area' (expected nearest, linear or cubic)}}
  %y = kiln.resize %x {mode = "area", coordinate_transformation_mode = "half_pixel", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

func.func @resize_cubic_nan_coefficient(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'kiln.resize' op cubic_coeff_a must be finite}}
  %y = kiln.resize %x {mode = "cubic", coordinate_transformation_mode = "half_pixel", scales = array<f32: 1.0, 1.0, 2.0, 2.0>, cubic_coeff_a = 0x7FC00000 : f32} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

func.func @resize_crop(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'kiln.resize' op unknown coordinate_transformation_mode 'tf_crop_and_resize'}}
  %y = kiln.resize %x {mode = "linear", coordinate_transformation_mode = "tf_crop_and_resize", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

func.func @resize_scale_count(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'kiln.resize' op has 2 scales for rank 4}}
  %y = kiln.resize %x {mode = "nearest", coordinate_transformation_mode = "asymmetric", scales = array<f32: 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

func.func @resize_zero_scale(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'kiln.resize' op scale 0.000000e+00 is not positive and finite}}
  %y = kiln.resize %x {mode = "nearest", coordinate_transformation_mode = "asymmetric", scales = array<f32: 1.0, 0.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

func.func @resize_rank(%x: tensor<1x1x2x2xf32>) -> tensor<1x4x4xf32> {
  // expected-error @+1 {{'kiln.resize' op result rank 3 differs from the input rank 4}}
  %y = kiln.resize %x {mode = "nearest", coordinate_transformation_mode = "asymmetric", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x4x4xf32>
  return %y : tensor<1x4x4xf32>
}

//===----------------------------------------------------------------------===//
// kiln.conv_transpose2d
//===----------------------------------------------------------------------===//

// -----

func.func @conv_transpose_channels(%x: tensor<1x16x8x8xf32>, %w: tensor<8x8x3x3xf32>) -> tensor<1x8x17x17xf32> {
  // expected-error @+1 {{'kiln.conv_transpose2d' weight 8x8x3x3 must have the input's 16 channels first}}
  %y = kiln.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, groups = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x17x17xf32>
  return %y : tensor<1x8x17x17xf32>
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x16x8x8xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x8x19x19xf32> {
  // expected-error @+1 {{'kiln.conv_transpose2d' output_padding 2 must be below the stride or the dilation}}
  %y = kiln.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 2, 2>, groups = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<1x8x19x19xf32>
  return %y : tensor<1x8x19x19xf32>
}

// -----

func.func @conv_transpose_wrong_result(%x: tensor<1x16x8x8xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x8x16x16xf32> {
  // expected-error @+1 {{'kiln.conv_transpose2d' op result shape 1x8x16x16 does not match the inferred shape 1x8x17x17}}
  %y = kiln.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, groups = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<1x8x16x16xf32>
  return %y : tensor<1x8x16x16xf32>
}
