// kiln-fold-batch-norm: a batch norm after a conv2d / dense with constant
// weights becomes new weights and bias of that op.
// RUN: kiln-opt %s --kiln-fold-batch-norm --split-input-file --verify-diagnostics | FileCheck %s

// Numeric fold into a bias-less 1x1 conv, 2 channels. With epsilon 1,
// sqrt(var + eps) = [2, 4] and s = scale / sqrt = [1, 0.25]:
// weight' = [2 * 1, 3 * 0.25] = [2, 0.75];
// bias' = (0 - mean) * s + bias_bn = [-1 + 0.5, -0.5 - 1] = [-0.5, -1.5].
// CHECK-LABEL: func.func @fold_into_conv_without_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x2x2xf32>)
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}7.500000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<[-5.000000e-01, -1.500000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = kiln.conv2d %[[X]], %[[W]], bias %[[B]] {dilations
// CHECK-NOT: kiln.batch_norm
// CHECK: return %[[Y]]
func.func @fold_into_conv_without_bias(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %scale = kiln.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %bias = kiln.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = kiln.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 1.0 : f32}
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Numeric fold into a conv that has a bias b = [1, -2]; s = [1, 0.25]:
// bias' = (b - mean) * s + bias_bn = [0 + 0.5, -1 - 1] = [0.5, -2].
// CHECK-LABEL: func.func @fold_into_conv_with_bias
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}7.500000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<[5.000000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK: kiln.conv2d %{{.*}}, %[[W]], bias %[[B]] {dilations
// CHECK-NOT: kiln.batch_norm
func.func @fold_into_conv_with_bias(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = kiln.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %scale = kiln.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %bias = kiln.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = kiln.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w, bias %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 1.0 : f32}
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// One channel, epsilon 0: s = 3 / sqrt(9) = 1, weight' = weight,
// bias' = (0 - 2) * 1 + 0.25 = -1.75.
// CHECK-LABEL: func.func @fold_one_channel
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<{{\[\[\[\[}}1.000000e+00, -2.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<-1.750000e+00> : tensor<1xf32>
// CHECK: kiln.conv2d %{{.*}}, %[[W]], bias %[[B]]
// CHECK-NOT: kiln.batch_norm
func.func @fold_one_channel(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x1xf32> {
  %w = kiln.constant dense<[[[[1.0, -2.0]]]]> : tensor<1x1x1x2xf32>
  %p = kiln.constant dense<[3.0]> : tensor<1xf32>
  %bias = kiln.constant dense<[0.25]> : tensor<1xf32>
  %mean = kiln.constant dense<[2.0]> : tensor<1xf32>
  %var = kiln.constant dense<[9.0]> : tensor<1xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x2x1xf32>
  %y = kiln.batch_norm %c, %p, %bias, %mean, %var {epsilon = 0.0 : f32}
       : (tensor<1x1x2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x1xf32>
  return %y : tensor<1x1x2x1xf32>
}

// -----

// Numeric fold into kiln.dense (channel = dim 1 of [M, N]); s = [1, 0.5]:
// weight' rows scaled: [[1, 2, 3], [2, 2.5, 3]];
// bias' = (b - mean) * s + bias_bn = [0 + 0.25, 0 - 0.75].
// CHECK-LABEL: func.func @fold_into_dense
// CHECK-SAME: (%[[X:.*]]: tensor<1x3xf32>)
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00], [2.000000e+00, 2.500000e+00, 3.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<[2.500000e-01, -7.500000e-01]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = kiln.dense %[[X]], %[[W]], bias %[[B]] :
// CHECK-NOT: kiln.batch_norm
// CHECK: return %[[Y]]
func.func @fold_into_dense(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = kiln.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = kiln.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %scale = kiln.constant dense<[1.0, 1.5]> : tensor<2xf32>
  %bias = kiln.constant dense<[0.25, -0.75]> : tensor<2xf32>
  %mean = kiln.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = kiln.constant dense<[0.0, 8.0]> : tensor<2xf32>
  %d = kiln.dense %x, %w, bias %b : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %y = kiln.batch_norm %d, %scale, %bias, %mean, %var {epsilon = 1.0 : f32}
       : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A folded weight above 16 elements becomes a dense_resource blob (here from
// a splat of ones; s = [1, 0.25]: nine 1.0 then nine 0.25).
// CHECK-LABEL: func.func @fold_large_weight_into_blob
// CHECK: %[[W:.*]] = kiln.constant dense_resource<weight_bn> : tensor<2x1x3x3xf32>
// CHECK: kiln.conv2d %{{.*}}, %[[W]], bias
// CHECK-NOT: kiln.batch_norm
// CHECK: weight_bn: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803E0000803E0000803E0000803E0000803E0000803E0000803E0000803E0000803E"
func.func @fold_large_weight_into_blob(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %w = kiln.constant dense<1.0> : tensor<2x1x3x3xf32>
  %scale = kiln.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %bias = kiln.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = kiln.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 1.0 : f32}
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// A dense_resource weight (the importer's form for large weights) is read
// from its blob; the new blob is named after the old one.
// weight = nine 1.0 then nine 2.0; s = [1, 0.25] -> nine 1.0 then nine 0.5.
// CHECK-LABEL: func.func @fold_resource_weight
// CHECK: %[[W:.*]] = kiln.constant dense_resource<conv_W_bn> : tensor<2x1x3x3xf32>
// CHECK: kiln.conv2d %{{.*}}, %[[W]], bias
// CHECK-NOT: kiln.batch_norm
// CHECK: conv_W_bn: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000003F0000003F0000003F0000003F0000003F0000003F0000003F0000003F0000003F"
func.func @fold_resource_weight(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %w = kiln.constant dense_resource<conv_W> : tensor<2x1x3x3xf32>
  %scale = kiln.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %bias = kiln.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = kiln.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 1.0 : f32}
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      conv_W: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F000000400000004000000040000000400000004000000040000000400000004000000040"
    }
  }
#-}

// -----

// Depthwise conv (groups = C): weight dim 0 is still the output channel.
// CHECK-LABEL: func.func @fold_into_depthwise
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}7.500000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK: kiln.conv2d %{{.*}}, %[[W]], bias %{{.*}} {dilations = array<i64: 1, 1>, groups = 2 : i64
// CHECK-NOT: kiln.batch_norm
func.func @fold_into_depthwise(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %scale = kiln.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %bias = kiln.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = kiln.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 2 : i64}
       : (tensor<1x2x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 1.0 : f32}
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Not folded: the conv result is also a model output (read by func.return),
// so the unnormalized value must still exist.
// CHECK-LABEL: func.func @no_fold_conv_also_returned
// CHECK: %[[C:.*]] = kiln.conv2d
// CHECK: %[[Y:.*]] = kiln.batch_norm %[[C]]
// CHECK: return %[[Y]], %[[C]]
func.func @no_fold_conv_also_returned(%x: tensor<1x1x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %p, %p, %p, %p
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y, %c : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// Not folded: the conv result has a second reader (another op).
// CHECK-LABEL: func.func @no_fold_conv_two_readers
// CHECK: %[[C:.*]] = kiln.conv2d
// CHECK: kiln.batch_norm %[[C]]
// CHECK: kiln.relu %[[C]]
func.func @no_fold_conv_two_readers(%x: tensor<1x1x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %p, %p, %p, %p
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %r = kiln.relu %c : tensor<1x2x2x2xf32>
  return %y, %r : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// Not folded: the conv already applies an activation (BN after relu is not
// affine in the conv's output).
// CHECK-LABEL: func.func @no_fold_conv_with_activation
// CHECK: %[[C:.*]] = kiln.conv2d {{.*}}activation = "relu"
// CHECK: kiln.batch_norm %[[C]]
func.func @no_fold_conv_with_activation(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "relu"}
       : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %p, %p, %p, %p
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Not folded: the conv has a residual (the residual would be scaled too).
// CHECK-LABEL: func.func @no_fold_conv_with_residual
// CHECK: %[[C:.*]] = kiln.conv2d %{{.*}}, %{{.*}}, residual
// CHECK: kiln.batch_norm %[[C]]
func.func @no_fold_conv_with_residual(%x: tensor<1x1x2x2xf32>, %r: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w, residual %r {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %p, %p, %p, %p
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Not folded: the weight is not a constant (a function argument).
// CHECK-LABEL: func.func @no_fold_weight_not_constant
// CHECK-SAME: %[[W:[^:]*]]: tensor<2x1x1x1xf32>
// CHECK: %[[C:.*]] = kiln.conv2d %{{.*}}, %[[W]]
// CHECK: kiln.batch_norm %[[C]]
func.func @no_fold_weight_not_constant(%x: tensor<1x1x2x2xf32>, %w: tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32> {
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %p, %p, %p, %p
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Not folded: the conv bias is not a constant.
// CHECK-LABEL: func.func @no_fold_bias_not_constant
// CHECK: %[[C:.*]] = kiln.conv2d %{{.*}}, %{{.*}}, bias
// CHECK: kiln.batch_norm %[[C]]
func.func @no_fold_bias_not_constant(%x: tensor<1x1x2x2xf32>, %b: tensor<2xf32>) -> tensor<1x2x2x2xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w, bias %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %p, %p, %p, %p
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Not folded: a batch-norm statistic is not a constant.
// CHECK-LABEL: func.func @no_fold_statistics_not_constant
// CHECK: %[[C:.*]] = kiln.conv2d
// CHECK: kiln.batch_norm %[[C]]
func.func @no_fold_statistics_not_constant(%x: tensor<1x1x2x2xf32>, %var: tensor<2xf32>) -> tensor<1x2x2x2xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = kiln.batch_norm %c, %p, %p, %p, %var
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Not folded: the batch norm reads something other than a conv or dense.
// CHECK-LABEL: func.func @no_fold_input_not_conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x2x2xf32>)
// CHECK: kiln.batch_norm %[[X]]
func.func @no_fold_input_not_conv(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %y = kiln.batch_norm %x, %p, %p, %p, %p
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Not folded: kiln.dense that already applies an activation.
// CHECK-LABEL: func.func @no_fold_dense_with_activation
// CHECK: %[[D:.*]] = kiln.dense {{.*}}activation = "relu"
// CHECK: kiln.batch_norm %[[D]]
func.func @no_fold_dense_with_activation(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = kiln.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %d = kiln.dense %x, %w {activation = "relu"} : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  %y = kiln.batch_norm %d, %p, %p, %p, %p
       : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Diagnostics: variance + epsilon <= 0 in a channel would make the folded
// scale inf or NaN; the pass fails and names the channel (the verifier does
// not read constant data).
func.func @negative_variance(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %var = kiln.constant dense<[1.0, -0.5]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  // expected-error @+1 {{variance + epsilon is -0.25 in channel 1 (variance -0.5, epsilon 0.25); it must be positive}}
  %y = kiln.batch_norm %c, %p, %p, %p, %var {epsilon = 0.25 : f32}
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Zero variance with epsilon 0, in a batch norm that cannot even be folded
// (its input is an argument): the kernelizer would divide by zero too.
func.func @zero_variance_zero_epsilon(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %p = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %var = kiln.constant dense<[0.0, 2.0]> : tensor<2xf32>
  // expected-error @+1 {{variance + epsilon is 0 in channel 0 (variance 0, epsilon 0)}}
  %y = kiln.batch_norm %x, %p, %p, %p, %var {epsilon = 0.0 : f32}
       : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// A NaN variance is rejected as well.
func.func @nan_variance(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %p = kiln.constant dense<[1.0]> : tensor<1xf32>
  %var = kiln.constant dense<0x7FC00000> : tensor<1xf32>
  // expected-error @+1 {{variance + epsilon is nan in channel 0}}
  %y = kiln.batch_norm %x, %p, %p, %p, %var {epsilon = 1.0e-05 : f32}
       : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}
