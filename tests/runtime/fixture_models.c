/*===- fixture_models.c - hand-written model descriptors for tests -*- C
 * -*-===*/

#include "fixture_models.h"

#include "kiln_buffer.h"

#include <stdint.h>
#include <string.h>

int kiln_test_run_calls;

/* Element (i, j) of a rank-2 float buffer, addressed through the Halide
 * strides that kiln_buffer_init computed (dim 0 = innermost = j). */
static float *kiln_test_at2(const struct halide_buffer_t *b, int i, int j) {
  return (float *)b->host + (int64_t)j * b->dim[0].stride +
         (int64_t)i * b->dim[1].stride;
}

/* --- affine ----------------------------------------------------------------
 */

static const kiln_tensor_info kiln_test_affine_inputs[] = {
    {"x", KILN_DTYPE_F32, 2, {2, 10}, 2 * 10 * sizeof(float)}};
static const kiln_tensor_info kiln_test_affine_outputs[] = {
    {"y", KILN_DTYPE_F32, 2, {2, 10}, 2 * 10 * sizeof(float)}};

static int kiln_test_affine_run(void *arena, const void *const *inputs,
                                void *const *outputs,
                                const char **failed_kernel) {
  ++kiln_test_run_calls;
  static const int64_t shape[2] = {2, 10};
  if ((uintptr_t)arena % 64 != 0) {
    *failed_kernel = "arena_alignment_check";
    return 1;
  }
  halide_dimension_t in_dims[2], tmp_dims[2], out_dims[2];
  halide_buffer_t in, tmp, out;
  kiln_buffer_init(&in, in_dims, (void *)(uintptr_t)inputs[0], 2, shape);
  kiln_buffer_init(&tmp, tmp_dims, arena, 2, shape);
  kiln_buffer_init(&out, out_dims, outputs[0], 2, shape);
  /* kernel 1 "scale": tmp = 2 * x (in the arena) */
  for (int i = 0; i < in.dim[1].extent; ++i)
    for (int j = 0; j < in.dim[0].extent; ++j)
      *kiln_test_at2(&tmp, i, j) = 2.0f * *kiln_test_at2(&in, i, j);
  kiln_profile_kernel_done(0);
  /* kernel 2 "bias": y = tmp + 1 */
  for (int i = 0; i < out.dim[1].extent; ++i)
    for (int j = 0; j < out.dim[0].extent; ++j)
      *kiln_test_at2(&out, i, j) = *kiln_test_at2(&tmp, i, j) + 1.0f;
  kiln_profile_kernel_done(1);
  return 0;
}

/* Kernel names for profiling (ABI version 2). */
static const char *const kiln_test_affine_kernels[] = {"scale", "bias"};

const kiln_model_desc kiln_test_affine_model = {KILN_MODEL_ABI_VERSION,
                                                "affine",
                                                1,
                                                kiln_test_affine_inputs,
                                                1,
                                                kiln_test_affine_outputs,
                                                2 * 10 * sizeof(float),
                                                kiln_test_affine_run,
                                                2,
                                                kiln_test_affine_kernels,
                                                NULL,
                                                0,
                                                NULL};

/* --- pair ------------------------------------------------------------------
 */

static const kiln_tensor_info kiln_test_pair_inputs[] = {
    {"a", KILN_DTYPE_F32, 2, {2, 3}, 6 * sizeof(float)},
    {"b", KILN_DTYPE_F32, 2, {2, 3}, 6 * sizeof(float)}};
static const kiln_tensor_info kiln_test_pair_outputs[] = {
    {"sum", KILN_DTYPE_F32, 2, {2, 3}, 6 * sizeof(float)},
    {"prod", KILN_DTYPE_F32, 2, {2, 3}, 6 * sizeof(float)}};

static int kiln_test_pair_run(void *arena, const void *const *inputs,
                              void *const *outputs,
                              const char **failed_kernel) {
  (void)arena;
  (void)failed_kernel;
  ++kiln_test_run_calls;
  const float *a = (const float *)inputs[0], *b = (const float *)inputs[1];
  float *sum = (float *)outputs[0], *prod = (float *)outputs[1];
  for (int k = 0; k < 6; ++k) {
    sum[k] = a[k] + b[k];
    prod[k] = a[k] * b[k];
  }
  return 0;
}

const kiln_model_desc kiln_test_pair_model = {KILN_MODEL_ABI_VERSION,
                                              "pair",
                                              2,
                                              kiln_test_pair_inputs,
                                              2,
                                              kiln_test_pair_outputs,
                                              0,
                                              kiln_test_pair_run,
                                              0,
                                              NULL,
                                              NULL,
                                              0,
                                              NULL};

/* --- broken ----------------------------------------------------------------
 */

static const kiln_tensor_info kiln_test_broken_inputs[] = {
    {"x", KILN_DTYPE_F32, 1, {4}, 4 * sizeof(float)}};
static const kiln_tensor_info kiln_test_broken_outputs[] = {
    {"y", KILN_DTYPE_F32, 1, {4}, 4 * sizeof(float)}};

static int kiln_test_broken_run(void *arena, const void *const *inputs,
                                void *const *outputs,
                                const char **failed_kernel) {
  (void)arena;
  (void)inputs;
  (void)outputs;
  ++kiln_test_run_calls;
  /* What a Halide pipeline does on a failed bounds assertion. */
  halide_error(NULL, "Input buffer x is accessed at 7, which is beyond the "
                     "max (3) in dimension 0\n");
  *failed_kernel = "conv_2";
  return 2;
}

