//===- FusionAnalysis.cpp - What the optimize phase fused -----------------===//
#include "compiler/report/FusionAnalysis.h"

#include "compiler/analysis/ModelStats.h"
#include "dialects/kiln/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;

namespace kiln {
namespace {

func::FuncOp mainOf(ModuleOp module) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  return main && !main.isExternal() ? main : func::FuncOp();
}

std::string kindOf(Operation *op) { return op->getName().stripDialect().str(); }

/// Whether `op` (an optimized conv2d / dense) has a residual operand and
/// an activation.
bool hasResidual(Operation *op) {
  if (auto sep = dyn_cast<SeparableConv2DOp>(op))
    return (bool)sep.getResidual();
  auto conv = dyn_cast<Conv2DOp>(op);
  return conv && conv.getResidual();
}

/// `depthwiseStage`: a separable conv's first (depthwise) activation
/// instead of its epilogue's.
bool hasActivation(Operation *op, bool depthwiseStage = false) {
  if (auto sep = dyn_cast<SeparableConv2DOp>(op))
    return (depthwiseStage ? sep.getDwActivation() : sep.getActivation()) !=
           "none";
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return conv.getActivation() != "none";
  if (auto dense = dyn_cast<DenseOp>(op))
    return dense.getActivation() != "none";
  return false;
}

bool isConvResult(Value v) {
  Operation *def = v.getDefiningOp();
  if (auto bn = dyn_cast_or_null<BatchNormOp>(def))
    def = bn.getInput().getDefiningOp();
  return isa_and_nonnull<Conv2DOp>(def);
}

} // namespace

std::string onnxNodeName(Operation *op) {
  std::string name;
  op->getLoc()->walk([&](Location inner) {
    if (auto named = dyn_cast<NameLoc>(inner)) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

llvm::DenseMap<Operation *, FusionGroup> inferFusionGroups(ModuleOp imported,
                                                           ModuleOp optimized) {
  llvm::DenseMap<Operation *, FusionGroup> groups;
  func::FuncOp before = mainOf(imported), after = mainOf(optimized);
  if (!before || !after)
    return groups;
  // Imported ops by "kind/node"; names of the ops that survived.
  llvm::StringMap<Operation *> importedOps;
  llvm::StringSet<> surviving;
  for (Operation &op : before.getBody().front())
    if (!isa<ConstantOp>(op))
      importedOps.try_emplace(kindOf(&op) + "/" + onnxNodeName(&op), &op);
  for (Operation &op : after.getBody().front())
    if (!isa<ConstantOp>(op))
      surviving.insert(onnxNodeName(&op));

  for (Operation &op : after.getBody().front().without_terminator()) {
    if (isa<ConstantOp>(op))
      continue;
    FusionGroup &group = groups[&op];
    std::string node = onnxNodeName(&op);
    group.ops.push_back(kindOf(&op));
    group.nodes.push_back(node);
    bool separable = isa<SeparableConv2DOp>(op);
    if (!isa<Conv2DOp, DenseOp, SeparableConv2DOp>(op) || node.empty())
      continue;
    // A separable conv is named after its depthwise conv2d.
    auto it = importedOps.find((separable ? "conv2d" : kindOf(&op)) + "/" +
                               node);
    if (it == importedOps.end())
      continue;
    // Follow the imported op's single-use chain through what vanished: for
    // a separable conv, the depthwise conv's epilogue, the pointwise conv,
    // then the pointwise conv's epilogue.
    Value v = it->second->getResult(0);
    bool tookAdd = false, tookActivation = false;
    bool inDepthwiseStage = separable;
    while (v.hasOneUse()) {
      OpOperand &use = *v.getUses().begin();
      Operation *user = use.getOwner();
      std::string userNode = onnxNodeName(user);
      if (userNode.empty() || surviving.contains(userNode))
        break;
      bool absorbed = false;
      if (isa<BatchNormOp>(user))
        absorbed = use.getOperandNumber() == 0 && !tookAdd && !tookActivation;
      else if (isa<AddOp>(user))
        absorbed = !inDepthwiseStage && hasResidual(&op) && !tookAdd &&
                   !tookActivation;
      else if (isa<ReluOp, ClipOp>(user))
        absorbed = hasActivation(&op, inDepthwiseStage) && !tookActivation;
      else if (isa<Conv2DOp>(user) && inDepthwiseStage &&
               use.getOperandNumber() == 0) {
        absorbed = true;
        inDepthwiseStage = false;
        tookActivation = false; // the pointwise epilogue comes next
      }
      if (!absorbed)
        break;
      tookAdd |= isa<AddOp>(user);
      tookActivation |= isa<ReluOp, ClipOp>(user);
      group.ops.push_back(kindOf(user));
      group.nodes.push_back(userNode);
      v = user->getResult(0);
    }
  }
  return groups;
}

bool computeFusionSummary(ModuleOp imported, ModuleOp optimized,
                          FusionSummary &summary, std::string &error) {
  auto stats = computeModelStats(imported, error);
  if (!stats)
    return false;
  summary.depthwisePointwiseCandidates = stats->total.separablePairs;
  summary.depthwisePointwiseFused = 0;
  optimized.walk([&](SeparableConv2DOp) { ++summary.depthwisePointwiseFused; });
  summary.residualAddsTotal = 0;
  imported.walk([&](AddOp add) {
    Type t = add.getType();
    if (add.getLhs().getType() == t && add.getRhs().getType() == t &&
        (isConvResult(add.getLhs()) || isConvResult(add.getRhs())))
      ++summary.residualAddsTotal;
  });
  summary.residualAddsFused = 0;
  optimized.walk([&](Operation *op) {
    if (isa<Conv2DOp, SeparableConv2DOp>(op) && hasResidual(op))
      ++summary.residualAddsFused;
  });
  return true;
}

} // namespace kiln
