//===- Kernelize.cpp - kiln dialect -> ModelPlan --------------------------===//
#include "compiler/kernelize/Kernelize.h"

#include "compiler/kernelize/ActivationLayouts.h"
#include "compiler/kernelize/ArenaPlanner.h"
#include "compiler/kernelize/WeightPacking.h"
#include "compiler/kernels/ActivationLayout.h"
#include "compiler/kernels/ConvWeightLayout.h"
#include "compiler/kernels/DenseWeightLayout.h"
#include "compiler/kernels/PointwiseFlattening.h"
#include "compiler/kernels/WinogradLayout.h"
#include "compiler/onnx/OnnxImporter.h"
#include "compiler/passes/ConstantData.h"
#include "dialects/kiln/Activations.h"
#include "dialects/kiln/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace kiln {
namespace {
/// Channel-vector convs that add a channel-blocked residual they read
/// last write their output over it (KernelSpec::residualInPlace): the sum
/// lands in cache lines the epilogue has just read, instead of fresh ones
/// fetched from memory only to be overwritten, and the arena holds one
/// tensor less. ResNet-50 at 1 thread: the residual convs 4-15 % faster,
/// arena 7.2 -> 5.2 MB.
void shareResidualsInPlace(ModelPlan &plan, std::vector<ArenaRequest> &requests,
                           const llvm::DenseMap<int, size_t> &requestOf) {
  for (auto [k, call] : llvm::enumerate(plan.calls)) {
    KernelSpec &spec = call.spec;
    if (spec.kind != KernelKind::Conv2D || !spec.hasResidual ||
        spec.winogradTile || spec.weightBlock != kConvChannelVectorBlock ||
        !spec.blockedOutput || call.args.size() < 2)
      continue;
    size_t residualIndex = call.args.size() - 2;
    const TensorView &residual = call.args[residualIndex];
    const TensorView &out = call.args.back();
    if (!spec.inputBlocked(residualIndex) || residual.offset || out.offset)
      continue;
    auto r = requestOf.find(residual.storage), o = requestOf.find(out.storage);
    if (r == requestOf.end() || o == requestOf.end())
      continue;
    const ArenaRequest &res = requests[r->second];
    if (res.lastKernel != (int)k ||
        plan.storages[residual.storage].bytes !=
            plan.storages[out.storage].bytes)
      continue;
    // The conv's other inputs must not be the residual (its window reads
    // neighbours the epilogue may already have overwritten).
    bool readElsewhere = false;
    for (size_t a = 0; a < residualIndex; ++a)
      readElsewhere |= call.args[a].storage == residual.storage;
    if (readElsewhere)
      continue;
    requests[o->second].sharesWith = (int)r->second;
    spec.residualInPlace = true;
  }
}

constexpr size_t kAlignment = 64;

/// The byte offset of `slice`'s window in its dense input when the window
/// is one contiguous run of it: every dim inside the outermost partial one
/// whole, every dim outside it a single index, and that dim read with step
/// 1 (Split's channel ranges at batch 1); std::nullopt otherwise.
std::optional<size_t> contiguousSliceOffset(SliceOp slice) {
  auto in = cast<RankedTensorType>(slice.getInput().getType()).getShape();
  ArrayRef<int64_t> starts = slice.getStarts(), sizes = slice.getSizes(),
                    steps = slice.getSteps();
  int64_t rank = in.size(), partial = -1;
  for (int64_t d = 0; d < rank; ++d)
    if (!(starts[d] == 0 && sizes[d] == in[d] && steps[d] == 1))
      partial = d; // the innermost dim that is not whole
  for (int64_t d = 0; d < partial; ++d)
    if (sizes[d] != 1)
      return std::nullopt;
  if (partial >= 0 && steps[partial] != 1 && sizes[partial] != 1)
    return std::nullopt;
  size_t offset = 0, stride = sizeof(float);
  for (int64_t d = rank - 1; d >= 0; --d) {
    offset += starts[d] * stride;
    stride *= in[d];
  }
  return offset;
}

std::vector<int64_t> shapeOf(Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  return std::vector<int64_t>(t.getShape().begin(), t.getShape().end());
}

size_t bytesOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getNumElements() * sizeof(float);
}


class Kernelizer {
public:
  Kernelizer(ModelPlan &plan, std::string &error,
             const KernelizeOptions &options)
      : plan(plan), error(error), convAlgorithm(options.convAlgorithm),
        layoutMode(options.layout), vectorRegisters(options.vectorRegisters),
        halfRateVectors(options.halfRateVectors),
        zeroSkipPointwise(options.zeroSkipPointwise) {}

  bool run(func::FuncOp main);

private:
  // Storage bookkeeping -----------------------------------------------------
  int newStorage(Storage::Kind kind, size_t index, size_t bytes) {
    plan.storages.push_back({kind, index, bytes});
    return (int)plan.storages.size() - 1;
  }
  int addWeights(const std::vector<float> &data) {
    size_t floatsPerSlot = kAlignment / sizeof(float);
    size_t offset = plan.weights.size();
    plan.weights.insert(plan.weights.end(), data.begin(), data.end());
    plan.weights.resize((plan.weights.size() + floatsPerSlot - 1) /
                        floatsPerSlot * floatsPerSlot);
    return newStorage(Storage::Kind::Weight, offset * sizeof(float),
                      data.size() * sizeof(float));
  }
  TensorView view(Value v) {
    return {storageOf.lookup(v), shapeOf(v), offsetOf.lookup(v)};
  }
  bool fail(Operation *op, const std::string &msg) {
    error = kernelOrigin(op) + ": " + msg;
    return false;
  }
  std::optional<std::vector<float>> constantOf(Value v) {
    return readF32Constant(v);
  }

  /// Places the result of a compute op: in its slice of an elided concat's
  /// buffer, else in its own storage (see resultStorage).
  void place(Value result) {
    auto slice = sliceOf.find(result);
    if (slice != sliceOf.end()) {
      storageOf[result] = slice->second.first;
      offsetOf[result] = slice->second.second;
      return;
    }
    storageOf[result] = resultStorage(result);
  }

  /// Storage for the result of a compute op: the caller's output buffer
  /// when the value (through reshapes) is returned, else a new arena slot.
  int resultStorage(Value result) {
    auto it = outputRoot.find(result);
    if (it != outputRoot.end())
      return newStorage(Storage::Kind::Output, it->second, bytesOf(result));
    int s = newStorage(Storage::Kind::Arena, 0, bytesOf(result));
    arenaStorages.push_back(s);
    return s;
  }

