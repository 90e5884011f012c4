/*===- kiln_zero_skip_pointwise.h - 1x1 conv that skips zero inputs -*- C -*-===*
 *
 * The pointwise (1x1) stage of a separable conv whose depthwise stage ends
 * in a ReLU or ReLU6: about half of its inputs are exact zeros, at random
 * (MobileNetV2's projections: 47-52 %, no channel or pixel tile all zero).
 * Per pixel and block of 64 input channels, the kernel compacts the nonzero
 * inputs into a list (a compare, a mask and a permutation per 8 channels)
 * and multiplies only those: one broadcast and 2 x G FMAs per entry into
 * accumulators of G blocks of 16 output channels. Dense kernels cannot
 * skip them: a register tile of several pixels has almost no channel zero
 * in all of them.
 *
 * Only exact zeros are skipped, so the sum is the dense one (up to the
 * order of the additions) as long as every weight is finite: the compiler
 * selects this kernel only then (0 * inf would be NaN in the dense sum).
 * NaN inputs are kept.
 *
 * These are Halide extern stages (compiler/halide/algorithms/
 * ZeroSkipPointwise.cpp): Halide calls them once per task with the output
 * region to compute, after a bounds query.
 *
 * Buffers, Halide order (innermost first), every min 0 but the output's
 * and the residual's:
 *   mid      [16, >= W, >= H, C/16, 1]  the depthwise result stored
 *                                 pixel-major: channel k of pixel (x, y) at
 *                                 k + x * stride(x) + y * stride(y), the
 *                                 block stride 16
 *   weights  [16, 1, 1, C, M/16]  packed 1x1 weights (ConvWeightLayout.h)
 *   bias     [M]
 *   residual, out [16, X, Y, M/16, 1], channel-blocked; an output row may
 *            be the whole image flattened (Y = 1, X = W * H): output pixel
 *            (x, y) reads mid pixel q = x + W * y either way.
 * Batch 1 only. activation: 0 none, 1 max(v, 0), 2 min(max(v, act_min),
 * act_max).
 * Returns 0, or -1 when a buffer is not laid out as above. Off the
 * compiler's selection (AVX2, every weight finite, M % 16 == 0) it is
 * still exact: without AVX2 it runs portable loops.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_ZERO_SKIP_POINTWISE_H
#define KILN_ZERO_SKIP_POINTWISE_H

#include "HalideRuntime.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int kiln_zero_skip_pointwise(halide_buffer_t *mid, halide_buffer_t *weights,
                             halide_buffer_t *bias, int32_t channels,
                             int32_t mid_width, int32_t mid_height,
                             int32_t out_channels, int32_t activation,
                             float act_min, float act_max,
                             halide_buffer_t *out);

int kiln_zero_skip_pointwise_residual(
    halide_buffer_t *mid, halide_buffer_t *weights, halide_buffer_t *bias,
    halide_buffer_t *residual, int32_t channels, int32_t mid_width,
    int32_t mid_height, int32_t out_channels, int32_t activation,
    float act_min, float act_max, halide_buffer_t *out);

/* Tests only: nonzero makes every call run the portable loops. */
extern int kiln_zero_skip_pointwise_portable_only;

#ifdef __cplusplus
}
#endif

#endif
