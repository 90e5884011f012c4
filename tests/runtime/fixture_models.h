/*===- fixture_models.h - hand-written model descriptors for tests -*- C -*-===*
 *
 * Stand-ins for the C file the Kiln compiler generates per model, written
 * in plain C against kiln_model_desc.h and kiln_buffer.h only.
 *
 *===----------------------------------------------------------------------===*/
#ifndef KILN_TESTS_RUNTIME_FIXTURE_MODELS_H
#define KILN_TESTS_RUNTIME_FIXTURE_MODELS_H

#include "kiln_model_desc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "affine": x float32[2,10] -> y = 2*x + 1, float32[2,10] (classifier-like
 * shape, so the CLI prints a top-5). Goes through its arena and
 * kiln_buffer_init like generated code. */
extern const kiln_model_desc kiln_test_affine_model;
/* "pair": a, b float32[2,3] -> sum = a + b, prod = a * b (both [2,3]). */
extern const kiln_model_desc kiln_test_pair_model;
/* "broken": x float32[4] -> y float32[4]; its second kernel "conv_2"
 * reports a Halide error through halide_error() and fails. */
extern const kiln_model_desc kiln_test_broken_model;

/* "image": x float32[1,3,224,224] -> y = x (same shape): shows the tensor
 * that `--image` produced. */
extern const kiln_model_desc kiln_test_image_model;
/* "image_wide": like "image" with x, y float32[1,3,24,40] (H != W). */
extern const kiln_model_desc kiln_test_image_wide_model;
/* "image_gray": x, y float32[1,1,8,8] (one channel: not for --image). */
extern const kiln_model_desc kiln_test_image_gray_model;

/* "weights" (ABI 3): x float32[4] -> y[i] = x[i] + w[sampled[i]], w the
 * model's 5 MiB weight blob (kiln_test_weights_blob: read-only data like a
 * generated blob, zero but at the sampled indices); `run` reads the blob
 * itself, `run_weights` the weights it is given. Both record the weights
 * they read in kiln_test_last_weights. */
extern const kiln_model_desc kiln_test_weights_model;
#define KILN_TEST_WEIGHT_COUNT ((size_t)5 << 18)
extern const float kiln_test_weights_blob[KILN_TEST_WEIGHT_COUNT];
extern const size_t kiln_test_weights_sampled[4];
extern const void *kiln_test_last_weights;

/* Number of times any fixture's run function was entered. */
extern int kiln_test_run_calls;

#ifdef __cplusplus
}
#endif

#endif /* KILN_TESTS_RUNTIME_FIXTURE_MODELS_H */
