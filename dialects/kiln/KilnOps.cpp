//===- KilnOps.cpp - kiln op verifiers and shape inference ----------------===//
//
// Shape rules follow ONNX. Each verifier re-derives the result shape with the
// same function that inference uses, so a hand-written result type that
// disagrees is rejected with a message naming the op.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/KilnOps.h"
#include "dialects/kiln/Activations.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace kiln;

namespace {

RankedTensorType f32Tensor(MLIRContext *ctx, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, Float32Type::get(ctx));
}

/// Output extent of one spatial dim of a sliding window (ONNX formula).
/// Returns failure (with a message) when the window does not fit.
/// `padsBelowKernel` is the ONNX pooling rule: a pad as large as the kernel
/// would make windows that see only padding (nothing to take the max of).
FailureOr<int64_t> windowOutput(std::optional<Location> loc, StringRef opName,
                                int64_t in, int64_t kernel, int64_t stride,
                                int64_t padBegin, int64_t padEnd,
                                int64_t dilation, bool ceilMode,
                                bool padsBelowKernel) {
  auto fail = [&](const Twine &msg) -> FailureOr<int64_t> {
    if (loc)
      emitError(*loc) << "'" << opName << "' " << msg;
    return failure();
  };
  if (stride <= 0)
    return fail("stride must be positive, got " + Twine(stride));
  if (dilation <= 0)
    return fail("dilation must be positive, got " + Twine(dilation));
  if (kernel <= 0)
    return fail("kernel size must be positive, got " + Twine(kernel));
  if (padBegin < 0 || padEnd < 0)
    return fail("pads must be non-negative, got " + Twine(padBegin) + " and " +
                Twine(padEnd));
  if (padsBelowKernel && (padBegin >= kernel || padEnd >= kernel))
    return fail("pads must be smaller than the kernel size " + Twine(kernel) +
                ", got " + Twine(padBegin) + " and " + Twine(padEnd));
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t padded = in + padBegin + padEnd;
  if (padded < span)
    return fail("window of " + Twine(span) + " does not fit input of " +
                Twine(in) + " (+ padding)");
  int64_t out = ceilMode ? (padded - span + stride - 1) / stride + 1
                         : (padded - span) / stride + 1;
  // ONNX/PyTorch: the last window must start inside the input or left pad.
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

LogicalResult checkArray(std::optional<Location> loc, StringRef opName,
                         StringRef attr, ArrayRef<int64_t> values,
                         size_t size) {
  if (values.size() == size)
    return success();
  if (loc)
    emitError(*loc) << "'" << opName << "' attribute '" << attr << "' needs "
                    << size << " values, got " << values.size();
  return failure();
}

/// Result shape of a 2-D window op over NxCxHxW.
FailureOr<SmallVector<int64_t>>
windowResultShape(std::optional<Location> loc, StringRef opName,
                  ArrayRef<int64_t> in, int64_t outChannels,
                  ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                  ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
                  bool ceilMode, bool padsBelowKernel) {
  if (failed(checkArray(loc, opName, "kernel_shape", kernel, 2)) ||
      failed(checkArray(loc, opName, "strides", strides, 2)) ||
      failed(checkArray(loc, opName, "pads", pads, 4)) ||
      failed(checkArray(loc, opName, "dilations", dilations, 2)))
    return failure();
  SmallVector<int64_t> out = {in[0], outChannels, 0, 0};
  for (int d = 0; d < 2; ++d) {
    auto extent =
        windowOutput(loc, opName, in[2 + d], kernel[d], strides[d], pads[d],
                     pads[d + 2], dilations[d], ceilMode, padsBelowKernel);
    if (failed(extent))
      return failure();
    out[2 + d] = *extent;
  }
  return out;
}

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// Builders call inferReturnTypes before the ODS type constraints have run,
/// so inference checks the operands it indexes itself instead of crashing:
/// each must be a tensor with static, positive dimensions and, when `rank`
/// is non-zero, that rank.
LogicalResult checkInferenceOperands(std::optional<Location> loc,
                                     StringRef opName, ValueRange operands,
                                     int64_t rank = 0) {
  for (Value v : operands) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    bool ok = type && (rank == 0 || type.getRank() == rank) &&
              llvm::all_of(type.getShape(), [](int64_t d) { return d > 0; });
    if (ok)
      continue;
    if (loc) {
      InFlightDiagnostic diag = emitError(*loc);
      diag << "'" << opName << "' operand type " << v.getType() << " is not a ";
      if (rank)
        diag << rank << "-D ";
      diag << "tensor with static, non-zero dimensions";
    }
    return failure();
  }
  return success();
}

/// "1x64x56x56", the way tensor types spell shapes.
std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(shape, os, "x");
  return text;
}

LogicalResult verifyInferredShape(Operation *op, ArrayRef<int64_t> inferred) {
  auto actual = cast<RankedTensorType>(op->getResult(0).getType()).getShape();
  if (actual == inferred)
    return success();
  return op->emitOpError() << "result shape " << formatShape(actual)
                           << " does not match the inferred shape "
                           << formatShape(inferred);
}

/// inferReturnTypes of an op with one f32 result: once `checked` are
/// tensors with static, non-zero dims (of `rank`, when not 0), the result
/// has the shape `shape()` derives (which reports its errors at `loc`).
template <typename ShapeFn>
LogicalResult inferResult(MLIRContext *ctx, std::optional<Location> loc,
                          StringRef opName, ValueRange checked, int64_t rank,
                          SmallVectorImpl<Type> &results, ShapeFn shape) {
  if (failed(checkInferenceOperands(loc, opName, checked, rank)))
    return failure();
  FailureOr<SmallVector<int64_t>> inferred = shape();
  if (failed(inferred))
    return failure();
  results.push_back(f32Tensor(ctx, *inferred));
  return success();
}

/// A verifier's last check: the result type has `shape`, the derivation
/// inference uses (a failed one has reported its error already).
LogicalResult verifyResultShape(Operation *op,
                                const FailureOr<SmallVector<int64_t>> &shape) {
  return failed(shape) ? failure() : verifyInferredShape(op, *shape);
}

