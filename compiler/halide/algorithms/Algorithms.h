//===- Algorithms.h - Halide algorithms of the kernel kinds -----*- C++ -*-===//
//
// Internal to the Halide backend. Each op family (Conv.cpp, Pooling.cpp, ...)
// turns a spec plus its input ImageParams into a KernelFuncs: the output Func
// and the intermediate stages a schedule needs to place. Algorithms carry no
// scheduling; schedules/ decides loop structure per target family.
//
// Index convention: Halide dimension 0 is the innermost ONNX dimension, so
// an NCHW tensor is indexed (w, h, c, n) and shape vectors are reversed.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_HALIDE_ALGORITHMS_ALGORITHMS_H
#define KILN_COMPILER_HALIDE_ALGORITHMS_ALGORITHMS_H

#include "compiler/kernels/ConvWeightLayout.h"
#include "compiler/kernels/KernelSpec.h"

#include "Halide.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace kiln {

struct WinogradStages; // algorithms/WinogradConv.h

/// An inconsistent spec; the message names the argument at fault. Thrown
/// inside the backend and turned into an error string by buildPipeline.
struct SpecError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void specFail(const std::string &message);

/// How a convolution's accumulator is indexed, so a schedule can tile it in
/// registers (see Conv.cpp).
enum class ConvForm {
  /// Grouped/depthwise: acc(ox, oy, m, n), the generic per-vector form.
  None,
  /// Dense (groups == 1): acc(q, m, n) over flattened rows of the
  /// (phase-split, padded) input, q = oy * rowPitch + ox; every tap is a
  /// dense load at a constant offset. Columns ox >= OW of each row are
  /// computed and dropped.
  FlatPixels,
  /// Dense, weights packed in blocks of kConvChannelVectorBlock output
  /// channels (ConvWeightLayout.h): acc(j, px, py, mb, n) = channel mb*B + j at
  /// output pixel (px, py), vectorized over j (the packed weights of one
  /// block), input pixels broadcast; reads the same phase-split input.
  ChannelVectors,
};

struct ConvPlan {
  ConvForm form = ConvForm::None;
  /// FlatPixels: (q, m, n). The accumulator Func and its reduction domain
  /// are KernelFuncs::accumulator / accumulatorDomain.
  std::vector<Halide::Var> accVars;
  /// Extent of q that the output reads; output channels; input channels
  /// per group (the reduction's r.z); kernel width (r.x) and height (r.y).
  int64_t vecExtent = 0, channels = 0, inputChannels = 0, kernelWidth = 1,
          kernelHeight = 1;
  /// Packed weights (KernelSpec::weightBlock): output channels per block,
  /// else 0; the channel extent the accumulator covers (M rounded up to
  /// whole blocks; M when unpacked).
  int64_t weightBlock = 0, paddedChannels = 0;
  /// Output width and height (ChannelVectors tiles pixels along rows);
  /// input pixels per channel plane (Conv2D; 0 in fused kernels).
  int64_t outWidth = 0, outHeight = 0, inputPixels = 0;
  /// Input rows per output row: the conv's vertical stride, an inverted
  /// residual's depthwise one (set by those two kinds; 1 elsewhere).
  int64_t stride = 1;
  /// The epilogue adds a residual input (read once per output element).
  bool residual = false;
  /// ChannelVectors: the output is channel-blocked, vars (j, x, y, mb, n)
  /// (kernels/ActivationLayout.h): the accumulator's own layout.
  bool blockedOutput = false;
  /// ChannelVectors: the accumulator reduces over channel-blocked vectors
  /// (a blocked data input, in place or through a blocked padded copy, or
  /// a fused kernel's depthwise stage): channel c at lane c % 16 of block
  /// c / 16.
  bool blockedInput = false;
  /// ChannelVectors: the output buffer is the residual's
  /// (KernelSpec::residualInPlace): no tile may be computed twice.
  bool outputOverResidual = false;
  /// ChannelVectors with a blocked residual and an NCHW output: the
  /// accumulator plus the residual, (j, px, py, mb, n) like the
  /// accumulator, computed where it is (dense residual vectors; added
  /// after the transpose, each would be a gather). Undefined otherwise.
  Halide::Func residualSum;
  /// Fused kernels in the ChannelVectors form: the depthwise stage the
  /// accumulator reads is mid(j, x, y, cb, n), channel vectors
  /// (ChannelVectorStages.cpp), not flat pixel planes mid(q, c, n).
  bool blockedMid = false;
  /// ChannelVectors strided 1x1 over a channel-blocked input: the pixels
  /// it reads, packed densely, sub(j, ox, oy, cb, n) = channel cb * 16 + j
  /// of input pixel (ox * stride, oy * stride). Inlined (read in place)
  /// unless the schedule stores it. Undefined otherwise.
  Halide::Func subsampledInput;
  /// ChannelVectors Conv2D: the packed weights the accumulator reads
  /// (undefined in fused kernels).
  Halide::ImageParam weights;
};

