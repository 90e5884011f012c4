//===- KernelSpec.h - Plain description of one generated kernel -*- C++ -*-===//
//
// The line between the MLIR side and the Halide side of Kiln. MLIR code
// (compiler/kernelize) builds KernelSpecs; the Halide side (compiler/halide)
// turns a spec plus a target into object code. A spec is plain data with no
// MLIR or Halide types so both sides can include it, and it serializes to a
// stable text form that is the kernel cache key and the file format the
// driver hands to `kiln-codegen`.
//
// Layout convention: every activation tensor is dense, row-major, in ONNX
// order (NCHW for 4-D, [M, K] for 2-D), except the arguments a spec marks
// channel-blocked (blockedInputs / blockedOutput, ActivationLayout.h).
// Shapes below are written outermost first, exactly like ONNX.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELS_KERNELSPEC_H
#define KILN_COMPILER_KERNELS_KERNELSPEC_H

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

/// What a kernel computes. The kernel's arguments, in order, are its inputs
/// (see each kind) followed by exactly one output buffer.
enum class KernelKind {
  /// inputs: x[N,C,H,W], w[M,C/groups,KH,KW] (or packed, see weightBlock),
  ///         (bias[M] if hasBias), (residual[N,M,OH,OW] if hasResidual).
  ///         output y[N,M,OH,OW].
  /// y = act(conv(x, w) + bias + residual).
  Conv2D,
  /// inputs: x[N,C,H,W]. output y[N,C,OH,OW]. Padding never wins the max.
  MaxPool2D,
  /// inputs: x[N,C,H,W]. output y[N,C,OH,OW]. Divisor per countIncludePad.
  AvgPool2D,
  /// inputs: x[N,C,H,W]. output y[N,C,1,1].
  GlobalAvgPool,
  /// inputs: x[N,C,H,W], scale[C], shift[C]. y = act(x * scale + shift).
  /// (An unfused batch-norm: the kernelizer folds mean/var/eps into
  /// scale/shift at compile time.)
  ChannelAffine,
  /// inputs: a, b (shapes broadcast numpy-style to the output; each input
  /// shape is right-aligned and padded with 1s to the output rank).
  /// y = act(a + b).
  Add,
  /// inputs: x (any shape). y = act(x). Used for standalone relu/clip/
  /// sigmoid/hard_sigmoid/hard_swish/leaky_relu.
  Activation,
  /// inputs: x0..x{k-1}, all the output's rank, equal except on `axis`.
  Concat,
  /// inputs: x[M,K], w[N,K], (bias[N] if hasBias). y[M,N] = act(x w^T + b).
  Dense,
  /// inputs: x (any rank). Softmax along `axis` (non-negative, < rank).
  Softmax,
  /// inputs: a, b (numpy broadcast, like Add). y = act(a * b).
  Mul,
  /// inputs: x[N,C,H,W], w[C,M/groups,KH,KW], (bias[M] if hasBias).
  /// output y[N,M,OH,OW]: ONNX ConvTranspose with the window attributes
  /// (pads crop the full result; the output shape carries output_padding).
  /// y = act(convTranspose(x, w) + bias).
  ConvTranspose2D,
  /// inputs: x, slope (numpy broadcast to x). y = x < 0 ? slope * x : x.
  PRelu,
  /// inputs: x (rank r). ONNX Resize: y has the output shape; each dim d
  /// maps an output index to an input coordinate by `coordMode` with
  /// resizeScales[d], then `resizeMode` picks (nearest, by `nearestMode`)
  /// or interpolates (linear, edge-clamped) the input there.
  Resize,
  /// inputs: x (rank r). y = x permuted by `perm` (r values):
  /// y.shape[i] = x.shape[perm[i]].
  Transpose,
  /// inputs: x (rank r). y = `reduce` (sum, mean, max, min) of x over
  /// `axes` (increasing, in 0..r-1), kept as size-1 dims with `keepdims`,
  /// dropped otherwise.
  Reduce,
  /// inputs: x[N,C,...]. Local response normalization across channels:
  /// y = x / (bias + alpha / size * sum(x^2 over channels
  ///     c - floor((size-1)/2) .. c + ceil((size-1)/2)))^beta.
  LRN,
  /// inputs: x[N,C,...], scale[C], shift[C], mean[C], var[C] (computed at
  /// run time; constant parameters become ChannelAffine instead).
  /// y = act((x - mean) * scale / sqrt(var + epsilon) + shift).
  BatchNorm,
  /// inputs: x[N,C,H,W], dw[C,1,KH,KW], dwBias[C], pw[M,C,1,1], pwBias[M],
  ///         (residual[N,M,OH,OW] if hasResidual). output y[N,M,OH,OW].
  /// mid = dwActivation(depthwise(x, dw) + dwBias) with the window
  /// attributes (kernel, strides, pads, dilations);
  /// y = act(pointwise(mid, pw) + pwBias + residual). `mid` is computed per
  /// tile and never stored whole.
  SeparableConv2D,
  /// inputs: x[N,C,H,W], ex[E,C,1,1], exBias[E], dw[E,1,KH,KW], dwBias[E],
  ///         pw[M,E,1,1], pwBias[M], (residual[N,M,OH,OW] if hasResidual).
  ///         output y[N,M,OH,OW].
  /// e = exActivation(pointwise(x, ex) + exBias), zero-padded AFTER the
  /// activation; then SeparableConv2D's two stages on e (MobileNetV2's
  /// inverted residual block). `e` is computed per block of rows.
  InvertedResidual,
  /// inputs: x (rank r). output y (rank r): x surrounded by `padValue`;
  /// `pads` holds 2r values in ONNX order (all begins, then all ends), so
  /// y.shape[d] = x.shape[d] + pads[d] + pads[r + d].
  Pad,
  /// inputs: x (rank r). output y (rank r): y[i] = x[sliceStarts + i *
  /// sliceSteps] per dim (steps non-zero, possibly negative; every index
  /// read inside x). ONNX Slice and each output of Split.
  Slice,
};

