// Round trip of every kiln op with each of its optional parts, through the
// custom syntax and through the generic form (the second RUN line also checks
// that the generic form carries everything the custom form prints).
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @conv2d_plain
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>)
// CHECK: kiln.conv2d %[[X]], %[[W]] {dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
// CHECK-SAME: : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
func.func @conv2d_plain(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// CHECK-LABEL: func.func @conv2d_bias_relu
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[W:.*]]: tensor<8x3x3x3xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: kiln.conv2d %[[X]], %[[W]], bias %[[B]] {activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: -> tensor<1x8x4x4xf32>
func.func @conv2d_bias_relu(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %y = kiln.conv2d %x, %w, bias %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "relu"}
       : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// CHECK-LABEL: func.func @conv2d_bias_residual_clip
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x6x6xf32>, %[[W:.*]]: tensor<4x4x3x3xf32>, %[[B:.*]]: tensor<4xf32>, %[[R:.*]]: tensor<1x4x6x6xf32>)
// CHECK: kiln.conv2d %[[X]], %[[W]], bias %[[B]], residual %[[R]] {activation = "clip", clip_max = 6.000000e+00 : f32, dilations
// CHECK-SAME: : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
func.func @conv2d_bias_residual_clip(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>, %b: tensor<4xf32>, %r: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %y = kiln.conv2d %x, %w, bias %b, residual %r {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, groups = 1 : i64,
         activation = "clip", clip_min = 0.0 : f32, clip_max = 6.0 : f32}
       : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// CHECK-LABEL: func.func @conv2d_residual_without_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x6x6xf32>, %[[W:.*]]: tensor<4x4x1x1xf32>, %[[R:.*]]: tensor<1x4x6x6xf32>)
// CHECK: kiln.conv2d %[[X]], %[[W]], residual %[[R]] {dilations
// CHECK-SAME: : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
func.func @conv2d_residual_without_bias(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x1x1xf32>, %r: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %y = kiln.conv2d %x, %w, residual %r {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "none"}
       : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// CHECK-LABEL: func.func @conv2d_depthwise_dilated
// CHECK: kiln.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, groups = 4 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>}
// CHECK-SAME: : (tensor<1x4x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32>
// Depthwise with channel multiplier 2 and dilation 2 (window span 5).
func.func @conv2d_depthwise_dilated(%x: tensor<1x4x8x8xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32> {
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 2, 2, 2, 2>,
         dilations = array<i64: 2, 2>, groups = 4 : i64}
       : (tensor<1x4x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32>
  return %y : tensor<1x8x8x8xf32>
}

// CHECK-LABEL: func.func @conv2d_grouped_asymmetric
// CHECK: kiln.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, groups = 2 : i64, pads = array<i64: 0, 1, 2, 3>, strides = array<i64: 1, 2>}
// CHECK-SAME: : (tensor<2x4x5x5xf32>, tensor<6x2x1x1xf32>) -> tensor<2x6x7x5xf32>
// Two groups, asymmetric pads [top, left, bottom, right] and strides.
func.func @conv2d_grouped_asymmetric(%x: tensor<2x4x5x5xf32>, %w: tensor<6x2x1x1xf32>) -> tensor<2x6x7x5xf32> {
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 2>, pads = array<i64: 0, 1, 2, 3>,
         dilations = array<i64: 1, 1>, groups = 2 : i64}
       : (tensor<2x4x5x5xf32>, tensor<6x2x1x1xf32>) -> tensor<2x6x7x5xf32>
  return %y : tensor<2x6x7x5xf32>
}

// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>, %[[S:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>, %[[M:.*]]: tensor<8xf32>, %[[V:.*]]: tensor<8xf32>)
// CHECK: kiln.batch_norm %[[X]], %[[S]], %[[B]], %[[M]], %[[V]] :
// CHECK-SAME: (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
// CHECK: kiln.batch_norm %[[X]], %[[S]], %[[B]], %[[M]], %[[V]] {epsilon = 1.000000e-03 : f32}
func.func @batch_norm(%x: tensor<1x8x4x4xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<8xf32>, %v: tensor<8xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  %y0 = kiln.batch_norm %x, %s, %b, %m, %v
       : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %y1 = kiln.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-03 : f32}
       : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %y0, %y1 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}

// CHECK-LABEL: func.func @batch_norm_rank2
// CHECK: kiln.batch_norm {{.*}} {epsilon = 0.000000e+00 : f32} : (tensor<2x8xf32>, {{.*}}) -> tensor<2x8xf32>
// BatchNorm1d after a dense layer: rank 2, channels in dim 1.
func.func @batch_norm_rank2(%x: tensor<2x8xf32>, %p: tensor<8xf32>) -> tensor<2x8xf32> {
  %y = kiln.batch_norm %x, %p, %p, %p, %p {epsilon = 0.0 : f32}
       : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// CHECK-LABEL: func.func @relu_clip
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>)
// CHECK: %[[R:.*]] = kiln.relu %[[X]] : tensor<1x8x4x4xf32>
// CHECK: %[[C:.*]] = kiln.clip %[[R]] {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<1x8x4x4xf32>
// CHECK: kiln.clip %[[C]] {max = 1.500000e+00 : f32, min = 1.500000e+00 : f32} : tensor<1x8x4x4xf32>
func.func @relu_clip(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %r = kiln.relu %x : tensor<1x8x4x4xf32>
  %c = kiln.clip %r {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8x4x4xf32>
  %e = kiln.clip %c {min = 1.5 : f32, max = 1.5 : f32} : tensor<1x8x4x4xf32>
  return %e : tensor<1x8x4x4xf32>
}

// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<1x8x4x4xf32>, %[[B:.*]]: tensor<8x1x1xf32>, %[[C:.*]]: tensor<4x1xf32>, %[[D:.*]]: tensor<1x5xf32>)
// CHECK: kiln.add %[[A]], %[[A]] : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
// CHECK: kiln.add %[[A]], %[[B]] : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>
// CHECK: kiln.add %[[C]], %[[D]] : (tensor<4x1xf32>, tensor<1x5xf32>) -> tensor<4x5xf32>
func.func @add_broadcast(%a: tensor<1x8x4x4xf32>, %b: tensor<8x1x1xf32>, %c: tensor<4x1xf32>, %d: tensor<1x5xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<4x5xf32>) {
  %same = kiln.add %a, %a : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %chan = kiln.add %a, %b : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %both = kiln.add %c, %d : (tensor<4x1xf32>, tensor<1x5xf32>) -> tensor<4x5xf32>
  return %same, %chan, %both : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<4x5xf32>
}

// CHECK-LABEL: func.func @max_pool2d
// CHECK: kiln.max_pool2d %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x3x3xf32>
// CHECK: kiln.max_pool2d %{{.*}} {ceil_mode = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
// CHECK: kiln.max_pool2d %{{.*}} {dilations = array<i64: 2, 2>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 2, 2>, strides = array<i64: 1, 1>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x6x6xf32>
func.func @max_pool2d(%x: tensor<1x2x7x7xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x4x4xf32>, tensor<1x2x6x6xf32>) {
  %floor = kiln.max_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
             pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
           : (tensor<1x2x7x7xf32>) -> tensor<1x2x3x3xf32>
  %ceil = kiln.max_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
            pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true}
          : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
  // Dilation 2: a 3x3 kernel spans 5 cells.
  %dil = kiln.max_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>,
           pads = array<i64: 1, 1, 2, 2>, dilations = array<i64: 2, 2>}
         : (tensor<1x2x7x7xf32>) -> tensor<1x2x6x6xf32>
  return %floor, %ceil, %dil : tensor<1x2x3x3xf32>, tensor<1x2x4x4xf32>, tensor<1x2x6x6xf32>
}

