//===- PipelineBuilder.cpp - Kernel spec to scheduled Halide pipeline -----===//
//
// Shapes are static: every input and the output get min 0, the spec's extent
// and dense strides as buffer constraints. Halide checks them on entry, so a
// caller's wrong buffer makes the kernel return an error instead of reading
// out of bounds, and the constant strides let it emit dense vector loads.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/PipelineBuilder.h"

#include "compiler/halide/KernelJitExterns.h"
#include "compiler/halide/PrefetchStrideFix.h"
#include "compiler/halide/SpreadPrefetches.h"
#include "compiler/halide/algorithms/Algorithms.h"
#include "compiler/halide/schedules/Schedule.h"
#include "compiler/kernels/ActivationLayout.h"
#include "compiler/kernels/ConvWeightLayout.h"

#include <limits>

namespace kiln {

using namespace Halide;

namespace {

/// Pins `buffer` to the ONNX shape `shape` (dense, row-major).
void constrainShape(OutputImageParam buffer,
                    const std::vector<int64_t> &shape) {
  std::vector<int64_t> extents = halideOrder(shape);
  int64_t stride = 1;
  for (size_t d = 0; d < extents.size(); ++d) {
    buffer.dim((int)d).set_bounds(0, (int)extents[d]).set_stride((int)stride);
    stride *= extents[d];
  }
}

/// Halide indexes with int32: every tensor must fit.
void checkSize(const std::vector<int64_t> &shape, const std::string &what) {
  int64_t elements = 1;
  for (int64_t d : shape) {
    if (d < 1)
      specFail(what + " " + shapeText(shape) + " has a non-positive dim");
    if (d > std::numeric_limits<int32_t>::max() / elements)
      specFail(what + " " + shapeText(shape) + " has 2^31 or more elements");
    elements *= d;
  }
}

/// The buffer shape of an argument with logical shape `shape`: the
/// channel-blocked one (kernels/ActivationLayout.h) when `blocked`.
std::vector<int64_t> bufferShape(const KernelSpec &spec,
                                 const std::vector<int64_t> &shape,
                                 bool blocked, const std::string &what) {
  if (!blocked)
    return shape;
  bool channelVectors =
      ((spec.kind == KernelKind::Conv2D && spec.groups == 1) ||
       spec.kind == KernelKind::InvertedResidual ||
       spec.kind == KernelKind::SeparableConv2D) &&
      spec.weightBlock == kConvChannelVectorBlock;
  bool supported = channelVectors || spec.kind == KernelKind::GlobalAvgPool ||
                   spec.kind == KernelKind::MaxPool2D;
  if (!supported)
    specFail(what + " is channel-blocked, which only channel-vector and "
                    "Winograd convs, separable convs and inverted residuals "
                    "(weight_block=16), "
                    "max pools and global average pools support");
  if (!blockableActivation(shape))
    specFail(what + " " + shapeText(shape) +
             " cannot be channel-blocked: it needs 4 dims and a multiple of " +
             std::to_string(kActivationBlock) + " channels");
  return blockedActivationShape(shape);
}

KernelFuncs buildAlgorithm(const KernelSpec &spec,
                           const std::vector<ImageParam> &in,
                           const Target &target) {
  switch (spec.kind) {
  case KernelKind::Conv2D:
    return buildConv2D(spec, in);
  case KernelKind::MaxPool2D:
    return buildMaxPool2D(spec, in);
  case KernelKind::AvgPool2D:
    return buildAvgPool2D(spec, in);
  case KernelKind::GlobalAvgPool:
    return buildGlobalAvgPool(spec, in);
  case KernelKind::ChannelAffine:
    return buildChannelAffine(spec, in);
  case KernelKind::Add:
    return buildAdd(spec, in);
  case KernelKind::Activation:
    return buildActivation(spec, in);
  case KernelKind::Concat:
    return buildConcat(spec, in);
  case KernelKind::Dense:
    return buildDense(spec, in);
  case KernelKind::Softmax:
    return buildSoftmax(spec, in);
  case KernelKind::Mul:
    return buildMul(spec, in);
  case KernelKind::Transpose:
    return buildTranspose(spec, in);
  case KernelKind::Slice:
    return buildSlice(spec, in);
  case KernelKind::Reduce:
    return buildReduce(spec, in);
  case KernelKind::PRelu:
    return buildPRelu(spec, in);
  case KernelKind::Resize:
    return buildResize(spec, in);
  case KernelKind::ConvTranspose2D:
    return buildConvTranspose2D(spec, in);
  case KernelKind::LRN:
    return buildLRN(spec, in);
  case KernelKind::BatchNorm:
    return buildBatchNorm(spec, in);
  case KernelKind::SeparableConv2D:
    return buildSeparableConv2D(spec, in);
  case KernelKind::InvertedResidual:
    return buildInvertedResidual(spec, in,
                                 cpuScheduleParams(target).fullRateLanes());
  case KernelKind::Pad:
    return buildPad(spec, in);
  }
  specFail("unknown kernel kind");
}

} // namespace

size_t expectedInputCount(const KernelSpec &spec) {
  switch (spec.kind) {
  case KernelKind::Conv2D:
    return 2 + spec.hasBias + spec.hasResidual;
  case KernelKind::MaxPool2D:
  case KernelKind::AvgPool2D:
  case KernelKind::GlobalAvgPool:
  case KernelKind::Activation:
  case KernelKind::Softmax:
  case KernelKind::Transpose:
  case KernelKind::Slice:
  case KernelKind::Reduce:
  case KernelKind::Resize:
  case KernelKind::LRN:
  case KernelKind::Pad:
    return 1;
  case KernelKind::ChannelAffine:
    return 3;
  case KernelKind::BatchNorm:
    return 5;
  case KernelKind::Add:
  case KernelKind::Mul:
  case KernelKind::PRelu:
    return 2;
  case KernelKind::Dense:
  case KernelKind::ConvTranspose2D:
    return 2 + spec.hasBias;
  case KernelKind::SeparableConv2D:
    return 5 + spec.hasResidual;
  case KernelKind::InvertedResidual:
    return 7 + spec.hasResidual;
  case KernelKind::Concat:
    return spec.inputShapes.empty() ? 1 : spec.inputShapes.size();
  }
  return 0;
}

bool buildPipeline(const KernelSpec &spec, const Target &target,
                   BuiltPipeline &out, std::string &error) {
  std::string where =
      "kernel '" + spec.name + "' (" + kernelKindName(spec.kind) + "): ";
  try {
    if (spec.residualInPlace &&
        (spec.kind != KernelKind::Conv2D || spec.winogradTile))
      specFail("residual_in_place is only for direct conv kernels");
    size_t want = expectedInputCount(spec);
    if (spec.inputShapes.size() != want)
      specFail("expects " + std::to_string(want) + " inputs, spec has " +
               std::to_string(spec.inputShapes.size()));
    std::vector<ImageParam> inputs;
    for (size_t i = 0; i < spec.inputShapes.size(); ++i) {
      std::vector<int64_t> shape =
          bufferShape(spec, spec.inputShapes[i], spec.inputBlocked(i),
                      "input " + std::to_string(i));
      checkSize(shape, "input " + std::to_string(i));
      ImageParam param(Float(32), (int)shape.size(), "in" + std::to_string(i));
      constrainShape(param, shape);
      inputs.push_back(param);
    }
    std::vector<int64_t> outShape =
        bufferShape(spec, spec.outputShape, spec.blockedOutput, "output");
    checkSize(outShape, "output");

    KernelFuncs funcs = buildAlgorithm(spec, inputs, target);
    constrainShape(funcs.output.output_buffer(), outShape);
    applySchedule(spec, funcs, target);

    out.pipeline = Pipeline(funcs.output);
    addKernelJitExterns(out.pipeline);
    addPrefetchStrideFix(out.pipeline);
    if (!funcs.prefetchTileLoops.empty())
      addSpreadPrefetches(out.pipeline, funcs.prefetchTileLoops);
    out.inputs = inputs;
    out.arguments.assign(inputs.begin(), inputs.end());
    return true;
  } catch (const SpecError &e) {
    error = where + e.what();
  } catch (const Halide::Error &e) {
    error = where + "Halide: " + e.what();
  } catch (const std::exception &e) {
    error = where + e.what();
  }
  return false;
}

} // namespace kiln
