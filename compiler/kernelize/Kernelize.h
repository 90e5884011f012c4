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

/// `name` becomes the C prefix of every symbol (sanitized by the caller).
/// Returns std::nullopt and sets `error` (naming the op) if an op has no
/// kernel. `convAlgorithm` Auto lets eligible 3x3 convs use Winograd
/// (winogradTileFor); Direct keeps every conv direct. `layout` Blocked
/// lets tensors between channel-vector kernels be channel-blocked
/// (ActivationLayouts.h) and runs inverted residual blocks on channel
/// vectors; Nchw keeps every tensor NCHW and those blocks on pixel vectors.
/// Auto (resolved by the driver from the target) counts as Blocked here.
std::optional<ModelPlan>
kernelizeModule(mlir::ModuleOp module, const std::string &name,
                std::string &error,
                ConvAlgorithm convAlgorithm = ConvAlgorithm::Auto,
                ActivationLayoutMode layout = ActivationLayoutMode::Auto);

} // namespace kiln

#endif // KILN_COMPILER_KERNELIZE_KERNELIZE_H