  /// A copy kernel (Activation with no activation) from `src` to `dst`,
  /// both dense views of dst's shape.
  void emitCopy(TensorView src, TensorView dst, std::string origin) {
    KernelCall call;
    call.spec.kind = KernelKind::Activation;
    call.spec.name = "k" + std::to_string(plan.calls.size()) + "_copy";
    call.spec.inputShapes = {dst.shape};
    call.spec.outputShape = dst.shape;
    call.args = {std::move(src), std::move(dst)};
    call.origin = std::move(origin);
    plan.calls.push_back(std::move(call));
  }

  /// A kernel call over explicit views (inputs in spec order, then the
  /// output), for kernels whose operands are not all IR values.
  void emitViews(Operation *op, KernelSpec spec, std::vector<TensorView> args) {
    KernelCall call;
    spec.name = "k" + std::to_string(plan.calls.size()) + "_" +
                kernelKindName(spec.kind);
    for (char &c : spec.name)
      if (!isalnum((unsigned char)c))
        c = '_';
    for (size_t i = 0; i + 1 < args.size(); ++i)
      spec.inputShapes.push_back(args[i].shape);
    spec.outputShape = args.back().shape;
    call.args = std::move(args);
    call.spec = std::move(spec);
    call.origin = kernelOrigin(op);
    plan.calls.push_back(std::move(call));
  }

  /// A kernel call reading `inputs` and writing `result` (placed here).
  void emit(Operation *op, KernelSpec spec, ValueRange inputs, Value result) {
    std::vector<TensorView> args;
    for (Value in : inputs)
      args.push_back(view(in));
    place(result);
    args.push_back(view(result));
    emitViews(op, std::move(spec), std::move(args));
  }

  /// `lo` and `hi` are the op's clip_min / clip_max attributes: clip's
  /// bounds, hard_sigmoid's alpha and beta, leaky_relu's or elu's alpha,
  /// selu's alpha and gamma.
  bool setActivation(Operation *op, KernelSpec &spec, StringRef act,
                     float lo, float hi) {
    // The dialect's names are KernelSpec's (activationName).
    if (!parseActivation(act.str(), spec.activation))
      return fail(op, "unknown activation '" + act.str() + "'");
    if (spec.activation == Activation::Clip) {
      spec.clipMin = lo;
      spec.clipMax = hi;
    } else if (spec.activation == Activation::HardSigmoid ||
               spec.activation == Activation::LeakyRelu ||
               spec.activation == Activation::Elu ||
               spec.activation == Activation::Selu) {
      spec.actAlpha = lo;
      spec.actBeta = hi;
    }
    return true;
  }

  /// A fused kernel's inner stage activation: checked by name like the
  /// epilogue's; its two parameters (the dialect's clip_min / clip_max
  /// pair of that stage) travel as given.
  bool setStageActivation(Operation *op, StringRef act, float param0,
                          float param1, Activation &kind, float &p0,
                          float &p1) {
    KernelSpec stage;
    if (!setActivation(op, stage, act, param0, param1))
      return false;
    kind = stage.activation;
    p0 = param0;
    p1 = param1;
    return true;
  }

  /// The epilogue activation of an op with activation / clip_min / clip_max
  /// attributes.
  template <typename FusedOp>
  bool setEpilogueActivation(Operation *op, KernelSpec &spec, FusedOp c) {
    return setActivation(op, spec, c.getActivation(),
                         c.getClipMin().convertToFloat(),
                         c.getClipMax().convertToFloat());
  }

  /// The depthwise stage activation of a separable or inverted-residual op.
  template <typename FusedOp>
  bool setDepthwiseStage(Operation *op, KernelSpec &spec, FusedOp c) {
    return setStageActivation(op, c.getDwActivation(),
                              c.getDwClipMin().convertToFloat(),
                              c.getDwClipMax().convertToFloat(),
                              spec.dwActivation, spec.dwActParam0,
                              spec.dwActParam1);
  }

  /// Window attributes of a conv-like op whose (depthwise or dense) weight
  /// is `weight` [*, *, KH, KW].
  template <typename ConvLikeOp>
  void setWindow(KernelSpec &spec, ConvLikeOp c, Value weight) {
    auto w = shapeOf(weight);
    spec.kernel = {w[2], w[3]};
    spec.strides.assign(c.getStrides().begin(), c.getStrides().end());
    spec.pads.assign(c.getPads().begin(), c.getPads().end());
    spec.dilations.assign(c.getDilations().begin(), c.getDilations().end());
  }

  bool lower(Operation *op);