/// Elementwise activations, usable as an epilogue or standalone. Parameters:
/// Clip uses clipMin/clipMax; HardSigmoid uses actAlpha/actBeta
/// (y = max(0, min(1, alpha * x + beta))); HardSwish is
/// x * max(0, min(1, x / 6 + 0.5)); Sigmoid is 1 / (1 + exp(-x)); LeakyRelu
/// is x < 0 ? actAlpha * x : x; Silu (swish) is x * sigmoid(x); Tanh;
/// Softplus is log(1 + exp(x)); Mish is x * tanh(softplus(x)); Elu is
/// x < 0 ? actAlpha * (exp(x) - 1) : x; Selu is actBeta * (x <= 0 ?
/// actAlpha * (exp(x) - 1) : x) (ONNX's alpha and gamma).
enum class Activation {
  None,
  Relu,
  Clip,
  Sigmoid,
  HardSigmoid,
  HardSwish,
  LeakyRelu,
  Silu,
  Tanh,
  Softplus,
  Mish,
  Elu,
  Selu
};

/// What a Pad kernel writes outside its input (ONNX Pad's modes): padValue,
/// the nearest input cell, the input mirrored about its end cells (not
/// repeating them), or the input repeated.
enum class PadMode { Constant, Edge, Reflect, Wrap };

/// ONNX Resize's modes (the names are ONNX's): how an output index becomes
/// an input coordinate, how nearest rounds it, and the interpolation.
enum class ResizeMode { Nearest, Linear, Cubic };
enum class CoordMode {
  HalfPixel,
  PytorchHalfPixel,
  AlignCorners,
  Asymmetric,
  TfHalfPixelForNn
};
enum class NearestMode { RoundPreferFloor, RoundPreferCeil, Floor, Ceil };

/// What a Reduce kernel computes over its axes (ONNX ReduceSum, ReduceMean,
/// ReduceMax, ReduceMin).
enum class ReduceKind { Sum, Mean, Max, Min };

