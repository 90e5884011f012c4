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

/// Whether `use` can read its tensor in the blocked layout (the tensor's
/// own shape is checked by the caller): a channel-vector capable conv's
/// data input (read in place, or through a blocked padded copy) or
/// residual, a Winograd conv's data input or residual, or a global average
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
  if (!channelVectorCapable(user) && !winograd(user))
    return false;
  return use.get() == conv.getResidual() || use.getOperandNumber() == 0;
}

} // namespace

ActivationLayoutPlan planActivationLayouts(
    func::FuncOp main,
    llvm::function_ref<bool(Operation *)> channelVectorCapable,
    llvm::function_ref<bool(Operation *)> winograd,
    llvm::function_ref<bool(Value)> pinned,
    llvm::function_ref<bool(Operation *)> inPlaceConcat) {
  ActivationLayoutPlan plan;
  auto convWritesBlocked = [&](Operation *op) {
    return op && (channelVectorCapable(op) || winograd(op));
  };
  // An elided channel concat whose inputs are all written in place by such
  // convs, each with whole blocks of channels: blocked, its slices sit at
  // the same byte offsets as in NCHW (channel c0 = 16 * block b0).
  auto concatOfBlockedSlices = [&](ConcatOp concat) {
    if (concat.getAxis() != 1 || !inPlaceConcat(concat))
      return false;
    return llvm::all_of(concat.getInputs(), [&](Value in) {
      return convWritesBlocked(in.getDefiningOp()) &&
             blockableActivation(shapeOf(in));
    });
  };
  auto writesBlocked = [&](Value v) {
    if (auto concat = dyn_cast_or_null<ConcatOp>(v.getDefiningOp()))
      return concatOfBlockedSlices(concat);
    return convWritesBlocked(v.getDefiningOp());
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
  // decided together: both blocked when the input is written blocked, its
  // other readers and every reader of the output read blocked (ResNet's
  // stem -> max pool -> 1x1s; an inception block's pool branch).
  llvm::DenseSet<Operation *> blockedPools;
  main.walk([&](MaxPool2DOp pool) {
    Value x = pool.getInput(), y = pool.getResult();
    if (writesBlocked(x) && blockable(x) && blockable(y) &&
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
  auto markCvUsers = [&](Value v) {
    for (OpOperand &use : v.getUses())
      if (channelVectorCapable(use.getOwner()))
        plan.channelVectorConvs.insert(use.getOwner());
  };
  // A blocked tensor: its conv producer (if any) and conv readers run with
  // channel vectors; a blocked pool reading it makes its output blocked.
  auto markBlocked = [&](Value v) {
    plan.blocked.insert(v);
    if (Operation *def = v.getDefiningOp(); def && channelVectorCapable(def))
      plan.channelVectorConvs.insert(def);
    markCvUsers(v);
    for (OpOperand &use : v.getUses())
      if (blockedPools.contains(use.getOwner())) {
        Value pooled = use.getOwner()->getResult(0);
        plan.blocked.insert(pooled);
        markCvUsers(pooled);
      }
  };
  main.walk([&](Conv2DOp conv) {
    Value y = conv.getResult();
    if (convWritesBlocked(conv) && blockable(y) && readsBlockedOrPool(y))
      markBlocked(y);
  });
  main.walk([&](ConcatOp concat) {
    Value y = concat.getResult();
    if (!concatOfBlockedSlices(concat) || !blockable(y) ||
        !readsBlockedOrPool(y))
      return;
    markBlocked(y);
    for (Value in : concat.getInputs())
      markBlocked(in);
  });
  return plan;
}

} // namespace kiln
