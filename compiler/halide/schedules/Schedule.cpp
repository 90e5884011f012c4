//===- Schedule.cpp - Pick the schedule for a target family ---------------===//

#include "compiler/halide/schedules/Schedule.h"

namespace kiln {

using namespace Halide;

int vectorLanesFor(int64_t extent, int lanes) {
  int v = lanes < 1 ? 1 : lanes;
  while (v > 1 && v > extent)
    v /= 2;
  return v;
}

void vectorizeChannelBlock(Func f, Var k, int lanes) {
  if (lanes <= 1)
    return;
  Var kv(k.name() + "_v"), kl(k.name() + "_l");
  f.split(k, kv, kl, lanes, TailStrategy::RoundUp).vectorize(kl).unroll(kv);
}

void applySchedule(const KernelSpec &spec, KernelFuncs &funcs,
                   const Target &target) {
  if (target.has_gpu_feature())
    specFail("no GPU schedule yet for target '" + target.to_string() +
             "' (a CUDA schedule belongs in schedules/CudaSchedule.cpp)");
  switch (target.arch) {
  case Target::X86:
  case Target::ARM:
    scheduleForCpu(spec, funcs, cpuScheduleParams(target));
    return;
  default:
    specFail("no schedule for the architecture of target '" +
             target.to_string() + "'");
  }
}

} // namespace kiln
