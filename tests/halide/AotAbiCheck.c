/*===- AotAbiCheck.c - Calling AOT kernels through their C ABI -----------===*
 *
 * Plain C, linked with objects made by compileKernels (AotKernelGen.cpp) and
 * without libHalide, exactly as generated model code is: halide_buffer_t
 * descriptors, inputs then output, Halide dim 0 = innermost ONNX dim. Built
 * for the host and, when a cross compiler and qemu exist, for AArch64.
 *
 * The Halide runtime's default error handler prints and abort()s; code that
 * wants a bad buffer to come back as a non-zero return must install its own
 * handler with halide_set_error_handler first (done in main).
 *
 *===----------------------------------------------------------------------===*/

#include "HalideRuntime.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int aot_conv(struct halide_buffer_t *x, struct halide_buffer_t *w,
             struct halide_buffer_t *bias, struct halide_buffer_t *y);
int aot_relu(struct halide_buffer_t *x, struct halide_buffer_t *y);

static int failures;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static char lastError[512];
static void recordError(void *userContext, const char *message) {
  (void)userContext;
  snprintf(lastError, sizeof(lastError), "%s", message);
}

/* A dense float32 descriptor for an ONNX-order shape (outermost first). */
typedef struct {
  halide_dimension_t dims[4];
  struct halide_buffer_t buf;
} DenseBuffer;

static void makeDense(DenseBuffer *b, float *data, int rank,
                      const int *onnxShape) {
  int32_t stride = 1;
  memset(b, 0, sizeof(*b));
  for (int i = 0; i < rank; ++i) {
    int extent = onnxShape[rank - 1 - i];
    b->dims[i].min = 0;
    b->dims[i].extent = extent;
    b->dims[i].stride = stride;
    stride *= extent;
  }
  b->buf.host = (uint8_t *)data;
  b->buf.type.code = halide_type_float;
  b->buf.type.bits = 32;
  b->buf.type.lanes = 1;
  b->buf.dimensions = rank;
  b->buf.dim = b->dims;
}

static void checkRelu(void) {
  static const int shape[3] = {2, 3, 4}, wrongShape[3] = {2, 4, 4};
  float x[24], y[24], big[32] = {0}, y2[24];
  DenseBuffer in, out, wrong, out2, wrongOut, strided;
  for (int i = 0; i < 24; ++i) {
    x[i] = (float)i - 11.5f;
    y[i] = -1.0f;
    y2[i] = -7.0f;
  }
  makeDense(&in, x, 3, shape);
  makeDense(&out, y, 3, shape);
  CHECK(aot_relu(&in.buf, &out.buf) == 0);
  for (int i = 0; i < 24; ++i)
    CHECK(y[i] == fmaxf(x[i], 0.0f));

  /* One row too many: refused before anything is read or written. */
  makeDense(&wrong, big, 3, wrongShape);
  makeDense(&out2, y2, 3, shape);
  lastError[0] = 0;
  CHECK(aot_relu(&wrong.buf, &out2.buf) != 0);
  CHECK(strstr(lastError, "in0.extent.1") != NULL);
  CHECK(y2[0] == -7.0f);

  /* A wrong output extent or a non-dense stride is refused too. */
  makeDense(&wrongOut, big, 3, wrongShape);
  CHECK(aot_relu(&in.buf, &wrongOut.buf) != 0);
  makeDense(&strided, big, 3, shape);
  strided.dims[1].stride = 5;
  CHECK(aot_relu(&strided.buf, &out.buf) != 0);
}

static void checkConv(void) {
  enum { C = 2, H = 5, W = 6, M = 3 };
  static const int xs[4] = {1, C, H, W}, ws[4] = {M, C, 3, 3}, bs[1] = {M},
                   ys[4] = {1, M, H, W};
  float x[C * H * W], w[M * C * 9], b[M], y[M * H * W];
  DenseBuffer bx, bw, bb, by;
  for (int i = 0; i < C * H * W; ++i)
    x[i] = sinf(0.7f * (float)i);
  for (int i = 0; i < M * C * 9; ++i)
    w[i] = cosf(0.3f * (float)i);
  for (int m = 0; m < M; ++m)
    b[m] = 0.5f * (float)m - 0.25f;
  makeDense(&bx, x, 4, xs);
  makeDense(&bw, w, 4, ws);
  makeDense(&bb, b, 1, bs);
  makeDense(&by, y, 4, ys);
  CHECK(aot_conv(&bx.buf, &bw.buf, &bb.buf, &by.buf) == 0);
  for (int m = 0; m < M; ++m)
    for (int oh = 0; oh < H; ++oh)
      for (int ow = 0; ow < W; ++ow) {
        double s = b[m], got = y[(m * H + oh) * W + ow];
        for (int c = 0; c < C; ++c)
          for (int kh = 0; kh < 3; ++kh)
            for (int kw = 0; kw < 3; ++kw) {
              int ih = oh + kh - 1, iw = ow + kw - 1;
              if (ih >= 0 && ih < H && iw >= 0 && iw < W)
                s += (double)w[((m * C + c) * 3 + kh) * 3 + kw] *
                     x[(c * H + ih) * W + iw];
            }
        CHECK(fabs(got - s) <= 1e-4 + 1e-3 * fabs(s));
      }
  /* Weights and bias swapped: refused, not misread. */
  CHECK(aot_conv(&bx.buf, &bb.buf, &bw.buf, &by.buf) != 0);
}

int main(void) {
  halide_set_error_handler(recordError);
  checkRelu();
  checkConv();
  if (failures) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("AOT ABI checks passed\n");
  return 0;
}