/// `lo` and `hi` are the clip_min / clip_max attributes: clip's bounds,
/// hard_sigmoid's alpha and beta, leaky_relu's or elu's alpha, selu's
/// alpha and gamma.
LogicalResult verifyActivation(Operation *op, StringRef act, float lo,
                               float hi) {
  if (!isActivationName(act))
    return op->emitOpError() << "unknown activation '" << act << "' (expected "
                             << activationNameList() << ")";
  if (act == "clip" && (std::isnan(lo) || std::isnan(hi)))
    return op->emitOpError() << "clip_min and clip_max must not be NaN";
  if (act == "clip" && lo > hi)
    return op->emitOpError() << "clip_min " << lo << " exceeds clip_max " << hi;
  if (act == "hard_sigmoid" && !(std::isfinite(lo) && std::isfinite(hi)))
    return op->emitOpError()
           << "hard_sigmoid alpha (clip_min) " << lo << " and beta (clip_max) "
           << hi << " must be finite";
  if ((act == "leaky_relu" || act == "elu") && !std::isfinite(lo))
    return op->emitOpError()
           << act << " alpha (clip_min) " << lo << " must be finite";
  if (act == "selu" && !(std::isfinite(lo) && std::isfinite(hi)))
    return op->emitOpError() << "selu alpha (clip_min) " << lo
                             << " and gamma (clip_max) " << hi
                             << " must be finite";
  return success();
}

/// A bias has one element per channel of what it is added to (`what`).
LogicalResult verifyBiasLength(Operation *op, Value bias, StringRef name,
                               int64_t want, StringRef what) {
  if (shapeOf(bias)[0] == want)
    return success();
  return op->emitOpError() << name << " has " << shapeOf(bias)[0]
                           << " elements but there are " << want << " "
                           << what;
}

/// A fused residual operand has the result's shape.
LogicalResult verifyResidualShape(Operation *op, Value residual,
                                  ArrayRef<int64_t> result) {
  if (!residual || shapeOf(residual) == result)
    return success();
  return op->emitOpError() << "residual operand shape "
                           << formatShape(shapeOf(residual))
                           << " differs from the result shape "
                           << formatShape(result);
}

} // namespace

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult ConstantOp::verify() {
  if (getValue().getType() != getType())
    return emitOpError() << "value type " << getValue().getType()
                         << " does not match result type " << getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

/// Parses the optional epilogue operands `(, bias %b)? (, residual %r)?`.
static ParseResult
parseConvEpilogue(OpAsmParser &parser,
                  std::optional<OpAsmParser::UnresolvedOperand> &bias,
                  std::optional<OpAsmParser::UnresolvedOperand> &residual) {
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc keywordLoc = parser.getCurrentLocation();
    StringRef keyword;
    if (parser.parseKeyword(&keyword))
      return failure();
    std::optional<OpAsmParser::UnresolvedOperand> *slot = nullptr;
    if (keyword == "bias" && !residual)
      slot = &bias;
    else if (keyword == "residual")
      slot = &residual;
    else
      return parser.emitError(keywordLoc)
             << "'kiln.conv2d' expected 'bias' or 'residual' (in that order), "
                "got '"
             << keyword << "'";
    if (slot->has_value())
      return parser.emitError(keywordLoc)
             << "'kiln.conv2d' has more than one " << keyword << " operand";
    OpAsmParser::UnresolvedOperand operand;
    if (parser.parseOperand(operand))
      return failure();
    *slot = operand;
  }
  return success();
}

static void printConvEpilogue(OpAsmPrinter &printer, Operation *, Value bias,
                              Value residual) {
  if (bias)
    printer << ", bias " << bias;
  if (residual)
    printer << ", residual " << residual;
}

static FailureOr<SmallVector<int64_t>>
conv2DShape(std::optional<Location> loc, Conv2DOp::Adaptor a) {
  auto in = shapeOf(a.getInput()), w = shapeOf(a.getWeight());
  int64_t groups = a.getGroups();
  auto fail = [&](const Twine &msg) -> FailureOr<SmallVector<int64_t>> {
    if (loc)
      emitError(*loc) << "'kiln.conv2d' " << msg;
    return failure();
  };
  if (groups <= 0)
    return fail("groups must be positive, got " + Twine(groups));
  if (in[1] % groups != 0)
    return fail("input channels " + Twine(in[1]) +
                " are not divisible by groups " + Twine(groups));
  if (w[0] % groups != 0)
    return fail("output channels " + Twine(w[0]) +
                " are not divisible by groups " + Twine(groups));
  if (w[1] * groups != in[1])
    return fail("weight expects " + Twine(w[1] * groups) + " input channels (" +
                Twine(w[1]) + " per group x " + Twine(groups) +
                " groups) but the input has " + Twine(in[1]));
  return windowResultShape(loc, "kiln.conv2d", in, w[0], {w[2], w[3]},
                           a.getStrides(), a.getPads(), a.getDilations(),
                           /*ceilMode=*/false, /*padsBelowKernel=*/false);
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         ValueRange operands,
                                         DictionaryAttr attrs,
                                         OpaqueProperties props, RegionRange,
                                         SmallVectorImpl<Type> &results) {
  Conv2DOp::Adaptor a(operands, attrs, props);
  return inferResult(ctx, loc, getOperationName(),
                     {a.getInput(), a.getWeight()}, 4, results,
                     [&] { return conv2DShape(loc, a); });
}

LogicalResult Conv2DOp::verify() {
  auto shape = conv2DShape(getLoc(), Adaptor(*this));
  if (failed(shape))
    return failure();
  if ((getBias() && failed(verifyBiasLength(*this, getBias(), "bias",
                                             shapeOf(getWeight())[0],
                                             "output channels"))) ||
      failed(verifyResidualShape(*this, getResidual(), *shape)))
    return failure();
  if (failed(verifyActivation(*this, getActivation(),
                              getClipMin().convertToFloat(),
                              getClipMax().convertToFloat())))
    return failure();
  return verifyInferredShape(*this, *shape);
}

//===----------------------------------------------------------------------===//
// ConvTranspose2DOp
//===----------------------------------------------------------------------===//

