/*===- kiln_zero_skip_pointwise.c - 1x1 conv that skips zero inputs -*- C -*-===*
 *
 * See kiln_zero_skip_pointwise.h. Loop order per call (one task's output
 * region): chunks of up to 6 output-channel blocks (12 accumulators of 8
 * lanes on AVX2, the register file's 16 less the broadcast), then blocks
 * of 64 input channels (the chunk's weights for them, 24 KiB, stay in L1),
 * then pixels: each pixel compacts its 64 inputs and runs its list, its
 * partial sums kept in the output between blocks.
 *
 *===----------------------------------------------------------------------===*/

#if defined(__GNUC__) && !defined(__clang__)
/* The driver compiles the runtime at -O2; at -O2 GCC 12 left this
 * kernel's loops 20-60 % slower (a standalone 576 -> 96 layer on Zen 3). */
#pragma GCC optimize("O3")
#endif

#include "kiln_zero_skip_pointwise.h"

#include <stddef.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#include <pthread.h>
#define KZS_HAVE_AVX2_PATH 1
#endif

enum {
  KZS_LANES_BLOCK = 16, /* channels per activation / weight block */
  KZS_LIST = 64,        /* input channels per compacted list */
  KZS_MAX_GROUPS = 6    /* output-channel blocks per register tile */
};

typedef struct kzs_args {
  const float *mid;   /* channel k of pixel (x, y): mid[x * mid_x + y * mid_y + k] */
  ptrdiff_t mid_x, mid_y;
  const float *w;     /* channel k, block mb: w + k * 16 + mb * w_block */
  ptrdiff_t w_block;
  const float *bias;  /* M floats, M a multiple of 16 */
  const float *res;   /* NULL without a residual */
  ptrdiff_t res_x, res_y, res_mb;
  float *out;
  ptrdiff_t out_x, out_y, out_mb;
  int channels, mid_width;
  int x0, x1, y0, y1, mb0, mb1; /* the output region, [begin, end) */
  int activation;
  float act_min, act_max;
} kzs_args;

/* The depthwise result of output pixel (x, y): pixel q = x + W * y of
 * the W-wide image (an output row may be the whole image flattened). */
static inline const float *kzs_mid_pixel(const kzs_args *a, int x, int y) {
  int q = x + a->mid_width * y;
  return a->mid + (q % a->mid_width) * a->mid_x + (q / a->mid_width) * a->mid_y;
}

static float kzs_activate(const kzs_args *a, float v) {
  if (a->activation == 1)
    return v > 0.0f ? v : 0.0f;
  if (a->activation == 2) {
    v = v > a->act_min ? v : a->act_min;
    return v < a->act_max ? v : a->act_max;
  }
  return v;
}

/* Portable path: the same sums, a branch per input channel. */
static void kzs_run_scalar(const kzs_args *a) {
  for (int y = a->y0; y < a->y1; ++y)
    for (int x = a->x0; x < a->x1; ++x) {
      const float *m = kzs_mid_pixel(a, x, y);
      for (int mb = a->mb0; mb < a->mb1; ++mb) {
        float acc[KZS_LANES_BLOCK];
        for (int j = 0; j < KZS_LANES_BLOCK; ++j)
          acc[j] = a->bias[mb * KZS_LANES_BLOCK + j];
        const float *wb = a->w + mb * a->w_block;
        for (int k = 0; k < a->channels; ++k) {
          float s = m[k];
          if (s == 0.0f)
            continue;
          for (int j = 0; j < KZS_LANES_BLOCK; ++j)
            acc[j] += s * wb[k * KZS_LANES_BLOCK + j];
        }
        float *o = a->out + x * a->out_x + y * a->out_y +
                   mb * a->out_mb;
        const float *r = a->res ? a->res + x * a->res_x + y * a->res_y +
                                      mb * a->res_mb
                                : NULL;
        for (int j = 0; j < KZS_LANES_BLOCK; ++j)
          o[j] = kzs_activate(a, acc[j] + (r ? r[j] : 0.0f));
      }
    }
}

#ifdef KZS_HAVE_AVX2_PATH

/* Row m of the table: the positions of the set bits of m times the bytes
 * of a weight row (64), then zeros. */
static int32_t kzs_positions[256][8] __attribute__((aligned(32)));
static pthread_once_t kzs_positions_once = PTHREAD_ONCE_INIT;

static void kzs_make_positions(void) {
  for (int m = 0; m < 256; ++m) {
    int n = 0;
    for (int i = 0; i < 8; ++i)
      if (m >> i & 1)
        kzs_positions[m][n++] = i * KZS_LANES_BLOCK * 4;
    for (; n < 8; ++n)
      kzs_positions[m][n] = 0;
  }
}