/// ConvTranspose2D (ConvTranspose.cpp): the GEMM stage columns(ix, iy, q,
/// n) (q = (m * KH + ky) * KW + kx), its reduction over the input channels
/// and its extents (W, H, M * KH * KW, N); then the output per stride
/// phase, phases(b, a, by, ay, m, n) (the output cell (sw * a + b, sh * ay
/// + by) shifted by the pads), summed over `taps`; sh is `rowStride`.
struct ConvTransposeStages {
  Halide::Func columns, columnsAcc, phases;
  Halide::RDom taps;
  std::vector<int64_t> columnsExtents;
  int rowStride = 1;
};

/// The Funcs of one kernel, for the schedule to place.
struct KernelFuncs {
  /// Pure Func over the output, vars in Halide order.
  Halide::Func output;
  std::vector<Halide::Var> vars;
  std::vector<int64_t> extents; // Halide order.

  /// Reduction with the output's vars, whose values one output vector needs
  /// (conv, pooling, dense). Undefined when the kind has none.
  Halide::Func accumulator;
  Halide::RDom accumulatorDomain;
  /// Conv2D only: the accumulator's form, for register tiling.
  ConvPlan conv;
  /// SeparableConv2D: the depthwise stage mid(q, c, n) (flat pixels, like
  /// the accumulator) that the pointwise reduction reads; a schedule
  /// computes it per pixel tile of the accumulator.
  Halide::Func depthwiseStage;
  /// SeparableConv2D with zeroSkipPointwise: the extern pointwise stage
  /// (ZeroSkipSeparable.cpp) that the output copies; depthwiseStage is
  /// then the whole depthwise result, pixel-major.
  Halide::Func zeroSkipPointwise;
  /// Conv2D with winogradTile: the Winograd stages (output is the epilogue
  /// over their result); null otherwise.
  std::shared_ptr<WinogradStages> winograd;
  /// InvertedResidual: the expand stage ex(i, phase, e, n) over the
  /// phase-split padded grid (zero in the padding), its accumulator
  /// exAcc(i, phase, e, n) (bias + 1x1 conv, before the activation), the
  /// grid's padding mask inside(i, phase) and the expand register tile's
  /// plan (accVars {i, e, phase, n}).
  Halide::Func expandStage, expandAccumulator, expandMask;
  Halide::RDom expandDomain;
  ConvPlan expandConv;
  /// Channel-vector InvertedResidual: rows of the expand stage one output
  /// row's depthwise taps read, (KH - 1) * dilation + 1 (its storage folds
  /// to a window of them).
  int64_t expandWindowRows = 0;
  /// ConvTranspose2D's stages; null for other kinds.
  std::shared_ptr<ConvTransposeStages> convTranspose;
  /// Small weight Funcs re-laid out inside the kernel (the channel-vector
  /// inverted residual's depthwise weights as 16-channel vectors): a
  /// schedule computes them once per call.
  std::vector<Halide::Func> weightStages;
  /// MaxPool2D: the window's max along each padded input row,
  /// rows(ox, y, c, n); the output is the max of the window's rows of it
  /// (a 3x3 window: 3 + 3 maxes per output instead of 9). No accumulator.
  Halide::Func poolRowMax;
  /// Flat-pixel convs (dense, separable): row pitch of the phase-split input
  /// copy when it is paddedInputs' only entry (0 otherwise), so the schedule
  /// can loop it over rows and columns.
  int64_t flatRowPitch = 0;