static FailureOr<SmallVector<int64_t>>
convTranspose2DShape(std::optional<Location> loc,
                     ConvTranspose2DOp::Adaptor a) {
  auto in = shapeOf(a.getInput()), w = shapeOf(a.getWeight());
  ArrayRef<int64_t> strides = a.getStrides(), pads = a.getPads(),
                    dilations = a.getDilations(),
                    outputPadding = a.getOutputPadding();
  int64_t groups = a.getGroups();
  auto fail = [&](const Twine &msg) -> FailureOr<SmallVector<int64_t>> {
    if (loc)
      emitError(*loc) << "'kiln.conv_transpose2d' " << msg;
    return failure();
  };
  if (strides.size() != 2 || pads.size() != 4 || dilations.size() != 2 ||
      outputPadding.size() != 2)
    return fail("needs 2 strides, 4 pads, 2 dilations and 2 output_padding "
                "values");
  if (groups < 1 || in[1] % groups)
    return fail("groups " + Twine(groups) + " must divide the " +
                Twine(in[1]) + " input channels");
  if (w[0] != in[1])
    return fail("weight " + formatShape(w) + " must have the input's " +
                Twine(in[1]) + " channels first");
  SmallVector<int64_t> out = {in[0], w[1] * groups, 0, 0};
  for (int i = 0; i < 2; ++i) {
    if (strides[i] < 1 || dilations[i] < 1)
      return fail("strides and dilations must be positive");
    if (pads[i] < 0 || pads[i + 2] < 0 || outputPadding[i] < 0)
      return fail("pads and output_padding must not be negative");
    if (outputPadding[i] >= std::max(strides[i], dilations[i]))
      return fail("output_padding " + Twine(outputPadding[i]) +
                  " must be below the stride or the dilation");
    int64_t extent = strides[i] * (in[2 + i] - 1) + outputPadding[i] +
                     (w[2 + i] - 1) * dilations[i] + 1 - pads[i] -
                     pads[i + 2];
    if (extent < 1)
      return fail("the pads leave no output along spatial dim " + Twine(i));
    out[2 + i] = extent;
  }
  return out;
}

LogicalResult ConvTranspose2DOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, ValueRange operands,
    DictionaryAttr attrs, OpaqueProperties props, RegionRange,
    SmallVectorImpl<Type> &results) {
  ConvTranspose2DOp::Adaptor a(operands, attrs, props);
  return inferResult(ctx, loc, getOperationName(),
                     {a.getInput(), a.getWeight()}, 4, results,
                     [&] { return convTranspose2DShape(loc, a); });
}

LogicalResult ConvTranspose2DOp::verify() {
  auto shape = convTranspose2DShape(getLoc(), Adaptor(*this));
  if (failed(shape))
    return failure();
  if (getBias() && failed(verifyBiasLength(*this, getBias(), "bias",
                                           (*shape)[1], "output channels")))
    return failure();
  if (failed(verifyActivation(*this, getActivation(),
                              getClipMin().convertToFloat(),
                              getClipMax().convertToFloat())))
    return failure();
  return verifyInferredShape(*this, *shape);
}

//===----------------------------------------------------------------------===//
// SeparableConv2DOp
//===----------------------------------------------------------------------===//

/// Result shape of depthwise (Cx1xKHxKW) then pointwise (MxCx1x1).
static FailureOr<SmallVector<int64_t>>
separableConv2DShape(std::optional<Location> loc,
                     SeparableConv2DOp::Adaptor a) {
  auto in = shapeOf(a.getInput()), dw = shapeOf(a.getDwWeight()),
       pw = shapeOf(a.getPwWeight());
  auto fail = [&](const Twine &msg) -> FailureOr<SmallVector<int64_t>> {
    if (loc)
      emitError(*loc) << "'kiln.separable_conv2d' " << msg;
    return failure();
  };
  if (dw[0] != in[1] || dw[1] != 1)
    return fail("dw_weight " + formatShape(dw) + " must be " + Twine(in[1]) +
                "x1xKHxKW (one filter per input channel)");
  if (pw[1] != in[1] || pw[2] != 1 || pw[3] != 1)
    return fail("pw_weight " + formatShape(pw) + " must be Mx" +
                Twine(in[1]) + "x1x1");
  return windowResultShape(loc, "kiln.separable_conv2d", in, pw[0],
                           {dw[2], dw[3]}, a.getStrides(), a.getPads(),
                           a.getDilations(), /*ceilMode=*/false,
                           /*padsBelowKernel=*/false);
}

LogicalResult SeparableConv2DOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, ValueRange operands,
    DictionaryAttr attrs, OpaqueProperties props, RegionRange,
    SmallVectorImpl<Type> &results) {
  SeparableConv2DOp::Adaptor a(operands, attrs, props);
  return inferResult(ctx, loc, getOperationName(),
                     {a.getInput(), a.getDwWeight(), a.getPwWeight()}, 4,
                     results, [&] { return separableConv2DShape(loc, a); });
}

LogicalResult SeparableConv2DOp::verify() {
  auto shape = separableConv2DShape(getLoc(), Adaptor(*this));
  if (failed(shape))
    return failure();
  int64_t c = shapeOf(getInput())[1], m = shapeOf(getPwWeight())[0];
  if (failed(verifyBiasLength(*this, getDwBias(), "dw_bias", c,
                              "input channels")) ||
      failed(verifyBiasLength(*this, getPwBias(), "pw_bias", m,
                              "output channels")) ||
      failed(verifyResidualShape(*this, getResidual(), *shape)))
    return failure();
  if (failed(verifyActivation(*this, getDwActivation(),
                              getDwClipMin().convertToFloat(),
                              getDwClipMax().convertToFloat())) ||
      failed(verifyActivation(*this, getActivation(),
                              getClipMin().convertToFloat(),
                              getClipMax().convertToFloat())))
    return failure();
  return verifyInferredShape(*this, *shape);
}

//===----------------------------------------------------------------------===//
// InvertedResidualOp
//===----------------------------------------------------------------------===//

/// Result shape of expand (ExCx1x1), then depthwise (Ex1xKHxKW), then
/// project (MxEx1x1).
static FailureOr<SmallVector<int64_t>>
invertedResidualShape(std::optional<Location> loc,
                      InvertedResidualOp::Adaptor a) {
  auto in = shapeOf(a.getInput()), ex = shapeOf(a.getExpandWeight()),
       dw = shapeOf(a.getDwWeight()), pw = shapeOf(a.getPwWeight());
  auto fail = [&](const Twine &msg) -> FailureOr<SmallVector<int64_t>> {
    if (loc)
      emitError(*loc) << "'kiln.inverted_residual' " << msg;
    return failure();
  };
  if (ex[1] != in[1] || ex[2] != 1 || ex[3] != 1)
    return fail("expand_weight " + formatShape(ex) + " must be Ex" +
                Twine(in[1]) + "x1x1");
  int64_t e = ex[0];
  if (dw[0] != e || dw[1] != 1)
    return fail("dw_weight " + formatShape(dw) + " must be " + Twine(e) +
                "x1xKHxKW (one filter per expanded channel)");
  if (pw[1] != e || pw[2] != 1 || pw[3] != 1)
    return fail("pw_weight " + formatShape(pw) + " must be Mx" + Twine(e) +
                "x1x1");
  SmallVector<int64_t> expanded = {in[0], e, in[2], in[3]};
  return windowResultShape(loc, "kiln.inverted_residual", expanded, pw[0],
                           {dw[2], dw[3]}, a.getStrides(), a.getPads(),
                           a.getDilations(), /*ceilMode=*/false,
                           /*padsBelowKernel=*/false);
}

