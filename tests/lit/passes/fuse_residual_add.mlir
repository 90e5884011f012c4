// kiln-fuse-residual-add: kiln.add(conv, shortcut) becomes the conv's
// residual operand.
// RUN: kiln-opt %s --kiln-fuse-residual-add --split-input-file --verify-diagnostics | FileCheck %s

// add(conv(x), shortcut): the shortcut becomes the conv's residual.
// CHECK-LABEL: func.func @conv_then_shortcut
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x6x6xf32>, %[[W:[^:]*]]: tensor<4x4x3x3xf32>, %[[B:[^:]*]]: tensor<4xf32>, %[[S:[^:]*]]: tensor<1x4x6x6xf32>)
// CHECK-NEXT: %[[Y:.*]] = kiln.conv2d %[[X]], %[[W]], bias %[[B]], residual %[[S]] {dilations
// CHECK-NOT: kiln.add
// CHECK-NEXT: return %[[Y]]
func.func @conv_then_shortcut(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>, %b: tensor<4xf32>, %s: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w, bias %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.add %c, %s : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// add(shortcut, conv(x)): the other operand order fuses the same way
// (here the identity shortcut of a ResNet block: the block input itself).
// CHECK-LABEL: func.func @shortcut_then_conv
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x6x6xf32>, %[[W:[^:]*]]: tensor<4x4x3x3xf32>)
// CHECK-NEXT: %[[Y:.*]] = kiln.conv2d %[[X]], %[[W]], residual %[[X]] {dilations
// CHECK-NEXT: return %[[Y]]
func.func @shortcut_then_conv(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.add %x, %c : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Projection block: both operands are convs. The later one (the projection)
// takes the main branch as its residual; the main-branch conv stays.
// CHECK-LABEL: func.func @projection_block
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x6x6xf32>, %[[W1:[^:]*]]: tensor<8x4x3x3xf32>, %[[WP:[^:]*]]: tensor<8x4x1x1xf32>)
// CHECK-NEXT: %[[MAIN:.*]] = kiln.conv2d %[[X]], %[[W1]] {dilations
// CHECK-NEXT: %[[Y:.*]] = kiln.conv2d %[[X]], %[[WP]], residual %[[MAIN]] {dilations
// CHECK-NEXT: return %[[Y]]
func.func @projection_block(%x: tensor<1x4x6x6xf32>, %w1: tensor<8x4x3x3xf32>, %wp: tensor<8x4x1x1xf32>) -> tensor<1x8x3x3xf32> {
  %main = kiln.conv2d %x, %w1 {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>,
            dilations = array<i64: 1, 1>, groups = 1 : i64}
          : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x3x3xf32>
  %proj = kiln.conv2d %x, %wp {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
            dilations = array<i64: 1, 1>, groups = 1 : i64}
          : (tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x3x3xf32>
  %y = kiln.add %main, %proj : (tensor<1x8x3x3xf32>, tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %y : tensor<1x8x3x3xf32>
}

// -----

// Projection block, operands swapped: still the later conv takes the residual.
// CHECK-LABEL: func.func @projection_block_swapped
// CHECK-NEXT: %[[MAIN:.*]] = kiln.conv2d %{{[^,]*}}, %{{[^,]*}} {dilations
// CHECK-NEXT: %[[Y:.*]] = kiln.conv2d %{{[^,]*}}, %{{[^,]*}}, residual %[[MAIN]] {dilations
// CHECK-NEXT: return %[[Y]]
func.func @projection_block_swapped(%x: tensor<1x4x6x6xf32>, %w1: tensor<8x4x3x3xf32>, %wp: tensor<8x4x1x1xf32>) -> tensor<1x8x3x3xf32> {
  %main = kiln.conv2d %x, %w1 {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>,
            dilations = array<i64: 1, 1>, groups = 1 : i64}
          : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x3x3xf32>
  %proj = kiln.conv2d %x, %wp {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
            dilations = array<i64: 1, 1>, groups = 1 : i64}
          : (tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x3x3xf32>
  %y = kiln.add %proj, %main : (tensor<1x8x3x3xf32>, tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %y : tensor<1x8x3x3xf32>
}

// -----

// The shortcut is defined after the conv: the conv moves down to the add so
// that its residual operand is defined before it.
// CHECK-LABEL: func.func @shortcut_defined_after_conv
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x6x6xf32>, %[[W:[^:]*]]: tensor<4x4x3x3xf32>, %[[T:[^:]*]]: tensor<1x4x6x6xf32>)
// CHECK-NEXT: %[[S:.*]] = kiln.relu %[[T]]
// CHECK-NEXT: %[[Y:.*]] = kiln.conv2d %[[X]], %[[W]], residual %[[S]]
// CHECK-NEXT: return %[[Y]]
func.func @shortcut_defined_after_conv(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>, %t: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %s = kiln.relu %t : tensor<1x4x6x6xf32>
  %y = kiln.add %c, %s : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Both operands are convs but the later one already has an activation: the
// earlier conv takes the residual and moves after the later one.
// CHECK-LABEL: func.func @later_conv_not_fusable
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x6x6xf32>, %[[WA:[^:]*]]: tensor<4x4x3x3xf32>, %[[WB:[^:]*]]: tensor<4x4x1x1xf32>)
// CHECK-NEXT: %[[B:.*]] = kiln.conv2d %[[X]], %[[WB]] {activation = "relu"
// CHECK-NEXT: %[[Y:.*]] = kiln.conv2d %[[X]], %[[WA]], residual %[[B]]
// CHECK-NEXT: return %[[Y]]
func.func @later_conv_not_fusable(%x: tensor<1x4x6x6xf32>, %wa: tensor<4x4x3x3xf32>, %wb: tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  %a = kiln.conv2d %x, %wa {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %b = kiln.conv2d %x, %wb {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "relu"}
       : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.add %a, %b : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Not fused: the conv result is also a model output (read by func.return).
// CHECK-LABEL: func.func @no_fuse_conv_also_returned
// CHECK: %[[C:.*]] = kiln.conv2d
// CHECK-NOT: residual
// CHECK: %[[Y:.*]] = kiln.add %[[C]]
// CHECK: return %[[Y]], %[[C]]
func.func @no_fuse_conv_also_returned(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>, %s: tensor<1x4x6x6xf32>) -> (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.add %c, %s : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y, %c : tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>
}

// -----

// Not fused: the conv result has a second reader (another op).
// CHECK-LABEL: func.func @no_fuse_conv_two_readers
// CHECK: %[[C:.*]] = kiln.conv2d
// CHECK-NOT: residual
// CHECK: kiln.add %[[C]]
// CHECK: kiln.relu %[[C]]
func.func @no_fuse_conv_two_readers(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>, %s: tensor<1x4x6x6xf32>) -> (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.add %c, %s : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %r = kiln.relu %c : tensor<1x4x6x6xf32>
  return %y, %r : tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>
}

// -----

// Not fused: the add broadcasts (a per-channel 1x4x1x1 operand), so it is
// not a residual of the conv's shape.
// CHECK-LABEL: func.func @no_fuse_broadcast_add
// CHECK: %[[C:.*]] = kiln.conv2d
// CHECK-NOT: residual
// CHECK: kiln.add %[[C]]
func.func @no_fuse_broadcast_add(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>, %s: tensor<1x4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.add %c, %s : (tensor<1x4x6x6xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Not fused: the conv already has an activation (relu(conv) + s is not
// relu(conv + s), which is what the epilogue would compute).
// CHECK-LABEL: func.func @no_fuse_conv_with_activation
// CHECK: %[[C:.*]] = kiln.conv2d {{.*}}activation = "relu"
// CHECK: kiln.add %[[C]]
func.func @no_fuse_conv_with_activation(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>, %s: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64, activation = "relu"}
       : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.add %c, %s : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Not fused: the conv already has a residual.
// CHECK-LABEL: func.func @no_fuse_conv_with_residual
// CHECK-SAME: %[[R:[^:]*]]: tensor<1x4x6x6xf32>, %[[S:[^:]*]]: tensor<1x4x6x6xf32>)
// CHECK: %[[C:.*]] = kiln.conv2d %{{.*}}, %{{.*}}, residual %[[R]]
// CHECK: kiln.add %[[C]], %[[S]]
func.func @no_fuse_conv_with_residual(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>, %r: tensor<1x4x6x6xf32>, %s: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w, residual %r {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.add %c, %s : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Not fused: add(c, c) reads the conv twice, so the conv has two uses.
// CHECK-LABEL: func.func @no_fuse_conv_added_to_itself
// CHECK: %[[C:.*]] = kiln.conv2d
// CHECK-NOT: residual
// CHECK: kiln.add %[[C]], %[[C]]
func.func @no_fuse_conv_added_to_itself(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = kiln.add %c, %c : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}
