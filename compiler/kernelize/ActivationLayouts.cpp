//===- ActivationLayouts.cpp - Which tensors are channel-blocked ----------===//

#include "compiler/kernelize/ActivationLayouts.h"

#include "compiler/kernels/ActivationLayout.h"
#include "dialects/kiln/KilnOps.h"

using namespace mlir;

namespace kiln {
namespace {

std::vector<int64_t> shapeOf(Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  return std::vector<int64_t>(t.getShape().begin(), t.getShape().end());
}

/// Whether `use` reads its tensor in the blocked layout: a channel-vector
/// capable conv's data input (read in place, or through a blocked padded
/// copy) or residual, a Winograd conv's residual, or a global average
/// pool's input.
bool readsBlocked(OpOperand &use,
                  llvm::function_ref<bool(Operation *)> channelVectorCapable,
                  llvm::function_ref<bool(Operation *)> winograd) {
  Operation *user = use.getOwner();
  if (isa<GlobalAvgPoolOp>(user))
    return true;
  auto conv = dyn_cast<Conv2DOp>(user);
  if (!conv)
    return false;
  bool direct = channelVectorCapable(user);
  if (use.get() == conv.getResidual())
    return direct || winograd(user);
  return direct && use.getOperandNumber() == 0 &&
         blockableActivation(shapeOf(conv.getInput()));
}

} // namespace

ActivationLayoutPlan planActivationLayouts(
    func::FuncOp main,
    llvm::function_ref<bool(Operation *)> channelVectorCapable,
    llvm::function_ref<bool(Operation *)> winograd,
    llvm::function_ref<bool(Value)> pinned) {
  ActivationLayoutPlan plan;
  main.walk([&](Conv2DOp conv) {
    Value y = conv.getResult();
    bool direct = channelVectorCapable(conv);
    if ((!direct && !winograd(conv)) || pinned(y) || y.use_empty() ||
        !blockableActivation(shapeOf(y)))
      return;
    for (OpOperand &use : y.getUses())
      if (!readsBlocked(use, channelVectorCapable, winograd))
        return;
    plan.blocked.insert(y);
    if (direct)
      plan.channelVectorConvs.insert(conv);
    for (OpOperand &use : y.getUses())
      if (channelVectorCapable(use.getOwner()))
        plan.channelVectorConvs.insert(use.getOwner());
  });
  return plan;
}

} // namespace kiln
