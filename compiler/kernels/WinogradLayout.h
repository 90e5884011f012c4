//===- WinogradLayout.h - Winograd F(m x m, r x r) contract ----*- C++ -*-===//
//
// The contract for Winograd convolutions, shared by the kernelizer (which
// decides which convs use it and transforms their constant weights at
// compile time, compiler/kernelize/WeightPacking.h) and the Halide backend
// (algorithms/WinogradConv.cpp reads the transformed weights). Plain C++ so
// both sides include it.
//
// F(m x m, r x r) (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016) computes an m x m output tile from an a x a input tile,
// a = m + r - 1, as Y = A^T [(G g G^T) . (B^T d B)] A: a^2 multiplies per
// tile and channel pair instead of r^2 m^2 (3x3: 2.25x fewer for m = 2,
// 4x for m = 4; 5x5 with m = 2: 2.8x). The element-wise products summed
// over input channels are a^2 independent matrix products [M x C] x
// [C x tiles], which is where the time goes.
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

/// The transform matrices of F(tile x tile, r x r), row-major: bt is
/// alpha x alpha (B^T), g is alpha x r (G), at is tile x alpha (A^T), with
/// alpha = stride * (tile - 1) + r (tile + r - 1 at stride 1): a tile's
/// input patch is alpha x alpha, the patches tile * stride apart.
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

// F(3x3, 3x3): points 0, 1, -1, 2 (and infinity); G and A^T built as
// described for F(2x2, 5x5) below, B^T solved from them so that
// A^T [(G g) . (B^T d)] is the 3-tap correlation (as F(4x4)'s B^T is).
inline constexpr float kWinogradBt3[25] = {
    2, -1, -2,  1, 0,
    0, -2, -1,  1, 0,
    0,  2, -3,  1, 0,
    0, -1,  0,  1, 0,
    0,  2, -1, -2, 1};
inline constexpr float kWinogradG3[15] = {
     1.0f / 2,   0,          0,
    -1.0f / 2,  -1.0f / 2,  -1.0f / 2,
    -1.0f / 6,   1.0f / 6,  -1.0f / 6,
     1.0f / 6,   1.0f / 3,   2.0f / 3,
     0,          0,          1};
inline constexpr float kWinogradAt3[15] = {
    1, 1,  1, 1, 0,
    0, 1, -1, 2, 0,
    0, 1,  1, 4, 1};

// F(2x2, 5x5): the same six points as F(4x4, 3x3), so the same B^T
// (it depends only on the points); G's row k is p_k^j / prod_{l != k}
// (p_k - p_l), A^T's row i is p_k^i (the point at infinity last).
// Checked against a direct 5x5 correlation in tests/halide
// (WinogradConvTest).
inline constexpr float kWinogradG2x5[30] = {
     1.0f / 4,   0,          0,         0,         0,
    -1.0f / 6,  -1.0f / 6,  -1.0f / 6, -1.0f / 6, -1.0f / 6,
    -1.0f / 6,   1.0f / 6,  -1.0f / 6,  1.0f / 6, -1.0f / 6,
     1.0f / 24,  1.0f / 12,  1.0f / 6,  1.0f / 3,  2.0f / 3,
     1.0f / 24, -1.0f / 12,  1.0f / 6, -1.0f / 3,  2.0f / 3,
     0,          0,          0,         0,         1};
inline constexpr float kWinogradAt2x5[12] = {
    1, 1,  1, 1,  1, 0,
    0, 1, -1, 2, -2, 1};

// F(2x2, 3x3) at stride 2. In one dimension two outputs read a patch
// d0..d4: y0 = w0 d0 + w1 d1 + w2 d2, y1 = w0 d2 + w1 d3 + w2 d4. The
// even taps (w0, w2) over the even inputs (d0, d2, d4) are F(2, 2) (3
// multiplies: (d0 - d2) w0, d2 (w0 + w2), (d4 - d2) w2); the odd tap over
// d1 and d3 is 2 more, so 5 positions for 2 outputs instead of 6, 25 for a
// 2x2 tile instead of 36 (the separable product of the 1-D algorithm).
// Every coefficient is 0 or +-1: the transforms add and subtract only.
inline constexpr float kWinogradBtS2[25] = {
    1, 0, -1, 0, 0,
    0, 0,  1, 0, 0,
    0, 0, -1, 0, 1,
    0, 1,  0, 0, 0,
    0, 0,  0, 1, 0};
inline constexpr float kWinogradGS2[15] = {
    1, 0, 0,
    1, 0, 1,
    0, 0, 1,
    0, 1, 0,
    0, 1, 0};
inline constexpr float kWinogradAtS2[10] = {
    1, 1, 0, 1, 0,
    0, 1, 1, 0, 1};
// clang-format on

