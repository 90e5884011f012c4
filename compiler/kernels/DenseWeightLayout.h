//===- DenseWeightLayout.h - Pre-packed dense layer weights -----*- C++ -*-===//
//
// The layout contract for compile-time packed Dense (fully connected)
// weights, shared by the kernelizer (compiler/kernelize/WeightPacking.h)
// and the Halide backend (algorithms/Dense.cpp, schedules/
// DenseSchedule.cpp). Plain C++ so both sides include it.
//
// A classifier at batch 1 streams its weight matrix once per inference,
// from memory: the network's other layers have evicted it. The CPU schedule
// computes 4 rows' dot products at a time, 16 lanes of K per step, and from
// [N, K] weights that is 4 streams K*4 bytes apart, each only K*4 bytes
// long, so the hardware prefetchers start over every 4 rows. Packed, the
// same steps read one sequential stream:
//
//   [N, K] -> [ceil(N/4), K/16, 4, 16]: packed[g][s][i][l] = w[4g + i][16s + l]
//
// rows past N zero. (A C model of MobileNetV2's 1280 -> 1000 classifier
// with the weights evicted from the caches: 0.16-0.18 ms packed against
// 0.28-0.30 ms from [N, K], best of 60.) The layout does not depend on the
// target: 16 lanes are one AVX-512 vector, two AVX2 and four NEON vectors.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELS_DENSEWEIGHTLAYOUT_H
#define KILN_COMPILER_KERNELS_DENSEWEIGHTLAYOUT_H

#include <cstdint>
#include <vector>

namespace kiln {

/// Weight rows interleaved per packed group (KernelSpec::weightBlock of a
/// Dense kernel).
constexpr int64_t kDenseWeightRows = 4;
/// Elements of K per row per step of a packed group.
constexpr int64_t kDenseWeightLanes = 16;

/// Whether [N, K] weights are packed: K whole steps of 16, and long enough
/// that the kernel streams them (shorter rows take the generic schedule).
inline bool denseWeightsPackable(int64_t N, int64_t K) {
  return N >= kDenseWeightRows && K >= 8 * kDenseWeightLanes &&
         K % kDenseWeightLanes == 0;
}

/// Shape of packed weights: [N, K] -> [ceil(N/4), K/16, 4, 16].
inline std::vector<int64_t> packedDenseWeightShape(int64_t N, int64_t K) {
  return {(N + kDenseWeightRows - 1) / kDenseWeightRows, K / kDenseWeightLanes,
          kDenseWeightRows, kDenseWeightLanes};
}

} // namespace kiln

#endif // KILN_COMPILER_KERNELS_DENSEWEIGHTLAYOUT_H
