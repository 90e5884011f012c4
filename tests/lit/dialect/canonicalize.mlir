// Folds of the kiln ops under --canonicalize, and dead-code elimination
// (every kiln op is Pure).
// RUN: kiln-opt %s --canonicalize --split-input-file | FileCheck %s

// A reshape to the input's own type is the input.
// CHECK-LABEL: func.func @reshape_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<1x512xf32>)
// CHECK-NOT: kiln.reshape
// CHECK: return %[[X]] : tensor<1x512xf32>
func.func @reshape_same_type(%x: tensor<1x512xf32>) -> tensor<1x512xf32> {
  %y = kiln.reshape %x : (tensor<1x512xf32>) -> tensor<1x512xf32>
  return %y : tensor<1x512xf32>
}

// -----

// A chain of reshapes becomes one reshape of the chain's input.
// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<1x512x1x1xf32>)
// CHECK-NEXT: %[[Y:.*]] = kiln.reshape %[[X]] : (tensor<1x512x1x1xf32>) -> tensor<512xf32>
// CHECK-NEXT: return %[[Y]] : tensor<512xf32>
func.func @reshape_chain(%x: tensor<1x512x1x1xf32>) -> tensor<512xf32> {
  %a = kiln.reshape %x : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
  %b = kiln.reshape %a : (tensor<1x512xf32>) -> tensor<2x256xf32>
  %c = kiln.reshape %b : (tensor<2x256xf32>) -> tensor<512xf32>
  return %c : tensor<512xf32>
}

// -----

// A chain that comes back to the input's type disappears.
// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME: (%[[X:.*]]: tensor<1x512x1x1xf32>)
// CHECK-NOT: kiln.reshape
// CHECK: return %[[X]] : tensor<1x512x1x1xf32>
func.func @reshape_round_trip(%x: tensor<1x512x1x1xf32>) -> tensor<1x512x1x1xf32> {
  %a = kiln.reshape %x : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
  %b = kiln.reshape %a : (tensor<1x512xf32>) -> tensor<1x512x1x1xf32>
  return %b : tensor<1x512x1x1xf32>
}

// -----

// The first reshape stays while something else uses it; the second one
// reads the original input.
// CHECK-LABEL: func.func @reshape_chain_shared
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x2x2xf32>)
// CHECK-DAG: %[[A:.*]] = kiln.reshape %[[X]] : (tensor<1x8x2x2xf32>) -> tensor<1x32xf32>
// CHECK-DAG: %[[B:.*]] = kiln.reshape %[[X]] : (tensor<1x8x2x2xf32>) -> tensor<32xf32>
// CHECK: return %[[A]], %[[B]]
func.func @reshape_chain_shared(%x: tensor<1x8x2x2xf32>) -> (tensor<1x32xf32>, tensor<32xf32>) {
  %a = kiln.reshape %x : (tensor<1x8x2x2xf32>) -> tensor<1x32xf32>
  %b = kiln.reshape %a : (tensor<1x32xf32>) -> tensor<32xf32>
  return %a, %b : tensor<1x32xf32>, tensor<32xf32>
}

// -----

