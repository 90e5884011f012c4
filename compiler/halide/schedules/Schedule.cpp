//===- Schedule.cpp - Pick the schedule for a target family ---------------===//

#include "compiler/halide/schedules/Schedule.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

int vectorLanesFor(int64_t extent, int lanes) {
  int v = lanes < 1 ? 1 : lanes;
  while (v > 1 && v > extent)
    v /= 2;
  return v;
}

ChannelBlockLoops vectorizeChannelBlock(Stage f, Var k, int lanes) {
  ChannelBlockLoops l{Var(k.name() + "_v"), Var(k.name() + "_l")};
  f.split(k, l.vectors, l.lanes, std::max(lanes, 1), TailStrategy::RoundUp)
      .unroll(l.vectors);
  if (lanes > 1)
    f.vectorize(l.lanes);
  return l;
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

void parallelTasks(Stage stage, const VarOrRVar &task, bool alikeTasks) {
  stage.parallel(task);
  if (alikeTasks)
    stage.partition(task, Partition::Never);
}

} // namespace kiln