LogicalResult InvertedResidualOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, ValueRange operands,
    DictionaryAttr attrs, OpaqueProperties props, RegionRange,
    SmallVectorImpl<Type> &results) {
  InvertedResidualOp::Adaptor a(operands, attrs, props);
  return inferResult(ctx, loc, getOperationName(),
                     {a.getInput(), a.getExpandWeight(), a.getDwWeight(),
                      a.getPwWeight()},
                     4, results, [&] { return invertedResidualShape(loc, a); });
}

LogicalResult InvertedResidualOp::verify() {
  auto shape = invertedResidualShape(getLoc(), Adaptor(*this));
  if (failed(shape))
    return failure();
  int64_t e = shapeOf(getExpandWeight())[0], m = shapeOf(getPwWeight())[0];
  if (failed(verifyBiasLength(*this, getExpandBias(), "expand_bias", e,
                              "expanded channels")) ||
      failed(verifyBiasLength(*this, getDwBias(), "dw_bias", e,
                              "expanded channels")) ||
      failed(verifyBiasLength(*this, getPwBias(), "pw_bias", m,
                              "output channels")) ||
      failed(verifyResidualShape(*this, getResidual(), *shape)))
    return failure();
  if (failed(verifyActivation(*this, getExpandActivation(),
                              getExpandClipMin().convertToFloat(),
                              getExpandClipMax().convertToFloat())) ||
      failed(verifyActivation(*this, getDwActivation(),
                              getDwClipMin().convertToFloat(),
                              getDwClipMax().convertToFloat())) ||
      failed(verifyActivation(*this, getActivation(),
                              getClipMin().convertToFloat(),
                              getClipMax().convertToFloat())))
    return failure();
  return verifyInferredShape(*this, *shape);
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location>,
                                            ValueRange operands, DictionaryAttr,
                                            OpaqueProperties, RegionRange,
                                            SmallVectorImpl<Type> &results) {
  results.push_back(operands[0].getType());
  return success();
}

LogicalResult BatchNormOp::verify() {
  auto in = shapeOf(getInput());
  if (in.size() < 2)
    return emitOpError() << "input needs a channel dimension (rank >= 2)";
  std::pair<StringRef, Value> params[] = {{"scale", getScale()},
                                          {"bias", getBias()},
                                          {"mean", getMean()},
                                          {"variance", getVariance()}};
  for (auto [name, param] : params)
    if (shapeOf(param)[0] != in[1])
      return emitOpError() << "parameter '" << name << "' has "
                           << shapeOf(param)[0]
                           << " elements but the input has " << in[1]
                           << " channels";
  // Not `< 0`: a NaN epsilon must be rejected too.
  if (!(getEpsilon().convertToFloat() >= 0))
    return emitOpError() << "epsilon must be non-negative, got "
                         << getEpsilon().convertToFloat();
  return verifyInferredShape(*this, in);
}

//===----------------------------------------------------------------------===//
// LRNOp
//===----------------------------------------------------------------------===//

LogicalResult LRNOp::verify() {
  if (shapeOf(getInput()).size() < 2)
    return emitOpError() << "input needs a channel dimension (rank >= 2)";
  // I64Attr accessors are unsigned; read the size back as signed.
  int64_t size = getSizeAttr().getInt();
  if (size <= 0)
    return emitOpError() << "size must be positive, got " << size;
  float alpha = getAlpha().convertToFloat(), beta = getBeta().convertToFloat(),
        bias = getBias().convertToFloat();
  if (!std::isfinite(alpha) || !std::isfinite(beta))
    return emitOpError() << "alpha " << alpha << " and beta " << beta
                         << " must be finite";
  if (!(bias > 0) || !std::isfinite(bias))
    return emitOpError() << "bias must be positive and finite, got " << bias;
  return success();
}

//===----------------------------------------------------------------------===//
// ClipOp
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (std::isnan(getMin().convertToFloat()) ||
      std::isnan(getMax().convertToFloat()))
    return emitOpError() << "min and max must not be NaN";
  if (getMin().convertToFloat() > getMax().convertToFloat())
    return emitOpError() << "min " << getMin().convertToFloat()
                         << " exceeds max " << getMax().convertToFloat();
  return success();
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

static FailureOr<SmallVector<int64_t>>
broadcastShape(std::optional<Location> loc, StringRef opName,
               ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (x != y && x != 1 && y != 1) {
      if (loc)
        emitError(*loc) << "'" << opName
                        << "' operand shapes do not broadcast: "
                        << "dimension " << i << " is " << x << " vs " << y;
      return failure();
    }
    out[i] = x == 1 ? y : x;
  }
  return out;
}

/// Result type of a binary elementwise op with numpy broadcasting.
static LogicalResult inferBroadcastResult(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          StringRef opName, ValueRange operands,
                                          SmallVectorImpl<Type> &results) {
  return inferResult(ctx, loc, opName, operands, 0, results, [&] {
    return broadcastShape(loc, opName, shapeOf(operands[0]),
                          shapeOf(operands[1]));
  });
}

/// Verifier of a binary elementwise op with numpy broadcasting.
static LogicalResult verifyBroadcast(Operation *op, Value lhs, Value rhs) {
  return verifyResultShape(op, broadcastShape(op->getLoc(),
                                              op->getName().getStringRef(),
                                              shapeOf(lhs), shapeOf(rhs)));
}

LogicalResult AddOp::inferReturnTypes(MLIRContext *ctx,
                                      std::optional<Location> loc,
                                      ValueRange operands, DictionaryAttr,
                                      OpaqueProperties, RegionRange,
                                      SmallVectorImpl<Type> &results) {
  return inferBroadcastResult(ctx, loc, "kiln.add", operands, results);
}

LogicalResult AddOp::verify() {
  return verifyBroadcast(*this, getLhs(), getRhs());
}

//===----------------------------------------------------------------------===//
// MulOp
//===----------------------------------------------------------------------===//