  /// Set by a schedule whose output loop has one parallel task loop: that
  /// loop (where per-task scratch can be placed) and the output rows per
  /// task (0 when tasks are not row blocks).
  Halide::LoopLevel taskLoop;
  int64_t taskRows = 0;

  /// Set by a schedule whose prefetches are shared out among register
  /// tiles: the suffixes of those tile loops' lowered names
  /// (SpreadPrefetches.h). Empty: prefetches stay Halide's.
  std::vector<std::string> prefetchTileLoops;

  /// Zero/-inf padded copies of an input (windowed ops). Undefined Funcs
  /// are inlined; a schedule may materialize them so the inner loops read
  /// plain memory instead of evaluating a bounds select per tap.
  std::vector<Halide::Func> paddedInputs;

  /// Reductions over one axis that the whole output reads (softmax max and
  /// sum). Defined over `statVars` (the output vars minus the axis).
  std::vector<Halide::Func> stats;
  std::vector<Halide::Var> statVars;
  std::vector<int64_t> statExtents;
  Halide::RDom statDomain;
};

// --- Shared helpers -----------------------------------------------------===//

/// ONNX shape (outermost first) to Halide order (innermost first).
std::vector<int64_t> halideOrder(const std::vector<int64_t> &onnxShape);

/// "[1,3,224,224]" for messages.
std::string shapeText(const std::vector<int64_t> &shape);

/// Output Func named "out" with vars d0..d{r-1} for spec.outputShape.
KernelFuncs makeOutputFuncs(const KernelSpec &spec);

/// y = act(v) per spec.activation.
Halide::Expr applyActivation(const KernelSpec &spec, Halide::Expr v);

/// An activation stage that is not the spec's epilogue (a fused kernel's
/// inner stages): `act` with its two parameters (Clip: min, max;
/// HardSigmoid: alpha, beta).
Halide::Expr applyStageActivation(Activation act, float param0, float param1,
                                  Halide::Expr v);

/// Input `index` must have exactly `rank` dims; returns its ONNX shape.
const std::vector<int64_t> &requireRank(const KernelSpec &spec, size_t index,
                                        size_t rank, const char *role);

/// Input `index` must be a vector of `extent` values (a bias).
void requireVector(const KernelSpec &spec, size_t index, int64_t extent,
                   const char *role);

/// With spec.hasResidual, input `index` must have the output's shape;
/// returns `index`, or -1 without a residual.
int requireResidual(const KernelSpec &spec, size_t index);

/// The optional epilogue inputs of a conv-like kernel, from input `first`
/// on: bias[M] if spec.hasBias, then the residual if spec.hasResidual.
/// Their indices, -1 when absent.
struct EpilogueInputs {
  int bias = -1, residual = -1;
};
EpilogueInputs requireEpilogueInputs(const KernelSpec &spec, size_t first,
                                     int64_t M);

/// Fails unless spec.outputShape == expected.
void requireOutputShape(const KernelSpec &spec,
                        const std::vector<int64_t> &expected);

/// For per-channel ops: input 0 must have a channel dim (rank >= 2) and the
/// output its shape. Returns the channel count (dim 1).
int64_t requireChannelwise(const KernelSpec &spec);

/// Window attributes of a 2-D sliding window op, validated.
struct Window2D {
  int64_t kh, kw, sh, sw, dh, dw, padTop, padLeft, padBottom, padRight;
  /// Output extent along one spatial dim for input extent `in`.
  static int64_t outExtent(int64_t in, int64_t k, int64_t s, int64_t d,
                           int64_t padBegin, int64_t padEnd, bool ceilMode);
};
Window2D readWindow(const KernelSpec &spec, int64_t kh, int64_t kw);

/// Output {OH, OW} of a convolution window (no ceil mode) over the NCHW
/// input `xs`; fails when the window does not fit the padded input.
std::pair<int64_t, int64_t> convOutputExtents(const Window2D &win,
                                              const std::vector<int64_t> &xs);

