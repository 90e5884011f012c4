/*===- halide_fixture_models.c - fixtures over a real Halide kernel -*- C
 *-*-===*
 *
 * Shaped like generated model code: halide_buffer_t's from kiln_buffer_init
 * passed to an AOT-compiled Halide pipeline.
 *
 *===----------------------------------------------------------------------===*/

#include "halide_fixture_models.h"

#include "kiln_buffer.h"
#include "kiln_test_halide_affine.h"

#include <stdint.h>

static const kiln_tensor_info kiln_test_hl_io[] = {
    {"x", KILN_DTYPE_F32, 2, {3, 5}, 3 * 5 * sizeof(float)},
    {"y", KILN_DTYPE_F32, 2, {3, 5}, 3 * 5 * sizeof(float)}};

/* Calls the kernel with the input described as `in_shape`. */
static int kiln_test_hl_call(const void *in_data, void *out_data,
                             const int64_t *in_shape,
                             const char **failed_kernel) {
  static const int64_t out_shape[2] = {3, 5};
  halide_dimension_t in_dims[2], out_dims[2];
  halide_buffer_t in, out;
  kiln_buffer_init(&in, in_dims, (void *)(uintptr_t)in_data, 2, in_shape);
  kiln_buffer_init(&out, out_dims, out_data, 2, out_shape);
  if (kiln_test_halide_affine(&in, &out) != 0) {
    *failed_kernel = "affine";
    return 1;
  }
  return 0;
}

static int kiln_test_hl_run(void *arena, const void *const *inputs,
                            void *const *outputs, const char **failed_kernel) {
  (void)arena;
  static const int64_t shape[2] = {3, 5};
  return kiln_test_hl_call(inputs[0], outputs[0], shape, failed_kernel);
}

/* A miscompiled model: it tells the kernel the input is only 4 wide. */
static int kiln_test_hl_bad_run(void *arena, const void *const *inputs,
                                void *const *outputs,
                                const char **failed_kernel) {
  (void)arena;
  static const int64_t narrow[2] = {3, 4};
  return kiln_test_hl_call(inputs[0], outputs[0], narrow, failed_kernel);
}

const kiln_model_desc kiln_test_halide_model = {KILN_MODEL_ABI_VERSION,
                                                "halide_affine",
                                                1,
                                                &kiln_test_hl_io[0],
                                                1,
                                                &kiln_test_hl_io[1],
                                                0,
                                                kiln_test_hl_run,
                                                0,
                                                NULL};

const kiln_model_desc kiln_test_halide_bad_model = {KILN_MODEL_ABI_VERSION,
                                                    "halide_bad",
                                                    1,
                                                    &kiln_test_hl_io[0],
                                                    1,
                                                    &kiln_test_hl_io[1],
                                                    0,
                                                    kiln_test_hl_bad_run,
                                                    0,
                                                    NULL};
