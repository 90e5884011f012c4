//===- DenseWeightLayout.h - Pre-packed dense layer weights -----*- C++ -*-===//
//
// The layout contract for compile-time packed Dense (fully connected)
// weights, shared by the kernelizer (compiler/kernelize/WeightPacking.h)
// and the Halide backend (algorithms/Dense.cpp, schedules/
// DenseSchedule.cpp). Plain C++ so both sides include it.
//
// A classifier at batch 1 streams its weight matrix once per inference,
// from memory: the network's other layers have evicted it. The CPU schedule
// computes 4 rows' dot products at a time, 16 lanes of K per step. From
// [N, K] weights that is 4 streams K*4 bytes apart, each only K*4 bytes
// long, so the hardware prefetchers start over every 4 rows. Packed, each
// of the 4 rows of a step has a region of its own, read sequentially:
//
//   [N, K] -> [4, ceil(N/4), K/16, 16]: packed[i][g][s][l] = w[4g + i][16s + l]
//
// rows past N zero. A step reads 64 bytes from each of 4 long sequential
// streams, and one core keeps more lines in flight for 4 streams than for
// one. In the networks (AMD EPYC Zen 3, kernel_ab, minima / paired, 1
// thread): MobileNetV2's 1280 -> 1000 classifier 0.243 -> 0.156 ms (-36 /
// -33 %; 0.138 -> 0.121 at 2 threads), ResNet-50's 2048 -> 1000 -19 /
// -24 %, GoogLeNet's -24 / -20 %, ResNet-18's -33 %, against the 4 rows
// of a step side by side in one stream ([ceil(N/4), K/16, 4, 16]; in
// session 19's C model that stream was 0.13-0.18 ms against 0.26-0.30 from
// [N, K]). A C model with 8 regions (16 accumulators on AVX2's 16
// registers) was 2-8 % faster still from DRAM and L3. The layout does not
// depend on the target: 16 lanes are one AVX-512 vector, two AVX2 and four
// NEON vectors.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELS_DENSEWEIGHTLAYOUT_H
#define KILN_COMPILER_KERNELS_DENSEWEIGHTLAYOUT_H

#include <cstdint>
#include <vector>

namespace kiln {

/// Weight rows per packed group, each in a region of its own
/// (KernelSpec::weightBlock of a Dense kernel).
constexpr int64_t kDenseWeightRows = 4;
/// Elements of K per row per step of a packed group.
constexpr int64_t kDenseWeightLanes = 16;

/// Whether [N, K] weights are packed: K whole steps of 16, and long enough
/// that the kernel streams them (shorter rows take the generic schedule).
inline bool denseWeightsPackable(int64_t N, int64_t K) {
  return N >= kDenseWeightRows && K >= 8 * kDenseWeightLanes &&
         K % kDenseWeightLanes == 0;
}

/// Shape of packed weights: [N, K] -> [4, ceil(N/4), K/16, 16].
inline std::vector<int64_t> packedDenseWeightShape(int64_t N, int64_t K) {
  return {kDenseWeightRows, (N + kDenseWeightRows - 1) / kDenseWeightRows,
          K / kDenseWeightLanes, kDenseWeightLanes};
}

} // namespace kiln

#endif // KILN_COMPILER_KERNELS_DENSEWEIGHTLAYOUT_H
