// kiln-fold-pad: a spatial kiln.pad read only by a conv2d or pool becomes
// part of that op's pads when the result is exactly the same.
// RUN: kiln-opt %s --kiln-fold-pad --split-input-file --verify-diagnostics | FileCheck %s

// Zero pad into a conv that pads too: the pads add up. ONNX order
// [n, c, h, w begins, n, c, h, w ends] = h 1/3, w 2/0 -> [1, 2, 3, 0].
// CHECK-LABEL: func.func @zero_pad_into_conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>)
// CHECK-NOT: kiln.pad
// CHECK: %[[Y:.*]] = kiln.conv2d %[[X]], %[[W]] {dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 2, 3, 4, 1>, strides = array<i64: 1, 1>}
// CHECK-SAME: (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x12x10xf32>
// CHECK: return %[[Y]]
func.func @zero_pad_into_conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x12x10xf32> {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 2, 0, 0, 3, 0>, value = 0.0 : f32}
       : (tensor<1x3x8x8xf32>) -> tensor<1x3x12x10xf32>
  %y = kiln.conv2d %p, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x12x10xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x12x10xf32>
  return %y : tensor<1x4x12x10xf32>
}

// -----

// count_include_pad = true: the pad's cells were counted and still are.
// CHECK-LABEL: func.func @zero_pad_into_avg_pool_counting_pads
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x6x6xf32>)
// CHECK-NOT: kiln.pad
// CHECK: kiln.avg_pool2d %[[X]] {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 2, 1, 2, 1>, strides = array<i64: 1, 1>}
func.func @zero_pad_into_avg_pool_counting_pads(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x8x6xf32> {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 0, 0, 0, 1, 0>}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x8x6xf32>
  %y = kiln.avg_pool2d %p {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, count_include_pad = true}
       : (tensor<1x2x8x6xf32>) -> tensor<1x2x8x6xf32>
  return %y : tensor<1x2x8x6xf32>
}

// -----