const kiln_model_desc kiln_test_broken_model = {KILN_MODEL_ABI_VERSION,
                                                "broken",
                                                1,
                                                kiln_test_broken_inputs,
                                                1,
                                                kiln_test_broken_outputs,
                                                64,
                                                kiln_test_broken_run,
                                                0,
                                                NULL,
                                                NULL,
                                                0,
                                                NULL};

/* --- image, image_wide, image_gray: y = x ----------------------------------
 */

static int kiln_test_copy_run(void *arena, const void *const *inputs,
                              void *const *outputs, size_t bytes) {
  (void)arena;
  ++kiln_test_run_calls;
  memcpy(outputs[0], inputs[0], bytes);
  return 0;
}

#define KILN_TEST_COPY_MODEL(ident, label, c, h, w)                            \
  static const kiln_tensor_info kiln_test_##ident##_inputs[] = {               \
      {"x",                                                                    \
       KILN_DTYPE_F32,                                                         \
       4,                                                                      \
       {1, c, h, w},                                                           \
       (c) * (h) * (w) * sizeof(float)}};                                      \
  static const kiln_tensor_info kiln_test_##ident##_outputs[] = {              \
      {"y",                                                                    \
       KILN_DTYPE_F32,                                                         \
       4,                                                                      \
       {1, c, h, w},                                                           \
       (c) * (h) * (w) * sizeof(float)}};                                      \
  static int kiln_test_##ident##_run(void *arena, const void *const *inputs,   \
                                     void *const *outputs,                     \
                                     const char **failed_kernel) {             \
    (void)failed_kernel;                                                       \
    return kiln_test_copy_run(arena, inputs, outputs,                          \
                              (c) * (h) * (w) * sizeof(float));                \
  }                                                                            \
  const kiln_model_desc kiln_test_##ident##_model = {                          \
      KILN_MODEL_ABI_VERSION,                                                  \
      label,                                                                   \
      1,                                                                       \
      kiln_test_##ident##_inputs,                                              \
      1,                                                                       \
      kiln_test_##ident##_outputs,                                             \
      0,                                                                       \
      kiln_test_##ident##_run,                                                 \
      0,                                                                       \
      NULL,                                                                    \
      NULL,                                                                    \
      0,                                                                       \
      NULL}

KILN_TEST_COPY_MODEL(image, "image", 3, 224, 224);
KILN_TEST_COPY_MODEL(image_wide, "image_wide", 3, 24, 40);
KILN_TEST_COPY_MODEL(image_gray, "image_gray", 1, 8, 8);

/* --- weights (ABI 3) --------------------------------------------------------
 */

#define KILN_TEST_SAMPLE_0 0
#define KILN_TEST_SAMPLE_1 (KILN_TEST_WEIGHT_COUNT / 3)
#define KILN_TEST_SAMPLE_2 (2 * KILN_TEST_WEIGHT_COUNT / 3 + 1)
#define KILN_TEST_SAMPLE_3 (KILN_TEST_WEIGHT_COUNT - 1)
const float kiln_test_weights_blob[KILN_TEST_WEIGHT_COUNT] = {
    [KILN_TEST_SAMPLE_0] = 0.5f, [KILN_TEST_SAMPLE_1] = 1.25f,
    [KILN_TEST_SAMPLE_2] = -2.0f, [KILN_TEST_SAMPLE_3] = 7.75f};
const size_t kiln_test_weights_sampled[4] = {
    KILN_TEST_SAMPLE_0, KILN_TEST_SAMPLE_1, KILN_TEST_SAMPLE_2,
    KILN_TEST_SAMPLE_3};
const void *kiln_test_last_weights;

static const kiln_tensor_info kiln_test_weights_inputs[] = {
    {"x", KILN_DTYPE_F32, 1, {4}, 4 * sizeof(float)}};
static const kiln_tensor_info kiln_test_weights_outputs[] = {
    {"y", KILN_DTYPE_F32, 1, {4}, 4 * sizeof(float)}};

static int kiln_test_weights_run_weights(void *arena, const void *weights,
                                         const void *const *inputs,
                                         void *const *outputs,
                                         const char **failed_kernel) {
  (void)arena;
  (void)failed_kernel;
  ++kiln_test_run_calls;
  kiln_test_last_weights = weights;
  const float *w = (const float *)weights, *x = (const float *)inputs[0];
  float *y = (float *)outputs[0];
  for (size_t i = 0; i < 4; ++i)
    y[i] = x[i] + w[kiln_test_weights_sampled[i]];
  return 0;
}

static int kiln_test_weights_run(void *arena, const void *const *inputs,
                                 void *const *outputs,
                                 const char **failed_kernel) {
  return kiln_test_weights_run_weights(arena, kiln_test_weights_blob, inputs,
                                       outputs, failed_kernel);
}

const kiln_model_desc kiln_test_weights_model = {
    KILN_MODEL_ABI_VERSION,
    "weights",
    1,
    kiln_test_weights_inputs,
    1,
    kiln_test_weights_outputs,
    0,
    kiln_test_weights_run,
    0,
    NULL,
    kiln_test_weights_blob,
    sizeof kiln_test_weights_blob,
    kiln_test_weights_run_weights};
