// kiln-fuse-inverted-residual: the 1x1 expand conv2d read only by a
// kiln.separable_conv2d becomes one kiln.inverted_residual (MobileNetV2's
// expand, depthwise, project block).
// The test tensors are tiny, so the size thresholds are off (0) except in
// the DEFAULT and SMALL runs: with the defaults (256 KiB expanded, an image
// larger than 14x14) only @large_image is fused.
// RUN: kiln-opt %s --kiln-fuse-inverted-residual="min-expanded-bytes=0 min-image-pixels=0" --split-input-file | FileCheck %s
// RUN: kiln-opt %s --kiln-fuse-inverted-residual="min-expanded-bytes=0 min-image-pixels=0 report-missed=true" --split-input-file --verify-diagnostics
// RUN: kiln-opt %s --kiln-fuse-inverted-residual --split-input-file | FileCheck %s --check-prefix=DEFAULT
// RUN: kiln-opt %s --kiln-fuse-inverted-residual="report-missed=true" --split-input-file 2>&1 | FileCheck %s --check-prefix=SMALL

// MobileNetV2 block with residual: expand + ReLU6, depthwise + ReLU6, linear
// projection; every operand and epilogue moves over.
// CHECK-LABEL: func.func @block
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x6x6xf32>, %[[EW:[^:]*]]: tensor<12x4x1x1xf32>, %[[EB:[^:]*]]: tensor<12xf32>, %[[DW:[^:]*]]: tensor<12x1x3x3xf32>, %[[DB:[^:]*]]: tensor<12xf32>, %[[PW:[^:]*]]: tensor<4x12x1x1xf32>, %[[PB:[^:]*]]: tensor<4xf32>)
// CHECK-NEXT: %[[Y:.*]] = kiln.inverted_residual %[[X]], %[[EW]], %[[EB]], %[[DW]], %[[DB]], %[[PW]], %[[PB]], residual %[[X]]
// CHECK-SAME: dw_activation = "clip", dw_clip_max = 6.000000e+00 : f32
// CHECK-SAME: expand_activation = "clip", expand_clip_max = 6.000000e+00 : f32
// CHECK-SAME: pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>
// CHECK-NOT: kiln.conv2d
// CHECK-NOT: kiln.separable_conv2d
// CHECK: return %[[Y]]
// DEFAULT-LABEL: func.func @block
// DEFAULT-NOT: kiln.inverted_residual
// DEFAULT: kiln.separable_conv2d
// SMALL: remark: conv2d input not fused into an inverted residual: its result (1728 bytes) is below min-expanded-bytes=262144
func.func @block(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %e = kiln.conv2d %x, %ew, bias %eb {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "clip",
         clip_min = 0.0 : f32, clip_max = 6.0 : f32}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>) -> tensor<1x12x6x6xf32>
  %y = kiln.separable_conv2d %e, %dw, %db, %pw, %pb, residual %x {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x12x6x6xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// No expand bias: a zero bias is made; the expand activation (none here)
// is kept as is.
// CHECK-LABEL: func.func @no_bias
// CHECK: %[[Z:.*]] = kiln.constant dense<0.000000e+00> : tensor<12xf32>
// CHECK: kiln.inverted_residual %{{[^,]*}}, %{{[^,]*}}, %[[Z]],
// CHECK-NOT: expand_activation
// CHECK-NOT: kiln.conv2d
func.func @no_bias(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %e = kiln.conv2d %x, %ew {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>) -> tensor<1x12x6x6xf32>
  %y = kiln.separable_conv2d %e, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x12x6x6xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Must not touch: the expanded tensor has a second reader.
// CHECK-LABEL: func.func @two_readers
// CHECK-NOT: kiln.inverted_residual
// CHECK: kiln.conv2d
// CHECK: kiln.separable_conv2d
func.func @two_readers(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> (tensor<1x4x6x6xf32>, tensor<1x12x6x6xf32>) {
  %e = kiln.conv2d %x, %ew, bias %eb {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "clip",
         clip_min = 0.0 : f32, clip_max = 6.0 : f32}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>) -> tensor<1x12x6x6xf32>
  %r = kiln.relu %e : tensor<1x12x6x6xf32>
  // expected-remark @+1 {{conv2d input not fused into an inverted residual: its result has other readers}}
  %y = kiln.separable_conv2d %e, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x12x6x6xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y, %r : tensor<1x4x6x6xf32>, tensor<1x12x6x6xf32>
}

// -----

// Must not touch: the expanded tensor is also a function result.
// CHECK-LABEL: func.func @expand_is_output
// CHECK-NOT: kiln.inverted_residual
func.func @expand_is_output(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> (tensor<1x4x6x6xf32>, tensor<1x12x6x6xf32>) {
  %e = kiln.conv2d %x, %ew, bias %eb {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "clip",
         clip_min = 0.0 : f32, clip_max = 6.0 : f32}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>) -> tensor<1x12x6x6xf32>
  // expected-remark @+1 {{conv2d input not fused into an inverted residual: its result has other readers}}
  %y = kiln.separable_conv2d %e, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x12x6x6xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y, %e : tensor<1x4x6x6xf32>, tensor<1x12x6x6xf32>
}

// -----

// Must not touch: a 3x3 conv is not an expand conv.
// CHECK-LABEL: func.func @not_1x1
// CHECK-NOT: kiln.inverted_residual
func.func @not_1x1(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x3x3xf32>, %eb: tensor<12xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %e = kiln.conv2d %x, %ew, bias %eb {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "clip",
         clip_min = 0.0 : f32, clip_max = 6.0 : f32}
       : (tensor<1x4x6x6xf32>, tensor<12x4x3x3xf32>, tensor<12xf32>) -> tensor<1x12x6x6xf32>
  // expected-remark @+1 {{conv2d input not fused into an inverted residual: it is not a 1x1 conv}}
  %y = kiln.separable_conv2d %e, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x12x6x6xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Must not touch: a strided 1x1 conv.
// CHECK-LABEL: func.func @strided
// CHECK-NOT: kiln.inverted_residual
func.func @strided(%x: tensor<1x4x12x12xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %e = kiln.conv2d %x, %ew, bias %eb {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "clip",
         clip_min = 0.0 : f32, clip_max = 6.0 : f32}
       : (tensor<1x4x12x12xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>) -> tensor<1x12x6x6xf32>
  // expected-remark @+1 {{conv2d input not fused into an inverted residual: it is strided}}
  %y = kiln.separable_conv2d %e, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x12x6x6xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Must not touch: a grouped 1x1 conv.
// CHECK-LABEL: func.func @grouped
// CHECK-NOT: kiln.inverted_residual
func.func @grouped(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x2x1x1xf32>, %eb: tensor<12xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %e = kiln.conv2d %x, %ew, bias %eb {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 2 : i64, activation = "clip",
         clip_min = 0.0 : f32, clip_max = 6.0 : f32}
       : (tensor<1x4x6x6xf32>, tensor<12x2x1x1xf32>, tensor<12xf32>) -> tensor<1x12x6x6xf32>
  // expected-remark @+1 {{conv2d input not fused into an inverted residual: it is grouped}}
  %y = kiln.separable_conv2d %e, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x12x6x6xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Must not touch: an expand conv with a residual of its own.
// CHECK-LABEL: func.func @expand_residual
// CHECK-NOT: kiln.inverted_residual
func.func @expand_residual(%x: tensor<1x4x6x6xf32>, %ew: tensor<12x4x1x1xf32>, %eb: tensor<12xf32>, %s: tensor<1x12x6x6xf32>, %dw: tensor<12x1x3x3xf32>, %db: tensor<12xf32>, %pw: tensor<4x12x1x1xf32>, %pb: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %e = kiln.conv2d %x, %ew, bias %eb, residual %s {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "clip",
         clip_min = 0.0 : f32, clip_max = 6.0 : f32}
       : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>, tensor<1x12x6x6xf32>) -> tensor<1x12x6x6xf32>
  // expected-remark @+1 {{conv2d input not fused into an inverted residual: it has a residual operand}}
  %y = kiln.separable_conv2d %e, %dw, %db, %pw, %pb {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x12x6x6xf32>, tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// A MobileNetV2 14x14 block: its expanded tensor is large (441 KiB), but
// its image is small enough for channel-vector kernels, which beat the
// fused kernel there; with min-image-pixels=0 it fuses.
// CHECK-LABEL: func.func @small_image
// CHECK: kiln.inverted_residual
// DEFAULT-LABEL: func.func @small_image
// DEFAULT-NOT: kiln.inverted_residual
// DEFAULT: kiln.separable_conv2d
// SMALL: remark: conv2d input not fused into an inverted residual: its image (14x14) is below min-image-pixels=197
func.func @small_image(%x: tensor<1x96x14x14xf32>, %ew: tensor<576x96x1x1xf32>, %eb: tensor<576xf32>, %dw: tensor<576x1x3x3xf32>, %db: tensor<576xf32>, %pw: tensor<96x576x1x1xf32>, %pb: tensor<96xf32>) -> tensor<1x96x14x14xf32> {
  %e = kiln.conv2d %x, %ew, bias %eb {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "clip",
         clip_min = 0.0 : f32, clip_max = 6.0 : f32}
       : (tensor<1x96x14x14xf32>, tensor<576x96x1x1xf32>, tensor<576xf32>) -> tensor<1x576x14x14xf32>
  %y = kiln.separable_conv2d %e, %dw, %db, %pw, %pb, residual %x {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x576x14x14xf32>, tensor<576x1x3x3xf32>, tensor<576xf32>, tensor<96x576x1x1xf32>, tensor<96xf32>, tensor<1x96x14x14xf32>) -> tensor<1x96x14x14xf32>
  return %y : tensor<1x96x14x14xf32>
}

// -----

// One pixel row and column more (15x15, 507 KiB expanded): fused by default.
// CHECK-LABEL: func.func @large_image
// CHECK: kiln.inverted_residual
// DEFAULT-LABEL: func.func @large_image
// DEFAULT: kiln.inverted_residual
// DEFAULT-NOT: kiln.separable_conv2d
func.func @large_image(%x: tensor<1x96x15x15xf32>, %ew: tensor<576x96x1x1xf32>, %eb: tensor<576xf32>, %dw: tensor<576x1x3x3xf32>, %db: tensor<576xf32>, %pw: tensor<96x576x1x1xf32>, %pb: tensor<96xf32>) -> tensor<1x96x15x15xf32> {
  %e = kiln.conv2d %x, %ew, bias %eb {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "clip",
         clip_min = 0.0 : f32, clip_max = 6.0 : f32}
       : (tensor<1x96x15x15xf32>, tensor<576x96x1x1xf32>, tensor<576xf32>) -> tensor<1x576x15x15xf32>
  %y = kiln.separable_conv2d %e, %dw, %db, %pw, %pb, residual %x {strides = array<i64: 1, 1>,
         pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
         dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
       : (tensor<1x576x15x15xf32>, tensor<576x1x3x3xf32>, tensor<576xf32>, tensor<96x576x1x1xf32>, tensor<96xf32>, tensor<1x96x15x15xf32>) -> tensor<1x96x15x15xf32>
  return %y : tensor<1x96x15x15xf32>
}