/// Whether F(tile x tile, kernel x kernel) is implemented at `stride`: 3x3
/// with tiles 2, 3 and 4, 5x5 with tile 2; at stride 2, 3x3 with tile 2.
inline bool winogradTransformExists(int64_t tile, int64_t kernel,
                                    int64_t stride = 1) {
  if (stride == 2)
    return kernel == 3 && tile == 2;
  return stride == 1 && ((kernel == 3 && tile >= 2 && tile <= 4) ||
                         (kernel == 5 && tile == 2));
}

/// The transform of F(tile x tile, kernel x kernel) at `stride`; it must
/// exist (winogradTransformExists).
inline WinogradTransform winogradTransform(int64_t tile, int64_t kernel,
                                           int64_t stride = 1) {
  if (stride == 2)
    return {2, 5, kWinogradBtS2, kWinogradGS2, kWinogradAtS2};
  if (kernel == 5)
    return {2, 6, kWinogradBt4, kWinogradG2x5, kWinogradAt2x5};
  if (tile == 2)
    return {2, 4, kWinogradBt2, kWinogradG2, kWinogradAt2};
  if (tile == 3)
    return {3, 5, kWinogradBt3, kWinogradG3, kWinogradAt3};
  return {4, 6, kWinogradBt4, kWinogradG4, kWinogradAt4};
}

/// How the kernelizer picks a dense conv's algorithm (`kiln compile
/// --conv-algorithm=auto|direct`).
enum class ConvAlgorithm { Auto, Direct };

/// Whether a conv's window can use F(m x m, r x r): a dense (groups == 1)
/// square 3x3 or 5x5 window at stride 1 (3x3 also at stride 2), dilation
/// 1, pads of at most (r - 1) / 2 (a tile never reads more than one
/// kernel's reach outside).
inline bool winogradApplies(int64_t groups, const std::vector<int64_t> &kernel,
                            const std::vector<int64_t> &strides,
                            const std::vector<int64_t> &dilations,
                            const std::vector<int64_t> &pads) {
  bool stride1 = strides == std::vector<int64_t>{1, 1};
  bool stride2 = strides == std::vector<int64_t>{2, 2} && kernel.size() == 2 &&
                 kernel[0] == 3;
  if (groups != 1 || kernel.size() != 2 || kernel[0] != kernel[1] ||
      (kernel[0] != 3 && kernel[0] != 5) || !(stride1 || stride2) ||
      dilations != std::vector<int64_t>{1, 1} || pads.size() != 4)
    return false;
  for (int64_t p : pads)
    if (p < 0 || p > (kernel[0] - 1) / 2)
      return false;
  return true;
}

