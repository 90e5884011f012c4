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
/// copy) or residual, a Winograd conv's data input or residual, or a
/// global average pool's input.
bool readsBlocked(OpOperand &use,
                  llvm::function_ref<bool(Operation *)> channelVectorCapable,
                  llvm::function_ref<bool(Operation *)> winograd) {
  Operation *user = use.getOwner();
  if (isa<GlobalAvgPoolOp>(user))
    return true;
  auto conv = dyn_cast<Conv2DOp>(user);
  if (!conv)
    return false;
  if (!channelVectorCapable(user) && !winograd(user))
    return false;
  return use.get() == conv.getResidual() ||
         (use.getOperandNumber() == 0 &&
          blockableActivation(shapeOf(conv.getInput())));
}

} // namespace

ActivationLayoutPlan planActivationLayouts(
    func::FuncOp main,
    llvm::function_ref<bool(Operation *)> channelVectorCapable,
    llvm::function_ref<bool(Operation *)> winograd,
    llvm::function_ref<bool(Value)> pinned) {
  ActivationLayoutPlan plan;
  auto writesBlocked = [&](Operation *op) {
    return op && (channelVectorCapable(op) || winograd(op));
  };
  auto allReadBlocked = [&](Value v, Operation *except) {
    for (OpOperand &use : v.getUses())
      if (use.getOwner() != except &&
          !readsBlocked(use, channelVectorCapable, winograd))
        return false;
    return true;
  };
  auto blockable = [&](Value v) {
    return !pinned(v) && !v.use_empty() && blockableActivation(shapeOf(v));
  };
  // Max pools keep their input's layout, so the two tensors around one are
  // decided together: both blocked when a conv writes the input, its other
  // readers and every reader of the output read blocked (ResNet's stem ->
  // max pool -> 1x1s).
  llvm::DenseSet<Operation *> blockedPools;
  main.walk([&](MaxPool2DOp pool) {
    Value x = pool.getInput(), y = pool.getResult();
    if (writesBlocked(x.getDefiningOp()) && blockable(x) && blockable(y) &&
        allReadBlocked(x, pool) && allReadBlocked(y, nullptr))
      blockedPools.insert(pool);
  });
  auto readsBlockedOrPool = [&](Value v) {
    for (OpOperand &use : v.getUses())
      if (!blockedPools.contains(use.getOwner()) &&
          !readsBlocked(use, channelVectorCapable, winograd))
        return false;
    return true;
  };
  main.walk([&](Conv2DOp conv) {
    Value y = conv.getResult();
    if (!writesBlocked(conv) || !blockable(y) || !readsBlockedOrPool(y))
      return;
    plan.blocked.insert(y);
    if (channelVectorCapable(conv))
      plan.channelVectorConvs.insert(conv);
    for (OpOperand &use : y.getUses()) {
      if (channelVectorCapable(use.getOwner()))
        plan.channelVectorConvs.insert(use.getOwner());
      if (blockedPools.contains(use.getOwner())) {
        Value pooled = use.getOwner()->getResult(0);
        plan.blocked.insert(pooled);
        for (OpOperand &next : pooled.getUses())
          if (channelVectorCapable(next.getOwner()))
            plan.channelVectorConvs.insert(next.getOwner());
      }
    }
  });
  return plan;
}

} // namespace kiln