#define KZS_AVX2 __attribute__((target("avx2,fma")))
#define KZS_INLINE static inline __attribute__((always_inline)) KZS_AVX2

/* Compacts the nonzero values of x[0, count) (count a multiple of 8):
 * value v[e] of channel k gets offs[e] = k * 64, the byte offset of its
 * weight row within a 16-channel block. Returns the list's length. */
KZS_INLINE int kzs_compact(const float *x, int count, int32_t *offs,
                           float *vals) {
  int n = 0;
  for (int c = 0; c < count; c += 8) {
    __m256 xv = _mm256_loadu_ps(x + c);
    int mask = _mm256_movemask_ps(
        _mm256_cmp_ps(xv, _mm256_setzero_ps(), _CMP_NEQ_UQ));
    __m256i rowOffs = _mm256_load_si256((const __m256i *)kzs_positions[mask]);
    _mm256_storeu_si256(
        (__m256i *)(offs + n),
        _mm256_add_epi32(rowOffs, _mm256_set1_epi32(c * KZS_LANES_BLOCK * 4)));
    /* The lane of a value: its row offset / 64. */
    __m256i lane = _mm256_srli_epi32(rowOffs, 6);
    _mm256_storeu_ps(vals + n, _mm256_permutevar8x32_ps(xv, lane));
    n += __builtin_popcount((unsigned)mask);
  }
  return n;
}

/* Accumulator pair g (output channels 16g .. 16g + 15 of the tile) as two
 * named variables, so that they stay in registers. */
#define KZS_EACH(X) X(0) X(1) X(2) X(3) X(4) X(5)

/* One pixel, one list: acc += v[e] * w[row e] over the G blocks, from
 * `init` (the bias or the partial sums), into `out` (plus the residual and
 * the activation when `last`). */