/// The depthwise -> pointwise operands of a separable or inverted-residual
/// kernel, inputs `first` to `first + 4`: dw[C,1,KH,KW], dwBias[C],
/// pw[M,C,1,1], pwBias[M], then the residual if spec.hasResidual; checked
/// together with the output shape for an input of shape xs.
/// algorithms/SeparableConv.cpp.
struct SeparableOperands {
  int64_t kernelHeight = 0, kernelWidth = 0, M = 0, OH = 0, OW = 0;
  Window2D win;
  int residualIndex = -1;
  /// The output (and residual) come as single rows [N, M, 1, OH * OW]
  /// (kernels/PointwiseFlattening.h, flattensSeparablePointwise).
  bool flatOutput = false;
};
/// Depthwise weight (kx, ky) of channel c: OIHW [C,1,KH,KW], or packed in
/// blocks of 16 channels [C/16,1,KH,KW,16] (told apart by their rank).
Halide::Expr depthwiseWeight(const Halide::ImageParam &weights, Halide::Expr kx,
                             Halide::Expr ky, Halide::Expr c);
SeparableOperands requireSeparableOperands(const KernelSpec &spec,
                                           size_t first, int64_t C,
                                           const std::vector<int64_t> &xs);


/// The padded input of a flat-pixel convolution (FlatPixels form), split
/// into stride phases: flat(i, phase, c, n), rows of `rowPitch` elements.
/// Output pixel q = oy * rowPitch + ox reads tap (kx, ky) at
/// flat(q + tapOffset(kx, ky), tapPhase(kx, ky), c, n). `materialize` says
/// the view is a real copy (padding or strides) a schedule should place;
/// otherwise it is the input itself and stays inlined. `alwaysCopy` makes
/// it a copy even then, for consumers whose last tile reads past the
/// pixels they need (the copy's zero border absorbs it).
struct PhaseSplitInput {
  Halide::Func flat;
  int64_t rowPitch = 0, sh = 1, sw = 1, dh = 1, dw = 1;
  bool materialize = false;
  /// Of a channel-blocked input (kernels/ActivationLayout.h): flat(k, i,
  /// phase, cb, n) holds channel cb * 16 + k, blocks of 16 innermost.
  bool blocked = false;
  Halide::Expr tapOffset(Halide::Expr kx, Halide::Expr ky) const;
  Halide::Expr tapPhase(Halide::Expr kx, Halide::Expr ky) const;
  /// Extent of q covering every output pixel: (OH - 1) * rowPitch + OW.
  int64_t vecExtent(int64_t OH, int64_t OW) const;
};
PhaseSplitInput phaseSplitInput(const Halide::Func &in, int64_t W,
                                int64_t H, const Window2D &win,
                                bool alwaysCopy = false);
/// The same copy of a channel-blocked input in[k, x, y, cb, n], kept
/// blocked (always materialized: used for padded inputs).
PhaseSplitInput phaseSplitBlockedInput(const Halide::ImageParam &in,
                                       int64_t W, int64_t H,
                                       const Window2D &win);

/// f(w, h, c, n) of an NCHW input with `value` outside [0,W) x [0,H): the
/// spatial padding of windowed ops. Indices are clamped inside so bounds
/// inference never asks for more than the input's static extent.
Halide::Func padSpatial(const Halide::ImageParam &in, int64_t width,
                        int64_t height, Halide::Expr value,
                        const std::string &name);

/// Channel-blocked activations (kernels/ActivationLayout.h): element
/// (x, y, c, n) of a blocked f(k, x, y, cb, n), i.e. f(c % 16, x, y,
/// c / 16, n).
Halide::Expr blockedAt(const Halide::Func &f, Halide::Expr x, Halide::Expr y,
                       Halide::Expr c, Halide::Expr n);

/// padSpatial's twin for a blocked input: f(k, x, y, cb, n) with `value`
/// outside [0,W) x [0,H) (a boundary condition, whose interior Halide
/// peels off).
Halide::Func padSpatialBlocked(const Halide::ImageParam &in, int64_t width,
                               int64_t height, Halide::Expr value,
                               const std::string &name);