struct KernelSpec {
  KernelKind kind = KernelKind::Conv2D;
  /// C symbol of the generated function; unique within one artifact.
  std::string name;
  /// Shapes of the inputs, in argument order (weights and bias included).
  std::vector<std::vector<int64_t>> inputShapes;
  std::vector<int64_t> outputShape;

  // Window attributes (Conv2D, MaxPool2D, AvgPool2D). Pads are
  // {top, left, bottom, right}, i.e. ONNX's {h_begin, w_begin, h_end, w_end}.
  std::vector<int64_t> kernel = {1, 1};
  std::vector<int64_t> strides = {1, 1};
  std::vector<int64_t> pads = {0, 0, 0, 0};
  std::vector<int64_t> dilations = {1, 1};
  int64_t groups = 1;
  bool countIncludePad = false;
  /// Conv2D: 0 = weights are OIHW [M, C/g, KH, KW]; B > 0 = pre-packed at
  /// compile time into [ceil(M/B), C, KH, KW, B] (compiler/kernels/
  /// ConvWeightLayout.h; dense convs only). SeparableConv2D: the same for
  /// its pointwise weights, B = 16 only (channel vectors on small images).
  /// InvertedResidual: the same for its expand and project weights, B = 16
  /// only (every stage on channel vectors; E a multiple of 16).
  /// Dense: 4 = weights [N, K] packed as [4, ceil(N/4), K/16, 16]
  /// (compiler/kernels/DenseWeightLayout.h).
  /// Serialized only when non-zero.
  int64_t weightBlock = 0;
  /// Conv2D: 0 = direct convolution; m = 2, 3 or 4 = Winograd F(m x m,
  /// r x r) (3x3 at stride 1 or, m = 2, stride 2; 5x5, m = 2, at stride 1;
  /// dilation 1, groups 1, pads <= (r - 1) / 2) with weights already
  /// transformed at compile time into [alpha^2, ceil(M/16), C, 16], alpha
  /// = stride * (m - 1) + r (compiler/kernels/WinogradLayout.h;
  /// weightBlock is 16). Serialized only when non-zero.
  int64_t winogradTile = 0;

  /// Channel-blocked (NCHW16c) activation arguments (compiler/kernels/
  /// ActivationLayout.h): bit i of blockedInputs for input i, blockedOutput
  /// for the output. Their shapes above stay the logical NCHW ones; their
  /// buffers have the blocked shape. Conv2D with channel vectors, direct
  /// or Winograd (data input, residual, output), MaxPool2D (input and
  /// output together) and GlobalAvgPool (input) only. Serialized only when
  /// set.
  uint32_t blockedInputs = 0;
  bool blockedOutput = false;
  bool inputBlocked(size_t i) const {
    return i < 32 && (blockedInputs >> i & 1u);
  }

  // Epilogue.
  bool hasBias = false;
  bool hasResidual = false;
  /// Conv2D with channel vectors and a channel-blocked residual and
  /// output: the output buffer may be the residual's (the arena plan writes
  /// the sum over the residual, whose last reader this kernel is). Each
  /// output element is then written once, right after its residual element
  /// is read: no overlapping (recomputed) tiles. Serialized only when set.
  bool residualInPlace = false;
  /// SeparableConv2D on channel vectors (blocked input and output, packed
  /// weights): the pointwise stage skips the depthwise result's zeros
  /// (runtime/kiln_zero_skip_pointwise.h), set only when every pointwise
  /// weight is finite. Serialized only when set.
  bool zeroSkipPointwise = false;
  Activation activation = Activation::None;
  float clipMin = 0.0f, clipMax = 0.0f;

  /// SeparableConv2D and InvertedResidual: the depthwise stage's activation
  /// and its parameters (Clip: min/max; HardSigmoid: alpha/beta;
  /// LeakyRelu: alpha).
  /// Serialized only for those kinds.
  Activation dwActivation = Activation::None;
  float dwActParam0 = 0.0f, dwActParam1 = 0.0f;
  /// InvertedResidual: the expand stage's activation and its parameters,
  /// like dwActivation (which it also uses). Serialized only for that kind.
  Activation exActivation = Activation::None;
  float exActParam0 = 0.0f, exActParam1 = 0.0f;

