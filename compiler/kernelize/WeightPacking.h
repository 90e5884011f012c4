//===- WeightPacking.h - Compile-time weight layouts for kernels -*- C++ -*-===//
//
// Rearranges constant weights into the layout a kernel reads fastest, once,
// at compile time (the packed layouts are defined in compiler/kernels/,
// e.g. ConvWeightLayout.h). Plain C++: the kernelizer calls it on constant
// data, tests call it to feed kernels directly.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELIZE_WEIGHTPACKING_H
#define KILN_COMPILER_KERNELIZE_WEIGHTPACKING_H

#include <cstdint>
#include <vector>

namespace kiln {

/// OIHW conv weights `w` of shape `oihw` ([M, C, KH, KW]) to the blocked
/// layout [ceil(M/block), C, KH, KW, block] of ConvWeightLayout.h, output
/// channels past M zero. Empty if `w` does not match `oihw` (the kernelizer
/// then keeps OIHW).
std::vector<float> packConvWeights(const std::vector<float> &w,
                                   const std::vector<int64_t> &oihw,
                                   int64_t block);

/// [N, K] Dense weights `w` to the layout [4, ceil(N/4), K/16, 16] of
/// DenseWeightLayout.h, rows past N zero. Empty if `w` does not match
/// {N, K} or the weights are not packable (denseWeightsPackable).
std::vector<float> packDenseWeights(const std::vector<float> &w, int64_t N,
                                    int64_t K);

/// OIHW r x r conv weights `w` of shape `oihw` ([M, C, r, r]) transformed
/// for Winograd F(tile x tile, r x r) at `stride`: U = G g G^T per
/// (output, input) channel pair, laid out as winogradWeightShape
/// (WinogradLayout.h), output channels past M zero. Computed in double.
/// Empty if `w` does not match `oihw` or there is no such transform
/// (winogradTransformExists).
std::vector<float> winogradConvWeights(const std::vector<float> &w,
                                       const std::vector<int64_t> &oihw,
                                       int64_t tile, int64_t stride = 1);

} // namespace kiln

#endif // KILN_COMPILER_KERNELIZE_WEIGHTPACKING_H
