//===- ActivationLayouts.cpp - Which tensors are channel-blocked ----------===//

#include "compiler/kernelize/ActivationLayouts.h"

#include "compiler/kernels/ActivationLayout.h"
#include "dialects/kiln/KilnOps.h"

#include <functional>

using namespace mlir;

namespace kiln {
namespace {

std::vector<int64_t> shapeOf(Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  return std::vector<int64_t>(t.getShape().begin(), t.getShape().end());
}

/// The residual operand of a conv-like op (conv, separable conv, inverted
/// residual), or null.
Value residualOf(Operation *op) {
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return conv.getResidual();
  if (auto sep = dyn_cast<SeparableConv2DOp>(op))
    return sep.getResidual();
  if (auto ir = dyn_cast<InvertedResidualOp>(op))
    return ir.getResidual();
  return nullptr;
}

/// Whether `use` can read its tensor in the blocked layout (the tensor's
/// own shape is checked by the caller): the data input (read in place, or
/// through a blocked padded copy) or residual of a channel-vector capable
/// conv, separable conv or inverted residual, or of a Winograd conv, or a
/// global average pool's input.
bool readsBlocked(OpOperand &use,
                  llvm::function_ref<bool(Operation *)> channelVectorCapable,
                  llvm::function_ref<bool(Operation *)> winograd) {
  Operation *user = use.getOwner();
  if (isa<GlobalAvgPoolOp>(user))
    return true;
  if (!isa<Conv2DOp, SeparableConv2DOp, InvertedResidualOp>(user))
    return false;
  if (!channelVectorCapable(user) && !winograd(user))
    return false;
  return use.get() == residualOf(user) || use.getOperandNumber() == 0;
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
  // Max pools keep their input's layout, so the tensors around one are
  // decided together, and pools may follow pools (GoogLeNet: a stage's
  // stride-2 pool feeds the next inception block's stride-1 pool). The
  // blocked pools are the largest set in which every pool's input is
  // written blocked (by a conv, a blocked concat or a pool of the set) and
  // every reader of its input and output reads blocked or is a pool of
  // the set: start from all pools, drop those that break it until none do.
  llvm::DenseSet<Operation *> blockedPools;
  main.walk([&](MaxPool2DOp pool) { blockedPools.insert(pool); });
  auto writesBlocked = [&](Value v) {
    Operation *def = v.getDefiningOp();
    if (auto concat = dyn_cast_or_null<ConcatOp>(def))
      return concatOfBlockedSlices(concat);
    if (isa_and_nonnull<MaxPool2DOp>(def))
      return blockedPools.contains(def);
    return convWritesBlocked(def);
  };
  auto readsBlockedOrPool = [&](Value v) {
    for (OpOperand &use : v.getUses())
      if (!blockedPools.contains(use.getOwner()) &&
          !readsBlocked(use, channelVectorCapable, winograd))
        return false;
    return true;
  };
  auto blockable = [&](Value v) {
    return !pinned(v) && !v.use_empty() && blockableActivation(shapeOf(v));
  };
  for (bool changed = true; changed;) {
    changed = false;
    main.walk([&](MaxPool2DOp pool) {
      Value x = pool.getInput(), y = pool.getResult();
      if (blockedPools.contains(pool) &&
          !(writesBlocked(x) && blockable(x) && blockable(y) &&
            readsBlockedOrPool(x) && readsBlockedOrPool(y))) {
        blockedPools.erase(pool);
        changed = true;
      }
    });
  }
  auto markCvUsers = [&](Value v) {
    for (OpOperand &use : v.getUses())
      if (channelVectorCapable(use.getOwner()))
        plan.channelVectorConvs.insert(use.getOwner());
  };
  // A blocked tensor: its conv producer (if any) and conv readers run with
  // channel vectors; a blocked pool reading it makes its output blocked.
  std::function<void(Value)> markBlocked = [&](Value v) {
    plan.blocked.insert(v);
    if (Operation *def = v.getDefiningOp(); def && channelVectorCapable(def))
      plan.channelVectorConvs.insert(def);
    markCvUsers(v);
    for (OpOperand &use : v.getUses())
      if (blockedPools.contains(use.getOwner()))
        markBlocked(use.getOwner()->getResult(0));
  };
  main.walk([&](Operation *op) {
    if (!isa<Conv2DOp, SeparableConv2DOp, InvertedResidualOp>(op))
      return;
    Value y = op->getResult(0);
    if (convWritesBlocked(op) && blockable(y) && readsBlockedOrPool(y))
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
