//===- WinogradLayout.h - Winograd F(m x m, 3x3) conv contract -*- C++ -*-===//
//
// The contract for Winograd convolutions, shared by the kernelizer (which
// decides which convs use it and transforms their constant weights at
// compile time, compiler/kernelize/WeightPacking.h) and the Halide backend
// (algorithms/WinogradConv.cpp reads the transformed weights). Plain C++ so
// both sides include it.
//
// F(m x m, 3 x 3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016) computes an m x m output tile from an a x a input tile,
// a = m + 2, as Y = A^T [(G g G^T) . (B^T d B)] A: a^2 multiplies per tile
// and channel pair instead of 9 m^2 (2.25x fewer for m = 2, 4x for m = 4).
// The element-wise products summed over input channels are a^2 independent
// matrix products [M x C] x [C x tiles], which is where the time goes.
//
// Transformed weights U = G g G^T are stored as [a^2, ceil(M/B), C, B] with
// B = kWinogradBlock output channels innermost (zero past M), tile position
// k = row * a + col: the product for one position and one block of output
// channels reads one sequential stream of C vectors.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELS_WINOGRADLAYOUT_H
#define KILN_COMPILER_KERNELS_WINOGRADLAYOUT_H

#include <cstdint>
#include <vector>

namespace kiln {

/// Output channels per block of transformed weights: one AVX-512 vector,
/// two AVX2 vectors, four NEON vectors (like kConvChannelVectorBlock).
constexpr int64_t kWinogradBlock = 16;

/// The transform matrices of F(tile x tile, 3 x 3), row-major: bt is
/// alpha x alpha (B^T), g is alpha x 3 (G), at is tile x alpha (A^T).
struct WinogradTransform {
  int tile, alpha;
  const float *bt, *g, *at;
};

// clang-format off
// F(2x2, 3x3): interpolation points 0, 1, -1 (and infinity).
inline constexpr float kWinogradBt2[16] = {
    1,  0, -1,  0,
    0,  1,  1,  0,
    0, -1,  1,  0,
    0,  1,  0, -1};
inline constexpr float kWinogradG2[12] = {
    1,     0,    0,
    0.5f,  0.5f, 0.5f,
    0.5f, -0.5f, 0.5f,
    0,     0,    1};
inline constexpr float kWinogradAt2[8] = {
    1, 1,  1,  0,
    0, 1, -1, -1};

// F(4x4, 3x3): points 0, 1, -1, 2, -2 (and infinity). B^T and A^T are
// small integers, so the input and output transforms round only their
// sums; the weights' transform (G's fractions) runs in double at compile
// time.
inline constexpr float kWinogradBt4[36] = {
    4,  0, -5,  0, 1, 0,
    0, -4, -4,  1, 1, 0,
    0,  4, -4, -1, 1, 0,
    0, -2, -1,  2, 1, 0,
    0,  2, -1, -2, 1, 0,
    0,  4,  0, -5, 0, 1};
inline constexpr float kWinogradG4[18] = {
     1.0f / 4,   0,          0,
    -1.0f / 6,  -1.0f / 6,  -1.0f / 6,
    -1.0f / 6,   1.0f / 6,  -1.0f / 6,
     1.0f / 24,  1.0f / 12,  1.0f / 6,
     1.0f / 24, -1.0f / 12,  1.0f / 6,
     0,          0,          1};
inline constexpr float kWinogradAt4[24] = {
    1, 1,  1, 1,  1, 0,
    0, 1, -1, 2, -2, 0,
    0, 1,  1, 4,  4, 0,
    0, 1, -1, 8, -8, 1};
// clang-format on

/// The transform of F(tile x tile, 3 x 3); tile must be 2 or 4.
inline WinogradTransform winogradTransform(int64_t tile) {
  if (tile == 2)
    return {2, 4, kWinogradBt2, kWinogradG2, kWinogradAt2};
  return {4, 6, kWinogradBt4, kWinogradG4, kWinogradAt4};
}

/// How the kernelizer picks a dense conv's algorithm (`kiln compile
/// --conv-algorithm=auto|direct`).
enum class ConvAlgorithm { Auto, Direct };

/// Whether a conv's window can use F(m x m, 3 x 3): a dense (groups == 1)
/// 3x3 window at stride 1, dilation 1, pads of at most 1.
inline bool winogradApplies(int64_t groups, const std::vector<int64_t> &kernel,
                            const std::vector<int64_t> &strides,
                            const std::vector<int64_t> &dilations,
                            const std::vector<int64_t> &pads) {
  if (groups != 1 || kernel != std::vector<int64_t>{3, 3} ||
      strides != std::vector<int64_t>{1, 1} ||
      dilations != std::vector<int64_t>{1, 1} || pads.size() != 4)
    return false;
  for (int64_t p : pads)
    if (p < 0 || p > 1)
      return false;
  return true;
}

/// The output tile (KernelSpec::winogradTile) for an applicable conv with
/// C input and M output channels and an OH x OW output, or 0 to keep the
/// direct conv. At batch 1 the products are [M x C] x [C x tiles]: each
/// transformed weight (36/9 = 4x the direct weights' bytes for F(4x4)) is
/// reused only by every tile, so small images are bound by weight traffic.
/// Measured on AVX-512 inside ResNet-50 (`net --profile`,
/// benchmarks/README.md): F(4x4) is 1.3-1.6x faster than direct at 56x56
/// and 28x28 (196 and 49 tiles), ~1.1x at 14x14 (16 tiles, the weights
/// streamed once per call); at 7x7 (4 tiles) it loses 1.3x in the kernel
/// bench. F(2x2) (16/9 = 1.8x the weights, 2.25x fewer multiplies) never
/// beat F(4x4) where either beat direct.
inline int64_t winogradTileFor(int64_t C, int64_t M, int64_t OH, int64_t OW) {
  if (C < 16 || M < 16)
    return 0;
  return OH * OW >= 14 * 14 ? 4 : 0;
}

/// Shape of transformed weights for M output and C input channels.
inline std::vector<int64_t> winogradWeightShape(int64_t M, int64_t C,
                                                int64_t tile) {
  int64_t alpha = tile + 2;
  return {alpha * alpha, (M + kWinogradBlock - 1) / kWinogradBlock, C,
          kWinogradBlock};
}

} // namespace kiln

#endif // KILN_COMPILER_KERNELS_WINOGRADLAYOUT_H
