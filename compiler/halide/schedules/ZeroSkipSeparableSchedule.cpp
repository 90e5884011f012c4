//===- ZeroSkipSeparableSchedule.cpp - Zero-skipping separable on CPU -----===//
//
// ZeroSkipSeparable.cpp's stages: the depthwise result computed whole
// (about C x pixels floats: 451 KiB for MobileNetV2's 576-channel 14x14
// blocks, in L2) like the fused kernel's on 7x7 images (4 pixels side by
// side, in parallel over channel blocks) but stored pixel-major; then the output in tasks, each calling the
// extern pointwise stage for its rows (or, on a flattened output row, its
// run of pixels).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"
#include "compiler/kernels/ConvWeightLayout.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

void scheduleZeroSkipSeparable(KernelFuncs &f, const CpuScheduleParams &p) {
  int lanes = channelVectorLanes(p, (int)kConvChannelVectorBlock);
  scheduleWeightStages(f, lanes);
  Func mid = f.depthwiseStage; // (j, x, y, cb, n)
  Var j = mid.args()[0], x = mid.args()[1], y = mid.args()[2],
      cb = mid.args()[3], n = mid.args()[4];
  // The extern asks for the whole stage at run time: its 16 channels of a
  // block are known here.
  mid.bound(j, 0, (int)kConvChannelVectorBlock);
  splitChannelVectorDepthwise(mid, lanes);
  mid.compute_root().reorder_storage(j, cb, x, y, n).parallel(cb);

  Func out = f.output;
  const std::vector<Var> &v = f.vars; // (j, x, y, mb, n)
  // Every output channel block inside a task: the extern's register tile
  // spans up to 6 of them.
  out.vectorize(v[0], std::min(p.vectorLanes, 16))
      .reorder(v[0], v[1], v[3], v[2], v[4]);
  if (f.extents[2] > 1) {
    // Two tasks of rows (7 on a 14x14 image), each reading every weight
    // once per list block. (A task per row: 20-45 % slower.)
    int64_t rows = (f.extents[2] + 1) / 2;
    Var yo("yo"), yi("yi");
    out.split(v[2], yo, yi, (int)rows, TailStrategy::ShiftInwards)
        .parallel(yo);
    f.zeroSkipPointwise.compute_at(out, yo);
  } else {
    // A flattened image (7x7: 49 pixels): tasks of output blocks, all
    // pixels each, in even chunks of at most 6 (the extern's widest tile).
    // (Tasks of 5 pixels and every block read all the weights, 0.6-1.2 MB
    // on MobileNetV2's 7x7 kernels, from L3 in each task: 50 % slower.)
    int64_t blocks = f.extents[3];
    int64_t chunks = (blocks + 5) / 6;
    int64_t per = (blocks + chunks - 1) / chunks;
    Var mbo("mbo"), mbi("mbi");
    out.split(v[3], mbo, mbi, (int)per, TailStrategy::ShiftInwards)
        .reorder(v[0], v[1], v[2], mbi, mbo, v[4])
        .parallel(mbo);
    f.zeroSkipPointwise.compute_at(out, mbo);
  }
}

} // namespace kiln
