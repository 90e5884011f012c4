//===- PrefetchStrideFix.h - Cache-line steps for Halide prefetches -------===//
//
// Halide 21 splits a prefetched box into one prefetch per 64-byte line but
// advances the element offset by 64 (bytes) per line: for a float buffer
// every fourth line was fetched and the loop ran past the box. This
// lowering pass divides the split loops' steps by the element size, so
// the lines fetched are the box's.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_HALIDE_PREFETCHSTRIDEFIX_H
#define KILN_COMPILER_HALIDE_PREFETCHSTRIDEFIX_H

#include <Halide.h>

namespace kiln {

/// Adds the fix as a custom lowering pass of `pipeline`.
void addPrefetchStrideFix(Halide::Pipeline &pipeline);

} // namespace kiln

#endif
