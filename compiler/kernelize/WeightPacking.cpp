//===- WeightPacking.cpp - Compile-time weight layouts for kernels --------===//

#include "compiler/kernelize/WeightPacking.h"

#include "compiler/kernels/DenseWeightLayout.h"
#include "compiler/kernels/WinogradLayout.h"

#include <cstddef>

namespace kiln {

std::vector<float> packConvWeights(const std::vector<float> &w,
                                   const std::vector<int64_t> &oihw,
                                   int64_t block) {
  if (oihw.size() != 4 || block < 1)
    return {};
  int64_t M = oihw[0], inner = oihw[1] * oihw[2] * oihw[3];
  if (M < 1 || inner < 1 || (int64_t)w.size() != M * inner)
    return {};
  int64_t blocks = (M + block - 1) / block;
  std::vector<float> packed((size_t)(blocks * inner * block), 0.0f);
  // packed[b][k][j] = w[b * block + j][k], k = the flattened (c, ky, kx).
  for (int64_t m = 0; m < M; ++m) {
    int64_t b = m / block, j = m % block;
    const float *src = w.data() + m * inner;
    float *dst = packed.data() + b * inner * block + j;
    for (int64_t k = 0; k < inner; ++k)
      dst[k * block] = src[k];
  }
  return packed;
}

std::vector<float> packDenseWeights(const std::vector<float> &w, int64_t N,
                                    int64_t K) {
  if (!denseWeightsPackable(N, K) || (int64_t)w.size() != N * K)
    return {};
  constexpr int64_t R = kDenseWeightRows, L = kDenseWeightLanes;
  int64_t groups = (N + R - 1) / R, steps = K / L;
  std::vector<float> packed((size_t)(groups * steps * R * L), 0.0f);
  // packed[i][g][s][l] = w[g * R + i][s * L + l].
  for (int64_t n = 0; n < N; ++n)
    for (int64_t k = 0; k < K; ++k)
      packed[(size_t)((((n % R) * groups + n / R) * steps + k / L) * L +
                      k % L)] = w[(size_t)(n * K + k)];
  return packed;
}

std::vector<float> winogradConvWeights(const std::vector<float> &w,
                                       const std::vector<int64_t> &oihw,
                                       int64_t tile, int64_t stride) {
  if (oihw.size() != 4 || oihw[2] != oihw[3] ||
      !winogradTransformExists(tile, oihw[2], stride))
    return {};
  int64_t M = oihw[0], C = oihw[1], r = oihw[2];
  if (M < 1 || C < 1 || (int64_t)w.size() != M * C * r * r)
    return {};
  WinogradTransform t = winogradTransform(tile, r, stride);
  int64_t alpha = t.alpha, B = kWinogradBlock, blocks = (M + B - 1) / B;
  std::vector<float> u((size_t)(alpha * alpha * blocks * C * B), 0.0f);
  std::vector<double> gg((size_t)(alpha * r));
  for (int64_t m = 0; m < M; ++m)
    for (int64_t c = 0; c < C; ++c) {
      const float *g = w.data() + (m * C + c) * r * r;
      // gg = G g (alpha x r), then U = gg G^T (alpha x alpha).
      for (int64_t a = 0; a < alpha; ++a)
        for (int64_t kx = 0; kx < r; ++kx) {
          double s = 0;
          for (int64_t ky = 0; ky < r; ++ky)
            s += (double)t.g[a * r + ky] * g[ky * r + kx];
          gg[(size_t)(a * r + kx)] = s;
        }
      for (int64_t row = 0; row < alpha; ++row)
        for (int64_t col = 0; col < alpha; ++col) {
          double s = 0;
          for (int64_t kx = 0; kx < r; ++kx)
            s += gg[(size_t)(row * r + kx)] * t.g[col * r + kx];
          int64_t k = row * alpha + col;
          u[(size_t)(((k * blocks + m / B) * C + c) * B + m % B)] = (float)s;
        }
    }
  return u;
}

} // namespace kiln
