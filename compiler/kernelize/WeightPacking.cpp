//===- WeightPacking.cpp - Compile-time weight layouts for kernels --------===//

#include "compiler/kernelize/WeightPacking.h"

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

} // namespace kiln
