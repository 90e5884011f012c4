/*===- image.c - image files to a classifier's input tensor -----*- C -*-===*
 *
 * Decoding is stb_image's (header-only, from Debian's libstb-dev as
 * <stb/stb_image.h>; cross compilers find it too, since Debian's search
 * path ends with /usr/include). Its implementation is compiled here, once
 * per executable (libraries never include this file). The preprocessing is
 * documented in image.h.
 *
 *===----------------------------------------------------------------------===*/

#include "image.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#if !__has_include(<stb/stb_image.h>)
#error "stb/stb_image.h not found: install Debian's libstb-dev (./dev.sh deps)"
#endif
#endif
/* A system header: its warnings do not fail -Werror builds of ours. */
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_ONLY_PNM
#define STBI_MAX_DIMENSIONS KILN_IMAGE_MAX_DIMENSION
#include <stb/stb_image.h>

/* Model inputs larger than this per side are not images. */
#define KILN_IMAGE_MAX_TENSOR_SIDE ((int64_t)1 << 24)

static const double kiln_image_mean[3] = {0.485, 0.456, 0.406};
static const double kiln_image_std[3] = {0.229, 0.224, 0.225};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
kiln_image_fail(char *err, size_t err_size, const char *fmt, ...) {
  if (err && err_size) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(err, err_size, fmt, args);
    va_end(args);
  }
  return 1;
}

int64_t kiln_image_resize_short_side(int64_t height, int64_t width) {
  int64_t side = height > width ? height : width;
  /* round(side * 256 / 224); side * 8 / 7 is never exactly halfway. */
  return (side * 256 + 112) / 224;
}

/* round((size - crop) / 2) with ties to even, as torchvision's
 * CenterCrop computes it. */
static int64_t kiln_image_crop_offset(int64_t size, int64_t crop) {
  int64_t diff = size - crop, half = diff / 2;
  return (diff % 2) ? half + (half & 1) : half;
}

/* One bilinear tap pair along an axis: resized index dst of out_size
 * samples over in_size source samples, half-pixel centers, clamped. */
typedef struct kiln_image_tap {
  int64_t lo, hi;
  double frac; /* weight of hi */
} kiln_image_tap;

static kiln_image_tap kiln_image_tap_at(int64_t dst, int64_t in_size,
                                        int64_t out_size) {
  kiln_image_tap t;
  double src = ((double)dst + 0.5) * ((double)in_size / (double)out_size) - 0.5;
  if (src < 0)
    src = 0;
  t.lo = (int64_t)src;
  if (t.lo > in_size - 1)
    t.lo = in_size - 1;
  t.hi = t.lo + 1 < in_size ? t.lo + 1 : in_size - 1;
  t.frac = src - (double)t.lo;
  return t;
}

int kiln_image_preprocess_rgb8(const unsigned char *rgb, int src_width,
                               int src_height, int64_t height, int64_t width,
                               int normalize, float *out, char *err,
                               size_t err_size) {
  if (!rgb || !out)
    return kiln_image_fail(err, err_size, "no image data or output buffer");
  if (src_width < 1 || src_height < 1)
    return kiln_image_fail(err, err_size, "empty image (%dx%d)", src_width,
                           src_height);
  if (height < 1 || width < 1 || height > KILN_IMAGE_MAX_TENSOR_SIDE ||
      width > KILN_IMAGE_MAX_TENSOR_SIDE)
    return kiln_image_fail(err, err_size,
                           "unsupported input size %lldx%lld (height x width)",
                           (long long)height, (long long)width);

  /* Resized size: the shorter side becomes `side`, the longer one keeps the
   * aspect ratio (rounded down). Both are >= max(height, width). */
  int64_t side = kiln_image_resize_short_side(height, width);
  int64_t rh, rw;
  if (src_width <= src_height) {
    rw = side;
    rh = side * src_height / src_width;
  } else {
    rh = side;
    rw = side * src_width / src_height;
  }
  int64_t top = kiln_image_crop_offset(rh, height);
  int64_t left = kiln_image_crop_offset(rw, width);

  double scale[3], shift[3]; /* out = pixel * scale + shift */
  for (int c = 0; c < 3; ++c) {
    scale[c] = normalize ? 1.0 / (255.0 * kiln_image_std[c]) : 1.0 / 255.0;
    shift[c] = normalize ? -kiln_image_mean[c] / kiln_image_std[c] : 0.0;
  }
  const size_t plane = (size_t)height * (size_t)width;
  const size_t row_bytes = (size_t)src_width * 3;
  for (int64_t y = 0; y < height; ++y) {
    kiln_image_tap ty = kiln_image_tap_at(top + y, src_height, rh);
    const unsigned char *r0 = rgb + (size_t)ty.lo * row_bytes;
    const unsigned char *r1 = rgb + (size_t)ty.hi * row_bytes;
    for (int64_t x = 0; x < width; ++x) {
      kiln_image_tap tx = kiln_image_tap_at(left + x, src_width, rw);
      size_t a = (size_t)tx.lo * 3, b = (size_t)tx.hi * 3;
      for (int c = 0; c < 3; ++c) {
        double top_v = r0[a + c] + (r0[b + c] - r0[a + c]) * tx.frac;
        double bot_v = r1[a + c] + (r1[b + c] - r1[a + c]) * tx.frac;
        double v = top_v + (bot_v - top_v) * ty.frac;
        out[(size_t)c * plane + (size_t)y * (size_t)width + (size_t)x] =
            (float)(v * scale[c] + shift[c]);
      }
    }
  }
  return 0;
}

int kiln_image_read_nchw(const char *path, int64_t height, int64_t width,
                         int normalize, float *out, char *err,
                         size_t err_size) {
  if (!path)
    return kiln_image_fail(err, err_size, "(null path): no file given");
  FILE *f = fopen(path, "rb");
  if (!f)
    return kiln_image_fail(err, err_size, "%s: cannot open: %s", path,
                           strerror(errno));
  int w = 0, h = 0, channels = 0;
  /* 3 components: stb expands grayscale and drops alpha. */
  unsigned char *rgb = stbi_load_from_file(f, &w, &h, &channels, 3);
  fclose(f);
  if (!rgb) {
    const char *why = stbi_failure_reason();
    return kiln_image_fail(err, err_size,
                           "%s: cannot decode image: %s (supported: PNG, "
                           "JPEG, BMP, PPM/PGM; at most %d pixels per side)",
                           path, why ? why : "unknown error",
                           KILN_IMAGE_MAX_DIMENSION);
  }
  int bad = kiln_image_preprocess_rgb8(rgb, w, h, height, width, normalize, out,
                                       err, err_size);
  stbi_image_free(rgb);
  if (bad) {
    /* Prefix the file name to the preprocessing message. */
    char why[256];
    snprintf(why, sizeof why, "%s", err && err_size ? err : "");
    return kiln_image_fail(err, err_size, "%s: %s", path, why);
  }
  return 0;
}