  // Conv weight packing (WeightPacking.h) --------------------------------
  /// The block a dense conv's constant weights are packed with, or 0.
  /// Convs reading or writing a channel-blocked tensor use channel vectors.
  int64_t packedWeightBlock(Conv2DOp conv) {
    Value w = conv.getWeight();
    if (!isa_and_nonnull<ConstantOp>(w.getDefiningOp()))
      return 0;
    if (layouts.channelVectorConvs.contains(conv))
      return kConvChannelVectorBlock;
    std::vector<int64_t> ws = shapeOf(w), y = shapeOf(conv.getResult());
    bool strided = llvm::any_of(conv.getStrides(),
                                [](int64_t s) { return s != 1; });
    return convWeightBlockFor(ws[0], ws[1], conv.getGroups(), y[2] * y[3],
                              ws[2] * ws[3], strided);
  }
  /// The block a separable conv's constant pointwise weights are packed
  /// with, or 0: a 1x1 conv's block when the op runs as two kernels
  /// (splitsSeparable), else channel vectors on small images.
  int64_t packedWeightBlock(SeparableConv2DOp sep) {
    Value w = sep.getPwWeight();
    if (!isa_and_nonnull<ConstantOp>(w.getDefiningOp()))
      return 0;
    std::vector<int64_t> ws = shapeOf(w), y = shapeOf(sep.getResult());
    if (splitsSeparable(sep))
      return convWeightBlockFor(ws[0], ws[1], 1, y[2] * y[3], 1,
                                /*strided=*/false);
    return ws[0] >= kConvChannelVectorBlock ? kConvChannelVectorBlock : 0;
  }
  /// The block an inverted residual's constant expand and project weights
  /// are packed with: 16 (every stage on channel vectors,
  /// algorithms/InvertedResidualChannelVectors.cpp) when the expanded
  /// channels are whole blocks of 16, else 0 (OIHW, the pixel-vector form).
  /// (MobileNetV2's six fused blocks, 1 thread: 3.18 -> 2.61 ms, sums of
  /// per-kernel minimums in a slow phase of the VM.)
  /// With --layout=nchw (the default on targets without 16-lane vectors)
  /// the pixel-vector form: on AVX2 the channel-vector one was slower
  /// (MobileNetV2's 56x56 and 28x28 blocks 8-39 %).
  int64_t packedWeightBlock(InvertedResidualOp ir) {
    if (layoutMode == ActivationLayoutMode::Nchw ||
        !isa_and_nonnull<ConstantOp>(ir.getExpandWeight().getDefiningOp()) ||
        !isa_and_nonnull<ConstantOp>(ir.getPwWeight().getDefiningOp()))
      return 0;
    int64_t E = shapeOf(ir.getExpandWeight())[0];
    return E % kConvChannelVectorBlock == 0 ? kConvChannelVectorBlock : 0;
  }
  /// Whether a fused separable kernel's depthwise stage runs on channel
  /// vectors (a channel-blocked argument: SeparableConv.cpp), so its
  /// constant depthwise weights are packed in blocks of 16 channels like
  /// an inverted residual's (one dense vector per tap, no per-call
  /// re-layout).
  bool packsDepthwiseWeights(SeparableConv2DOp sep) {
    return packedWeightBlock(sep) == kConvChannelVectorBlock &&
           !splitsSeparable(sep) &&
           isa_and_nonnull<ConstantOp>(sep.getDwWeight().getDefiningOp()) &&
           shapeOf(sep.getInput())[1] % kConvChannelVectorBlock == 0 &&
           (layouts.blocked.contains(sep.getInput()) ||
            layouts.blocked.contains(sep.getResult()));
  }
  /// A separable conv on an image larger than the channel-vector limit
  /// (14x14) runs as a depthwise kernel and a 1x1 kernel: there the fused
  /// kernel's pixel-vector stages were slower than the two (MobileNetV1's
  /// blocks on 112x112 to 28x28 images 15-35 %, MobileNetV2's first block
  /// 0.45 vs 0.33 ms at 1 thread), while on smaller images the fused
  /// channel-vector kernel is as fast or faster. (Inverted residual blocks,
  /// whose fused kernel also keeps the expanded tensor out of memory, stay
  /// one kernel.)
  ///
  /// A separable conv that reads or writes a channel-blocked tensor stays
  /// one kernel on any image: its channel-vector form (depthwise taps on
  /// 16-channel vectors of the blocked input) has neither the phase-split
  /// planes nor the wasted lanes of the pixel-vector one. (MobileNetV2's
  /// first block on 112x112: 0.17 + 0.10 ms as two kernels, about the same
  /// as one blocked kernel; the gain is its producer's: the stem writes
  /// blocked, without its transposing epilogue, 0.365 -> 0.215 ms, and the
  /// network's kernel sum drops 3.2 %.)
  bool splitsSeparable(SeparableConv2DOp sep) {
    std::vector<int64_t> y = shapeOf(sep.getResult());
    return y[2] * y[3] > kConvChannelVectorMaxPointwisePixels &&
           !layouts.blocked.contains(sep.getInput()) &&
           !layouts.blocked.contains(sep.getResult());
  }
  /// Whether a fused separable kernel's pointwise stage skips the zeros of
  /// its depthwise result (KernelSpec::zeroSkipPointwise,
  /// runtime/kiln_zero_skip_pointwise.h): a ReLU or ReLU6 depthwise stage
  /// (about half its outputs zero), the channel-vector form with whole
  /// blocks of 16 channels in and out, batch 1, at least 256 input
  /// channels (the compaction costs a few percent of a list of 64), every
  /// pointwise weight finite (a skipped 0 * inf would have been NaN).
  bool skipsPointwiseZeros(SeparableConv2DOp sep, const KernelSpec &spec) {
    if (!zeroSkipPointwise || !spec.blockedOutput || !spec.inputBlocked(0) ||
        spec.weightBlock != kConvChannelVectorBlock ||
        (spec.hasResidual && !spec.inputBlocked(5)))
      return false;
    bool zeroFloor =
        spec.dwActivation == Activation::Relu ||
        (spec.dwActivation == Activation::Clip && spec.dwActParam0 == 0.0f);
    bool epilogue = spec.activation == Activation::None ||
                    spec.activation == Activation::Relu ||
                    spec.activation == Activation::Clip;
    std::vector<int64_t> x = shapeOf(sep.getInput()),
                         y = shapeOf(sep.getResult());
    if (!zeroFloor || !epilogue || x[0] != 1 || x[1] < 256 ||
        x[1] % kConvChannelVectorBlock || y[1] % kConvChannelVectorBlock)
      return false;
    auto w = constantOf(sep.getPwWeight());
    return w && std::all_of(w->begin(), w->end(),
                            [](float v) { return std::isfinite(v); });
  }
  /// Whether an op runs in a channel-vector form, and so can read and
  /// write channel-blocked tensors (ActivationLayouts.h): a direct
  /// channel-vector conv, a fused separable conv with packed pointwise
  /// weights over whole blocks of input channels, an inverted residual
  /// with packed weights.
  bool channelVectorCapable(Operation *op) {
    if (auto ir = dyn_cast<InvertedResidualOp>(op))
      return packedWeightBlock(ir) != 0;
    if (auto sep = dyn_cast<SeparableConv2DOp>(op))
      // As one kernel (splitsSeparable is false once a neighbour is
      // blocked) with packed pointwise weights over whole input blocks.
      return isa_and_nonnull<ConstantOp>(sep.getPwWeight().getDefiningOp()) &&
             shapeOf(sep.getPwWeight())[0] >= kConvChannelVectorBlock &&
             shapeOf(sep.getInput())[1] % kConvChannelVectorBlock == 0;
    auto conv = dyn_cast<Conv2DOp>(op);
    if (!conv || conv.getGroups() != 1 ||
        !isa_and_nonnull<ConstantOp>(conv.getWeight().getDefiningOp()) ||
        winogradTileOf(conv))
      return false;
    return shapeOf(conv.getWeight())[0] >= kConvChannelVectorBlock;
  }
  /// Gives the call of `op` the channel-blocked views (and spec flags) of
  /// its blocked operands and result.
  void markBlockedArguments(Operation *op, KernelCall &call) {
    for (auto [i, v] : llvm::enumerate(op->getOperands()))
      if (layouts.blocked.contains(v)) {
        call.spec.blockedInputs |= 1u << i;
        call.args[i].shape = blockedActivationShape(call.args[i].shape);
      }
    if (op->getNumResults() == 1 &&
        layouts.blocked.contains(op->getResult(0))) {
      call.spec.blockedOutput = true;
      call.args.back().shape = blockedActivationShape(call.args.back().shape);
    }
  }

