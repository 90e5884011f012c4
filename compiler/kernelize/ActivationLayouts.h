//===- ActivationLayouts.h - Which tensors are channel-blocked --*- C++ -*-===//
//
// The layout pass of the kernelizer: picks the activation tensors stored
// channel-blocked (NCHW16c, compiler/kernels/ActivationLayout.h) instead of
// NCHW, so that no conversion kernel is ever needed: a tensor is blocked
// only when its producer writes it blocked and every consumer reads it
// blocked. Today those are dense convs with channel vectors, direct or
// Winograd, separable convs and inverted residual blocks in their
// channel-vector forms (data input, residual, output), max pools (input
// and output together), elided channel concats whose slices such convs
// write, and global average pools (input).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELIZE_ACTIVATIONLAYOUTS_H
#define KILN_COMPILER_KERNELIZE_ACTIVATIONLAYOUTS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace kiln {

struct ActivationLayoutPlan {
  /// The channel-blocked tensors (results of convs).
  llvm::DenseSet<mlir::Value> blocked;
  /// The ops that read or write a blocked tensor: convs among them must
  /// run as channel-vector convs (weight blocks of 16).
  llvm::DenseSet<mlir::Operation *> channelVectorConvs;
};

/// `channelVectorCapable(op)`: the op runs in a channel-vector form that
/// reads and writes blocked tensors: a kiln.conv2d as a direct
/// channel-vector conv (dense, constant weights, not Winograd), a
/// kiln.separable_conv2d or kiln.inverted_residual as its channel-vector
/// kernel.
/// `winograd(conv)`: the conv runs as a Winograd conv.
/// `pinned(value)`: the value is not decided on its own: a model output
/// (always NCHW) or a slice of an elided concat (blocked with the concat).
/// `inPlaceConcat(concat)`: the concat is elided and every input is
/// written straight into its slice (no copy kernel).
ActivationLayoutPlan planActivationLayouts(
    mlir::func::FuncOp main,
    llvm::function_ref<bool(mlir::Operation *)> channelVectorCapable,
    llvm::function_ref<bool(mlir::Operation *)> winograd,
    llvm::function_ref<bool(mlir::Value)> pinned,
    llvm::function_ref<bool(mlir::Operation *)> inPlaceConcat);

} // namespace kiln

#endif // KILN_COMPILER_KERNELIZE_ACTIVATIONLAYOUTS_H
