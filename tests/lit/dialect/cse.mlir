// kiln ops are Pure: CSE merges identical ops and constants, and keeps ops
// whose attributes differ.
// RUN: kiln-opt %s --cse | FileCheck %s

// CHECK-LABEL: func.func @cse
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>)
// CHECK-NEXT: %[[C:.*]] = kiln.constant dense<1.000000e+00> : tensor<8x8x1x1xf32>
// CHECK-NEXT: %[[Y:.*]] = kiln.conv2d %[[X]], %[[C]]
// CHECK-NEXT: %[[P:.*]] = kiln.max_pool2d %[[Y]] {{.*}}strides = array<i64: 1, 1>
// CHECK-NEXT: %[[Q:.*]] = kiln.max_pool2d %[[Y]] {{.*}}strides = array<i64: 2, 2>
// CHECK-NEXT: %[[S:.*]] = kiln.add %[[Y]], %[[Y]]
// CHECK-NEXT: return %[[S]], %[[P]], %[[Q]]
func.func @cse(%x: tensor<1x8x4x4xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x3x3xf32>, tensor<1x8x2x2xf32>) {
  %c0 = kiln.constant dense<1.0> : tensor<8x8x1x1xf32>
  %c1 = kiln.constant dense<1.0> : tensor<8x8x1x1xf32>
  %y0 = kiln.conv2d %x, %c0 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
          dilations = array<i64: 1, 1>, groups = 1 : i64}
        : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %y1 = kiln.conv2d %x, %c1 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
          dilations = array<i64: 1, 1>, groups = 1 : i64}
        : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %p = kiln.max_pool2d %y0 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x8x4x4xf32>) -> tensor<1x8x3x3xf32>
  %q = kiln.max_pool2d %y1 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x8x4x4xf32>) -> tensor<1x8x2x2xf32>
  %s = kiln.add %y0, %y1 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %s, %p, %q : tensor<1x8x4x4xf32>, tensor<1x8x3x3xf32>, tensor<1x8x2x2xf32>
}