// count_include_pad = false without pads of its own: the pool counted the
// pad's cells (they were its input); count_include_pad = true counts
// exactly those.
// CHECK-LABEL: func.func @zero_pad_into_avg_pool_without_own_pads
// CHECK-NOT: kiln.pad
// CHECK: kiln.avg_pool2d %{{.*}} {count_include_pad = true, kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: (tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32>
func.func @zero_pad_into_avg_pool_without_own_pads(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x8x8xf32>
  %y = kiln.avg_pool2d %p {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, count_include_pad = false}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Must not touch: in ceil mode the last window of the padded 7x7 input
// starts on a pad cell (index 6) and is kept; folded, it would start in the
// pool's own end padding, which ONNX drops (4x4 would become 3x3).
// CHECK-LABEL: func.func @ceil_mode_window_on_the_pad
// CHECK: %[[P:.*]] = kiln.pad
// CHECK: kiln.avg_pool2d %[[P]]
func.func @ceil_mode_window_on_the_pad(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x4x4xf32> {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
       : (tensor<1x2x5x5xf32>) -> tensor<1x2x7x7xf32>
  %y = kiln.avg_pool2d %p {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, count_include_pad = true, ceil_mode = true}
       : (tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// -inf is what max pooling pads with.
// CHECK-LABEL: func.func @minus_inf_pad_into_max_pool
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x6x6xf32>)
// CHECK-NOT: kiln.pad
// CHECK: kiln.max_pool2d %[[X]] {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 0, 1, 2>, strides = array<i64: 2, 2>}
func.func @minus_inf_pad_into_max_pool(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 0, 0, 0, 1, 2>, value = 0xFF800000 : f32}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x8x8xf32>
  %y = kiln.max_pool2d %p {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// A zero pad after a relu never wins the max: every window holds a cell >= 0.
// CHECK-LABEL: func.func @zero_pad_after_relu_into_max_pool
// CHECK: %[[R:.*]] = kiln.relu
// CHECK-NOT: kiln.pad
// CHECK: kiln.max_pool2d %[[R]] {{{.*}}pads = array<i64: 1, 1, 1, 1>
func.func @zero_pad_after_relu_into_max_pool(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %r = kiln.relu %x : tensor<1x2x6x6xf32>
  %p = kiln.pad %r {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x8x8xf32>
  %y = kiln.max_pool2d %p {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// The same after a conv whose epilogue clips to [0.5, 6]: a pad of 0.5 (at
// most the lower bound) folds.
// CHECK-LABEL: func.func @pad_at_clip_bound_into_max_pool
// CHECK: %[[C:.*]] = kiln.conv2d
// CHECK-NOT: kiln.pad
// CHECK: kiln.max_pool2d %[[C]] {{{.*}}pads = array<i64: 1, 1, 0, 0>
func.func @pad_at_clip_bound_into_max_pool(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32> {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "clip",
         clip_min = 0.5 : f32, clip_max = 6.0 : f32}
       : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %p = kiln.pad %c {pads = array<i64: 0, 0, 1, 1, 0, 0, 0, 0>, value = 0.5 : f32}
       : (tensor<1x2x4x4xf32>) -> tensor<1x2x5x5xf32>
  %y = kiln.max_pool2d %p {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true}
       : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// Must not touch: a non-zero value into a conv (conv pads with zeros).
// CHECK-LABEL: func.func @nonzero_pad_into_conv
// CHECK: %[[P:.*]] = kiln.pad
// CHECK: kiln.conv2d %[[P]], %{{.*}} {{{.*}}pads = array<i64: 0, 0, 0, 0>
func.func @nonzero_pad_into_conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 1.0 : f32}
       : (tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32>
  %y = kiln.conv2d %p, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

// Must not touch: padding of the channel dimension.
// CHECK-LABEL: func.func @channel_pad_into_conv
// CHECK: %[[P:.*]] = kiln.pad
// CHECK: kiln.conv2d %[[P]]
func.func @channel_pad_into_conv(%x: tensor<1x2x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  %p = kiln.pad %x {pads = array<i64: 0, 1, 1, 1, 0, 0, 1, 1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x3x10x10xf32>
  %y = kiln.conv2d %p, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

// Must not touch: padding of the batch dimension.
// CHECK-LABEL: func.func @batch_pad_into_conv
// CHECK: %[[P:.*]] = kiln.pad
// CHECK: kiln.conv2d %[[P]]
func.func @batch_pad_into_conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x4x6x6xf32> {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 0, 0, 1, 0, 0, 0>}
       : (tensor<1x3x8x8xf32>) -> tensor<2x3x8x8xf32>
  %y = kiln.conv2d %p, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<2x4x6x6xf32>
  return %y : tensor<2x4x6x6xf32>
}

// -----

// Must not touch: a pad read by two convs (folding would need a copy per
// reader), nor one that is also a function result.
// CHECK-LABEL: func.func @pad_with_two_readers
// CHECK: %[[P:.*]] = kiln.pad
// CHECK: kiln.conv2d %[[P]]
// CHECK: kiln.conv2d %[[P]]
// CHECK-LABEL: func.func @pad_that_is_returned
// CHECK: %[[Q:.*]] = kiln.pad
// CHECK: %[[Y:.*]] = kiln.conv2d %[[Q]]
// CHECK: return %[[Q]], %[[Y]]
func.func @pad_with_two_readers(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
       : (tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32>
  %a = kiln.conv2d %p, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  %b = kiln.conv2d %p, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "relu"}
       : (tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %a, %b : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}
func.func @pad_that_is_returned(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> (tensor<1x3x10x10xf32>, tensor<1x4x8x8xf32>) {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
       : (tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32>
  %y = kiln.conv2d %p, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %p, %y : tensor<1x3x10x10xf32>, tensor<1x4x8x8xf32>
}

// -----

// Must not touch: count_include_pad = false with pads of its own. The
// divisor must count the pad's cells but not the pool's padding, which no
// single pads/count_include_pad pair expresses.
// CHECK-LABEL: func.func @zero_pad_into_avg_pool_excluding_own_pads
// CHECK: %[[P:.*]] = kiln.pad
// CHECK: kiln.avg_pool2d %[[P]] {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides
func.func @zero_pad_into_avg_pool_excluding_own_pads(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x8x8xf32> {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x8x8xf32>
  %y = kiln.avg_pool2d %p {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, count_include_pad = false}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %y : tensor<1x2x8x8xf32>
}

// -----

// Must not touch: a zero pad into a max pool of values that may be
// negative (the padding could win).
// CHECK-LABEL: func.func @zero_pad_into_max_pool_of_any_values
// CHECK: %[[P:.*]] = kiln.pad
// CHECK: kiln.max_pool2d %[[P]]
func.func @zero_pad_into_max_pool_of_any_values(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x8x8xf32>
  %y = kiln.max_pool2d %p {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Must not touch: after a relu, but a pad of 1 exceeds the bound 0; and a
// dilated pool, whose window may skip every input cell.
// CHECK-LABEL: func.func @max_pool_pads_that_could_win
// CHECK: %[[P:.*]] = kiln.pad %{{.*}} {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 1.000000e+00 : f32}
// CHECK: kiln.max_pool2d %[[P]]
// CHECK: %[[Q:.*]] = kiln.pad
// CHECK: kiln.max_pool2d %[[Q]]
func.func @max_pool_pads_that_could_win(%x: tensor<1x2x6x6xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>) {
  %r = kiln.relu %x : tensor<1x2x6x6xf32>
  %p = kiln.pad %r {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 1.0 : f32}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x8x8xf32>
  %a = kiln.max_pool2d %p {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  %s = kiln.relu %x : tensor<1x2x6x6xf32>
  %q = kiln.pad %s {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x8x8xf32>
  %b = kiln.max_pool2d %q {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 5, 5>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x3x3xf32>
  return %a, %b : tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>
}

// -----

// Must not touch: pooling pads must stay below the kernel (ONNX), and
// 1 + 1 reaches the kernel size 2.
// CHECK-LABEL: func.func @pool_pads_would_reach_kernel
// CHECK: %[[P:.*]] = kiln.pad
// CHECK: kiln.max_pool2d %[[P]] {{{.*}}pads = array<i64: 1, 1, 1, 1>
func.func @pool_pads_would_reach_kernel(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x5x5xf32> {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 0xFF800000 : f32}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x8x8xf32>
  %y = kiln.max_pool2d %p {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}

// -----

// Must not touch: a pad that is not 4-D, or read by another op.
// CHECK-LABEL: func.func @pad_not_read_by_a_window_op
// CHECK: kiln.pad
// CHECK: kiln.relu
// CHECK: kiln.pad
// CHECK: kiln.dense
func.func @pad_not_read_by_a_window_op(%x: tensor<1x2x4x4xf32>, %m: tensor<2x3xf32>, %w: tensor<4x4xf32>) -> (tensor<1x2x6x6xf32>, tensor<2x4xf32>) {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
       : (tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32>
  %r = kiln.relu %p : tensor<1x2x6x6xf32>
  %q = kiln.pad %m {pads = array<i64: 0, 1, 0, 0>} : (tensor<2x3xf32>) -> tensor<2x4xf32>
  %d = kiln.dense %q, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %r, %d : tensor<1x2x6x6xf32>, tensor<2x4xf32>
}

// -----

// Diagnostics: an infinite pad summed by a conv or averaged by a pool
// makes every output window that covers it infinite or NaN.
// CHECK-LABEL: func.func @infinite_pad_into_conv
// CHECK: kiln.pad
func.func @infinite_pad_into_conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  // expected-warning @+1 {{pads with -inf and is read by 'kiln.conv2d': every output whose window covers the padding is infinite or NaN}}
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 0xFF800000 : f32}
       : (tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32>
  %y = kiln.conv2d %p, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @infinite_pad_into_avg_pool
func.func @infinite_pad_into_avg_pool(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  // expected-warning @+1 {{pads with +inf and is read by 'kiln.avg_pool2d'}}
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 0x7F800000 : f32}
       : (tensor<1x2x6x6xf32>) -> tensor<1x2x8x8xf32>
  %y = kiln.avg_pool2d %p {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, count_include_pad = true}
       : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Edge, reflect and wrap borders copy input cells: no conv pads that way,
// so each stays a kiln.pad in front of its reader.
// CHECK-LABEL: func.func @other_modes_stay
// CHECK: %[[P:.*]] = kiln.pad %{{.*}} {mode = "reflect"
// CHECK: kiln.conv2d %[[P]]
// CHECK: %[[Q:.*]] = kiln.pad %{{.*}} {mode = "edge"
// CHECK: kiln.max_pool2d %[[Q]]
// CHECK: %[[R:.*]] = kiln.pad %{{.*}} {mode = "wrap"
// CHECK: kiln.avg_pool2d %[[R]]
func.func @other_modes_stay(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>)
    -> (tensor<1x4x8x8xf32>, tensor<1x3x9x9xf32>, tensor<1x3x8x8xf32>) {
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "reflect"}
       : (tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32>
  %y = kiln.conv2d %p, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  %q = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "edge"}
       : (tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32>
  %m = kiln.max_pool2d %q {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>,
         pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
       : (tensor<1x3x10x10xf32>) -> tensor<1x3x9x9xf32>
  %r = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "wrap"}
       : (tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32>
  %a = kiln.avg_pool2d %r {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>,
         pads = array<i64: 0, 0, 0, 0>, count_include_pad = false}
       : (tensor<1x3x10x10xf32>) -> tensor<1x3x8x8xf32>
  return %y, %m, %a : tensor<1x4x8x8xf32>, tensor<1x3x9x9xf32>, tensor<1x3x8x8xf32>
}