LogicalResult MulOp::inferReturnTypes(MLIRContext *ctx,
                                      std::optional<Location> loc,
                                      ValueRange operands, DictionaryAttr,
                                      OpaqueProperties, RegionRange,
                                      SmallVectorImpl<Type> &results) {
  return inferBroadcastResult(ctx, loc, "kiln.mul", operands, results);
}

LogicalResult MulOp::verify() {
  return verifyBroadcast(*this, getLhs(), getRhs());
}

//===----------------------------------------------------------------------===//
// PReluOp
//===----------------------------------------------------------------------===//

/// The input's shape when `slope` broadcasts to it (ONNX's unidirectional
/// broadcast: the slope never widens the input).
static FailureOr<SmallVector<int64_t>>
preluShape(std::optional<Location> loc, ArrayRef<int64_t> input,
           ArrayRef<int64_t> slope) {
  auto shape = broadcastShape(loc, "kiln.prelu", input, slope);
  if (failed(shape))
    return failure();
  if (ArrayRef<int64_t>(*shape) != input) {
    if (loc)
      emitError(*loc) << "'kiln.prelu' slope shape " << formatShape(slope)
                      << " would widen the input shape "
                      << formatShape(input);
    return failure();
  }
  return shape;
}

LogicalResult PReluOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        ValueRange operands, DictionaryAttr,
                                        OpaqueProperties, RegionRange,
                                        SmallVectorImpl<Type> &results) {
  return inferResult(ctx, loc, getOperationName(), operands, 0, results, [&] {
    return preluShape(loc, shapeOf(operands[0]), shapeOf(operands[1]));
  });
}

LogicalResult PReluOp::verify() {
  return verifyResultShape(
      *this, preluShape(getLoc(), shapeOf(getInput()), shapeOf(getSlope())));
}

//===----------------------------------------------------------------------===//
// HardSigmoidOp
//===----------------------------------------------------------------------===//

LogicalResult HardSigmoidOp::verify() {
  float alpha = getAlpha().convertToFloat(), beta = getBeta().convertToFloat();
  if (!std::isfinite(alpha) || !std::isfinite(beta))
    return emitOpError() << "alpha " << alpha << " and beta " << beta
                         << " must be finite";
  return success();
}

LogicalResult LeakyReluOp::verify() {
  float alpha = getAlpha().convertToFloat();
  if (!std::isfinite(alpha))
    return emitOpError() << "alpha " << alpha << " must be finite";
  return success();
}

LogicalResult EluOp::verify() {
  float alpha = getAlpha().convertToFloat();
  if (!std::isfinite(alpha))
    return emitOpError() << "alpha " << alpha << " must be finite";
  return success();
}

LogicalResult SeluOp::verify() {
  float alpha = getAlpha().convertToFloat();
  float gamma = getGamma().convertToFloat();
  if (!std::isfinite(alpha) || !std::isfinite(gamma))
    return emitOpError() << "alpha " << alpha << " and gamma " << gamma
                         << " must be finite";
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Result shape of a max / average pool (`a`: its adaptor): the channels
/// kept, the window of `dilations` over H, W. Padding never fills a whole
/// window (ONNX's pooling rule).
template <typename PoolAdaptor>
static FailureOr<SmallVector<int64_t>>
poolShape(std::optional<Location> loc, StringRef opName, PoolAdaptor a,
          ArrayRef<int64_t> dilations) {
  auto in = shapeOf(a.getInput());
  return windowResultShape(loc, opName, in, in[1],
                           a.getKernelShape(), a.getStrides(), a.getPads(),
                           dilations, a.getCeilMode(),
                           /*padsBelowKernel=*/true);
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            ValueRange operands,
                                            DictionaryAttr attrs,
                                            OpaqueProperties props, RegionRange,
                                            SmallVectorImpl<Type> &results) {
  MaxPool2DOp::Adaptor a(operands, attrs, props);
  return inferResult(ctx, loc, getOperationName(), operands, 4, results, [&] {
    return poolShape(loc, getOperationName(), a, a.getDilations());
  });
}

LogicalResult MaxPool2DOp::verify() {
  return verifyResultShape(*this,
                           poolShape(getLoc(), getOperationName(),
                                     Adaptor(*this), getDilations()));
}

static const int64_t kUnitDilations[2] = {1, 1};

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            ValueRange operands,
                                            DictionaryAttr attrs,
                                            OpaqueProperties props, RegionRange,
                                            SmallVectorImpl<Type> &results) {
  AvgPool2DOp::Adaptor a(operands, attrs, props);
  return inferResult(ctx, loc, getOperationName(), operands, 4, results, [&] {
    return poolShape(loc, getOperationName(), a, kUnitDilations);
  });
}

LogicalResult AvgPool2DOp::verify() {
  return verifyResultShape(*this,
                           poolShape(getLoc(), getOperationName(),
                                     Adaptor(*this), kUnitDilations));
}

LogicalResult
GlobalAvgPoolOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                  ValueRange operands, DictionaryAttr,
                                  OpaqueProperties, RegionRange,
                                  SmallVectorImpl<Type> &results) {
  if (failed(checkInferenceOperands(loc, "kiln.global_avg_pool", operands, 4)))
    return failure();
  auto in = shapeOf(operands[0]);
  results.push_back(f32Tensor(ctx, {in[0], in[1], 1, 1}));
  return success();
}

LogicalResult GlobalAvgPoolOp::verify() {
  auto in = shapeOf(getInput());
  return verifyInferredShape(*this, {in[0], in[1], 1, 1});
}

//===----------------------------------------------------------------------===//
// ResizeOp
//===----------------------------------------------------------------------===//

LogicalResult ResizeOp::verify() {
  StringRef mode = getMode(), coord = getCoordinateTransformationMode(),
            nearest = getNearestMode();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitOpError() << "unknown mode '" << mode
                         << "' (expected nearest, linear or cubic)";
  if (!std::isfinite(getCubicCoeffA().convertToFloat()))
    return emitOpError() << "cubic_coeff_a must be finite";
  if (!llvm::is_contained({"half_pixel", "pytorch_half_pixel", "align_corners",
                           "asymmetric", "tf_half_pixel_for_nn"},
                          coord))
    return emitOpError() << "unknown coordinate_transformation_mode '" << coord
                         << "'";
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          nearest))
    return emitOpError() << "unknown nearest_mode '" << nearest << "'";
  auto in = shapeOf(getInput()), out = shapeOf(getResult());
  if (in.size() != out.size())
    return emitOpError() << "result rank " << out.size()
                         << " differs from the input rank " << in.size();
  if (getScales().size() != in.size())
    return emitOpError() << "has " << getScales().size()
                         << " scales for rank " << in.size();
  for (float s : getScales())
    if (!(s > 0.0f) || std::isinf(s))
      return emitOpError() << "scale " << s << " is not positive and finite";
  return success();
}