  /// A constant only read as packed (or Winograd-transformed) conv or
  /// dense weights gets no copy in its own layout.
  bool onlyPackedWeights(Value constant) {
    if (constant.use_empty())
      return false;
    for (OpOperand &use : constant.getUses()) {
      if (auto sep = dyn_cast<SeparableConv2DOp>(use.getOwner())) {
        bool packed =
            use.get() == sep.getPwWeight()
                ? packedWeightBlock(sep) != 0
                : use.get() == sep.getDwWeight() && packsDepthwiseWeights(sep);
        if (!packed)
          return false;
        continue;
      }
      if (auto ir = dyn_cast<InvertedResidualOp>(use.getOwner())) {
        if ((use.get() != ir.getExpandWeight() &&
             use.get() != ir.getDwWeight() && use.get() != ir.getPwWeight()) ||
            !packedWeightBlock(ir))
          return false;
        continue;
      }
      if (auto dense = dyn_cast<DenseOp>(use.getOwner())) {
        if (use.get() != dense.getWeight() || !packsDenseWeights(dense))
          return false;
        continue;
      }
      auto conv = dyn_cast<Conv2DOp>(use.getOwner());
      if (!conv || use.getOperandNumber() != 1 ||
          (!packedWeightBlock(conv) && !winogradTileOf(conv)))
        return false;
    }
    return true;
  }
  /// The Winograd output tile for a conv (WinogradLayout.h), or 0 for the
  /// direct conv. Needs constant weights: they are transformed here.
  int64_t winogradTileOf(Conv2DOp conv) {
    if (convAlgorithm == ConvAlgorithm::Direct ||
        !isa_and_nonnull<ConstantOp>(conv.getWeight().getDefiningOp()))
      return 0;
    std::vector<int64_t> ws = shapeOf(conv.getWeight());
    std::vector<int64_t> y = shapeOf(conv.getResult());
    std::vector<int64_t> strides(conv.getStrides().begin(),
                                 conv.getStrides().end());
    std::vector<int64_t> pads(conv.getPads().begin(), conv.getPads().end());
    std::vector<int64_t> dilations(conv.getDilations().begin(),
                                   conv.getDilations().end());
    if (!winogradApplies(conv.getGroups(), {ws[2], ws[3]}, strides, dilations,
                         pads))
      return 0;
    return winogradTileFor(ws[1], ws[0], y[2], y[3], ws[2], vectorRegisters,
                           strides[0], halfRateVectors);
  }
  /// Points a Winograd conv call's weights at their transform U = G w G^T.
  bool transformWinogradWeightsOf(Conv2DOp conv, int64_t tile,
                                  KernelCall &call) {
    Value w = conv.getWeight();
    std::vector<int64_t> shape = shapeOf(w);
    // Winograd applies at strides (1, 1) and (2, 2) only.
    int64_t stride = conv.getStrides()[0];
    std::vector<int64_t> uShape =
        winogradWeightShape(shape[0], shape[1], tile, shape[2], stride);
    // One transform per weights, tile and stride (the key's second half).
    int64_t variant = tile * 8 + stride;
    int storage = transformedStorage(
        conv, winogradStorageOf, std::make_pair(w, variant), w,
        [&](const std::vector<float> &data) {
          return winogradConvWeights(data, shape, tile, stride);
        });
    if (storage < 0)
      return false;
    call.spec.weightBlock = kWinogradBlock;
    call.spec.winogradTile = tile;
    call.spec.inputShapes[1] = uShape;
    call.args[1] = {storage, uShape, 0};
    return true;
  }
  llvm::DenseMap<std::pair<Value, int64_t>, int> winogradStorageOf;

  /// The storage of constant weights `w` rearranged by `transform` (their
  /// data -> the floats to store, empty if the data does not fit), cached
  /// in `cache` under `key` so each rearrangement is stored once; -1 after
  /// a failure reported on `op`.
  template <typename Key, typename Transform>
  int transformedStorage(Operation *op, llvm::DenseMap<Key, int> &cache,
                         const Key &key, Value w, Transform transform) {
    if (auto cached = cache.find(key); cached != cache.end())
      return cached->second;
    auto data = constantOf(w);
    if (!data) {
      fail(op, "constant weights are not readable as f32");
      return -1;
    }
    std::vector<float> stored = transform(*data);
    if (stored.empty()) {
      fail(op, "weights do not match their shape");
      return -1;
    }
    int storage = addWeights(stored);
    cache[key] = storage;
    return storage;
  }

  /// Points the conv call's weight argument at compile-time packed weights.
  bool packConvWeightsOf(Conv2DOp conv, KernelCall &call) {
    if (int64_t tile = winogradTileOf(conv))
      return transformWinogradWeightsOf(conv, tile, call);
    return packWeightsOf(conv, conv.getWeight(), packedWeightBlock(conv),
                         /*arg=*/1, call);
  }
  /// Points a separable conv call's pointwise weights at packed ones.
  bool packPointwiseWeightsOf(SeparableConv2DOp sep, KernelCall &call) {
    return packWeightsOf(sep, sep.getPwWeight(), packedWeightBlock(sep),
                         /*arg=*/3, call);
  }
  /// Points argument `arg` of `call` (the constant weights `w` of `op`) at
  /// `w` packed in blocks of `block` output channels (stored once per
  /// constant); block 0 keeps OIHW.
  bool packWeightsOf(Operation *op, Value w, int64_t block, size_t arg,
                     KernelCall &call) {
    if (!block)
      return true;
    std::vector<int64_t> shape = shapeOf(w);
    std::vector<int64_t> packedShape = packedConvWeightShape(shape, block);
    // Keyed by the block too: one constant may feed kernels that pack it
    // differently (a 1x1 conv and a separable op on different images).
    auto cached = packedStorageOf.find({w, block});
    int storage = cached != packedStorageOf.end() ? cached->second : -1;
    if (storage < 0) {
      auto data = constantOf(w);
      if (!data)
        return fail(op, "constant weights are not readable as f32");
      std::vector<float> packed = packConvWeights(*data, shape, block);
      if (packed.empty()) {
        // Not packable after all: keep OIHW (storing it if it was skipped).
        if (!storageOf.count(w))
          storageOf[w] = addWeights(*data);
        call.args[arg] = view(w);
        return true;
      }
      storage = addWeights(packed);
      packedStorageOf[{w, block}] = storage;
    }
    call.spec.weightBlock = block;
    call.spec.inputShapes[arg] = packedShape;
    call.args[arg] = {storage, packedShape, 0};
    return true;
  }
  llvm::DenseMap<std::pair<Value, int64_t>, int> packedStorageOf;