// CHECK-LABEL: func.func @max_pool2d_ceil_last_window
// CHECK: kiln.max_pool2d %{{.*}} {ceil_mode = true, {{.*}}} : (tensor<1x1x5x5xf32>) -> tensor<1x1x2x2xf32>
// ceil_mode drops a last window that would start in the right/bottom pad:
// 5 + 1 pad, kernel 2, stride 3 gives 2 windows, not 3.
func.func @max_pool2d_ceil_last_window(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x2x2xf32> {
  %y = kiln.max_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 3, 3>,
         pads = array<i64: 0, 0, 1, 1>, dilations = array<i64: 1, 1>, ceil_mode = true}
       : (tensor<1x1x5x5xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// CHECK-LABEL: func.func @avg_pool2d
// CHECK: kiln.avg_pool2d %{{.*}} {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x6x6xf32>
// CHECK: kiln.avg_pool2d %{{.*}} {ceil_mode = true, count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32>
// CHECK: kiln.avg_pool2d %{{.*}} {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
func.func @avg_pool2d(%x: tensor<1x2x6x6xf32>) -> (tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>) {
  %same = kiln.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>,
            pads = array<i64: 1, 1, 1, 1>, count_include_pad = false}
          : (tensor<1x2x6x6xf32>) -> tensor<1x2x6x6xf32>
  %ceil = kiln.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>,
            pads = array<i64: 1, 1, 1, 1>, count_include_pad = true, ceil_mode = true}
          : (tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32>
  %floor = kiln.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>,
             pads = array<i64: 1, 1, 1, 1>, count_include_pad = true}
           : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return %same, %ceil, %floor : tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @global_avg_pool
// CHECK: kiln.global_avg_pool %{{.*}} : (tensor<2x512x7x5xf32>) -> tensor<2x512x1x1xf32>
func.func @global_avg_pool(%x: tensor<2x512x7x5xf32>) -> tensor<2x512x1x1xf32> {
  %y = kiln.global_avg_pool %x : (tensor<2x512x7x5xf32>) -> tensor<2x512x1x1xf32>
  return %y : tensor<2x512x1x1xf32>
}

// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<1x8x4x4xf32>, %[[B:.*]]: tensor<1x4x4x4xf32>, %[[C:.*]]: tensor<2x4x4x4xf32>)
// CHECK: kiln.concat %[[A]], %[[B]] {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x12x4x4xf32>
// CHECK: kiln.concat %[[B]], %[[C]], %[[B]] {axis = 0 : i64} : (tensor<1x4x4x4xf32>, tensor<2x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<4x4x4x4xf32>
// CHECK: kiln.concat %[[A]] {axis = 3 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
func.func @concat(%a: tensor<1x8x4x4xf32>, %b: tensor<1x4x4x4xf32>, %c: tensor<2x4x4x4xf32>) -> (tensor<1x12x4x4xf32>, tensor<4x4x4x4xf32>, tensor<1x8x4x4xf32>) {
  %chan = kiln.concat %a, %b {axis = 1 : i64}
          : (tensor<1x8x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x12x4x4xf32>
  %batch = kiln.concat %b, %c, %b {axis = 0 : i64}
           : (tensor<1x4x4x4xf32>, tensor<2x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<4x4x4x4xf32>
  %one = kiln.concat %a {axis = 3 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %chan, %batch, %one : tensor<1x12x4x4xf32>, tensor<4x4x4x4xf32>, tensor<1x8x4x4xf32>
}

// CHECK-LABEL: func.func @reshape
// CHECK: kiln.reshape %{{.*}} : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
func.func @reshape(%x: tensor<1x512x1x1xf32>) -> tensor<1x512xf32> {
  %y = kiln.reshape %x : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
  return %y : tensor<1x512xf32>
}

// CHECK-LABEL: func.func @dense
// CHECK-SAME: (%[[X:.*]]: tensor<2x512xf32>, %[[W:.*]]: tensor<10x512xf32>, %[[B:.*]]: tensor<10xf32>)
// CHECK: kiln.dense %[[X]], %[[W]] : (tensor<2x512xf32>, tensor<10x512xf32>) -> tensor<2x10xf32>
// CHECK: kiln.dense %[[X]], %[[W]], bias %[[B]] {activation = "relu"} : (tensor<2x512xf32>, tensor<10x512xf32>, tensor<10xf32>) -> tensor<2x10xf32>
// CHECK: kiln.dense %[[X]], %[[W]], bias %[[B]] {activation = "clip", clip_max = 1.000000e+00 : f32, clip_min = -1.000000e+00 : f32}
func.func @dense(%x: tensor<2x512xf32>, %w: tensor<10x512xf32>, %b: tensor<10xf32>) -> (tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>) {
  %plain = kiln.dense %x, %w : (tensor<2x512xf32>, tensor<10x512xf32>) -> tensor<2x10xf32>
  %relu = kiln.dense %x, %w, bias %b {activation = "relu"}
          : (tensor<2x512xf32>, tensor<10x512xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  %clip = kiln.dense %x, %w, bias %b {activation = "clip", clip_min = -1.0 : f32, clip_max = 1.0 : f32}
          : (tensor<2x512xf32>, tensor<10x512xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  return %plain, %relu, %clip : tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>
}

// CHECK-LABEL: func.func @mul_broadcast
// CHECK: kiln.mul %{{.*}}, %{{.*}} : (tensor<3x4x5xf32>, tensor<5xf32>) -> tensor<3x4x5xf32>
func.func @mul_broadcast(%a: tensor<3x4x5xf32>, %b: tensor<5xf32>) -> tensor<3x4x5xf32> {
  %y = kiln.mul %a, %b : (tensor<3x4x5xf32>, tensor<5xf32>) -> tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}

// CHECK-LABEL: func.func @activations
// CHECK: kiln.sigmoid %{{.*}} : tensor<1x8x4x4xf32>
// CHECK: kiln.hard_sigmoid %{{.*}} : tensor<1x8x4x4xf32>
// CHECK: kiln.hard_sigmoid %{{.*}} {alpha = 5.000000e-01 : f32, beta = 6.000000e-01 : f32} : tensor<1x8x4x4xf32>
// CHECK: kiln.hard_swish %{{.*}} : tensor<1x8x4x4xf32>
// CHECK: kiln.leaky_relu %{{.*}} : tensor<1x8x4x4xf32>
// CHECK: kiln.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f32} : tensor<1x8x4x4xf32>
func.func @activations(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %a = kiln.sigmoid %x : tensor<1x8x4x4xf32>
  %b = kiln.hard_sigmoid %a : tensor<1x8x4x4xf32>
  %c = kiln.hard_sigmoid %b {alpha = 0.5 : f32, beta = 0.6 : f32} : tensor<1x8x4x4xf32>
  %d = kiln.hard_swish %c : tensor<1x8x4x4xf32>
  %e = kiln.leaky_relu %d : tensor<1x8x4x4xf32>
  %f = kiln.leaky_relu %e {alpha = 0.1 : f32} : tensor<1x8x4x4xf32>
  return %f : tensor<1x8x4x4xf32>
}

// CHECK-LABEL: func.func @more_activations
// CHECK: kiln.silu %{{.*}} : tensor<1x8x4x4xf32>
// CHECK: kiln.tanh %{{.*}} : tensor<1x8x4x4xf32>
// CHECK: kiln.softplus %{{.*}} : tensor<1x8x4x4xf32>
// CHECK: kiln.mish %{{.*}} : tensor<1x8x4x4xf32>
// CHECK: kiln.elu %{{.*}} : tensor<1x8x4x4xf32>
// CHECK: kiln.elu %{{.*}} {alpha = 5.000000e-01 : f32} : tensor<1x8x4x4xf32>
// CHECK: kiln.selu %{{.*}} : tensor<1x8x4x4xf32>
// CHECK: kiln.selu %{{.*}} {alpha = 1.500000e+00 : f32, gamma = 2.000000e+00 : f32} : tensor<1x8x4x4xf32>
// CHECK: kiln.conv2d {{.*}}activation = "mish"
// CHECK: kiln.dense {{.*}}activation = "selu", clip_max = 2.000000e+00 : f32, clip_min = 1.500000e+00 : f32
func.func @more_activations(%x: tensor<1x8x4x4xf32>, %w: tensor<4x8x3x3xf32>,
    %m: tensor<1x16xf32>, %v: tensor<10x16xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x4x2x2xf32>, tensor<1x10xf32>) {
  %a = kiln.silu %x : tensor<1x8x4x4xf32>
  %b = kiln.tanh %a : tensor<1x8x4x4xf32>
  %c = kiln.softplus %b : tensor<1x8x4x4xf32>
  %d = kiln.mish %c : tensor<1x8x4x4xf32>
  %e = kiln.elu %d : tensor<1x8x4x4xf32>
  %f = kiln.elu %e {alpha = 0.5 : f32} : tensor<1x8x4x4xf32>
  %g = kiln.selu %f : tensor<1x8x4x4xf32>
  %h = kiln.selu %g {alpha = 1.5 : f32, gamma = 2.0 : f32} : tensor<1x8x4x4xf32>
  %y = kiln.conv2d %h, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "mish"}
       : (tensor<1x8x4x4xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x2x2xf32>
  %s = kiln.dense %m, %v {activation = "selu", clip_min = 1.5 : f32, clip_max = 2.0 : f32} : (tensor<1x16xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
  return %h, %y, %s : tensor<1x8x4x4xf32>, tensor<1x4x2x2xf32>, tensor<1x10xf32>
}

// CHECK-LABEL: func.func @fused_new_activations
// CHECK: kiln.conv2d {{.*}}activation = "hard_swish"
// CHECK: kiln.dense {{.*}}activation = "hard_sigmoid", clip_max = 5.000000e-01 : f32, clip_min = 2.000000e-01 : f32
// CHECK: kiln.dense {{.*}}activation = "sigmoid"
// CHECK: kiln.dense {{.*}}activation = "leaky_relu", clip_min = -2.500000e-01 : f32
func.func @fused_new_activations(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>,
    %m: tensor<1x16xf32>, %v: tensor<10x16xf32>) -> (tensor<1x4x6x6xf32>, tensor<1x10xf32>, tensor<1x10xf32>, tensor<1x10xf32>) {
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "hard_swish"}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %d = kiln.dense %m, %v {activation = "hard_sigmoid", clip_min = 0.2 : f32, clip_max = 0.5 : f32}
       : (tensor<1x16xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
  %s = kiln.dense %m, %v {activation = "sigmoid"} : (tensor<1x16xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
  %l = kiln.dense %m, %v {activation = "leaky_relu", clip_min = -0.25 : f32} : (tensor<1x16xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
  return %y, %d, %s, %l : tensor<1x4x6x6xf32>, tensor<1x10xf32>, tensor<1x10xf32>, tensor<1x10xf32>
}

// CHECK-LABEL: func.func @lrn
// CHECK: kiln.lrn %{{.*}} {size = 3 : i64} : tensor<1x8x4x4xf32>
// CHECK: kiln.lrn %{{.*}} {alpha = 2.000000e-04 : f32, beta = 5.000000e-01 : f32, bias = 2.000000e+00 : f32, size = 4 : i64} : tensor<2x6x5xf32>
func.func @lrn(%x: tensor<1x8x4x4xf32>, %y: tensor<2x6x5xf32>) -> (tensor<1x8x4x4xf32>, tensor<2x6x5xf32>) {
  %a = kiln.lrn %x {size = 3 : i64} : tensor<1x8x4x4xf32>
  %b = kiln.lrn %y {size = 4 : i64, alpha = 2.0e-4 : f32, beta = 0.5 : f32, bias = 2.0 : f32} : tensor<2x6x5xf32>
  return %a, %b : tensor<1x8x4x4xf32>, tensor<2x6x5xf32>
}

// CHECK-LABEL: func.func @transpose
// CHECK: kiln.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<4x3xf32>) -> tensor<3x4xf32>
// CHECK: kiln.transpose %{{.*}} {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x8x6xf32>) -> tensor<1x8x6x3xf32>
func.func @transpose(%x: tensor<4x3xf32>, %y: tensor<1x3x8x6xf32>) -> (tensor<3x4xf32>, tensor<1x8x6x3xf32>) {
  %a = kiln.transpose %x {perm = array<i64: 1, 0>} : (tensor<4x3xf32>) -> tensor<3x4xf32>
  %b = kiln.transpose %y {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x8x6xf32>) -> tensor<1x8x6x3xf32>
  return %a, %b : tensor<3x4xf32>, tensor<1x8x6x3xf32>
}

// CHECK-LABEL: func.func @slice
// CHECK: kiln.slice %{{.*}} {sizes = array<i64: 1, 16, 8, 8>, starts = array<i64: 0, 16, 0, 0>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x32x8x8xf32>) -> tensor<1x16x8x8xf32>
// CHECK: kiln.slice %{{.*}} {sizes = array<i64: 2, 3>, starts = array<i64: 3, 4>, steps = array<i64: -2, 2>} : (tensor<4x9xf32>) -> tensor<2x3xf32>
func.func @slice(%x: tensor<1x32x8x8xf32>, %y: tensor<4x9xf32>) -> (tensor<1x16x8x8xf32>, tensor<2x3xf32>) {
  %a = kiln.slice %x {starts = array<i64: 0, 16, 0, 0>, sizes = array<i64: 1, 16, 8, 8>,
                      steps = array<i64: 1, 1, 1, 1>} : (tensor<1x32x8x8xf32>) -> tensor<1x16x8x8xf32>
  %b = kiln.slice %y {starts = array<i64: 3, 4>, sizes = array<i64: 2, 3>,
                      steps = array<i64: -2, 2>} : (tensor<4x9xf32>) -> tensor<2x3xf32>
  return %a, %b : tensor<1x16x8x8xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @softmax
// CHECK: kiln.softmax %{{.*}} {axis = 1 : i64} : tensor<1x1000xf32>
// CHECK: kiln.softmax %{{.*}} {axis = 0 : i64} : tensor<2x3x4xf32>
func.func @softmax(%x: tensor<1x1000xf32>, %y: tensor<2x3x4xf32>) -> (tensor<1x1000xf32>, tensor<2x3x4xf32>) {
  %a = kiln.softmax %x {axis = 1 : i64} : tensor<1x1000xf32>
  %b = kiln.softmax %y {axis = 0 : i64} : tensor<2x3x4xf32>
  return %a, %b : tensor<1x1000xf32>, tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @pad_spatial_zero
// CHECK: kiln.pad %{{.*}} {pads = array<i64: 0, 0, 1, 2, 0, 0, 3, 0>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x6xf32>
func.func @pad_spatial_zero(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x8x6xf32> {
  %y = kiln.pad %x {pads = array<i64: 0, 0, 1, 2, 0, 0, 3, 0>}
       : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x6xf32>
  return %y : tensor<1x8x8x6xf32>
}

// CHECK-LABEL: func.func @pad_rank2_value
// CHECK: kiln.pad %{{.*}} {pads = array<i64: 1, 0, 0, 2>, value = -1.500000e+00 : f32} : (tensor<2x3xf32>) -> tensor<3x5xf32>
func.func @pad_rank2_value(%x: tensor<2x3xf32>) -> tensor<3x5xf32> {
  %y = kiln.pad %x {pads = array<i64: 1, 0, 0, 2>, value = -1.5 : f32}
       : (tensor<2x3xf32>) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

// CHECK-LABEL: func.func @pad_minus_inf
// CHECK: kiln.pad %{{.*}} {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 0xFF800000 : f32}
func.func @pad_minus_inf(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %y = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 0xFF800000 : f32}
       : (tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}

// A non-constant mode is printed; the default one is not.
// CHECK-LABEL: func.func @pad_modes
// CHECK: kiln.pad %{{.*}} {mode = "reflect", pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : (tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32>
// CHECK: kiln.pad %{{.*}} {mode = "edge", pads = array<i64: 2, 0, 0, 1>} : (tensor<2x3xf32>) -> tensor<4x4xf32>
// CHECK: kiln.pad %{{.*}} {mode = "wrap", pads = array<i64: 0, 4, 1, 0>} : (tensor<2x3xf32>) -> tensor<3x7xf32>
// CHECK: kiln.pad %{{.*}} {pads = array<i64: 1, 0, 0, 0>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
func.func @pad_modes(%x: tensor<1x2x3x3xf32>, %z: tensor<2x3xf32>)
    -> (tensor<1x2x5x5xf32>, tensor<4x4xf32>, tensor<3x7xf32>, tensor<3x3xf32>) {
  %a = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "reflect"}
       : (tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  %b = kiln.pad %z {pads = array<i64: 2, 0, 0, 1>, mode = "edge"}
       : (tensor<2x3xf32>) -> tensor<4x4xf32>
  %c = kiln.pad %z {pads = array<i64: 0, 4, 1, 0>, mode = "wrap"}
       : (tensor<2x3xf32>) -> tensor<3x7xf32>
  %d = kiln.pad %z {pads = array<i64: 1, 0, 0, 0>, mode = "constant"}
       : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return %a, %b, %c, %d : tensor<1x2x5x5xf32>, tensor<4x4xf32>, tensor<3x7xf32>, tensor<3x3xf32>
}

// CHECK-LABEL: func.func @separable_conv2d_plain
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x8x6x6xf32>, %[[DW:[^:]*]]: tensor<8x1x3x3xf32>, %[[DB:[^:]*]]: tensor<8xf32>, %[[PW:[^:]*]]: tensor<4x8x1x1xf32>, %[[PB:[^:]*]]: tensor<4xf32>)
// CHECK: kiln.separable_conv2d %[[X]], %[[DW]], %[[DB]], %[[PW]], %[[PB]] {dilations = array<i64: 1, 1>, dw_activation = "clip", dw_clip_max = 6.000000e+00 : f32, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: -> tensor<1x4x3x3xf32>
func.func @separable_conv2d_plain(%x: tensor<1x8x6x6xf32>, %dw: tensor<8x1x3x3xf32>, %db: tensor<8xf32>,
                                  %pw: tensor<4x8x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x3x3xf32> {
  %y = kiln.separable_conv2d %x, %dw, %db, %pw, %pb {strides = array<i64: 2, 2>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<4x8x1x1xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
  return %y : tensor<1x4x3x3xf32>
}

// CHECK-LABEL: func.func @separable_conv2d_residual_relu
// CHECK: kiln.separable_conv2d %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, residual %[[R:[^ ]*]] {activation = "relu", dilations
// CHECK-SAME: -> tensor<1x4x6x6xf32>
func.func @separable_conv2d_residual_relu(%x: tensor<1x8x6x6xf32>, %dw: tensor<8x1x3x3xf32>, %db: tensor<8xf32>,
                                          %pw: tensor<4x8x1x1xf32>, %pb: tensor<4xf32>, %r: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %y = kiln.separable_conv2d %x, %dw, %db, %pw, %pb, residual %r {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, activation = "relu"}
       : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>, tensor<4x8x1x1xf32>, tensor<4xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// CHECK-LABEL: func.func @inverted_residual_strided
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x6x6xf32>, %[[EW:[^:]*]]: tensor<12x4x1x1xf32>, %[[EB:[^:]*]]: tensor<12xf32>, %[[DW:[^:]*]]: tensor<12x1x3x3xf32>, %[[DB:[^:]*]]: tensor<12xf32>, %[[PW:[^:]*]]: tensor<8x12x1x1xf32>, %[[PB:[^:]*]]: tensor<8xf32>)
// CHECK: kiln.inverted_residual %[[X]], %[[EW]], %[[EB]], %[[DW]], %[[DB]], %[[PW]], %[[PB]] {dilations = array<i64: 1, 1>, dw_activation = "clip", dw_clip_max = 6.000000e+00 : f32, expand_activation = "clip", expand_clip_max = 6.000000e+00 : f32, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: -> tensor<1x8x3x3xf32>
func.func @inverted_residual_strided(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>,
                                     %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>,
                                     %pw: tensor<8x12x1x1xf32>, %pb: tensor<8xf32>) -> tensor<1x8x3x3xf32> {
  %y = kiln.inverted_residual %x, %ew, %eb, %dw, %db, %pw, %pb {strides = array<i64: 2, 2>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         expand_activation = "clip", expand_clip_min = 0.0 : f32, expand_clip_max = 6.0 : f32,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>,
          tensor<8x12x1x1xf32>, tensor<8xf32>) -> tensor<1x8x3x3xf32>
  return %y : tensor<1x8x3x3xf32>
}

// CHECK-LABEL: func.func @inverted_residual_residual
// CHECK: kiln.inverted_residual %[[X:[^,]*]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, residual %[[X]] {activation = "relu", dilations
// CHECK-SAME: expand_activation = "hard_swish"
// CHECK-SAME: -> tensor<1x4x6x6xf32>
func.func @inverted_residual_residual(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>,
                                      %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>,
                                      %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %y = kiln.inverted_residual %x, %ew, %eb, %dw, %db, %pw, %pb, residual %x {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, expand_activation = "hard_swish",
         activation = "relu"}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// CHECK-LABEL: func.func @prelu
// CHECK: kiln.prelu %{{.*}}, %{{.*}} : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>
func.func @prelu(%x: tensor<1x8x4x4xf32>, %s: tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %y = kiln.prelu %x, %s : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// CHECK-LABEL: func.func @conv_transpose2d
// CHECK: kiln.conv_transpose2d %{{.*}}, %{{.*}}, bias %{{.*}} {activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
// CHECK: kiln.conv_transpose2d %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, groups = 2 : i64, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x16x8x8xf32>, tensor<16x4x2x2xf32>) -> tensor<1x8x16x16xf32>
func.func @conv_transpose2d(%x: tensor<1x16x8x8xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<8xf32>,
    %w2: tensor<16x4x2x2xf32>) -> (tensor<1x8x16x16xf32>, tensor<1x8x16x16xf32>) {
  %y = kiln.conv_transpose2d %x, %w, bias %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, groups = 1 : i64, activation = "relu"}
       : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  %z = kiln.conv_transpose2d %x, %w2 {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, groups = 2 : i64}
       : (tensor<1x16x8x8xf32>, tensor<16x4x2x2xf32>) -> tensor<1x8x16x16xf32>
  return %y, %z : tensor<1x8x16x16xf32>, tensor<1x8x16x16xf32>
}

// CHECK-LABEL: func.func @resize
// CHECK: kiln.resize %{{.*}} {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = array<f32: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
// CHECK: kiln.resize %{{.*}} {coordinate_transformation_mode = "half_pixel", mode = "linear", scales = array<f32: 1.000000e+00, 1.000000e+00, 1.500000e+00, 5.000000e-01>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x2xf32>
// CHECK: kiln.resize %{{.*}} {coordinate_transformation_mode = "half_pixel", cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = true, mode = "cubic", scales = array<f32: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
func.func @resize(%x: tensor<1x8x4x4xf32>) -> (tensor<1x8x8x8xf32>, tensor<1x8x6x2xf32>, tensor<1x8x8x8xf32>) {
  %a = kiln.resize %x {mode = "nearest", coordinate_transformation_mode = "asymmetric",
         nearest_mode = "floor", scales = array<f32: 1.0, 1.0, 2.0, 2.0>}
       : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
  %b = kiln.resize %x {mode = "linear", coordinate_transformation_mode = "half_pixel",
         scales = array<f32: 1.0, 1.0, 1.5, 0.5>}
       : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x2xf32>
  %c = kiln.resize %x {mode = "cubic", coordinate_transformation_mode = "half_pixel",
         cubic_coeff_a = -0.5 : f32, exclude_outside = true,
         scales = array<f32: 1.0, 1.0, 2.0, 2.0>}
       : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>
  return %a, %b, %c : tensor<1x8x8x8xf32>, tensor<1x8x6x2xf32>, tensor<1x8x8x8xf32>
}

// CHECK-LABEL: func.func @reduce
// CHECK: kiln.reduce %{{.*}} {axes = array<i64: 1>, keepdims = false, kind = "mean"} : (tensor<3x2x2xf32>) -> tensor<3x2xf32>
// CHECK: kiln.reduce %{{.*}} {axes = array<i64: 0, 2>, kind = "max"} : (tensor<3x2x2xf32>) -> tensor<1x2x1xf32>
func.func @reduce(%x: tensor<3x2x2xf32>) -> (tensor<3x2xf32>, tensor<1x2x1xf32>) {
  %a = kiln.reduce %x {kind = "mean", axes = array<i64: 1>, keepdims = false} : (tensor<3x2x2xf32>) -> tensor<3x2xf32>
  %b = kiln.reduce %x {kind = "max", axes = array<i64: 0, 2>} : (tensor<3x2x2xf32>) -> tensor<1x2x1xf32>
  return %a, %b : tensor<3x2xf32>, tensor<1x2x1xf32>
}

// CHECK-LABEL: func.func @constants
// CHECK: kiln.constant dense<1.000000e+00> : tensor<8x3x3x3xf32>
// CHECK: kiln.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.500000e+00, -4.000000e+00]]> : tensor<2x2xf32>
// CHECK: kiln.constant dense_resource<kiln_weights> : tensor<4xf32>
// CHECK: dialect_resources
// CHECK: kiln_weights: "0x040000000000803F0000004000004040000080C0"
func.func @constants() -> (tensor<8x3x3x3xf32>, tensor<2x2xf32>, tensor<4xf32>) {
  %splat = kiln.constant dense<1.0> : tensor<8x3x3x3xf32>
  %dense = kiln.constant dense<[[1.0, 2.0], [3.5, -4.0]]> : tensor<2x2xf32>
  %blob = kiln.constant dense_resource<kiln_weights> : tensor<4xf32>
  return %splat, %dense, %blob : tensor<8x3x3x3xf32>, tensor<2x2xf32>, tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      kiln_weights: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}

