//===- ModelStats.cpp - Parameter and multiplication counts ---------------===//
#include "compiler/analysis/ModelStats.h"

#include "dialects/kiln/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace kiln {
namespace {

/// The first NameLoc in `loc` (the importer wraps the file location in one
/// NameLoc per ONNX node); "" if there is none.
std::string nodeName(Location loc) {
  std::string name;
  loc->walk([&](Location inner) {
    if (auto named = dyn_cast<NameLoc>(inner)) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

int64_t elementsOf(Value v) {
  if (!v)
    return 0;
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() ? type.getNumElements() : 0;
}

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

bool isDepthwise(Conv2DOp conv) {
  int64_t c = shapeOf(conv.getInput())[1];
  int64_t m = shapeOf(conv.getWeight())[0];
  return c > 1 && (int64_t)conv.getGroups() == c && m == c;
}

bool isPointwise(Conv2DOp conv) {
  auto w = shapeOf(conv.getWeight());
  return conv.getGroups() == 1 && w[2] == 1 && w[3] == 1 &&
         llvm::all_of(conv.getStrides(), [](int64_t s) { return s == 1; }) &&
         llvm::all_of(conv.getPads(), [](int64_t p) { return p == 0; });
}

std::string convKindOf(Conv2DOp conv) {
  if (isDepthwise(conv))
    return "depthwise";
  if (isPointwise(conv))
    return "pointwise";
  if (conv.getGroups() > 1)
    return "grouped";
  return "conv";
}

/// The pointwise conv that `depthwise` feeds through single-use per-channel
/// ops (batch_norm, relu, clip), or null.
Conv2DOp followingPointwise(Conv2DOp depthwise) {
  Value v = depthwise.getResult();
  while (v.hasOneUse()) {
    OpOperand &use = *v.getUses().begin();
    Operation *user = use.getOwner();
    if (auto bn = dyn_cast<BatchNormOp>(user)) {
      if (use.getOperandNumber() != 0)
        return {};
      v = bn.getResult();
    } else if (isa<ReluOp, ClipOp>(user)) {
      v = user->getResult(0);
    } else if (auto conv = dyn_cast<Conv2DOp>(user)) {
      if (conv.getInput() == v && isPointwise(conv))
        return conv;
      return {};
    } else {
      return {};
    }
  }
  return {};
}

int64_t convMacs(Conv2DOp conv) {
  auto w = shapeOf(conv.getWeight()), out = shapeOf(conv.getResult());
  // Every output element of every image takes (C_in / groups) * KH * KW
  // products; w[1] is C_in / groups.
  return out[0] * out[1] * out[2] * out[3] * w[1] * w[2] * w[3];
}

} // namespace

SeparableStats separableCost(int64_t nC, int64_t n, int64_t kh, int64_t kw,
                             int64_t oh, int64_t ow, int64_t batch) {
  SeparableStats s;
  s.nC = nC;
  s.n = n;
  s.kh = kh;
  s.kw = kw;
  s.oh = oh;
  s.ow = ow;
  s.batch = batch;
  int64_t f2 = kh * kw, nOut2 = oh * ow;
  s.standardMacs = n * nOut2 * f2 * nC * batch;
  s.separableMacs = nC * nOut2 * (f2 + n) * batch;
  s.ratio = 1.0 / (double)n + 1.0 / (double)f2;
  return s;
}

std::optional<ModelStats> computeModelStats(ModuleOp module,
                                            std::string &error) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main || main.isExternal()) {
    error = "the module has no @main function with a body";
    return std::nullopt;
  }
  ModelStats stats;
  if (main.getNumArguments() > 0)
    if (auto t = dyn_cast<RankedTensorType>(main.getArgument(0).getType()))
      if (t.getRank() > 0 && !t.isDynamicDim(0))
        stats.batch = t.getDimSize(0);

  // Tensors already counted as parameters, so shared weights count once.
  llvm::DenseSet<Value> countedParams, countedStats;
  auto addParams = [&](LayerStats &layer, Value v) {
    int64_t n = elementsOf(v);
    layer.params += n;
    if (v && countedParams.insert(v).second)
      stats.total.params += n;
  };
  auto addStats = [&](LayerStats &layer, Value v) {
    int64_t n = elementsOf(v);
    layer.bnStats += n;
    if (v && countedStats.insert(v).second)
      stats.total.bnStats += n;
  };

  for (Operation &op : main.getBody().front()) {
    if (isa<ConstantOp, func::ReturnOp>(op))
      continue;
    LayerStats layer;
    layer.name = nodeName(op.getLoc());
    layer.op = op.getName().stripDialect().str();
    if (op.getNumResults() > 0) {
      auto type = dyn_cast<RankedTensorType>(op.getResult(0).getType());
      if (!type || !type.hasStaticShape()) {
        error = "'" + op.getName().getStringRef().str() + "' (node '" +
                layer.name + "') has no static result shape";
        return std::nullopt;
      }
      layer.outputShape.assign(type.getShape().begin(), type.getShape().end());
      layer.outputElements = type.getNumElements();
    }
    llvm::TypeSwitch<Operation *>(&op)
        .Case<Conv2DOp>([&](Conv2DOp conv) {
          layer.convKind = convKindOf(conv);
          addParams(layer, conv.getWeight());
          addParams(layer, conv.getBias());
          layer.macs = convMacs(conv);
          if (layer.convKind != "depthwise")
            return;
          if (Conv2DOp pw = followingPointwise(conv)) {
            auto w = shapeOf(conv.getWeight()), out = shapeOf(pw.getResult());
            SeparableStats s =
                separableCost(shapeOf(conv.getInput())[1], out[1], w[2], w[3],
                              out[2], out[3], out[0]);
            s.pointwiseName = nodeName(pw.getLoc());
            layer.separable = s;
            ++stats.total.separablePairs;
          }
        })
        .Case<SeparableConv2DOp>([&](SeparableConv2DOp sep) {
          // A fused pair (optimized IR): both stages' weights and MACs.
          layer.convKind = "separable";
          for (Value v : {sep.getDwWeight(), sep.getDwBias(),
                          sep.getPwWeight(), sep.getPwBias()})
            addParams(layer, v);
          auto dw = shapeOf(sep.getDwWeight()), out = shapeOf(sep.getResult());
          int64_t pixels = out[0] * out[2] * out[3];
          layer.macs = pixels * dw[0] * (dw[2] * dw[3] + out[1]);
        })
        .Case<InvertedResidualOp>([&](InvertedResidualOp ir) {
          // A fused block (optimized IR): the expand conv at the input's
          // resolution, then the separable pair at the output's.
          layer.convKind = "inverted_residual";
          for (Value v :
               {ir.getExpandWeight(), ir.getExpandBias(), ir.getDwWeight(),
                ir.getDwBias(), ir.getPwWeight(), ir.getPwBias()})
            addParams(layer, v);
          auto in = shapeOf(ir.getInput()), dw = shapeOf(ir.getDwWeight());
          auto out = shapeOf(ir.getResult());
          int64_t e = dw[0];
          layer.macs = in[0] * in[2] * in[3] * in[1] * e +
                       out[0] * out[2] * out[3] * e * (dw[2] * dw[3] + out[1]);
        })
        .Case<ConvTranspose2DOp>([&](ConvTranspose2DOp up) {
          // Every input cell of every image scatters (M / groups) * KH * KW
          // products (w is C x M/groups x KH x KW): C x that per cell.
          auto in = shapeOf(up.getInput()), w = shapeOf(up.getWeight());
          layer.convKind = "conv_transpose";
          addParams(layer, up.getWeight());
          addParams(layer, up.getBias());
          layer.macs = in[0] * in[1] * in[2] * in[3] * w[1] * w[2] * w[3];
        })
        .Case<DenseOp>([&](DenseOp dense) {
          auto in = shapeOf(dense.getInput()), w = shapeOf(dense.getWeight());
          addParams(layer, dense.getWeight());
          addParams(layer, dense.getBias());
          layer.macs = in[0] * w[0] * w[1];
        })
        .Case<BatchNormOp>([&](BatchNormOp bn) {
          addParams(layer, bn.getScale());
          addParams(layer, bn.getBias());
          addStats(layer, bn.getMean());
          addStats(layer, bn.getVariance());
        });
    stats.total.macs += layer.macs;
    stats.layers.push_back(std::move(layer));
  }
  stats.total.paramsWithBnStats = stats.total.params + stats.total.bnStats;
  return stats;
}

} // namespace kiln
