//===- SpreadPrefetches.h - Prefetches shared out among register tiles ----===//
//
// A direct conv sweeping its reduction in chunks reads each chunk's weights
// from memory in its first register tile and from L1 in the others: the
// weight stream and the FMAs took turns (ResNet-50's 7x7 convs ran about
// compute time + weight bytes / DRAM bandwidth). A schedule that prefetches
// the next chunk at every reduction step would issue each prefetch once per
// tile; this lowering pass keeps one: step s of the E steps of the loop
// holding the prefetch is issued only by tile s * T / E of the T tiles (the
// iterations of the given tile loops, outer first), so the next chunk's
// lines are requested evenly across the current chunk's compute. Each
// prefetch becomes an L2 prefetch (llvm.prefetch, locality 2: prefetcht1
// on x86): Halide's own is a prefetchnta, whose lines the Xeon drops from
// L1 before the next chunk reads them (kept out of L1, the chunk in use
// stays there too).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_HALIDE_SPREADPREFETCHES_H
#define KILN_COMPILER_HALIDE_SPREADPREFETCHES_H

#include <Halide.h>

#include <string>
#include <vector>

namespace kiln {

/// Adds the pass to `pipeline` (after addPrefetchStrideFix). A loop is a
/// tile loop when its lowered name ends with one of `tileLoopSuffixes`
/// (e.g. ".px.pxo" for the loop pxo split from px) and it belongs to the
/// Func of the loop holding the prefetch, or when its name is one of them
/// in full (no leading '.', e.g. "out.s0.y": a consumer's loop around the
/// Func computed per tile). Prefetches outside any tile loop are only made
/// L2 prefetches.
void addSpreadPrefetches(Halide::Pipeline &pipeline,
                         const std::vector<std::string> &tileLoopSuffixes);

} // namespace kiln

#endif