//===----------------------------------------------------------------------===//
// ReduceOp
//===----------------------------------------------------------------------===//

static FailureOr<SmallVector<int64_t>> reduceShape(std::optional<Location> loc,
                                                   ReduceOp::Adaptor a) {
  auto in = shapeOf(a.getInput());
  StringRef kind = a.getKind();
  ArrayRef<int64_t> axes = a.getAxes();
  bool keepdims = a.getKeepdims();
  auto fail = [&](const Twine &msg) -> FailureOr<SmallVector<int64_t>> {
    if (loc)
      emitError(*loc) << "'kiln.reduce' " << msg;
    return failure();
  };
  if (kind != "sum" && kind != "mean" && kind != "max" && kind != "min")
    return fail("unknown kind '" + kind + "' (expected sum, mean, max or min)");
  if (axes.empty())
    return fail("needs at least one axis");
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= (int64_t)in.size())
      return fail("axis " + Twine(axes[i]) + " is out of range for rank " +
                  Twine(in.size()));
    if (i && axes[i] <= axes[i - 1])
      return fail("axes must be distinct and increasing");
  }
  SmallVector<int64_t> out;
  for (size_t d = 0; d < in.size(); ++d) {
    bool reduced = llvm::is_contained(axes, (int64_t)d);
    if (!reduced)
      out.push_back(in[d]);
    else if (keepdims)
      out.push_back(1);
  }
  return out;
}

LogicalResult ReduceOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         ValueRange operands,
                                         DictionaryAttr attrs,
                                         OpaqueProperties props, RegionRange,
                                         SmallVectorImpl<Type> &results) {
  ReduceOp::Adaptor a(operands, attrs, props);
  return inferResult(ctx, loc, getOperationName(), operands, 0, results,
                     [&] { return reduceShape(loc, a); });
}

LogicalResult ReduceOp::verify() {
  return verifyResultShape(*this, reduceShape(getLoc(), Adaptor(*this)));
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

static FailureOr<SmallVector<int64_t>> concatShape(std::optional<Location> loc,
                                                   ConcatOp::Adaptor a) {
  ValueRange inputs = a.getInputs();
  int64_t axis = a.getAxis();
  auto fail = [&](const Twine &msg) -> FailureOr<SmallVector<int64_t>> {
    if (loc)
      emitError(*loc) << "'kiln.concat' " << msg;
    return failure();
  };
  if (inputs.empty())
    return fail("needs at least one input");
  SmallVector<int64_t> out(shapeOf(inputs[0]));
  if (axis < 0 || axis >= (int64_t)out.size())
    return fail("axis " + Twine(axis) + " is out of range for rank " +
                Twine(out.size()));
  for (auto [i, v] : llvm::enumerate(inputs.drop_front())) {
    auto s = shapeOf(v);
    if (s.size() != out.size())
      return fail("input " + Twine(i + 1) + " has rank " + Twine(s.size()) +
                  ", expected " + Twine(out.size()));
    for (size_t d = 0; d < s.size(); ++d)
      if ((int64_t)d != axis && s[d] != out[d])
        return fail("input " + Twine(i + 1) + " has " + Twine(s[d]) +
                    " in dimension " + Twine(d) + ", expected " +
                    Twine(out[d]));
    out[axis] += s[axis];
  }
  return out;
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         ValueRange operands,
                                         DictionaryAttr attrs,
                                         OpaqueProperties props, RegionRange,
                                         SmallVectorImpl<Type> &results) {
  ConcatOp::Adaptor a(operands, attrs, props);
  return inferResult(ctx, loc, getOperationName(), operands, 0, results,
                     [&] { return concatShape(loc, a); });
}

LogicalResult ConcatOp::verify() {
  return verifyResultShape(*this, concatShape(getLoc(), Adaptor(*this)));
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  if (in.getNumElements() != out.getNumElements())
    return emitOpError() << "changes the element count from "
                         << in.getNumElements() << " to "
                         << out.getNumElements();
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  // reshape(reshape(x)) -> reshape(x): only the final shape matters.
  if (auto producer = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(producer.getInput());
    if (getInput().getType() != getType())
      return getResult();
  }
  if (getInput().getType() == getType())
    return getInput();
  // Dense constants are reshaped in place; dense_resource blobs are not
  // folded, which would copy the (possibly large) weight data.
  if (auto dense =
          llvm::dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getType());
  return {};
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

static FailureOr<SmallVector<int64_t>>
transposeShape(std::optional<Location> loc, TransposeOp::Adaptor a) {
  auto in = shapeOf(a.getInput());
  ArrayRef<int64_t> perm = a.getPerm();
  auto fail = [&](const Twine &msg) -> FailureOr<SmallVector<int64_t>> {
    if (loc)
      emitError(*loc) << "'kiln.transpose' " << msg;
    return failure();
  };
  if (perm.size() != in.size())
    return fail("perm has " + Twine(perm.size()) + " values for rank " +
                Twine(in.size()));
  SmallVector<int64_t> out;
  SmallVector<bool> seen(in.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= (int64_t)in.size() || seen[p]) {
      std::string text;
      llvm::raw_string_ostream os(text);
      llvm::interleaveComma(perm, os);
      return fail("perm [" + text + "] is not a permutation of 0.." +
                  Twine(in.size() - 1));
    }
    seen[p] = true;
    out.push_back(in[p]);
  }
  return out;
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            ValueRange operands,
                                            DictionaryAttr attrs,
                                            OpaqueProperties props, RegionRange,
                                            SmallVectorImpl<Type> &results) {
  TransposeOp::Adaptor a(operands, attrs, props);
  return inferResult(ctx, loc, getOperationName(), operands, 0, results,
                     [&] { return transposeShape(loc, a); });
}

LogicalResult TransposeOp::verify() {
  return verifyResultShape(*this, transposeShape(getLoc(), Adaptor(*this)));
}

//===----------------------------------------------------------------------===//
// DenseOp
//===----------------------------------------------------------------------===//

LogicalResult DenseOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        ValueRange operands,
                                        DictionaryAttr attrs,
                                        OpaqueProperties props, RegionRange,
                                        SmallVectorImpl<Type> &results) {
  DenseOp::Adaptor a(operands, attrs, props);
  if (failed(checkInferenceOperands(loc, "kiln.dense",
                                    {a.getInput(), a.getWeight()}, 2)))
    return failure();
  auto x = shapeOf(a.getInput()), w = shapeOf(a.getWeight());
  if (x[1] != w[1]) {
    if (loc)
      mlir::emitError(*loc) << "'kiln.dense' input has " << x[1]
                            << " features but the weight expects " << w[1];
    return failure();
  }
  results.push_back(f32Tensor(ctx, {x[0], w[0]}));
  return success();
}

