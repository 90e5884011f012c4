// kiln-fuse-depthwise-pointwise: a depthwise conv2d read only by a 1x1 conv2d
// becomes one kiln.separable_conv2d carrying both epilogues.
// RUN: kiln-opt %s --kiln-fuse-depthwise-pointwise --split-input-file | FileCheck %s
// RUN: kiln-opt %s --kiln-fuse-depthwise-pointwise=report-missed=true --split-input-file --verify-diagnostics

// MobileNetV2 linear bottleneck: depthwise + ReLU6, then the linear 1x1
// projection with the block's residual.
// CHECK-LABEL: func.func @bottleneck
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x8x6x6xf32>, %[[DW:[^:]*]]: tensor<8x1x3x3xf32>, %[[DB:[^:]*]]: tensor<8xf32>, %[[PW:[^:]*]]: tensor<4x8x1x1xf32>, %[[PB:[^:]*]]: tensor<4xf32>, %[[R:[^:]*]]: tensor<1x4x6x6xf32>)
// CHECK-NEXT: %[[Y:.*]] = kiln.separable_conv2d %[[X]], %[[DW]], %[[DB]], %[[PW]], %[[PB]], residual %[[R]]
// CHECK-SAME: dilations = array<i64: 1, 1>
// CHECK-SAME: dw_activation = "clip", dw_clip_max = 6.000000e+00 : f32
// CHECK-SAME: pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>
// CHECK-NOT: kiln.conv2d
// CHECK: return %[[Y]]
func.func @bottleneck(%x: tensor<1x8x6x6xf32>, %dw: tensor<8x1x3x3xf32>, %db: tensor<8xf32>,
                      %pw: tensor<4x8x1x1xf32>, %pb: tensor<4xf32>, %r: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %d = kiln.conv2d %x, %dw, bias %db {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 8 : i64, activation = "clip",
         clip_min = 0.0 : f32, clip_max = 6.0 : f32}
       : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  %y = kiln.conv2d %d, %pw, bias %pb, residual %r {strides = array<i64: 1, 1>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x8x6x6xf32>, tensor<4x8x1x1xf32>, tensor<4xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// MobileNetV1 block, strided depthwise, no biases: zero biases are made, the
// pointwise ReLU stays the epilogue.
// CHECK-LABEL: func.func @strided_no_bias
// CHECK-DAG: %[[ZD:.*]] = kiln.constant dense<0.000000e+00> : tensor<8xf32>
// CHECK-DAG: %[[ZP:.*]] = kiln.constant dense<0.000000e+00> : tensor<16xf32>
// CHECK: kiln.separable_conv2d %{{[^,]*}}, %{{[^,]*}}, %[[ZD]], %{{[^,]*}}, %[[ZP]] {
// CHECK-SAME: activation = "relu"
// CHECK-SAME: dw_activation = "relu"
// CHECK-SAME: strides = array<i64: 2, 2>
// CHECK-SAME: -> tensor<1x16x4x4xf32>
// CHECK-NOT: kiln.conv2d
func.func @strided_no_bias(%x: tensor<1x8x8x8xf32>, %dw: tensor<8x1x3x3xf32>, %pw: tensor<16x8x1x1xf32>) -> tensor<1x16x4x4xf32> {
  %d = kiln.conv2d %x, %dw {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 8 : i64, activation = "relu"}
       : (tensor<1x8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32>
  %y = kiln.conv2d %d, %pw {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "relu"}
       : (tensor<1x8x4x4xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

// Must not touch: the depthwise result has two consumers (the second 1x1
// conv would need it in memory anyway).
// CHECK-LABEL: func.func @two_consumers
// CHECK-NOT: kiln.separable_conv2d
// CHECK-COUNT-3: kiln.conv2d
func.func @two_consumers(%x: tensor<1x8x6x6xf32>, %dw: tensor<8x1x3x3xf32>, %pw: tensor<4x8x1x1xf32>) -> (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) {
  // expected-remark @+1 {{depthwise conv not fused with the 1x1 conv after it: its result has 2 readers}}
  %d = kiln.conv2d %x, %dw {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 8 : i64}
       : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
  %a = kiln.conv2d %d, %pw {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x8x6x6xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x6x6xf32>
  %b = kiln.conv2d %d, %pw {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "relu"}
       : (tensor<1x8x6x6xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x6x6xf32>
  return %a, %b : tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>
}

// -----

// Must not touch: the depthwise result is also a function result (a model
// output).
// CHECK-LABEL: func.func @depthwise_is_output
// CHECK-NOT: kiln.separable_conv2d
func.func @depthwise_is_output(%x: tensor<1x8x6x6xf32>, %dw: tensor<8x1x3x3xf32>, %pw: tensor<4x8x1x1xf32>) -> (tensor<1x8x6x6xf32>, tensor<1x4x6x6xf32>) {
  // expected-remark @+1 {{depthwise conv not fused with the 1x1 conv after it: its result has 2 readers}}
  %d = kiln.conv2d %x, %dw {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 8 : i64}
       : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
  %y = kiln.conv2d %d, %pw {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x8x6x6xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x6x6xf32>
  return %d, %y : tensor<1x8x6x6xf32>, tensor<1x4x6x6xf32>
}

// -----

// Must not touch: the 1x1 conv is strided (not a pure channel mix of the
// depthwise result), and a depthwise conv with channel multiplier 2.
// CHECK-LABEL: func.func @strided_pointwise
// CHECK-NOT: kiln.separable_conv2d
func.func @strided_pointwise(%x: tensor<1x8x6x6xf32>, %dw: tensor<8x1x3x3xf32>, %pw: tensor<4x8x1x1xf32>) -> tensor<1x4x3x3xf32> {
  // expected-remark @+1 {{depthwise conv not fused with the 1x1 conv after it: the 1x1 conv reading it is strided or padded}}
  %d = kiln.conv2d %x, %dw {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 8 : i64}
       : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
  %y = kiln.conv2d %d, %pw {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x8x6x6xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x3x3xf32>
  return %y : tensor<1x4x3x3xf32>
}

// CHECK-LABEL: func.func @channel_multiplier
// CHECK-NOT: kiln.separable_conv2d
func.func @channel_multiplier(%x: tensor<1x4x6x6xf32>, %dw: tensor<8x1x3x3xf32>, %pw: tensor<4x8x1x1xf32>) -> tensor<1x4x6x6xf32> {
  // expected-remark @+1 {{depthwise conv not fused with the 1x1 conv after it: channel multiplier 2 (only 1 is fused)}}
  %d = kiln.conv2d %x, %dw {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 4 : i64}
       : (tensor<1x4x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
  %y = kiln.conv2d %d, %pw {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x8x6x6xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Must not touch: a dense 3x3 conv before the 1x1 (not depthwise), and a
// depthwise conv whose reader is a pool, not a conv.
// CHECK-LABEL: func.func @not_depthwise
// CHECK-NOT: kiln.separable_conv2d
func.func @not_depthwise(%x: tensor<1x8x6x6xf32>, %w: tensor<8x8x3x3xf32>, %pw: tensor<4x8x1x1xf32>) -> tensor<1x4x6x6xf32> {
  %d = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x8x6x6xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x6x6xf32>
  %y = kiln.conv2d %d, %pw {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x8x6x6xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}
