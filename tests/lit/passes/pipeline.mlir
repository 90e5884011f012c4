// The optimize phase's pipeline (buildKilnOptimizationPipeline, registered
// as kiln-opt --kiln-optimize) and its switches.
// RUN: kiln-opt %s --kiln-optimize --split-input-file --verify-diagnostics | FileCheck %s
// RUN: kiln-opt %s --kiln-optimize="fuse=false" --split-input-file | FileCheck %s --check-prefix=NOFUSE
// RUN: kiln-opt %s --kiln-optimize="fuse-activation=false" --split-input-file | FileCheck %s --check-prefix=NOACT
// RUN: kiln-opt %s --kiln-optimize="fold-batch-norm=false" --split-input-file | FileCheck %s --check-prefix=NOBN
// RUN: kiln-opt %s --kiln-optimize="fuse-residual-add=false" --split-input-file | FileCheck %s --check-prefix=NORES
// RUN: kiln-opt %s --kiln-optimize="fold-pad=false" --split-input-file | FileCheck %s --check-prefix=NOPAD

// Every kiln pass and the pipeline are registered with kiln-opt.
// RUN: kiln-opt --help | FileCheck %s --check-prefix=HELP
// HELP-DAG: --kiln-fold-batch-norm
// HELP-DAG: --kiln-fold-pad
// HELP-DAG: --kiln-fuse-activation
// HELP-DAG: --kiln-fuse-residual-add
// HELP-DAG: --kiln-fuse-inverted-residual
// HELP-DAG: --kiln-optimize

// conv -> batch_norm -> relu becomes one conv with bias and relu; the
// replaced weight and statistics constants are gone.
// CHECK-LABEL: func.func @conv_bn_relu
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>)
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<{{.*}}> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<{{.*}}> : tensor<2xf32>
// CHECK: %[[Y:.*]] = kiln.conv2d %[[X]], %[[W]], bias %[[B]] {activation = "relu"
// CHECK-NEXT: return %[[Y]]
// NOFUSE-LABEL: func.func @conv_bn_relu
// NOFUSE: kiln.conv2d
// NOFUSE-NEXT: kiln.batch_norm
// NOFUSE-NEXT: kiln.relu
// NOACT-LABEL: func.func @conv_bn_relu
// NOACT: kiln.conv2d %{{.*}}, %{{.*}}, bias
// NOACT-NEXT: kiln.relu
// NOBN-LABEL: func.func @conv_bn_relu
// NOBN: kiln.conv2d
// NOBN-NEXT: kiln.batch_norm
// NOBN-NEXT: kiln.relu
func.func @conv_bn_relu(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = kiln.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %scale = kiln.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %bias = kiln.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = kiln.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %n = kiln.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 1.0 : f32}
       : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %y = kiln.relu %n : tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// ResNet identity block conv-bn-relu-conv-bn-add(x)-relu: two convs, the
// second one adds x as its residual, then applies the block's relu.
// CHECK-LABEL: func.func @identity_block
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>)
// CHECK: %[[A:.*]] = kiln.conv2d %[[X]], %{{.*}}, bias %{{.*}} {activation = "relu"
// CHECK: %[[Y:.*]] = kiln.conv2d %[[A]], %{{.*}}, bias %{{.*}}, residual %[[X]] {activation = "relu"
// CHECK-NEXT: return %[[Y]]
// NOFUSE-LABEL: func.func @identity_block
// NOFUSE: kiln.add
// NORES-LABEL: func.func @identity_block
// NORES: %[[A:.*]] = kiln.conv2d {{.*}}activation = "relu"
// NORES: %[[C:.*]] = kiln.conv2d %[[A]], %{{[^,]*}}, bias %{{[^,]*}} {dilations
// NORES-NEXT: %[[S:.*]] = kiln.add %[[C]]
// NORES-NEXT: kiln.relu %[[S]]
func.func @identity_block(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = kiln.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %p = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %c1 = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
          dilations = array<i64: 1, 1>, groups = 1 : i64}
        : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %n1 = kiln.batch_norm %c1, %p, %p, %p, %p
        : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r1 = kiln.relu %n1 : tensor<1x2x4x4xf32>
  %c2 = kiln.conv2d %r1, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
          dilations = array<i64: 1, 1>, groups = 1 : i64}
        : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %n2 = kiln.batch_norm %c2, %p, %p, %p, %p
        : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %s = kiln.add %n2, %x : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = kiln.relu %s : tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// ResNet projection block: main branch conv-bn-relu-conv-bn, shortcut
