//===- Activations.h - the activations kiln ops carry -----------*- C++ -*-===//
//
// One home for the activation names an epilogue attribute (`activation`,
// `dw_activation`, `expand_activation`) may hold, and for reading a
// standalone activation op (kiln.relu, kiln.clip, kiln.sigmoid, ...) as such
// a name with its two parameters: kiln-fuse-activation moves it into the
// epilogue of the op that produces its input, the kernelizer emits it as an
// Activation kernel.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_DIALECTS_KILN_ACTIVATIONS_H
#define KILN_DIALECTS_KILN_ACTIVATIONS_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace kiln {

/// An activation as an epilogue carries it. The parameters are the op's
/// clip_min / clip_max attributes: clip's bounds, hard_sigmoid's alpha and
/// beta, leaky_relu's and elu's alpha (and 0), selu's alpha and gamma.
struct ActivationAttrs {
  llvm::StringRef name;
  float param0 = 0.0f, param1 = 0.0f;
};

/// "none", "relu", "clip", "sigmoid", "hard_sigmoid", "hard_swish",
/// "leaky_relu", "silu", "tanh", "softplus", "mish", "elu", "selu".
llvm::ArrayRef<llvm::StringRef> activationNames();

/// The names for an error message: "none, relu, ... or selu".
std::string activationNameList();

bool isActivationName(llvm::StringRef name);

/// The activation `op` computes when it is a standalone activation op; clip
/// to [0, +inf] reads as relu (the kernels' cheaper form).
std::optional<ActivationAttrs> activationOf(mlir::Operation *op);

} // namespace kiln

#endif // KILN_DIALECTS_KILN_ACTIVATIONS_H
