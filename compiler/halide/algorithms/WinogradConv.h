//===- WinogradConv.h - Winograd F(m x m, 3 x 3) conv stages ----*- C++ -*-===//
//
// Internal to the Halide backend. The stages of a Winograd convolution
// (algorithms/WinogradConv.cpp), for its schedule (schedules/
// WinogradConvSchedule.cpp) to place. Tiles are indexed (tx, ty): output
// tile (tx, ty) covers output pixels [tx*m, tx*m+m) x [ty*m, ty*m+m) and
// reads the padded input tile of alpha = m + 2 pixels starting there. A
// tile position (a, b) is column a, row b of the alpha x alpha tile.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_HALIDE_ALGORITHMS_WINOGRADCONV_H
#define KILN_COMPILER_HALIDE_ALGORITHMS_WINOGRADCONV_H

#include "Halide.h"

#include <cstdint>

namespace kiln {

struct WinogradStages {
  /// Output tile m, input tile alpha = stride * (m - 1) + r, tiles per
  /// row and column, output channels M (padded to whole blocks:
  /// paddedChannels), input channels C, channels per weight block
  /// (kWinogradBlock), the conv's stride (1, or 2 for 3x3).
  int64_t tile = 0, alpha = 0, tilesX = 0, tilesY = 0, stride = 1;
  int64_t channels = 0, paddedChannels = 0, inputChannels = 0, block = 0;
  /// The output is channel-blocked: vars (j, x, y, mb, n), Y's layout.
  bool blockedOutput = false;
  /// The input is channel-blocked: paddedInput is xpad(k, x, y, cb, n)
  /// (channel cb * 16 + k) and the transforms run on channel vectors.
  bool blockedInput = false;

  /// xpad(x, y, c, n): the zero-padded input (defined everywhere, so tiles
  /// past the image read zeros).
  Halide::Func paddedInput;
  /// rows(a, j, c, tx, ty, n) = sum_i B^T[a][i] d[j][i]: the input tile's
  /// rows transformed (d[j][i] = tile pixel at row j, column i).
  Halide::Func rowTransform;
  /// V(a, b, c, tx, ty, n) = (B^T d B)[b][a].
  Halide::Func inputTransform;
  /// P(j, tx, ty, mb, a, b, n) = sum_c U[b*alpha+a][mb][c][j] * V(a, b, c, ..):
  /// output channel mb * block + j, one matrix product per position (a, b),
  /// summed over `reduction` (input channels).
  Halide::Func product;
  Halide::RDom reduction;
  /// The transformed weights' parameter U (for prefetches).
  Halide::Parameter weights;
  /// cols(j, u, b, tx, ty, mb, n) = sum_a A^T[u][a] P(.., a, b, ..).
  Halide::Func columnTransform;
  /// Y(j, ox, oy, mb, n) = sum_b A^T[v][b] cols(j, ox % m, b, ox / m,
  /// oy / m, ..) + bias, v = oy % m: the output in channel blocks, before
  /// the residual and activation (KernelFuncs::output).
  Halide::Func outputTransform;

  Halide::Var a{"a"}, b{"b"}, i{"i"}, j{"j"}, c{"c"}, u{"u"}, tx{"tx"},
      ty{"ty"}, mb{"mb"}, n{"n"}, ox{"wox"}, oy{"woy"};
};

} // namespace kiln

#endif // KILN_COMPILER_HALIDE_ALGORITHMS_WINOGRADCONV_H