// conv-bn, add, relu. Three convs: the projection conv (defined last) takes
// the main branch as residual and the block's relu.
// CHECK-LABEL: func.func @projection_block
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>)
// CHECK: %[[A:.*]] = kiln.conv2d %[[X]], {{.*}}activation = "relu"
// CHECK: %[[M:.*]] = kiln.conv2d %[[A]], %{{[^,]*}}, bias %{{[^,]*}} {dilations
// CHECK: %[[Y:.*]] = kiln.conv2d %[[X]], %{{.*}}, bias %{{.*}}, residual %[[M]] {activation = "relu"
// CHECK-NEXT: return %[[Y]]
func.func @projection_block(%x: tensor<1x2x4x4xf32>) -> tensor<1x4x2x2xf32> {
  %w1 = kiln.constant dense<1.0> : tensor<4x2x1x1xf32>
  %w2 = kiln.constant dense<0.5> : tensor<4x4x1x1xf32>
  %wp = kiln.constant dense<2.0> : tensor<4x2x1x1xf32>
  %p = kiln.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %c1 = kiln.conv2d %x, %w1 {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
          dilations = array<i64: 1, 1>, groups = 1 : i64}
        : (tensor<1x2x4x4xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x2x2xf32>
  %n1 = kiln.batch_norm %c1, %p, %p, %p, %p
        : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  %r1 = kiln.relu %n1 : tensor<1x4x2x2xf32>
  %c2 = kiln.conv2d %r1, %w2 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
          dilations = array<i64: 1, 1>, groups = 1 : i64}
        : (tensor<1x4x2x2xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x2x2xf32>
  %n2 = kiln.batch_norm %c2, %p, %p, %p, %p
        : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  %cp = kiln.conv2d %x, %wp {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
          dilations = array<i64: 1, 1>, groups = 1 : i64}
        : (tensor<1x2x4x4xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x2x2xf32>
  %np = kiln.batch_norm %cp, %p, %p, %p, %p
        : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  %s = kiln.add %n2, %np : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %y = kiln.relu %s : tensor<1x4x2x2xf32>
  return %y : tensor<1x4x2x2xf32>
}

// -----

// A conv whose (batch-normed) value is also a model output keeps its
// separate add and relu: only the batch norm, read alone, folds.
// CHECK-LABEL: func.func @block_output_also_returned
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>)
// CHECK: %[[C:.*]] = kiln.conv2d %[[X]], %{{[^,]*}}, bias %{{[^,]*}} {dilations
// CHECK-NEXT: %[[S:.*]] = kiln.add %[[C]], %[[X]]
// CHECK-NEXT: %[[Y:.*]] = kiln.relu %[[S]]
// CHECK-NEXT: return %[[Y]], %[[C]]
func.func @block_output_also_returned(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = kiln.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %p = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %n = kiln.batch_norm %c, %p, %p, %p, %p
       : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %s = kiln.add %n, %x : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = kiln.relu %s : tensor<1x2x4x4xf32>
  return %y, %n : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// pad -> conv -> relu: the zero pad becomes the conv's padding, then the
// relu its activation.
// CHECK-LABEL: func.func @pad_conv_relu
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>)
// CHECK-NOT: kiln.pad
// CHECK: %[[Y:.*]] = kiln.conv2d %[[X]], %{{.*}} {activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>
// CHECK-NEXT: return %[[Y]]
// NOFUSE-LABEL: func.func @pad_conv_relu
// NOFUSE: kiln.pad
// NOFUSE-NEXT: kiln.conv2d
// NOPAD-LABEL: func.func @pad_conv_relu
// NOPAD: %[[P:.*]] = kiln.pad
// NOPAD-NEXT: kiln.conv2d %[[P]], %{{.*}} {activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>
func.func @pad_conv_relu(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = kiln.constant dense<1.0> : tensor<2x2x3x3xf32>
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
       : (tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32>
  %c = kiln.conv2d %p, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
         dilations = array<i64: 1, 1>, groups = 1 : i64}
       : (tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %y = kiln.relu %c : tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}
