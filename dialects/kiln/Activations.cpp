//===- Activations.cpp - the activations kiln ops carry -------------------===//
#include "dialects/kiln/Activations.h"
#include "dialects/kiln/KilnOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace kiln {

ArrayRef<StringRef> activationNames() {
  static const StringRef names[] = {
      "none",       "relu", "clip", "sigmoid",  "hard_sigmoid", "hard_swish",
      "leaky_relu", "silu", "tanh", "softplus", "mish",         "elu",
      "selu"};
  return names;
}

std::string activationNameList() {
  ArrayRef<StringRef> names = activationNames();
  std::string list;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i)
      list += i + 1 == names.size() ? " or " : ", ";
    list += names[i].str();
  }
  return list;
}

bool isActivationName(StringRef name) {
  return llvm::is_contained(activationNames(), name);
}

std::optional<ActivationAttrs> activationOf(Operation *op) {
  using Result = std::optional<ActivationAttrs>;
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case<ReluOp>([](ReluOp) { return ActivationAttrs{"relu"}; })
      .Case<ClipOp>([](ClipOp clip) -> Result {
        float lo = clip.getMin().convertToFloat();
        float hi = clip.getMax().convertToFloat();
        if (lo == 0.0f && std::isinf(hi) && hi > 0)
          return ActivationAttrs{"relu"};
        return ActivationAttrs{"clip", lo, hi};
      })
      .Case<SigmoidOp>([](SigmoidOp) { return ActivationAttrs{"sigmoid"}; })
      .Case<HardSigmoidOp>([](HardSigmoidOp h) {
        return ActivationAttrs{"hard_sigmoid", h.getAlpha().convertToFloat(),
                               h.getBeta().convertToFloat()};
      })
      .Case<HardSwishOp>(
          [](HardSwishOp) { return ActivationAttrs{"hard_swish"}; })
      .Case<LeakyReluOp>([](LeakyReluOp l) {
        return ActivationAttrs{"leaky_relu", l.getAlpha().convertToFloat()};
      })
      .Case<SiluOp>([](SiluOp) { return ActivationAttrs{"silu"}; })
      .Case<TanhOp>([](TanhOp) { return ActivationAttrs{"tanh"}; })
      .Case<SoftplusOp>([](SoftplusOp) { return ActivationAttrs{"softplus"}; })
      .Case<MishOp>([](MishOp) { return ActivationAttrs{"mish"}; })
      .Case<EluOp>([](EluOp e) {
        return ActivationAttrs{"elu", e.getAlpha().convertToFloat()};
      })
      .Case<SeluOp>([](SeluOp s) {
        return ActivationAttrs{"selu", s.getAlpha().convertToFloat(),
                               s.getGamma().convertToFloat()};
      })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace kiln
