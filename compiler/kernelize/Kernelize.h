//===- Kernelize.h - kiln dialect -> ModelPlan ------------------*- C++ -*-===//
//
// Turns the (optimized) @main function into ordered kernel calls: one
// KernelSpec per compute op, reshapes as free views, constants packed into
// the weight blob, activations placed in one arena.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELIZE_KERNELIZE_H
#define KILN_COMPILER_KERNELIZE_KERNELIZE_H

#include "compiler/kernelize/ModelPlan.h"
#include "compiler/kernels/ActivationLayout.h"
#include "compiler/kernels/WinogradLayout.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>

namespace kiln {

/// How a kernel call names the op it came from (KernelCall::origin):
/// "'kiln.conv2d' (node 'conv1')".
std::string kernelOrigin(mlir::Operation *op);

/// The kernelizer's choices that depend on the user or the target.
struct KernelizeOptions {
  /// Auto lets eligible 3x3 and 5x5 convs use Winograd (winogradTileFor);
  /// Direct keeps every conv direct.
  ConvAlgorithm convAlgorithm = ConvAlgorithm::Auto;
  /// Blocked lets tensors between channel-vector kernels be
  /// channel-blocked (ActivationLayouts.h) and runs inverted residual
  /// blocks on channel vectors; Nchw keeps every tensor NCHW and those
  /// blocks on pixel vectors. Auto (resolved by the driver from the target)
  /// counts as Blocked here.
  ActivationLayoutMode layout = ActivationLayoutMode::Auto;
  /// The target's vector register file (vectorRegistersOf): the Winograd
  /// rule takes small images too with 16 registers.
  int vectorRegisters = 32;
  /// Whether the widest vectors run at half rate (halfRateWideVectorsOf):
  /// the stride-2 Winograd rule of 16-register targets applies.
  bool halfRateVectors = false;
  /// Whether fused separable kernels may skip the zeros of a ReLU'd
  /// depthwise result in their pointwise stage (--zero-skip=on on a target
  /// where zeroSkipPointwiseSupported holds).
  bool zeroSkipPointwise = false;
};

/// `name` becomes the C prefix of every symbol (sanitized by the caller).
/// Returns std::nullopt and sets `error` (naming the op) if an op has no
/// kernel.
std::optional<ModelPlan> kernelizeModule(mlir::ModuleOp module,
                                         const std::string &name,
                                         std::string &error,
                                         const KernelizeOptions &options = {});

} // namespace kiln

#endif // KILN_COMPILER_KERNELIZE_KERNELIZE_H
