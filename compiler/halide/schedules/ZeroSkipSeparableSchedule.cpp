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
    // A task per output row: 14 on a 14x14 image.
    out.parallel(v[2]);
    f.zeroSkipPointwise.compute_at(out, v[2]);
  } else {
    // A flattened image (7x7: 49 pixels): about 12 tasks, so that two
    // threads split them within a task of even.
    int64_t per = std::max<int64_t>(1, (f.extents[1] + 11) / 12);
    Var xo("xo"), xi("xi");
    out.split(v[1], xo, xi, (int)per, TailStrategy::ShiftInwards)
        .reorder(v[0], xi, v[3], v[2], xo, v[4])
        .parallel(xo);
    f.zeroSkipPointwise.compute_at(out, xo);
  }
}

} // namespace kiln
