/*===- halide_fixture_models.h - fixtures over a real Halide kernel -*- C
 * -*-===*/
#ifndef KILN_TESTS_RUNTIME_HALIDE_FIXTURE_MODELS_H
#define KILN_TESTS_RUNTIME_HALIDE_FIXTURE_MODELS_H

#include "kiln_model_desc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "halide_affine": x float32[3,5] -> y = 2*x + 1 by an AOT Halide kernel. */
extern const kiln_model_desc kiln_test_halide_model;
/* "halide_bad": same, but passes the input to the kernel as [3,4], so the
 * kernel's bounds check fails inside Halide. */
extern const kiln_model_desc kiln_test_halide_bad_model;

#ifdef __cplusplus
}
#endif

#endif /* KILN_TESTS_RUNTIME_HALIDE_FIXTURE_MODELS_H */
