// Folds of kiln.reshape under --canonicalize.
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