  /// Whether a dense layer's weights are stored packed (DenseWeightLayout.h).
  bool packsDenseWeights(DenseOp d) {
    std::vector<int64_t> ws = shapeOf(d.getWeight());
    return isa_and_nonnull<ConstantOp>(d.getWeight().getDefiningOp()) &&
           denseWeightsPackable(ws[0], ws[1]);
  }
  /// Points the dense call's weight argument at its weights packed in
  /// groups of 4 rows (stored once per constant).
  bool packDenseWeightsOf(DenseOp d, KernelCall &call) {
    if (!packsDenseWeights(d))
      return true;
    Value w = d.getWeight();
    std::vector<int64_t> ws = shapeOf(w);
    std::vector<int64_t> packedShape = packedDenseWeightShape(ws[0], ws[1]);
    int storage = transformedStorage(
        d, denseStorageOf, w, w, [&](const std::vector<float> &data) {
          return packDenseWeights(data, ws[0], ws[1]);
        });
    if (storage < 0)
      return false;
    call.spec.weightBlock = kDenseWeightRows;
    call.spec.inputShapes[1] = packedShape;
    call.args[1] = {storage, packedShape, 0};
    return true;
  }
  llvm::DenseMap<Value, int> denseStorageOf;

  /// A separable conv as a depthwise Conv2D kernel into an arena scratch
  /// tensor (live only between the two kernels) and a 1x1 Conv2D kernel
  /// with the op's epilogue.
  bool lowerSeparableAsTwoKernels(SeparableConv2DOp c) {
    Operation *op = c.getOperation();
    std::vector<int64_t> x = shapeOf(c.getInput()),
                         y = shapeOf(c.getResult());
    std::vector<int64_t> mid = {x[0], x[1], y[2], y[3]};
    int scratch = newStorage(Storage::Kind::Arena, 0,
                             sizeof(float) * (size_t)(mid[0] * mid[1] *
                                                      mid[2] * mid[3]));
    arenaStorages.push_back(scratch);
    TensorView midView{scratch, mid, 0};

    KernelSpec dw;
    dw.kind = KernelKind::Conv2D;
    setWindow(dw, c, c.getDwWeight());
    dw.groups = x[1];
    dw.hasBias = true;
    if (!setActivation(op, dw, c.getDwActivation(),
                       c.getDwClipMin().convertToFloat(),
                       c.getDwClipMax().convertToFloat()))
      return false;
    emitViews(op, dw,
              {view(c.getInput()), view(c.getDwWeight()), view(c.getDwBias()),
               midView});

    KernelSpec pw;
    pw.kind = KernelKind::Conv2D;
    pw.kernel = {1, 1};
    pw.hasBias = true;
    pw.hasResidual = (bool)c.getResidual();
    if (!setEpilogueActivation(op, pw, c))
      return false;
    place(c.getResult());
    std::vector<TensorView> args = {midView, view(c.getPwWeight()),
                                    view(c.getPwBias())};
    if (c.getResidual())
      args.push_back(view(c.getResidual()));
    args.push_back(view(c.getResult()));
    emitViews(op, pw, std::move(args));
    if (!packWeightsOf(op, c.getPwWeight(), packedWeightBlock(c), /*arg=*/1,
                       plan.calls.back()))
      return false;
    flattenPointwiseViews(plan.calls.back());
    return true;
  }

  /// A dense unpadded 1x1 conv's kernel sees its output planes (and at
  /// stride 1 its input's) as single rows, a small separable kernel its
  /// output's and residual's (kernels/PointwiseFlattening.h): so do its
  /// call's argument views.
  void flattenPointwiseViews(KernelCall &call) {
    std::vector<size_t> rewritten;
    if (flattensPointwiseConv(call.spec))
      rewritten = flattenPointwiseConv(call.spec);
    else if (flattensSeparablePointwise(call.spec))
      rewritten = flattenSeparablePointwise(call.spec);
    else
      return;
    for (size_t i : rewritten)
      call.args[i].shape = flatPlaneShape(call.args[i].shape);
    call.args.back().shape = flatPlaneShape(call.args.back().shape);
  }

  ModelPlan &plan;
  std::string &error;
  ConvAlgorithm convAlgorithm;
  ActivationLayoutMode layoutMode;
  int vectorRegisters;
  bool halfRateVectors;
  bool zeroSkipPointwise;
  void planConcatElision(func::FuncOp main);

  llvm::DenseMap<Value, int> storageOf;
  llvm::DenseMap<Value, size_t> offsetOf; // byte offset in the storage
  // Concat elision: each elided concat's buffer, and the slice (storage,
  // byte offset) each in-place input is written to.
  llvm::DenseMap<Operation *, int> concatStorage;
  llvm::DenseMap<Value, std::pair<int, size_t>> sliceOf;
  llvm::DenseMap<Value, size_t> outputRoot; // value -> model output index
  std::vector<int> arenaStorages;
  ActivationLayoutPlan layouts;
};