/// The output tile (KernelSpec::winogradTile) for an applicable conv with
/// C input and M output channels, `kernel` x `kernel` windows and an OH x
/// OW output, or 0 to keep the direct conv. At batch 1 the products are [M x C]
/// x [C x tiles]: each transformed weight (36/9 = 4x the direct weights' bytes
/// for F(4x4)) is reused only by every tile, so small images are bound by
/// weight traffic. Measured on AVX-512 inside ResNet-50 (`net --profile`,
/// benchmarks/README.md): F(4x4) is 1.3-1.6x faster than direct at 56x56
/// and 28x28 (196 and 49 tiles), ~1.1x at 14x14 (16 tiles, the weights
/// streamed once per call); at 7x7 (4 tiles) it loses 1.3x in the kernel
/// bench. F(2x2) (16/9 = 1.8x the weights, 2.25x fewer multiplies) never
/// beat F(4x4) where either beat direct.
///
/// 5x5 windows (GoogLeNet's inception branches) take F(2x2, 5x5), 36
/// multiplies per 2x2 tile instead of 100, on images of at least 28x28
/// with at least 48 output channels. With few channels the transforms (per
/// input and per output channel) weigh more than the products they save
/// (kernel bench, 1 thread: 16 -> 32 28x28 0.16 -> 0.195 ms); on 14x14
/// and 7x7 the kernel bench gains (32 -> 128 14x14 0.26 -> 0.21 ms, 48 ->
/// 128 7x7 0.097 -> 0.078) but inside GoogLeNet, where the weights come
/// cold from L3 and the transformed ones are 36/25 as large, it lost
/// 10-60 % (24 -> 64 14x14 0.107 -> 0.17 ms), also as one row block.
/// GoogLeNet's 32 -> 96 28x28: 0.77 -> 0.56 ms (kernel bench), 0.77 ->
/// 0.61 in the network.
///
/// With 16 vector registers (x86 AVX2, `vectorRegisters`) the direct convs
/// run smaller register tiles (8 accumulators for 3x3 windows, and 5x5
/// windows spill), so Winograd pays on small images too. Measured on an
/// AVX2-only AMD EPYC (Zen 3) inside the networks (benchmarks/kernel_ab.py):
/// ResNet-50's 512 -> 512 7x7 3x3s 3.29 -> 2.43 ms with F(2x2) (2.55 with
/// F(4x4)); GoogLeNet's 3x3s at 7x7 -26 %; its 5x5s at 14x14 -56 to -77 %
/// (the direct 5x5 ran at 45 % of peak), at 7x7 -17 to -25 %, and with
/// 32 output channels at 28x28 -24 %. Images under 7x7 keep the direct
/// conv (unmeasured).
///
/// 14x14 and 15x15 images take F(3x3, 3x3) on every target: 5 x 5 tiles
/// cover 15 rows where F(4x4)'s 4 x 4 cover 16 (14 real), and 25 positions
/// instead of 36 make the transformed weights 30 % smaller (6.6 instead of
/// 9.4 MB for 256 -> 256), which these weight-bound products stream once
/// per call; 8 % more multiplies. kernel_ab.py inside the networks, paired
/// against the unchanged kernels' drift: on the AMD EPYC (16 registers)
/// ResNet-50's 256 -> 256 14x14 3x3s -2 to -8 % at 1 thread and -8 to
/// -15 % at 2, GoogLeNet's 14x14 3x3s -5 to -10 %; on a Xeon (Emerald
/// Rapids, 32 registers) ResNet-50's -10 to -13 % at 1 thread and -5 to
/// -9 % at 2, GoogLeNet's -12 to -19 % at 1. 16x16 keeps F(4x4) (exact
/// tiles). On that Xeon F(2x2) at 7x7 lost 14-17 % to the direct conv, the
/// stride-2 F(2x2) to 28x28 2 %.
///
/// Stride-2 3x3s (`stride` 2) take the stride-2 F(2x2, 3x3) with 16
/// registers on outputs of at least 28x28: 25 multiplies per 2x2 tile
/// instead of 36, for 25/9 of the direct weights' bytes. Inside ResNet-50
/// on an AMD EPYC (kernel_ab.py, paired): 128 -> 128 to 28x28 -18 % at 1
/// thread, -24 % at 2. On 14x14 outputs (49 tiles share each weight) the
/// transformed weights' stream decides, and at 2 threads both cores share
/// it: ResNet-50's 256 -> 256 to 14x14 ran 14-29 % faster direct at 2
/// threads and 18 % at 1 (session 23; -1 / -5 % the other way in session
/// 20, before its 1x1 neighbours changed), ResNet-18's 128 -> 256 9-20 %
/// faster direct at 2 threads, 7-10 % slower at 1: direct. On 7x7 outputs
/// (16 tiles for 49 pixels) it would save 9 % of the multiplies for 2.8x
/// the weights: direct. AVX-512 on 256-bit units (`halfRateVectors`, AMD
/// Zen 4) takes it as 16 registers do: ResNet-50's 128 -> 128 to 28x28
/// -10 % at 1 thread, -5.5 % at 2 (paired, 8 rounds each; F(2x2) at 7x7
/// there: -14 % by minima at 1 thread but +14 to +17 % paired at 2,
/// direct). Full-rate 32-register targets keep the direct conv (on a Xeon
/// the stride-2 F(2x2) to 28x28 lost 2 %, above).
inline int64_t winogradTileFor(int64_t C, int64_t M, int64_t OH, int64_t OW,
                               int64_t kernel, int vectorRegisters = 32,
                               int64_t stride = 1,
                               bool halfRateVectors = false) {
  if (C < 16 || M < 16)
    return 0;
  bool narrowFile = vectorRegisters <= 16;
  if (stride != 1)
    return stride == 2 && kernel == 3 && (narrowFile || halfRateVectors) &&
                   OH * OW >= 28 * 28
               ? 2
               : 0;
  if (kernel == 5) {
    if (narrowFile)
      return OH * OW >= 7 * 7 ? 2 : 0;
    return M >= 48 && OH * OW >= 28 * 28 ? 2 : 0;
  }
  if (OH * OW >= 14 * 14 && OH <= 15 && OW <= 15)
    return 3;
  if (OH * OW >= 14 * 14)
    return 4;
  return narrowFile && OH * OW >= 7 * 7 ? 2 : 0;
}

/// Shape of transformed weights for M output and C input channels, output
/// tile `tile` and `kernel` x `kernel` windows at `stride`.
inline std::vector<int64_t> winogradWeightShape(int64_t M, int64_t C,
                                                int64_t tile, int64_t kernel,
                                                int64_t stride = 1) {
  int64_t alpha = stride * (tile - 1) + kernel;
  return {alpha * alpha, (M + kWinogradBlock - 1) / kWinogradBlock, C,
          kWinogradBlock};
}

} // namespace kiln

#endif // KILN_COMPILER_KERNELS_WINOGRADLAYOUT_H