// A reshape of a dense constant is a constant of the new shape, same data
// in the same (row-major) order.
// CHECK-LABEL: func.func @reshape_dense_constant
// CHECK-NEXT: %[[C:.*]] = kiln.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]] : tensor<2x3xf32>
func.func @reshape_dense_constant() -> tensor<2x3xf32> {
  %c = kiln.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]> : tensor<6xf32>
  %y = kiln.reshape %c : (tensor<6xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_splat_constant
// CHECK-NEXT: %[[C:.*]] = kiln.constant dense<5.000000e-01> : tensor<1x512xf32>
// CHECK-NEXT: return %[[C]] : tensor<1x512xf32>
func.func @reshape_splat_constant() -> tensor<1x512xf32> {
  %c = kiln.constant dense<0.5> : tensor<1x512x1x1xf32>
  %y = kiln.reshape %c : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
  return %y : tensor<1x512xf32>
}

// -----

// dense_resource weights are not copied into a new constant.
// CHECK-LABEL: func.func @reshape_resource_constant
// CHECK-NEXT: %[[C:.*]] = kiln.constant dense_resource<kiln_blob> : tensor<4xf32>
// CHECK-NEXT: %[[Y:.*]] = kiln.reshape %[[C]] : (tensor<4xf32>) -> tensor<2x2xf32>
// CHECK-NEXT: return %[[Y]] : tensor<2x2xf32>
func.func @reshape_resource_constant() -> tensor<2x2xf32> {
  %c = kiln.constant dense_resource<kiln_blob> : tensor<4xf32>
  %y = kiln.reshape %c : (tensor<4xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      kiln_blob: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}

// -----

// Reshapes that do not chain are left alone.
// CHECK-LABEL: func.func @reshape_kept
// CHECK: kiln.reshape %{{.*}} : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
// CHECK: kiln.relu
// CHECK: kiln.reshape %{{.*}} : (tensor<1x512xf32>) -> tensor<512xf32>
func.func @reshape_kept(%x: tensor<1x512x1x1xf32>) -> tensor<512xf32> {
  %a = kiln.reshape %x : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
  %r = kiln.relu %a : tensor<1x512xf32>
  %b = kiln.reshape %r : (tensor<1x512xf32>) -> tensor<512xf32>
  return %b : tensor<512xf32>
}

// -----

// A slice that reads the whole input in order is its input.
// CHECK-LABEL: func.func @slice_whole
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: kiln.slice
// CHECK: return %[[X]]
func.func @slice_whole(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = kiln.slice %x {starts = array<i64: 0, 0>, sizes = array<i64: 2, 3>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Two slices compose. Dim 1: the producer reads x at 9 - j, the consumer
// the producer at 2 + 3i, so x at 7 - 3i (start 7, step -3). Dim 0: x row
// 1 + 2 * 1 = 3, one element, so step 1.
// CHECK-LABEL: func.func @slice_of_slice
// CHECK-SAME: (%[[X:.*]]: tensor<4x10xf32>)
// CHECK-NEXT: %[[Y:.*]] = kiln.slice %[[X]] {sizes = array<i64: 1, 3>, starts = array<i64: 3, 7>, steps = array<i64: 1, -3>} : (tensor<4x10xf32>) -> tensor<1x3xf32>
// CHECK-NEXT: return %[[Y]]
func.func @slice_of_slice(%x: tensor<4x10xf32>) -> tensor<1x3xf32> {
  %a = kiln.slice %x {starts = array<i64: 1, 9>, sizes = array<i64: 2, 10>, steps = array<i64: 2, -1>} : (tensor<4x10xf32>) -> tensor<2x10xf32>
  %b = kiln.slice %a {starts = array<i64: 1, 2>, sizes = array<i64: 1, 3>, steps = array<i64: 5, 3>} : (tensor<2x10xf32>) -> tensor<1x3xf32>
  return %b : tensor<1x3xf32>
}

// -----

// Slices that together read the whole input in order cancel.
// CHECK-LABEL: func.func @slice_of_slice_whole
// CHECK-SAME: (%[[X:.*]]: tensor<4x6xf32>)
// CHECK-NOT: kiln.slice
// CHECK: return %[[X]]
func.func @slice_of_slice_whole(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %a = kiln.slice %x {starts = array<i64: 3, 0>, sizes = array<i64: 4, 6>, steps = array<i64: -1, 1>} : (tensor<4x6xf32>) -> tensor<4x6xf32>
  %b = kiln.slice %a {starts = array<i64: 3, 0>, sizes = array<i64: 4, 6>, steps = array<i64: -1, 1>} : (tensor<4x6xf32>) -> tensor<4x6xf32>
  return %b : tensor<4x6xf32>
}

// -----

// The identity transpose is its input.
// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: kiln.transpose
// CHECK: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = kiln.transpose %x {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Two transposes compose: result dim i is x dim p1[p2[i]] = [1, 2, 0].
// CHECK-LABEL: func.func @transpose_of_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[Y:.*]] = kiln.transpose %[[X]] {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
// CHECK-NEXT: return %[[Y]]
func.func @transpose_of_transpose(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> {
  %a = kiln.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %b = kiln.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<3x2x4xf32>) -> tensor<3x4x2xf32>
  return %b : tensor<3x4x2xf32>
}

// -----

// A transpose and its inverse cancel.
// CHECK-LABEL: func.func @transpose_inverse_pair
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: kiln.transpose
// CHECK: return %[[X]]
func.func @transpose_inverse_pair(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %a = kiln.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %b = kiln.transpose %a {perm = array<i64: 2, 0, 1>} : (tensor<3x4x2xf32>) -> tensor<2x3x4xf32>
  return %b : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_dense_constant
// CHECK-NEXT: %[[C:.*]] = kiln.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @transpose_dense_constant() -> tensor<3x2xf32> {
  %c = kiln.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %y = kiln.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_splat_constant
// CHECK-NEXT: %[[C:.*]] = kiln.constant dense<2.500000e+00> : tensor<4x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @transpose_splat_constant() -> tensor<4x2xf32> {
  %c = kiln.constant dense<2.5> : tensor<2x4xf32>
  %y = kiln.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x4xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// Must not touch: a real transpose of a computed value, and of a
// dense_resource weight (not copied).
// CHECK-LABEL: func.func @transpose_kept
// CHECK: kiln.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
// CHECK: kiln.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
func.func @transpose_kept(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<2x2xf32>) {
  %y = kiln.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %c = kiln.constant dense_resource<kiln_blob> : tensor<2x2xf32>
  %z = kiln.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y, %z : tensor<3x2xf32>, tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      kiln_blob: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @concat_one_input
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>)
// CHECK-NOT: kiln.concat
// CHECK: return %[[X]]
func.func @concat_one_input(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %y = kiln.concat %x {axis = 1 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @concat_two_inputs_kept
// CHECK: kiln.concat %{{.*}}, %{{.*}} {axis = 1 : i64}
func.func @concat_two_inputs_kept(%x: tensor<1x8x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %y = kiln.concat %x, %x {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

// Broadcasting: [2, 3] + [3] adds the vector to each row.
// CHECK-LABEL: func.func @add_constants_broadcast
// CHECK-NEXT: %[[C:.*]] = kiln.constant dense<{{\[}}[1.100000e+01, 2.200000e+01, 3.300000e+01], [1.400000e+01, 2.500000e+01, 3.600000e+01]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]]
func.func @add_constants_broadcast() -> tensor<2x3xf32> {
  %a = kiln.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = kiln.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %y = kiln.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Both sides broadcast: [2, 1] * [3] is the [2, 3] outer product.
// CHECK-LABEL: func.func @mul_constants_outer
// CHECK-NEXT: %[[C:.*]] = kiln.constant dense<{{\[}}[2.000000e+00, 4.000000e+00, 6.000000e+00], [3.000000e+00, 6.000000e+00, 9.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]]
func.func @mul_constants_outer() -> tensor<2x3xf32> {
  %a = kiln.constant dense<[[2.0], [3.0]]> : tensor<2x1xf32>
  %b = kiln.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %y = kiln.mul %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @add_splats
// CHECK-NEXT: %[[C:.*]] = kiln.constant dense<3.000000e+00> : tensor<1x4x2x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @add_splats() -> tensor<1x4x2x2xf32> {
  %a = kiln.constant dense<1.0> : tensor<1x4x2x2xf32>
  %b = kiln.constant dense<2.0> : tensor<1x4x1x1xf32>
  %y = kiln.add %a, %b : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
  return %y : tensor<1x4x2x2xf32>
}

// -----

// Must not touch: one computed operand; a dense_resource weight.
// CHECK-LABEL: func.func @add_mul_kept
// CHECK: kiln.add
// CHECK: kiln.mul
func.func @add_mul_kept(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %c = kiln.constant dense<1.0> : tensor<4xf32>
  %r = kiln.constant dense_resource<kiln_blob> : tensor<4xf32>
  %y = kiln.add %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %z = kiln.mul %r, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y, %z : tensor<4xf32>, tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      kiln_blob: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @relu_clip_constants
// CHECK-DAG: %[[R:.*]] = kiln.constant dense<[0.000000e+00, 0.000000e+00, 2.000000e+00, 7.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[C:.*]] = kiln.constant dense<[-1.000000e+00, 0.000000e+00, 2.000000e+00, 6.000000e+00]> : tensor<4xf32>
// CHECK: return %[[R]], %[[C]]
func.func @relu_clip_constants() -> (tensor<4xf32>, tensor<4xf32>) {
  %c = kiln.constant dense<[-3.0, 0.0, 2.0, 7.0]> : tensor<4xf32>
  %r = kiln.relu %c : tensor<4xf32>
  %k = kiln.clip %c {min = -1.0 : f32, max = 6.0 : f32} : tensor<4xf32>
  return %r, %k : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @relu_clip_kept
// CHECK: kiln.relu
// CHECK: kiln.clip
func.func @relu_clip_kept(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = kiln.relu %x : tensor<4xf32>
  %k = kiln.clip %r {min = 0.0 : f32, max = 6.0 : f32} : tensor<4xf32>
  return %k : tensor<4xf32>
}

// -----

// A pad by nothing is its input; a real pad stays.
// CHECK-LABEL: func.func @pad_zero_pads
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x3xf32>)
// CHECK-NEXT: %[[P:.*]] = kiln.pad %[[X]] {pads = array<i64: 0, 0, 1, 0, 0, 0, 0, 0>}
// CHECK-NEXT: return %[[X]], %[[P]]
func.func @pad_zero_pads(%x: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x4x3xf32>) {
  %y = kiln.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 0>, value = 1.0 : f32}
       : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %z = kiln.pad %x {pads = array<i64: 0, 0, 1, 0, 0, 0, 0, 0>}
       : (tensor<1x2x3x3xf32>) -> tensor<1x2x4x3xf32>
  return %y, %z : tensor<1x2x3x3xf32>, tensor<1x2x4x3xf32>
}

// -----

// Dead code: every kiln op is Pure, so a chain nobody reads goes away
// (constants included).
// CHECK-LABEL: func.func @dead_chain
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @dead_chain(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = kiln.constant dense<1.0> : tensor<2x2x1x1xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %r = kiln.relu %c : tensor<1x2x4x4xf32>
  %p = kiln.pad %r {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32>
  %m = kiln.max_pool2d %p {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  %f = kiln.reshape %m : (tensor<1x2x3x3xf32>) -> tensor<1x18xf32>
  %s = kiln.softmax %f {axis = 1 : i64} : tensor<1x18xf32>
  return %x : tensor<1x2x4x4xf32>
}