LogicalResult DenseOp::verify() {
  auto x = shapeOf(getInput()), w = shapeOf(getWeight());
  if (x[1] != w[1])
    return emitOpError() << "input has " << x[1]
                         << " features but the weight expects " << w[1];
  if (getBias() && shapeOf(getBias())[0] != w[0])
    return emitOpError() << "bias has " << shapeOf(getBias())[0]
                         << " elements but there are " << w[0] << " outputs";
  if (failed(verifyActivation(*this, getActivation(),
                              getClipMin().convertToFloat(),
                              getClipMax().convertToFloat())))
    return failure();
  return verifyInferredShape(*this, {x[0], w[0]});
}

//===----------------------------------------------------------------------===//
// SoftmaxOp
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  int64_t rank = shapeOf(getInput()).size();
  // I64Attr accessors are unsigned; read the axis back as signed.
  int64_t axis = getAxisAttr().getInt();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << rank;
  return success();
}

//===----------------------------------------------------------------------===//
// PadOp
//===----------------------------------------------------------------------===//

static FailureOr<SmallVector<int64_t>> padShape(std::optional<Location> loc,
                                                PadOp::Adaptor a) {
  auto in = shapeOf(a.getInput());
  ArrayRef<int64_t> pads = a.getPads();
  auto fail = [&](const Twine &msg) -> FailureOr<SmallVector<int64_t>> {
    if (loc)
      emitError(*loc) << "'kiln.pad' " << msg;
    return failure();
  };
  size_t rank = in.size();
  if (pads.size() != 2 * rank)
    return fail("pads has " + Twine(pads.size()) + " values, expected " +
                Twine(2 * rank) + " (begins then ends) for rank " +
                Twine(rank));
  SmallVector<int64_t> out(rank);
  for (size_t d = 0; d < rank; ++d) {
    int64_t begin = pads[d], end = pads[rank + d];
    if (begin < 0 || end < 0)
      return fail("pads of dimension " + Twine(d) + " are " + Twine(begin) +
                  " and " + Twine(end) +
                  "; negative pads (cropping) are not supported");
    out[d] = in[d] + begin + end;
  }
  return out;
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *ctx,
                                      std::optional<Location> loc,
                                      ValueRange operands, DictionaryAttr attrs,
                                      OpaqueProperties props, RegionRange,
                                      SmallVectorImpl<Type> &results) {
  PadOp::Adaptor a(operands, attrs, props);
  return inferResult(ctx, loc, getOperationName(), operands, 0, results,
                     [&] { return padShape(loc, a); });
}

LogicalResult PadOp::verify() {
  auto shape = padShape(getLoc(), Adaptor(*this));
  if (failed(shape))
    return failure();
  if (std::isnan(getValue().convertToFloat()))
    return emitOpError() << "value must not be NaN";
  StringRef mode = getMode();
  if (mode != "constant" && mode != "edge" && mode != "reflect" &&
      mode != "wrap")
    return emitOpError() << "mode '" << mode
                         << "' is not one of constant, edge, reflect, wrap";
  return verifyInferredShape(*this, *shape);
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPads(), [](int64_t p) { return p == 0; }))
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

static FailureOr<SmallVector<int64_t>> sliceShape(std::optional<Location> loc,
                                                  SliceOp::Adaptor a) {
  auto in = shapeOf(a.getInput());
  ArrayRef<int64_t> starts = a.getStarts(), sizes = a.getSizes(),
                    steps = a.getSteps();
  auto fail = [&](const Twine &msg) -> FailureOr<SmallVector<int64_t>> {
    if (loc)
      emitError(*loc) << "'kiln.slice' " << msg;
    return failure();
  };
  if (failed(checkArray(loc, "kiln.slice", "starts", starts, in.size())) ||
      failed(checkArray(loc, "kiln.slice", "sizes", sizes, in.size())) ||
      failed(checkArray(loc, "kiln.slice", "steps", steps, in.size())))
    return failure();
  for (size_t d = 0; d < in.size(); ++d) {
    int64_t start = starts[d], size = sizes[d], step = steps[d];
    if (step == 0)
      return fail("step of dimension " + Twine(d) + " is 0");
    if (size <= 0)
      return fail("size of dimension " + Twine(d) + " is " + Twine(size) +
                  "; it must be positive");
    if (start < 0 || start >= in[d])
      return fail("start " + Twine(start) + " of dimension " + Twine(d) +
                  " is outside 0.." + Twine(in[d] - 1));
    // The last index read, start + (size - 1) * step, stays inside the
    // dimension; divided out so that it cannot overflow.
    int64_t room = step > 0           ? (in[d] - 1 - start) / step
                   : step == INT64_MIN ? 0
                                       : start / -step;
    if (size - 1 > room)
      return fail(Twine(size) + " elements with step " + Twine(step) +
                  " from " + Twine(start) + " run past dimension " + Twine(d) +
                  " of size " + Twine(in[d]));
  }
  return SmallVector<int64_t>(sizes.begin(), sizes.end());
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        ValueRange operands,
                                        DictionaryAttr attrs,
                                        OpaqueProperties props, RegionRange,
                                        SmallVectorImpl<Type> &results) {
  SliceOp::Adaptor a(operands, attrs, props);
  return inferResult(ctx, loc, getOperationName(), operands, 0, results,
                     [&] { return sliceShape(loc, a); });
}

