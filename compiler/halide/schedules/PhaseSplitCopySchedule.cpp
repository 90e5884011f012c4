//===- PhaseSplitCopySchedule.cpp - The padded input copy of a conv -------===//
//
// Flat-pixel convolutions (Conv.cpp, SeparableConv.cpp) read a padded,
// stride-phase-split copy of their input, flat(i, phase, c, n) with
// i = row * pitch + col (algorithms/PhaseSplitInput.cpp). How that copy is
// looped decides whether it is a stream of dense vector loads or a gather.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/schedules/Schedule.h"
#include "compiler/kernels/ActivationLayout.h"

namespace kiln {

using namespace Halide;

/// The phase-split input copy flat(i, phase, c, n), i = row * pitch + col:
/// looping over (row, col) instead of i lets the simplifier turn the
/// copy's i / pitch and i % pitch into the loop variables, so each vector
/// is a dense (bounds-selected) load of an input row instead of a gather.
void schedulePhaseSplitCopy(Func flat, int64_t pitch,
                            const CpuScheduleParams &p, bool parallel) {
  std::vector<Var> v = flat.args();
  Var row("row"), col("col"), cn("flat_cn");
  if (v.size() == 5) {
    // A channel-blocked copy flat(k, i, phase, cb, n): each element is a
    // pixel's 16-channel block, one dense vector load and store.
    flat.split(v[1], row, col, (int)pitch, TailStrategy::RoundUp)
        .fuse(v[3], v[4], cn)
        .reorder(v[0], col, v[2], row, cn);
    if (parallel)
      flat.parallel(cn);
    vectorizeChannelBlock(flat, v[0],
                          vectorLanesFor(kActivationBlock, p.vectorLanes));
    return;
  }
  // RoundUp: the copy is scratch, a partial last row is just copied whole.
  flat.split(v[0], row, col, (int)pitch, TailStrategy::RoundUp)
      .fuse(v[2], v[3], cn);
  // Phases in pairs, innermost (unrolled) around each vector of a row:
  // with column stride 2, phases 2k and 2k+1 read the even and odd columns
  // of the same input row, and Halide turns the two stride-2 loads into
  // dense loads and a deinterleave (one phase at a time, each was a
  // gather). ResNet-50's 3x3 s2 128->128 1.71 -> 1.63 ms (kernel bench),
  // MobileNetV2's strided inverted residual 0.35 -> 0.33. (With one phase
  // the second of a pair is guarded off.)
  Var po("po"), pi("pi");
  flat.split(v[1], po, pi, 2, TailStrategy::GuardWithIf)
      .reorder(col, pi, row, po, cn)
      .unroll(pi);
  if (parallel)
    flat.parallel(cn);
  // GuardWithIf: the last vector of a row is predicated. (ShiftInwards
  // shifted it over its neighbour, but also kept Halide from partitioning
  // the row into border and interior vectors: every vector was a gather.)
  int lanes = vectorLanesFor(pitch, p.vectorLanes);
  if (lanes > 1)
    flat.vectorize(col, lanes, TailStrategy::GuardWithIf);
}

} // namespace kiln
