//===- RunThreads.h - The run's thread count, read by a kernel --*- C++ -*-===//
//
// Some kernels split their work best one way per thread count: the Winograd
// convs with channel-group tasks transform their input once at 1 thread,
// but at 2 each thread transforming all of it for its own half of the
// output channels beats one shared transform whose halves the other core
// wrote (WinogradConvSchedule.cpp). The count is known only when the model
// runs, so such a kernel reads it from the runtime: runThreads() is a call
// to kiln_pool_parallelism() (runtime/kiln_thread_pool.h), resolved at link
// time in compiled models and by a JIT extern in JIT-compiled pipelines
// (tests, kiln-kernel-bench), which returns setJitRunThreads' value.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_HALIDE_RUNTHREADS_H
#define KILN_COMPILER_HALIDE_RUNTHREADS_H

#include "Halide.h"

#include <string>
#include <utility>

namespace kiln {

/// An Int(32) Expr, >= 1: the threads a parallel loop of the kernel would
/// use in this run.
Halide::Expr runThreads();

/// The JIT extern that resolves runThreads() (KernelJitExterns.h).
std::pair<std::string, Halide::JITExtern> runThreadsJitExtern();

/// What runThreads() returns in JIT-compiled pipelines (1 until set;
/// values below 1 count as 1).
void setJitRunThreads(int threads);

} // namespace kiln

#endif // KILN_COMPILER_HALIDE_RUNTHREADS_H