LogicalResult SliceOp::verify() {
  return verifyResultShape(*this, sliceShape(getLoc(), Adaptor(*this)));
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  // slice(slice(x)) reads x: index i of this op is producer index
  // starts + i * steps, which is x index pStarts + (starts + i * steps) *
  // pSteps. (Both read inside their inputs, so the products stay within
  // the dims; a single element's step is moot and becomes 1.)
  if (auto producer = getInput().getDefiningOp<SliceOp>()) {
    SmallVector<int64_t> starts, steps;
    for (size_t d = 0; d < getSizes().size(); ++d) {
      int64_t pStart = producer.getStarts()[d], pStep = producer.getSteps()[d];
      starts.push_back(pStart + getStarts()[d] * pStep);
      steps.push_back(getSizes()[d] == 1 ? 1 : getSteps()[d] * pStep);
    }
    getInputMutable().assign(producer.getInput());
    setStarts(starts);
    setSteps(steps);
    if (getSizes() != shapeOf(getInput()) ||
        llvm::any_of(starts, [](int64_t s) { return s != 0; }) ||
        llvm::any_of(steps, [](int64_t s) { return s != 1; }))
      return getResult();
  }
  bool whole = getSizes() == shapeOf(getInput()) &&
               llvm::all_of(getStarts(), [](int64_t s) { return s == 0; }) &&
               llvm::all_of(getSteps(), [](int64_t s) { return s == 1; });
  return whole ? OpFoldResult(getInput()) : OpFoldResult();
}

//===----------------------------------------------------------------------===//
// Constant folding
//===----------------------------------------------------------------------===//

/// Folds that compute a new constant stop at this many elements, so a fold
/// never builds a huge inline attribute (weights stay dense_resource blobs,
/// which are never folded).
static constexpr int64_t kMaxFoldedElements = int64_t(1) << 20;

/// `attr` as an f32 `dense` constant small enough to fold, or null.
static DenseElementsAttr foldableDense(Attribute attr) {
  auto dense = llvm::dyn_cast_if_present<DenseElementsAttr>(attr);
  if (!dense || !dense.getElementType().isF32() ||
      dense.getNumElements() > kMaxFoldedElements)
    return {};
  return dense;
}

/// fn applied to every element of `attr`, or null when it cannot fold.
static OpFoldResult foldUnary(Attribute attr,
                              llvm::function_ref<float(float)> fn) {
  DenseElementsAttr in = foldableDense(attr);
  if (!in)
    return {};
  if (in.isSplat())
    return DenseElementsAttr::get(in.getType(), fn(in.getSplatValue<float>()));
  SmallVector<float> out;
  out.reserve(in.getNumElements());
  for (float v : in.getValues<float>())
    out.push_back(fn(v));
  return DenseElementsAttr::get(in.getType(), ArrayRef<float>(out));
}

/// Row-major strides of `shape` right-aligned to `rank` dims, 0 where the
/// dim is missing or 1 (broadcast).
static SmallVector<int64_t> broadcastStrides(ArrayRef<int64_t> shape,
                                             size_t rank) {
  SmallVector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    size_t d = shape.size() - 1 - i;
    strides[rank - 1 - i] = shape[d] == 1 ? 0 : stride;
    stride *= shape[d];
  }
  return strides;
}

/// fn(lhs, rhs) with numpy broadcasting to `type`, in f32 like the kernels.
static OpFoldResult foldBinary(Attribute lhsAttr, Attribute rhsAttr, Type type,
                               llvm::function_ref<float(float, float)> fn) {
  DenseElementsAttr lhs = foldableDense(lhsAttr), rhs = foldableDense(rhsAttr);
  auto resultType = cast<RankedTensorType>(type);
  if (!lhs || !rhs || resultType.getNumElements() > kMaxFoldedElements)
    return {};
  if (lhs.isSplat() && rhs.isSplat())
    return DenseElementsAttr::get(
        resultType, fn(lhs.getSplatValue<float>(), rhs.getSplatValue<float>()));
  SmallVector<float> a(lhs.getValues<float>()), b(rhs.getValues<float>());
  ArrayRef<int64_t> shape = resultType.getShape();
  size_t rank = shape.size();
  SmallVector<int64_t> sa = broadcastStrides(lhs.getType().getShape(), rank);
  SmallVector<int64_t> sb = broadcastStrides(rhs.getType().getShape(), rank);
  SmallVector<int64_t> index(rank, 0);
  SmallVector<float> out;
  out.reserve(resultType.getNumElements());
  for (int64_t n = 0, e = resultType.getNumElements(); n < e; ++n) {
    int64_t ia = 0, ib = 0;
    for (size_t d = 0; d < rank; ++d) {
      ia += index[d] * sa[d];
      ib += index[d] * sb[d];
    }
    out.push_back(fn(a[ia], b[ib]));
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::get(resultType, ArrayRef<float>(out));
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    [](float x, float y) { return x + y; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    [](float x, float y) { return x * y; });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  return foldUnary(adaptor.getInput(), [](float v) { return v > 0 ? v : 0; });
}

OpFoldResult ClipOp::fold(FoldAdaptor adaptor) {
  float lo = getMin().convertToFloat(), hi = getMax().convertToFloat();
  return foldUnary(adaptor.getInput(),
                   [&](float v) { return std::fmin(std::fmax(v, lo), hi); });
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  // transpose(transpose(x, p), q) reads x: result dim i is x dim p[q[i]].
  if (auto producer = getInput().getDefiningOp<TransposeOp>()) {
    SmallVector<int64_t> composed;
    for (int64_t q : getPerm())
      composed.push_back(producer.getPerm()[q]);
    getInputMutable().assign(producer.getInput());
    setPerm(composed);
    if (!llvm::equal(composed, llvm::seq<int64_t>(0, (int64_t)composed.size())))
      return getResult();
  }
  ArrayRef<int64_t> perm = getPerm();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, (int64_t)perm.size())))
    return getInput();
  DenseElementsAttr in = foldableDense(adaptor.getInput());
  if (!in)
    return {};
  auto resultType = cast<RankedTensorType>(getType());
  if (in.isSplat())
    return in.resizeSplat(resultType);
  SmallVector<float> data(in.getValues<float>());
  ArrayRef<int64_t> inShape = in.getType().getShape();
  size_t rank = inShape.size();
  SmallVector<int64_t> inStrides(rank, 1);
  for (size_t d = rank - 1; d-- > 0;)
    inStrides[d] = inStrides[d + 1] * inShape[d + 1];
  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<int64_t> index(rank, 0);
  SmallVector<float> out;
  out.reserve(data.size());
  for (size_t n = 0; n < data.size(); ++n) {
    int64_t offset = 0;
    for (size_t k = 0; k < rank; ++k)
      offset += index[k] * inStrides[perm[k]];
    out.push_back(data[offset]);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::get(resultType, ArrayRef<float>(out));
}

#define GET_OP_CLASSES
#include "dialects/kiln/KilnOps.cpp.inc"
