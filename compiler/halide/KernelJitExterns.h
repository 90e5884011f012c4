//===- KernelJitExterns.h - Runtime symbols for JIT-compiled kernels -*- C++ -*-===//
//
// A kernel may call into the Kiln C runtime: runThreads() reads the run's
// thread count (RunThreads.h), a zero-skipping separable kernel calls its
// extern pointwise stage (runtime/kiln_zero_skip_pointwise.h). Compiled
// models resolve them when they are linked with the runtime; JIT-compiled
// pipelines (tests, kiln-kernel-bench) through these JIT externs.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_HALIDE_KERNELJITEXTERNS_H
#define KILN_COMPILER_HALIDE_KERNELJITEXTERNS_H

#include "Halide.h"

namespace kiln {

/// Lets a JIT-compiled `pipeline` resolve every runtime symbol a kernel
/// may call.
void addKernelJitExterns(Halide::Pipeline &pipeline);

} // namespace kiln

#endif // KILN_COMPILER_HALIDE_KERNELJITEXTERNS_H