/// The input read in place through a boundary condition: `value` outside
/// [0,W) x [0,H), in its own layout (padSpatialBlocked for a blocked
/// input, else NCHW f(x, y, c, n)). Meant to be inlined into the taps,
/// where Halide's loop partitioning keeps the interior free of it.
Halide::Func padSpatialInPlace(const Halide::ImageParam &in, bool blocked,
                               int64_t width, int64_t height,
                               Halide::Expr value, const std::string &name);

/// Which of a conv's data input and residual (at `residualIndex`, or -1)
/// are channel-blocked; fails if the spec blocks any other input.
struct BlockedConvInputs {
  bool input = false, residual = false;
};
BlockedConvInputs requireBlockedConvInputs(const KernelSpec &spec,
                                           int residualIndex);

/// The epilogue of a channel-vector accumulator acc(j, px, py, mb, n)
/// (blocks of `accumulatorBlock` output channels: 16, or 8 for an NCHW
/// output): f.output = act(acc + residual) in the output's layout
/// (blocked: stored as computed; NCHW: transposed), a
/// blocked residual of an NCHW output added in the accumulator's layout
/// first (f.conv.residualSum). Sets f.conv.blockedOutput.
/// algorithms/ChannelVectorStages.cpp.
void channelVectorEpilogue(const KernelSpec &spec,
                           const std::vector<Halide::ImageParam> &in,
                           const Halide::Func &acc, int residualIndex,
                           bool blockedResidual, KernelFuncs &f,
                           int accumulatorBlock = (int)kConvChannelVectorBlock);

/// Channel-vector stages of fused kernels (algorithms/
/// ChannelVectorStages.cpp). A depthwise conv (weights [C,1,KH,KW] or
/// packed [C/16,1,KH,KW,16], bias[C], the spec's dw activation) over
/// src(j, x, y, cb, n) (channel cb * 16 + j; C whole blocks):
/// mid(j, ox, oy, cb, n) reads src at (ox * sw + kx * dw + x0, oy * sh +
/// ky * dh + y0). OIHW weights get a re-layout stage (f.weightStages).
Halide::Func depthwiseOnChannelVectors(const Halide::Func &src,
                                       const Halide::ImageParam &weights,
                                       const Halide::ImageParam &bias,
                                       const Window2D &win,
                                       int64_t kernelHeight,
                                       int64_t kernelWidth, Halide::Expr x0,
                                       Halide::Expr y0, const KernelSpec &spec,
                                       KernelFuncs &f);
/// The 1x1 conv over such a mid (C channels; weights packed [ceil(M/16),
/// C, 1, 1, 16], bias[M]) and the spec's epilogue (residual input
/// `residualIndex` or -1, NCHW or blocked; output NCHW or blocked): sets
/// f.output, f.accumulator (ChannelVectors form, blockedMid) and
/// f.depthwiseStage = mid. The accumulator holds `accumulatorBlock` output
/// channels per block (16, or 8: channelVectorAccumulatorBlock); so does
/// f.conv.weightBlock.
void pointwiseOnChannelVectors(
    const Halide::Func &mid, int64_t C, const Halide::ImageParam &weights,
    const Halide::ImageParam &bias, int residualIndex, bool blockedResidual,
    const std::vector<Halide::ImageParam> &in, const KernelSpec &spec,
    KernelFuncs &f, int accumulatorBlock = (int)kConvChannelVectorBlock,
    int64_t flatMidWidth = 0);
/// Output channels per accumulator block of a channel-vector 1x1 stage
/// with M output channels: 16 (one packed weight block), or 8 where M is
/// an odd number of 8-channel halves, the output is NCHW (a blocked one
/// has whole blocks) and the target's full-rate vectors have at most 8
/// lanes. With 16 the last block's second half would be zero channels
/// multiplied and dropped: a quarter of the FMAs of MobileNetV2's
/// projections to 24 channels (their kernels 9-14 % faster with 8 on an
/// AVX2 Zen 3, at 1 and 2 threads; on AVX-512 at half rate, Zen 4, where
/// 8-lane FMAs retire twice as fast as 16-lane ones, 2-5 %). Where
/// 16-lane vectors run at full rate 8 would halve the FLOPs per FMA.
int channelVectorAccumulatorBlock(const KernelSpec &spec, int fullRateLanes);

