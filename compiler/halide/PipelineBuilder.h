//===- PipelineBuilder.h - Kernel spec to Halide pipeline -------*- C++ -*-===//
//
// Internal to the Halide backend (and its tests, which JIT the pipelines).
// Builds the algorithm for a spec, pins every buffer to the spec's static
// shape, and applies the schedule for the target.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_HALIDE_PIPELINEBUILDER_H
#define KILN_COMPILER_HALIDE_PIPELINEBUILDER_H

#include "compiler/kernels/KernelSpec.h"

#include "Halide.h"

#include <string>
#include <vector>

namespace kiln {

struct BuiltPipeline {
  Halide::Pipeline pipeline;
  /// One per spec input, in argument order (named in0, in1, ...).
  std::vector<Halide::ImageParam> inputs;
  /// `inputs` as compile arguments; Halide appends the output buffer.
  std::vector<Halide::Argument> arguments;
};

/// Returns false and sets `error` (naming the kernel) when the spec is
/// inconsistent or the target has no schedule.
bool buildPipeline(const KernelSpec &spec, const Halide::Target &target,
                   BuiltPipeline &out, std::string &error);

/// Number of input buffers a spec's kind and flags imply.
size_t expectedInputCount(const KernelSpec &spec);

} // namespace kiln

#endif // KILN_COMPILER_HALIDE_PIPELINEBUILDER_H
