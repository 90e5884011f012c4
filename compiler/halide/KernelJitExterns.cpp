//===- KernelJitExterns.cpp - Runtime symbols for JIT-compiled kernels ----===//
#include "compiler/halide/KernelJitExterns.h"

#include "compiler/halide/RunThreads.h"
#include "runtime/kiln_zero_skip_pointwise.h"

namespace kiln {

using namespace Halide;

void addKernelJitExterns(Pipeline &pipeline) {
  pipeline.set_jit_externs(
      {runThreadsJitExtern(),
       {"kiln_zero_skip_pointwise", JITExtern(&kiln_zero_skip_pointwise)},
       {"kiln_zero_skip_pointwise_residual",
        JITExtern(&kiln_zero_skip_pointwise_residual)}});
}

} // namespace kiln