// --- Op families --------------------------------------------------------===//

KernelFuncs buildConv2D(const KernelSpec &spec,
                        const std::vector<Halide::ImageParam> &in);
/// Conv2D with spec.winogradTile set (algorithms/WinogradConv.cpp).
KernelFuncs buildWinogradConv2D(const KernelSpec &spec,
                                const std::vector<Halide::ImageParam> &in);
KernelFuncs buildMaxPool2D(const KernelSpec &spec,
                           const std::vector<Halide::ImageParam> &in);
KernelFuncs buildAvgPool2D(const KernelSpec &spec,
                           const std::vector<Halide::ImageParam> &in);
KernelFuncs buildGlobalAvgPool(const KernelSpec &spec,
                               const std::vector<Halide::ImageParam> &in);
KernelFuncs buildAdd(const KernelSpec &spec,
                     const std::vector<Halide::ImageParam> &in);
KernelFuncs buildMul(const KernelSpec &spec,
                     const std::vector<Halide::ImageParam> &in);
KernelFuncs buildChannelAffine(const KernelSpec &spec,
                               const std::vector<Halide::ImageParam> &in);
KernelFuncs buildActivation(const KernelSpec &spec,
                            const std::vector<Halide::ImageParam> &in);
KernelFuncs buildConcat(const KernelSpec &spec,
                        const std::vector<Halide::ImageParam> &in);
KernelFuncs buildDense(const KernelSpec &spec,
                       const std::vector<Halide::ImageParam> &in);
KernelFuncs buildSoftmax(const KernelSpec &spec,
                         const std::vector<Halide::ImageParam> &in);
KernelFuncs buildTranspose(const KernelSpec &spec,
                           const std::vector<Halide::ImageParam> &in);
KernelFuncs buildSlice(const KernelSpec &spec,
                       const std::vector<Halide::ImageParam> &in);
KernelFuncs buildPRelu(const KernelSpec &spec,
                       const std::vector<Halide::ImageParam> &in);
KernelFuncs buildConvTranspose2D(const KernelSpec &spec,
                                 const std::vector<Halide::ImageParam> &in);
KernelFuncs buildResize(const KernelSpec &spec,
                        const std::vector<Halide::ImageParam> &in);
KernelFuncs buildReduce(const KernelSpec &spec,
                        const std::vector<Halide::ImageParam> &in);
KernelFuncs buildLRN(const KernelSpec &spec,
                     const std::vector<Halide::ImageParam> &in);
KernelFuncs buildBatchNorm(const KernelSpec &spec,
                           const std::vector<Halide::ImageParam> &in);
/// A separable conv whose pointwise stage skips the depthwise result's
/// zeros (KernelSpec::zeroSkipPointwise): ZeroSkipSeparable.cpp.
KernelFuncs buildZeroSkipSeparable(const KernelSpec &spec,
                                   const std::vector<Halide::ImageParam> &in,
                                   const SeparableOperands &ops, int64_t C,
                                   int64_t H, int64_t W);
KernelFuncs buildSeparableConv2D(const KernelSpec &spec,
                                 const std::vector<Halide::ImageParam> &in);
/// `fullRateLanes`: the widest float vector whose FMAs the target runs at
/// full rate (its natural width, or 8 for AVX-512 on 256-bit units), which
/// sizes the channel-vector form's project accumulator
/// (channelVectorAccumulatorBlock).
KernelFuncs buildInvertedResidual(const KernelSpec &spec,
                                  const std::vector<Halide::ImageParam> &in,
                                  int fullRateLanes);
/// InvertedResidual with weightBlock 16: every stage on channel vectors
/// (algorithms/InvertedResidualChannelVectors.cpp).
KernelFuncs
buildInvertedResidualChannelVectors(const KernelSpec &spec,
                                    const std::vector<Halide::ImageParam> &in,
                                    int fullRateLanes);
KernelFuncs buildPad(const KernelSpec &spec,
                     const std::vector<Halide::ImageParam> &in);

} // namespace kiln

#endif // KILN_COMPILER_HALIDE_ALGORITHMS_ALGORITHMS_H
