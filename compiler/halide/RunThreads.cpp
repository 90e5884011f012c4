//===- RunThreads.cpp - The run's thread count, read by a kernel ----------===//
#include "compiler/halide/RunThreads.h"

#include <atomic>

namespace kiln {

using namespace Halide;

namespace {

// The runtime's symbol (runtime/kiln_thread_pool.h).
constexpr const char *kRunThreadsSymbol = "kiln_pool_parallelism";

std::atomic<int> jitRunThreads{1};

int32_t jitParallelism() { return jitRunThreads.load(); }

} // namespace

Expr runThreads() {
  Expr call = Internal::Call::make(Int(32), kRunThreadsSymbol, {},
                                   Internal::Call::Extern);
  return max(call, 1);
}

std::pair<std::string, JITExtern> runThreadsJitExtern() {
  return {kRunThreadsSymbol, JITExtern(&jitParallelism)};
}

void setJitRunThreads(int threads) { jitRunThreads.store(threads); }

} // namespace kiln