bool Kernelizer::lower(Operation *op) {
  if (std::optional<ActivationAttrs> act = activationOf(op)) {
    KernelSpec spec;
    spec.kind = KernelKind::Activation;
    if (!setActivation(op, spec, act->name, act->param0, act->param1))
      return false;
    emit(op, spec, op->getOperands(), op->getResult(0));
    return true;
  }
  return llvm::TypeSwitch<Operation *, bool>(op)
      .Case<ConstantOp>([&](ConstantOp c) {
        if (onlyPackedWeights(c.getResult()))
          return true; // Stored packed, per kernel (packConvWeightsOf, ...).
        auto data = readF32Constant(c.getResult());
        if (!data)
          return fail(op, "constant data is not readable as f32");
        storageOf[c.getResult()] = addWeights(*data);
        return true;
      })
      .Case<ReshapeOp>([&](ReshapeOp r) {
        // A dense tensor reinterpreted: same bytes, new shape. If it is a
        // returned value with its own output buffer, copy instead.
        if (outputRoot.count(r.getResult())) {
          // Copy with the output's shape: reinterpret the input view.
          TensorView src = view(r.getInput());
          src.shape = shapeOf(r.getResult());
          storageOf[r.getResult()] = resultStorage(r.getResult());
          emitCopy(std::move(src), view(r.getResult()), kernelOrigin(op));
          return true;
        }
        storageOf[r.getResult()] = storageOf.lookup(r.getInput());
        offsetOf[r.getResult()] = offsetOf.lookup(r.getInput());
        return true;
      })
      .Case<Conv2DOp>([&](Conv2DOp c) {
        KernelSpec spec;
        spec.kind = KernelKind::Conv2D;
        setWindow(spec, c, c.getWeight());
        spec.groups = c.getGroups();
        spec.hasBias = (bool)c.getBias();
        spec.hasResidual = (bool)c.getResidual();
        if (!setEpilogueActivation(op, spec, c))
          return false;
        emit(op, spec, op->getOperands(), c.getResult());
        if (!packConvWeightsOf(c, plan.calls.back()))
          return false;
        flattenPointwiseViews(plan.calls.back());
        markBlockedArguments(op, plan.calls.back());
        return true;
      })
      .Case<SeparableConv2DOp>([&](SeparableConv2DOp c) {
        if (splitsSeparable(c))
          return lowerSeparableAsTwoKernels(c);
        KernelSpec spec;
        spec.kind = KernelKind::SeparableConv2D;
        setWindow(spec, c, c.getDwWeight());
        spec.hasBias = true;
        spec.hasResidual = (bool)c.getResidual();
        if (!setDepthwiseStage(op, spec, c) ||
            !setEpilogueActivation(op, spec, c))
          return false;
        emit(op, spec, op->getOperands(), c.getResult());
        markBlockedArguments(op, plan.calls.back());
        if (!packPointwiseWeightsOf(c, plan.calls.back()) ||
            (packsDepthwiseWeights(c) &&
             !packWeightsOf(op, c.getDwWeight(), kConvChannelVectorBlock,
                            /*arg=*/1, plan.calls.back())))
          return false;
        flattenPointwiseViews(plan.calls.back());
        plan.calls.back().spec.zeroSkipPointwise =
            skipsPointwiseZeros(c, plan.calls.back().spec);
        return true;
      })
      .Case<InvertedResidualOp>([&](InvertedResidualOp c) {
        KernelSpec spec;
        spec.kind = KernelKind::InvertedResidual;
        setWindow(spec, c, c.getDwWeight());
        spec.hasBias = true;
        spec.hasResidual = (bool)c.getResidual();
        if (!setStageActivation(op, c.getExpandActivation(),
                                c.getExpandClipMin().convertToFloat(),
                                c.getExpandClipMax().convertToFloat(),
                                spec.exActivation, spec.exActParam0,
                                spec.exActParam1) ||
            !setDepthwiseStage(op, spec, c) ||
            !setEpilogueActivation(op, spec, c))
          return false;
        emit(op, spec, op->getOperands(), c.getResult());
        markBlockedArguments(op, plan.calls.back());
        int64_t block = packedWeightBlock(c);
        return packWeightsOf(op, c.getExpandWeight(), block, /*arg=*/1,
                             plan.calls.back()) &&
               packWeightsOf(op, c.getDwWeight(), block, /*arg=*/3,
                             plan.calls.back()) &&
               packWeightsOf(op, c.getPwWeight(), block, /*arg=*/5,
                             plan.calls.back());
      })
      .Case<BatchNormOp>([&](BatchNormOp bn) {
        auto scale = constantOf(bn.getScale()), bias = constantOf(bn.getBias()),
             mean = constantOf(bn.getMean()), var = constantOf(bn.getVariance());
        if (!scale || !bias || !mean || !var) {
          // Parameters computed at run time (or graph inputs): normalize
          // per element instead of folding into a scale and shift.
          KernelSpec spec;
          spec.kind = KernelKind::BatchNorm;
          spec.epsilon = bn.getEpsilon().convertToFloat();
          emit(op, spec, op->getOperands(), bn.getResult());
          return true;
        }
        // y = x * s + t with s = scale / sqrt(var + eps), t = bias - mean * s.
        float eps = bn.getEpsilon().convertToFloat();
        std::vector<float> s(scale->size()), t(scale->size());
        for (size_t i = 0; i < s.size(); ++i) {
          s[i] = (*scale)[i] / std::sqrt((*var)[i] + eps);
          t[i] = (*bias)[i] - (*mean)[i] * s[i];
        }
        KernelSpec spec;
        spec.kind = KernelKind::ChannelAffine;
        int sStorage = addWeights(s), tStorage = addWeights(t);
        std::vector<int64_t> cshape = {(int64_t)s.size()};
        KernelCall call;
        spec.name = "k" + std::to_string(plan.calls.size()) + "_ChannelAffine";
        spec.inputShapes = {shapeOf(bn.getInput()), cshape, cshape};
        spec.outputShape = shapeOf(bn.getResult());
        place(bn.getResult());
        call.args = {view(bn.getInput()), {sStorage, cshape},
                     {tStorage, cshape}, view(bn.getResult())};
        call.spec = spec;
        call.origin = kernelOrigin(op);
        plan.calls.push_back(std::move(call));
        return true;
      })
      .Case<AddOp>([&](AddOp a) {
        KernelSpec spec;
        spec.kind = KernelKind::Add;
        emit(op, spec, op->getOperands(), a.getResult());
        return true;
      })
      .Case<MulOp>([&](MulOp m) {
        KernelSpec spec;
        spec.kind = KernelKind::Mul;
        emit(op, spec, op->getOperands(), m.getResult());
        return true;
      })
      .Case<LRNOp>([&](LRNOp l) {
        KernelSpec spec;
        spec.kind = KernelKind::LRN;
        spec.size = l.getSizeAttr().getInt();
        spec.alpha = l.getAlpha().convertToFloat();
        spec.beta = l.getBeta().convertToFloat();
        spec.bias = l.getBias().convertToFloat();
        emit(op, spec, op->getOperands(), l.getResult());
        return true;
      })
      .Case<PadOp>([&](PadOp p) {
        // A pad kiln-fold-pad could not fold into a window op.
        KernelSpec spec;
        spec.kind = KernelKind::Pad;
        spec.pads.assign(p.getPads().begin(), p.getPads().end());
        spec.padValue = p.getValue().convertToFloat();
        if (!parsePadMode(p.getMode().str(), spec.padMode))
          return fail(op, "has an unknown pad mode '" + p.getMode().str() + "'");
        emit(op, spec, op->getOperands(), p.getResult());
        return true;
      })
      .Case<TransposeOp>([&](TransposeOp t) {
        KernelSpec spec;
        spec.kind = KernelKind::Transpose;
        spec.perm.assign(t.getPerm().begin(), t.getPerm().end());
        emit(op, spec, op->getOperands(), t.getResult());
        return true;
      })
      .Case<SliceOp>([&](SliceOp sl) {
        // A window that is one run of the input's bytes is a view of them
        // (no kernel), unless it must land in its own buffer: a returned
        // value, or an input an elided concat has its producer write.
        Value result = sl.getResult();
        if (auto offset = contiguousSliceOffset(sl);
            offset && !outputRoot.count(result) && !sliceOf.count(result)) {
          storageOf[result] = storageOf.lookup(sl.getInput());
          offsetOf[result] = offsetOf.lookup(sl.getInput()) + *offset;
          ++plan.sliceViews;
          return true;
        }
        KernelSpec spec;
        spec.kind = KernelKind::Slice;
        spec.sliceStarts.assign(sl.getStarts().begin(), sl.getStarts().end());
        spec.sliceSteps.assign(sl.getSteps().begin(), sl.getSteps().end());
        emit(op, spec, op->getOperands(), sl.getResult());
        return true;
      })
      .Case<PReluOp>([&](PReluOp p) {
        KernelSpec spec;
        spec.kind = KernelKind::PRelu;
        emit(op, spec, op->getOperands(), p.getResult());
        return true;
      })
      .Case<ConvTranspose2DOp>([&](ConvTranspose2DOp c) {
        KernelSpec spec;
        spec.kind = KernelKind::ConvTranspose2D;
        setWindow(spec, c, c.getWeight());
        spec.groups = c.getGroups();
        spec.hasBias = (bool)c.getBias();
        if (!setEpilogueActivation(op, spec, c))
          return false;
        emit(op, spec, op->getOperands(), c.getResult());
        return true;
      })
      .Case<ResizeOp>([&](ResizeOp r) {
        KernelSpec spec;
        spec.kind = KernelKind::Resize;
        if (!parseResizeMode(r.getMode().str(), spec.resizeMode) ||
            !parseCoordMode(r.getCoordinateTransformationMode().str(),
                            spec.coordMode) ||
            !parseNearestMode(r.getNearestMode().str(), spec.nearestMode))
          return fail(op, "has an unknown mode");
        spec.resizeScales.assign(r.getScales().begin(), r.getScales().end());
        spec.cubicCoeffA = r.getCubicCoeffA().convertToFloat();
        spec.excludeOutside = r.getExcludeOutside();
        emit(op, spec, op->getOperands(), r.getResult());
        return true;
      })
      .Case<ReduceOp>([&](ReduceOp r) {
        KernelSpec spec;
        spec.kind = KernelKind::Reduce;
        if (!parseReduceKind(r.getKind().str(), spec.reduce))
          return fail(op, "has an unknown kind '" + r.getKind().str() + "'");
        spec.axes.assign(r.getAxes().begin(), r.getAxes().end());
        spec.keepdims = r.getKeepdims();
        emit(op, spec, op->getOperands(), r.getResult());
        return true;
      })
      .Case<MaxPool2DOp>([&](MaxPool2DOp p) {
        KernelSpec spec;
        spec.kind = KernelKind::MaxPool2D;
        spec.kernel.assign(p.getKernelShape().begin(), p.getKernelShape().end());
        spec.strides.assign(p.getStrides().begin(), p.getStrides().end());
        spec.pads.assign(p.getPads().begin(), p.getPads().end());
        spec.dilations.assign(p.getDilations().begin(), p.getDilations().end());
        emit(op, spec, op->getOperands(), p.getResult());
        markBlockedArguments(op, plan.calls.back());
        return true;
      })
      .Case<AvgPool2DOp>([&](AvgPool2DOp p) {
        KernelSpec spec;
        spec.kind = KernelKind::AvgPool2D;
        spec.kernel.assign(p.getKernelShape().begin(), p.getKernelShape().end());
        spec.strides.assign(p.getStrides().begin(), p.getStrides().end());
        spec.pads.assign(p.getPads().begin(), p.getPads().end());
        spec.countIncludePad = p.getCountIncludePad();
        emit(op, spec, op->getOperands(), p.getResult());
        return true;
      })
      .Case<GlobalAvgPoolOp>([&](GlobalAvgPoolOp p) {
        KernelSpec spec;
        spec.kind = KernelKind::GlobalAvgPool;
        emit(op, spec, op->getOperands(), p.getResult());
        markBlockedArguments(op, plan.calls.back());
        return true;
      })
      .Case<ConcatOp>([&](ConcatOp c) {
        auto elided = concatStorage.find(c);
        if (elided == concatStorage.end()) {
          KernelSpec spec;
          spec.kind = KernelKind::Concat;
          spec.axis = c.getAxis();
          emit(op, spec, op->getOperands(), c.getResult());
          ++plan.concatCopies;
          return true;
        }
        // The producers wrote their slices already; copy the other inputs.
        int s = elided->second;
        storageOf[c.getResult()] = s;
        size_t offset = 0;
        for (Value in : c.getInputs()) {
          if (!sliceOf.count(in)) {
            emitCopy(view(in), {s, shapeOf(in), offset}, kernelOrigin(op));
            ++plan.concatCopies;
          }
          offset += bytesOf(in);
        }
        return true;
      })
      .Case<DenseOp>([&](DenseOp d) {
        KernelSpec spec;
        spec.kind = KernelKind::Dense;
        spec.hasBias = (bool)d.getBias();
        if (!setEpilogueActivation(op, spec, d))
          return false;
        emit(op, spec, op->getOperands(), d.getResult());
        return packDenseWeightsOf(d, plan.calls.back());
      })
      .Case<SoftmaxOp>([&](SoftmaxOp s) {
        KernelSpec spec;
        spec.kind = KernelKind::Softmax;
        spec.axis = s.getAxis();
        emit(op, spec, op->getOperands(), s.getResult());
        return true;
      })
      .Default([&](Operation *) {
        return fail(op, "has no kernel (unsupported by the backend)");
      });
}

