//===- HalideKernelTest.cpp - runtime + a real AOT Halide kernel ----------===//
//
// kiln_buffer_init's layout must be what Halide expects, and a Halide
// assertion inside a kernel must come back as KILN_ERROR_KERNEL_FAILED with
// Halide's own text (captured by the runtime's error handler, not printed).
//
//===----------------------------------------------------------------------===//

#include "runtime/kiln.h"
#include "tests/runtime/halide_fixture_models.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace {

using ::testing::HasSubstr;

kiln_status runOnce(const kiln_model_desc &desc, std::string &error,
                    float (&x)[15], float (&y)[15]) {
  kiln_model *m = nullptr;
  EXPECT_EQ(kiln_model_create(&desc, &m), KILN_OK);
  const void *inputs[] = {x};
  size_t inBytes[] = {sizeof x};
  void *outputs[] = {y};
  size_t outBytes[] = {sizeof y};
  EXPECT_EQ(kiln_model_set_threads(m, 3), KILN_OK);
  kiln_status st = kiln_model_run(m, inputs, inBytes, outputs, outBytes);
  error = kiln_model_last_error(m);
  kiln_model_destroy(m);
  return st;
}

TEST(HalideKernel, RunsThroughKilnBuffers) {
  float x[15], y[15] = {};
  for (int i = 0; i < 15; ++i)
    x[i] = static_cast<float>(i * i) - 7.5f;
  std::string error;
  ASSERT_EQ(runOnce(kiln_test_halide_model, error, x, y), KILN_OK) << error;
  for (int i = 0; i < 15; ++i)
    EXPECT_FLOAT_EQ(y[i], 2.0f * x[i] + 1.0f) << "element " << i;
}

TEST(HalideKernel, HalideAssertionBecomesKernelFailure) {
  float x[15] = {}, y[15] = {};
  std::string error;
  EXPECT_EQ(runOnce(kiln_test_halide_bad_model, error, x, y),
            KILN_ERROR_KERNEL_FAILED);
  EXPECT_THAT(error, HasSubstr("model 'halide_bad': kernel 'affine' (#1) "
                               "failed: "));
  // Halide's bounds message names the buffer and the dimension.
  EXPECT_THAT(error, HasSubstr("Input buffer input"));
  EXPECT_THAT(error, HasSubstr("dimension 0"));
}

} // namespace
