// kiln-fuse-activation: a standalone activation (relu, clip, sigmoid,
// hard_sigmoid, hard_swish, leaky_relu, silu, tanh, softplus, mish, elu,
// selu) after a conv2d or dense with activation "none" becomes that op's
// epilogue activation; x * sigmoid(x) is read as silu(x) first.
// RUN: kiln-opt %s --kiln-fuse-activation --split-input-file --verify-diagnostics | FileCheck %s

// relu after a conv becomes activation "relu".
// CHECK-LABEL: func.func @relu_into_conv
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x3x8x8xf32>, %[[W:[^:]*]]: tensor<4x3x3x3xf32>, %[[B:[^:]*]]: tensor<4xf32>)
// CHECK-NEXT: %[[Y:.*]] = kiln.conv2d %[[X]], %[[W]], bias %[[B]] {activation = "relu", dilations
// CHECK-NOT: kiln.relu
// CHECK-NEXT: return %[[Y]]
func.func @relu_into_conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w, bias %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.relu %c : tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// clip(0, 6) (ReLU6) after a conv becomes activation "clip" with its bounds
// (clip_min = 0 is the attribute's default and is not printed).
// CHECK-LABEL: func.func @clip_into_conv
// CHECK-NEXT: %[[Y:.*]] = kiln.conv2d {{.*}}{activation = "clip", clip_max = 6.000000e+00 : f32, dilations
// CHECK-NOT: kiln.clip
// CHECK-NEXT: return %[[Y]]
func.func @clip_into_conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.clip %c {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// clip(0, +inf) is a relu and fuses as activation "relu".
// CHECK-LABEL: func.func @clip_zero_to_inf_is_relu
// CHECK-NEXT: %[[Y:.*]] = kiln.conv2d {{.*}}{activation = "relu", dilations
// CHECK-NOT: clip
// CHECK-NEXT: return %[[Y]]
func.func @clip_zero_to_inf_is_relu(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.clip %c {min = 0.0 : f32, max = 0x7F800000 : f32} : tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// relu after a conv with a residual fuses: the epilogue applies the
// activation after adding the residual, as relu(conv + residual) requires.
// CHECK-LABEL: func.func @relu_into_conv_with_residual
// CHECK-SAME: %[[R:[^:]*]]: tensor<1x4x6x6xf32>)
// CHECK-NEXT: %[[Y:.*]] = kiln.conv2d %{{.*}}, %{{.*}}, residual %[[R]] {activation = "relu", dilations
// CHECK-NEXT: return %[[Y]]
func.func @relu_into_conv_with_residual(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %r: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w, residual %r {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.relu %c : tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// relu after kiln.dense becomes its activation.
// CHECK-LABEL: func.func @relu_into_dense
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x8xf32>, %[[W:[^:]*]]: tensor<4x8xf32>, %[[B:[^:]*]]: tensor<4xf32>)
// CHECK-NEXT: %[[Y:.*]] = kiln.dense %[[X]], %[[W]], bias %[[B]] {activation = "relu"}
// CHECK-NEXT: return %[[Y]]
func.func @relu_into_dense(%x: tensor<1x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<1x4xf32> {
  %d = kiln.dense %x, %w, bias %b : (tensor<1x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  %y = kiln.relu %d : tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

// clip(-1, 1) after kiln.dense becomes activation "clip" with its bounds.
// CHECK-LABEL: func.func @clip_into_dense
// CHECK-NEXT: %[[Y:.*]] = kiln.dense {{.*}}{activation = "clip", clip_max = 1.000000e+00 : f32, clip_min = -1.000000e+00 : f32}
// CHECK-NEXT: return %[[Y]]
func.func @clip_into_dense(%x: tensor<1x8xf32>, %w: tensor<4x8xf32>) -> tensor<1x4xf32> {
  %d = kiln.dense %x, %w : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  %y = kiln.clip %d {min = -1.0 : f32, max = 1.0 : f32} : tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

// leaky_relu, sigmoid, hard_sigmoid and hard_swish fuse too, their
// parameters in clip_min / clip_max.
// CHECK-LABEL: func.func @parameterized_activations_into_conv_and_dense
// CHECK-NEXT: %[[A:.*]] = kiln.conv2d {{.*}}{activation = "leaky_relu", clip_min = 1.000000e-01 : f32, dilations
// CHECK-NEXT: %[[B:.*]] = kiln.conv2d {{.*}}{activation = "hard_sigmoid", clip_max = 4.000000e-01 : f32, clip_min = 3.000000e-01 : f32, dilations
// CHECK-NEXT: %[[C:.*]] = kiln.conv2d {{.*}}{activation = "hard_swish", dilations
// CHECK-NEXT: %[[D:.*]] = kiln.dense {{.*}}{activation = "sigmoid"}
// CHECK-NEXT: %[[E:.*]] = kiln.dense {{.*}}{activation = "leaky_relu"}
// CHECK-NOT: kiln.leaky_relu
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]], %[[D]], %[[E]]
func.func @parameterized_activations_into_conv_and_dense(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>,
    %m: tensor<1x8xf32>, %v: tensor<4x8xf32>)
    -> (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4xf32>, tensor<1x4xf32>) {
  %c0 = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %a = kiln.leaky_relu %c0 {alpha = 0.1 : f32} : tensor<1x4x6x6xf32>
  %c1 = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %b = kiln.hard_sigmoid %c1 {alpha = 0.3 : f32, beta = 0.4 : f32} : tensor<1x4x6x6xf32>
  %c2 = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %c = kiln.hard_swish %c2 : tensor<1x4x6x6xf32>
  %d0 = kiln.dense %m, %v : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  %d = kiln.sigmoid %d0 : tensor<1x4xf32>
  %e0 = kiln.dense %m, %v : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  %e = kiln.leaky_relu %e0 {alpha = 0.0 : f32} : tensor<1x4xf32>
  return %a, %b, %c, %d, %e : tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// A transposed conv takes the activation too.
// CHECK-LABEL: func.func @leaky_relu_into_conv_transpose
// CHECK-NEXT: %[[Y:.*]] = kiln.conv_transpose2d {{.*}}{activation = "leaky_relu", clip_min = 2.000000e-01 : f32, dilations
// CHECK-NEXT: return %[[Y]]
func.func @leaky_relu_into_conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x2x2xf32>) -> tensor<1x2x6x6xf32> {
  %c = kiln.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, groups = 1 : i64}
       : (tensor<1x4x3x3xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x6x6xf32>
  %y = kiln.leaky_relu %c {alpha = 0.2 : f32} : tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}

// -----

// Not fused: the conv result is also a model output (read by func.return).
// CHECK-LABEL: func.func @no_fuse_conv_also_returned
// CHECK: %[[C:.*]] = kiln.conv2d
// CHECK-NOT: activation
// CHECK: %[[Y:.*]] = kiln.relu %[[C]]
// CHECK: return %[[Y]], %[[C]]
func.func @no_fuse_conv_also_returned(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.relu %c : tensor<1x4x6x6xf32>
  return %y, %c : tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>
}

// -----

// Not fused: the conv result has a second reader (another op).
// CHECK-LABEL: func.func @no_fuse_conv_two_readers
// CHECK: %[[C:.*]] = kiln.conv2d
// CHECK-NOT: activation
// CHECK: kiln.relu %[[C]]
// CHECK: kiln.clip %[[C]]
func.func @no_fuse_conv_two_readers(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.relu %c : tensor<1x4x6x6xf32>
  %z = kiln.clip %c {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x6x6xf32>
  return %y, %z : tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>
}

// -----

// Not fused: the conv already has an activation (relu then clip(0, 6) stays
// two steps).
// CHECK-LABEL: func.func @no_fuse_conv_with_activation
// CHECK: %[[C:.*]] = kiln.conv2d {{.*}}activation = "relu"
// CHECK: kiln.clip %[[C]]
func.func @no_fuse_conv_with_activation(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "relu"}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.clip %c {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Not fused: the dense result is also a model output.
// CHECK-LABEL: func.func @no_fuse_dense_also_returned
// CHECK: %[[D:.*]] = kiln.dense
// CHECK-NOT: activation
// CHECK: %[[Y:.*]] = kiln.relu %[[D]]
// CHECK: return %[[Y]], %[[D]]
func.func @no_fuse_dense_also_returned(%x: tensor<1x8xf32>, %w: tensor<4x8xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %d = kiln.dense %x, %w : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  %y = kiln.relu %d : tensor<1x4xf32>
  return %y, %d : tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// Not fused: the relu reads an op without an epilogue (kiln.add).
// CHECK-LABEL: func.func @no_fuse_after_add
// CHECK: %[[S:.*]] = kiln.add
// CHECK: kiln.relu %[[S]]
func.func @no_fuse_after_add(%a: tensor<1x4x6x6xf32>, %b: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %s = kiln.add %a, %b : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.relu %s : tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// x * sigmoid(x) (SiLU as exporters write it, either operand order) is
// silu, which fuses into the conv; tanh, softplus, mish, elu and selu fuse
// with their parameters.
// CHECK-LABEL: func.func @silu_and_the_rest_into_conv_and_dense
// CHECK-NEXT: %[[A:.*]] = kiln.conv2d {{.*}}{activation = "silu", dilations
// CHECK-NEXT: %[[B:.*]] = kiln.conv2d {{.*}}{activation = "silu", dilations
// CHECK-NEXT: %[[C:.*]] = kiln.conv2d {{.*}}{activation = "mish", dilations
// CHECK-NEXT: %[[D:.*]] = kiln.conv2d {{.*}}{activation = "elu", clip_min = 5.000000e-01 : f32, dilations
// CHECK-NEXT: %[[E:.*]] = kiln.dense {{.*}}{activation = "selu", clip_max = 2.000000e+00 : f32, clip_min = 1.500000e+00 : f32}
// CHECK-NEXT: %[[F:.*]] = kiln.dense {{.*}}{activation = "tanh"}
// CHECK-NEXT: %[[G:.*]] = kiln.dense {{.*}}{activation = "softplus"}
// CHECK-NOT: kiln.sigmoid
// CHECK-NOT: kiln.mul
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]], %[[D]], %[[E]], %[[F]], %[[G]]
func.func @silu_and_the_rest_into_conv_and_dense(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>,
    %m: tensor<1x8xf32>, %v: tensor<4x8xf32>)
    -> (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>,
        tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>) {
  %c0 = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %s0 = kiln.sigmoid %c0 : tensor<1x4x6x6xf32>
  %a = kiln.mul %c0, %s0 : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %c1 = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %s1 = kiln.sigmoid %c1 : tensor<1x4x6x6xf32>
  %b = kiln.mul %s1, %c1 : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %c2 = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %c = kiln.mish %c2 : tensor<1x4x6x6xf32>
  %c3 = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %d = kiln.elu %c3 {alpha = 0.5 : f32} : tensor<1x4x6x6xf32>
  %e0 = kiln.dense %m, %v : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  %e = kiln.selu %e0 {alpha = 1.5 : f32, gamma = 2.0 : f32} : tensor<1x4xf32>
  %f0 = kiln.dense %m, %v : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  %f = kiln.tanh %f0 : tensor<1x4xf32>
  %g0 = kiln.dense %m, %v : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  %g = kiln.softplus %g0 : tensor<1x4xf32>
  return %a, %b, %c, %d, %e, %f, %g : tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>,
      tensor<1x4x6x6xf32>, tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// Not SiLU: a sigmoid of another tensor, and a product that broadcasts
// (x * sigmoid(pooled x), squeeze-excite's gate). The sigmoid that is also
// read elsewhere stays; its x * sigmoid(x) still becomes silu (unfused:
// the conv result has other readers).
// CHECK-LABEL: func.func @not_silu
// CHECK: %[[C:.*]] = kiln.conv2d
// CHECK: %[[S:.*]] = kiln.sigmoid %{{.*}} : tensor<1x4x1x1xf32>
// CHECK: kiln.mul %[[C]], %[[S]]
// CHECK: %[[T:.*]] = kiln.sigmoid %[[C]]
// CHECK: kiln.mul %{{.*}}, %[[T]]
// CHECK: %[[U:.*]] = kiln.sigmoid %[[C]]
// CHECK: kiln.silu %[[C]]
// CHECK: return
func.func @not_silu(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %p: tensor<1x4x1x1xf32>, %q: tensor<1x4x6x6xf32>)
    -> (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %s = kiln.sigmoid %p : tensor<1x4x1x1xf32>
  %a = kiln.mul %c, %s : (tensor<1x4x6x6xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %t = kiln.sigmoid %c : tensor<1x4x6x6xf32>
  %b = kiln.mul %q, %t : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %u = kiln.sigmoid %c : tensor<1x4x6x6xf32>
  %d = kiln.mul %c, %u : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %a, %b, %d, %u : tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>
}
