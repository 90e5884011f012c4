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
  if (auto ir = dyn_cast<InvertedResidualOp>(op))
    return (bool)ir.getResidual();
  auto conv = dyn_cast<Conv2DOp>(op);
  return conv && conv.getResidual();
}

/// The stages of a fused conv, in the order its imported ops run.
enum class ConvStage { Expand, Depthwise, Epilogue };

/// The activation of `op`'s `stage`: a separable conv's or inverted
/// residual's inner stages have their own.
bool hasActivation(Operation *op, ConvStage stage = ConvStage::Epilogue) {
  if (auto sep = dyn_cast<SeparableConv2DOp>(op))
    return (stage == ConvStage::Depthwise ? sep.getDwActivation()
                                          : sep.getActivation()) != "none";
  if (auto ir = dyn_cast<InvertedResidualOp>(op)) {
    StringRef act = stage == ConvStage::Expand      ? ir.getExpandActivation()
                    : stage == ConvStage::Depthwise ? ir.getDwActivation()
                                                    : ir.getActivation();
    return act != "none";
  }
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return conv.getActivation() != "none";
  if (auto dense = dyn_cast<DenseOp>(op))
    return dense.getActivation() != "none";
  return false;
}

/// A 1x1, stride-1, unpadded, ungrouped conv without a residual.
bool isExpandConv(Conv2DOp conv) {
  auto w = cast<RankedTensorType>(conv.getWeight().getType()).getShape();
  return w[2] == 1 && w[3] == 1 && conv.getGroups() == 1 &&
         !conv.getResidual() &&
         llvm::all_of(conv.getStrides(), [](int64_t s) { return s == 1; }) &&
         llvm::all_of(conv.getPads(), [](int64_t p) { return p == 0; });
}

/// Expand convs of the imported IR that can join a depthwise + pointwise
/// pair: the pair's depthwise conv reads, through single-reader
/// batch_norm / relu / clip ops, the result of an expand conv read only
/// along that chain, which is not itself the pointwise conv of a pair
/// (MobileNetV1's: that pair takes it first).
int64_t countExpandCandidates(ModuleOp imported, const ModelStats &stats) {
  func::FuncOp main = mainOf(imported);
  if (!main)
    return 0;
  llvm::StringSet<> pointwiseNodes;
  for (const LayerStats &l : stats.layers)
    if (l.separable)
      pointwiseNodes.insert(l.separable->pointwiseName);
  int64_t count = 0;
  size_t layer = 0;
  for (Operation &op : main.getBody().front()) {
    if (isa<ConstantOp, func::ReturnOp>(op))
      continue;
    bool pair = layer < stats.layers.size() &&
                stats.layers[layer].separable.has_value();
    ++layer;
    auto dw = dyn_cast<Conv2DOp>(op);
    if (!dw || !pair)
      continue;
    Value v = dw.getInput();
    while (v.hasOneUse()) {
      Operation *def = v.getDefiningOp();
      if (isa_and_nonnull<BatchNormOp, ReluOp, ClipOp>(def)) {
        v = def->getOperand(0);
        continue;
      }
      auto expand = dyn_cast_or_null<Conv2DOp>(def);
      count += expand && isExpandConv(expand) &&
               !pointwiseNodes.contains(onnxNodeName(expand));
      break;
    }
  }
  return count;
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
    bool invertedResidual = isa<InvertedResidualOp>(op);
    if (!isa<Conv2DOp, DenseOp, SeparableConv2DOp, InvertedResidualOp>(op) ||
        node.empty())
      continue;
    // A separable conv is named after its depthwise conv2d, an inverted
    // residual after its expand conv2d.
    bool fromConv = separable || invertedResidual;
    auto it =
        importedOps.find((fromConv ? "conv2d" : kindOf(&op)) + "/" + node);
    if (it == importedOps.end())
      continue;
    // Follow the imported op's single-use chain through what vanished: for
    // a separable conv, the depthwise conv's epilogue, the pointwise conv,
    // then the pointwise conv's epilogue (an inverted residual starts one
    // stage earlier, with the expand conv's epilogue and the depthwise
    // conv).
    Value v = it->second->getResult(0);
    bool tookAdd = false, tookActivation = false;
    ConvStage stage = invertedResidual ? ConvStage::Expand
                      : separable      ? ConvStage::Depthwise
                                       : ConvStage::Epilogue;
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
        absorbed = stage == ConvStage::Epilogue && hasResidual(&op) &&
                   !tookAdd && !tookActivation;
      else if (isa<ReluOp, ClipOp>(user))
        absorbed = hasActivation(&op, stage) && !tookActivation;
      else if (isa<Conv2DOp>(user) && stage != ConvStage::Epilogue &&
               use.getOperandNumber() == 0) {
        absorbed = true;
        stage = stage == ConvStage::Expand ? ConvStage::Depthwise
                                           : ConvStage::Epilogue;
        tookActivation = false; // the next conv's epilogue comes next
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
  // An inverted residual holds a fused depthwise + pointwise pair too.
  summary.depthwisePointwiseFused = 0;
  summary.invertedResidualFused = 0;
  optimized.walk([&](Operation *op) {
    if (isa<SeparableConv2DOp, InvertedResidualOp>(op))
      ++summary.depthwisePointwiseFused;
    if (isa<InvertedResidualOp>(op))
      ++summary.invertedResidualFused;
  });
  summary.invertedResidualCandidates = countExpandCandidates(imported, *stats);
  summary.residualAddsTotal = 0;
  imported.walk([&](AddOp add) {
    Type t = add.getType();
    if (add.getLhs().getType() == t && add.getRhs().getType() == t &&
        (isConvResult(add.getLhs()) || isConvResult(add.getRhs())))
      ++summary.residualAddsTotal;
  });
  summary.residualAddsFused = 0;
  optimized.walk([&](Operation *op) {
    if (isa<Conv2DOp, SeparableConv2DOp, InvertedResidualOp>(op) &&
        hasResidual(op))
      ++summary.residualAddsFused;
  });
  return true;
}

} // namespace kiln