KZS_INLINE void kzs_tile(const int G, int n, const int32_t *offs,
                         const float *vals, const char *const *wg,
                         const float *const *init, float *const *out,
                         const float *const *res, int last,
                         const kzs_args *a) {
#define KZS_DECL(g)                                                            \
  __m256 lo##g = _mm256_setzero_ps(), hi##g = _mm256_setzero_ps();             \
  const char *w##g = G > g ? wg[g] : NULL;                                     \
  if (G > g) {                                                                 \
    lo##g = _mm256_loadu_ps(init[g]);                                          \
    hi##g = _mm256_loadu_ps(init[g] + 8);                                      \
  }
  KZS_EACH(KZS_DECL)
#undef KZS_DECL
  for (int e = 0; e < n; ++e) {
    __m256 s = _mm256_broadcast_ss(vals + e);
    ptrdiff_t o = offs[e];
#define KZS_FMA(g)                                                             \
  if (G > g) {                                                                 \
    lo##g = _mm256_fmadd_ps(s, _mm256_loadu_ps((const float *)(w##g + o)),     \
                            lo##g);                                            \
    hi##g = _mm256_fmadd_ps(                                                   \
        s, _mm256_loadu_ps((const float *)(w##g + o) + 8), hi##g);             \
  }
    KZS_EACH(KZS_FMA)
#undef KZS_FMA
  }
  if (last) {
    __m256 vmin = _mm256_set1_ps(a->act_min), vmax = _mm256_set1_ps(a->act_max);
    __m256 zero = _mm256_setzero_ps();
#define KZS_FINISH(g)                                                          \
  if (G > g) {                                                                 \
    if (res) {                                                                 \
      lo##g = _mm256_add_ps(lo##g, _mm256_loadu_ps(res[g]));                   \
      hi##g = _mm256_add_ps(hi##g, _mm256_loadu_ps(res[g] + 8));               \
    }                                                                          \
    if (a->activation == 1) {                                                  \
      lo##g = _mm256_max_ps(lo##g, zero);                                      \
      hi##g = _mm256_max_ps(hi##g, zero);                                      \
    } else if (a->activation == 2) {                                           \
      lo##g = _mm256_min_ps(_mm256_max_ps(lo##g, vmin), vmax);                 \
      hi##g = _mm256_min_ps(_mm256_max_ps(hi##g, vmin), vmax);                 \
    }                                                                          \
  }
    KZS_EACH(KZS_FINISH)
#undef KZS_FINISH
  }
#define KZS_STORE(g)                                                           \
  if (G > g) {                                                                 \
    _mm256_storeu_ps(out[g], lo##g);                                           \
    _mm256_storeu_ps(out[g] + 8, hi##g);                                       \
  }
  KZS_EACH(KZS_STORE)
#undef KZS_STORE
}

/* Every pixel of the region for one chunk of G output blocks and one list
 * block of input channels [k0, k0 + count). */
KZS_INLINE void kzs_chunk_block(const int G, const kzs_args *a, int mbc,
                                int k0, int count) {
  int32_t offs[KZS_LIST + 8] __attribute__((aligned(32)));
  float vals[KZS_LIST + 8] __attribute__((aligned(32)));
  const int first = k0 == 0, last = k0 + count >= a->channels;
  const char *wg[KZS_MAX_GROUPS];
  const float *biasg[KZS_MAX_GROUPS];
  for (int g = 0; g < G; ++g) {
    wg[g] = (const char *)(a->w + (mbc + g) * a->w_block +
                           (ptrdiff_t)k0 * KZS_LANES_BLOCK);
    biasg[g] = a->bias + (mbc + g) * KZS_LANES_BLOCK;
  }
  for (int y = a->y0; y < a->y1; ++y)
    for (int x = a->x0; x < a->x1; ++x) {
      const float *m = kzs_mid_pixel(a, x, y) + k0;
      float *outg[KZS_MAX_GROUPS];
      const float *resg[KZS_MAX_GROUPS];
      for (int g = 0; g < G; ++g) {
        outg[g] = a->out + x * a->out_x + y * a->out_y +
                  (mbc + g) * a->out_mb;
        resg[g] = a->res ? a->res + x * a->res_x + y * a->res_y +
                               (mbc + g) * a->res_mb
                         : NULL;
      }
      int n = kzs_compact(m, count, offs, vals);
      kzs_tile(G, n, offs, vals, wg, first ? biasg : (const float *const *)outg,
               outg, a->res ? resg : NULL, last, a);
    }
}

static KZS_AVX2 void kzs_run_avx2(const kzs_args *a) {
  for (int mbc = a->mb0; mbc < a->mb1; mbc += KZS_MAX_GROUPS) {
    int G = a->mb1 - mbc < KZS_MAX_GROUPS ? a->mb1 - mbc : KZS_MAX_GROUPS;
    for (int k0 = 0; k0 < a->channels; k0 += KZS_LIST) {
      int count = a->channels - k0 < KZS_LIST ? a->channels - k0 : KZS_LIST;
      switch (G) { /* one specialization per tile width */
      case 6: kzs_chunk_block(6, a, mbc, k0, count); break;
      case 5: kzs_chunk_block(5, a, mbc, k0, count); break;
      case 4: kzs_chunk_block(4, a, mbc, k0, count); break;
      case 3: kzs_chunk_block(3, a, mbc, k0, count); break;
      case 2: kzs_chunk_block(2, a, mbc, k0, count); break;
      default: kzs_chunk_block(1, a, mbc, k0, count); break;
      }
    }
  }
}

#endif /* KZS_HAVE_AVX2_PATH */

int kiln_zero_skip_pointwise_portable_only = 0;

static int kzs_is_query(const halide_buffer_t *b) {
  return b && b->host == NULL && b->device == 0;
}

static void kzs_set_dims(halide_buffer_t *b, const int32_t *extents, int n) {
  for (int i = 0; i < n && i < b->dimensions; ++i) {
    b->dim[i].min = 0;
    b->dim[i].extent = extents[i];
  }
}

/* Offset of element (0, 0, 0) from the host pointer (which points at the
 * buffer's mins), in floats. */
static ptrdiff_t kzs_origin(const halide_buffer_t *b) {
  ptrdiff_t o = 0;
  for (int i = 1; i < 4; ++i)
    o += (ptrdiff_t)b->dim[i].min * b->dim[i].stride;
  return o;
}

/* Whether b holds every (x, y, mb) of out's region. */
static int kzs_covers(const halide_buffer_t *b, const halide_buffer_t *out) {
  for (int i = 1; i < 4; ++i)
    if (b->dim[i].min > out->dim[i].min ||
        b->dim[i].min + b->dim[i].extent < out->dim[i].min + out->dim[i].extent)
      return 0;
  return 1;
}

static int kzs_run(halide_buffer_t *mid, halide_buffer_t *weights,
                   halide_buffer_t *bias, halide_buffer_t *residual,
                   int32_t C, int32_t W, int32_t H, int32_t M,
                   int32_t activation, float act_min, float act_max,
                   halide_buffer_t *out) {
  const int B = KZS_LANES_BLOCK;
  if (kzs_is_query(mid) || kzs_is_query(weights) || kzs_is_query(bias) ||
      kzs_is_query(residual)) {
    /* Bounds query: the whole depthwise result and weights, the residual
     * where the output is asked for. */
    int32_t midExtents[5] = {B, W, H, C / B, 1};
    int32_t wExtents[5] = {B, 1, 1, C, M / B};
    int32_t bExtents[1] = {M};
    if (kzs_is_query(mid))
      kzs_set_dims(mid, midExtents, 5);
    if (kzs_is_query(weights))
      kzs_set_dims(weights, wExtents, 5);
    if (kzs_is_query(bias))
      kzs_set_dims(bias, bExtents, 1);
    if (kzs_is_query(residual))
      for (int i = 0; i < residual->dimensions && i < out->dimensions; ++i) {
        residual->dim[i].min = out->dim[i].min;
        residual->dim[i].extent = out->dim[i].extent;
      }
    return 0;
  }
  if (C <= 0 || W <= 0 || H <= 0 || M <= 0 || C % B || M % B ||
      !bias->host || bias->dim[0].min ||
      bias->dim[0].extent < M || mid->dimensions != 5 ||
      weights->dimensions != 5 || out->dimensions != 5 ||
      mid->dim[0].stride != 1 || mid->dim[3].stride != B ||
      mid->dim[0].min || mid->dim[1].min || mid->dim[2].min || mid->dim[3].min ||
      mid->dim[1].extent < W || mid->dim[2].extent < H ||
      mid->dim[3].extent * B != C ||
      weights->dim[0].stride != 1 || weights->dim[3].stride != B ||
      weights->dim[3].min || weights->dim[4].min ||
      weights->dim[3].extent < C || weights->dim[4].extent * B < M ||
      out->dim[0].stride != 1 || out->dim[0].min || out->dim[0].extent != B ||
      /* batch 1 only (the kernelizer's rule) */
      mid->dim[4].extent != 1 || out->dim[4].extent != 1 || out->dim[4].min ||
      (residual && (residual->dimensions != 5 || residual->dim[0].stride != 1 ||
                    !kzs_covers(residual, out))))
    return -1;
  kzs_args a;
  a.mid = (const float *)mid->host;
  a.mid_x = mid->dim[1].stride;
  a.mid_y = mid->dim[2].stride;
  a.w = (const float *)weights->host;
  a.w_block = weights->dim[4].stride;
  a.bias = (const float *)bias->host;
  a.channels = C;
  a.mid_width = W;
  a.x0 = out->dim[1].min;
  a.x1 = a.x0 + out->dim[1].extent;
  a.y0 = out->dim[2].min;
  a.y1 = a.y0 + out->dim[2].extent;
  a.mb0 = out->dim[3].min;
  a.mb1 = a.mb0 + out->dim[3].extent;
  /* Element (x, y, mb) of the output and the residual at
   * base + x * sx + y * sy + mb * smb, in absolute coordinates. */
  a.out_x = out->dim[1].stride;
  a.out_y = out->dim[2].stride;
  a.out_mb = out->dim[3].stride;
  a.out = (float *)out->host - kzs_origin(out);
  a.res = NULL;
  a.res_x = a.res_y = a.res_mb = 0;
  if (residual) {
    a.res_x = residual->dim[1].stride;
    a.res_y = residual->dim[2].stride;
    a.res_mb = residual->dim[3].stride;
    a.res = (const float *)residual->host - kzs_origin(residual);
  }
  a.activation = activation;
  a.act_min = act_min;
  a.act_max = act_max;
  /* Rows of W pixels, or one flattened row of all W * H. */
  if (a.x0 < 0 || a.y0 < 0 || a.mb0 < 0 || a.mb1 > M / B ||
      (a.y1 > 1 && a.x1 > W) ||
      (int64_t)(a.x1 - 1) + (int64_t)W * (a.y1 - 1) >= (int64_t)W * H)
    return -1;
#ifdef KZS_HAVE_AVX2_PATH
  if (!kiln_zero_skip_pointwise_portable_only &&
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    pthread_once(&kzs_positions_once, kzs_make_positions);
    kzs_run_avx2(&a);
    return 0;
  }
#endif
  kzs_run_scalar(&a);
  return 0;
}

int kiln_zero_skip_pointwise(halide_buffer_t *mid, halide_buffer_t *weights,
                             halide_buffer_t *bias, int32_t channels,
                             int32_t mid_width, int32_t mid_height,
                             int32_t out_channels, int32_t activation,
                             float act_min, float act_max,
                             halide_buffer_t *out) {
  return kzs_run(mid, weights, bias, NULL, channels, mid_width, mid_height,
                 out_channels, activation, act_min, act_max, out);
}

int kiln_zero_skip_pointwise_residual(
    halide_buffer_t *mid, halide_buffer_t *weights, halide_buffer_t *bias,
    halide_buffer_t *residual, int32_t channels, int32_t mid_width,
    int32_t mid_height, int32_t out_channels, int32_t activation,
    float act_min, float act_max, halide_buffer_t *out) {
  return kzs_run(mid, weights, bias, residual, channels, mid_width,
                 mid_height, out_channels, activation, act_min, act_max, out);
}