/// Concat elision: a concat whose inputs are contiguous slices of its
/// result (every dimension before the axis is 1, e.g. Inception's channel
/// concat at batch 1) gets its buffer up front, and each input produced by
/// a kernel for this concat alone is written straight into its slice.
void Kernelizer::planConcatElision(func::FuncOp main) {
  main.walk([&](ConcatOp c) {
    auto shape = shapeOf(c.getResult());
    for (int64_t d = 0; d < (int64_t)c.getAxis(); ++d)
      if (shape[d] != 1)
        return;
    int s = resultStorage(c.getResult());
    concatStorage[c] = s;
    size_t offset = 0;
    llvm::SmallPtrSet<Value, 8> seen;
    for (Value in : c.getInputs()) {
      Operation *producer = in.getDefiningOp();
      bool inPlace = producer && !isa<ConstantOp, ReshapeOp, ConcatOp>(producer) &&
                     in.hasOneUse() && !outputRoot.count(in) &&
                     seen.insert(in).second;
      if (inPlace)
        sliceOf[in] = {s, offset};
      offset += bytesOf(in);
    }
  });
}

bool Kernelizer::run(func::FuncOp main) {
  // Model inputs.
  for (auto [i, arg] : llvm::enumerate(main.getArguments())) {
    auto name = main.getArgAttrOfType<StringAttr>(i, kTensorNameAttr);
    plan.inputs.push_back(
        {name ? name.str() : "input_" + std::to_string(i), shapeOf(arg)});
    storageOf[arg] = newStorage(Storage::Kind::Input, i, bytesOf(arg));
  }
  auto ret = cast<func::ReturnOp>(main.getBody().front().getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    auto name = main.getResultAttrOfType<StringAttr>(i, kTensorNameAttr);
    plan.outputs.push_back(
        {name ? name.str() : "output_" + std::to_string(i), shapeOf(v)});
    // The first output a value feeds gets written in place by its producer;
    // returning an input or constant, or one value twice, needs a copy.
    if (!outputRoot.count(v) && v.getDefiningOp() &&
        !isa<ConstantOp>(v.getDefiningOp()))
      outputRoot[v] = i;
  }
  planConcatElision(main);
  if (layoutMode != ActivationLayoutMode::Nchw)
    layouts = planActivationLayouts(
        main, [&](Operation *op) { return channelVectorCapable(op); },
        [&](Operation *op) {
          auto conv = dyn_cast<Conv2DOp>(op);
          return conv && winogradTileOf(conv) != 0;
        },
        [&](Value v) { return outputRoot.count(v) || sliceOf.count(v); },
        [&](Operation *op) {
          auto concat = dyn_cast<ConcatOp>(op);
          return concat && concatStorage.count(concat) &&
                 llvm::all_of(concat.getInputs(),
                              [&](Value in) { return sliceOf.count(in); });
        });
  for (Operation &op : main.getBody().front().without_terminator())
    if (!lower(&op))
      return false;
  // Outputs that were not written in place: copy into the caller's buffer.
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    auto it = outputRoot.find(v);
    if (it != outputRoot.end() && it->second == i)
      continue;
    int out = newStorage(Storage::Kind::Output, i, bytesOf(v));
    emitCopy(view(v), {out, shapeOf(v)}, "output '" + plan.outputs[i].name + "'");
  }
  // Arena: each arena tensor lives from its writer to its last reader.
  std::vector<ArenaRequest> requests;
  llvm::DenseMap<int, size_t> requestOf;
  for (int s : arenaStorages) {
    requestOf[s] = requests.size();
    requests.push_back({plan.storages[s].bytes, -1, -1});
  }
  for (auto [k, call] : llvm::enumerate(plan.calls))
    for (auto [a, arg] : llvm::enumerate(call.args)) {
      auto it = requestOf.find(arg.storage);
      if (it == requestOf.end())
        continue;
      ArenaRequest &r = requests[it->second];
      if (r.firstKernel < 0)
        r.firstKernel = (int)k;
      r.lastKernel = (int)k;
    }
  for (ArenaRequest &r : requests) {
    if (r.firstKernel < 0) // never touched: keep it harmless
      r.firstKernel = r.lastKernel = 0;
    plan.arenaBytesWithoutReuse += r.bytes;
  }
  shareResidualsInPlace(plan, requests, requestOf);
  auto offsets = planArena(requests, kAlignment, plan.arenaBytes);
  for (auto [s, r] : requestOf)
    plan.storages[s].index = offsets[r];
  return true;
}

} // namespace

std::string kernelOrigin(Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "'" << op->getName() << "'";
  // A fused op (e.g. separable_conv2d) carries the names of every ONNX
  // node it replaced.
  std::vector<std::string> nodes;
  op->getLoc()->walk([&](Location inner) {
    if (auto name = dyn_cast<NameLoc>(inner))
      nodes.push_back(name.getName().str());
    return WalkResult::advance();
  });
  if (nodes.size() == 1)
    os << " (node '" << nodes[0] << "')";
  else if (!nodes.empty()) {
    os << " (nodes ";
    for (size_t i = 0; i < nodes.size(); ++i)
      os << (i ? " + '" : "'") << nodes[i] << "'";
    os << ")";
  }
  return s;
}

std::optional<ModelPlan> kernelizeModule(ModuleOp module,
                                         const std::string &name,
                                         std::string &error,
                                         const KernelizeOptions &options) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main || main.getBody().getBlocks().size() != 1) {
    error = "the module has no single-block function @main";
    return std::nullopt;
  }
  ModelPlan plan;
  plan.name = name;
  Kernelizer k(plan, error, options);
  if (!k.run(main))
    return std::nullopt;
  return plan;
}

} // namespace kiln