  /// Concat and Softmax.
  int64_t axis = 1;

  /// Pad: the mode, and for PadMode::Constant the value of the padded
  /// cells (may be +-inf). Serialized only for that kind.
  PadMode padMode = PadMode::Constant;
  float padValue = 0.0f;

  /// HardSigmoid (alpha, beta) and LeakyRelu (alpha) activation parameters.
  float actAlpha = 0.0f, actBeta = 0.0f;
  /// LRN: window size (channels) and alpha, beta, bias.
  int64_t size = 0;
  float alpha = 0.0f, beta = 0.0f, bias = 0.0f;
  /// BatchNorm.
  float epsilon = 0.0f;
  /// Transpose: output dim i reads input dim perm[i].
  std::vector<int64_t> perm;
  /// Slice: per dim the first input index read and the step between reads
  /// (the output shape gives the counts). Serialized only for that kind.
  std::vector<int64_t> sliceStarts, sliceSteps;

  /// Resize: the modes and one scale per dim (output / input unless the
  /// model gave scales). Serialized only for that kind.
  ResizeMode resizeMode = ResizeMode::Nearest;
  CoordMode coordMode = CoordMode::HalfPixel;
  NearestMode nearestMode = NearestMode::RoundPreferFloor;
  std::vector<float> resizeScales;
  /// Resize, cubic only: the kernel's coefficient A (ONNX cubic_coeff_a)
  /// and whether taps outside the input get weight 0, the others
  /// renormalized (exclude_outside). Serialized only for cubic.
  float cubicCoeffA = -0.75f;
  bool excludeOutside = false;

  /// Reduce: what, over which axes, and whether they stay as size-1 dims.
  /// Serialized only for that kind.
  ReduceKind reduce = ReduceKind::Sum;
  std::vector<int64_t> axes;
  bool keepdims = true;

  /// Stable text form: one `key=value` per line, fixed key order.
  std::string serialize() const;
  /// Parses the text form of one spec; returns false and sets `error` (with
  /// the offending line) on malformed text.
  static bool parse(const std::string &text, KernelSpec &out,
                    std::string &error);
};

/// Several specs in one text: each spec's serialization followed by a line
/// holding only `---`.
std::string serializeSpecs(const std::vector<KernelSpec> &specs);
bool parseSpecs(const std::string &text, std::vector<KernelSpec> &out,
                std::string &error);

const char *kernelKindName(KernelKind kind);
const char *activationName(Activation act);
/// activationName's inverse ("leaky_relu" -> Activation::LeakyRelu).
bool parseActivation(const std::string &text, Activation &out);
/// ONNX's names: "constant", "edge", "reflect", "wrap".
const char *padModeName(PadMode mode);
bool parsePadMode(const std::string &text, PadMode &out);
/// ONNX's op names without "Reduce", lower case: "sum", "mean", "max",
/// "min" (also the kiln.reduce `kind` attribute).
const char *reduceKindName(ReduceKind kind);
bool parseReduceKind(const std::string &text, ReduceKind &out);
/// ONNX's attribute values: "nearest" / "linear" / "cubic"; "half_pixel",
/// "pytorch_half_pixel", "align_corners", "asymmetric",
/// "tf_half_pixel_for_nn"; "round_prefer_floor", "round_prefer_ceil",
/// "floor", "ceil".
const char *resizeModeName(ResizeMode mode);
bool parseResizeMode(const std::string &text, ResizeMode &out);
const char *coordModeName(CoordMode mode);
bool parseCoordMode(const std::string &text, CoordMode &out);
const char *nearestModeName(NearestMode mode);
bool parseNearestMode(const std::string &text, NearestMode &out);

} // namespace kiln

#endif // KILN_COMPILER_KERNELS_KERNELSPEC_H
