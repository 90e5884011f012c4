//===- RuntimeApiTest.cpp - kiln.h API against fixture models -------------===//
//
// Checks the runtime's contract with hand-written model descriptors: info
// queries, results, argument and size checks before any kernel runs, kernel
// failure propagation with the Halide message, and create failures.
//
//===----------------------------------------------------------------------===//

#include "runtime/kiln.h"
#include "runtime/kiln_buffer.h"
#include "runtime/kiln_model_desc.h"
#include "tests/runtime/fixture_models.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace {

using ::testing::HasSubstr;

struct ModelDeleter {
  void operator()(kiln_model *m) const { kiln_model_destroy(m); }
};
using ModelPtr = std::unique_ptr<kiln_model, ModelDeleter>;

ModelPtr open(const kiln_model_desc &desc) {
  kiln_model *m = nullptr;
  EXPECT_EQ(kiln_model_create(&desc, &m), KILN_OK)
      << kiln_model_last_error(nullptr);
  return ModelPtr(m);
}

std::string lastError(const ModelPtr &m) {
  return kiln_model_last_error(m.get());
}

/// One run of the affine fixture (y = 2x + 1 over 20 floats) on zeros.
kiln_status runAffineOnZeros(const ModelPtr &m, float (&y)[20]) {
  float x[20] = {0};
  const void *inputs[] = {x};
  size_t inBytes[] = {sizeof x};
  void *outputs[] = {y};
  size_t outBytes[] = {sizeof y};
  return kiln_model_run(m.get(), inputs, inBytes, outputs, outBytes);
}

TEST(RuntimeApi, InfoQueriesDescribeTheModel) {
  ModelPtr m = open(kiln_test_pair_model);
  ASSERT_TRUE(m);
  EXPECT_EQ(kiln_model_input_count(m.get()), 2u);
  EXPECT_EQ(kiln_model_output_count(m.get()), 2u);
  kiln_tensor_info info;
  ASSERT_EQ(kiln_model_input_info(m.get(), 1, &info), KILN_OK);
  EXPECT_STREQ(info.name, "b");
  EXPECT_EQ(info.dtype, KILN_DTYPE_F32);
  EXPECT_EQ(info.rank, 2);
  EXPECT_EQ(info.dims[0], 2);
  EXPECT_EQ(info.dims[1], 3);
  EXPECT_EQ(info.byte_size, 24u);
  ASSERT_EQ(kiln_model_output_info(m.get(), 1, &info), KILN_OK);
  EXPECT_STREQ(info.name, "prod");
  EXPECT_STREQ(kiln_model_last_error(m.get()), "");

  EXPECT_EQ(kiln_model_input_info(m.get(), 2, &info),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(lastError(m), HasSubstr("index 2 out of range"));
  EXPECT_EQ(kiln_model_output_info(m.get(), 0, nullptr),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(kiln_model_input_info(nullptr, 0, &info),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(kiln_model_input_count(nullptr), 0u);
  EXPECT_EQ(kiln_model_output_count(nullptr), 0u);
}

TEST(RuntimeApi, RunComputesAffineThroughArena) {
  ModelPtr m = open(kiln_test_affine_model);
  ASSERT_TRUE(m);
  std::vector<float> x(20), y(20, -1.0f);
  for (int i = 0; i < 20; ++i)
    x[i] = 0.25f * static_cast<float>(i) - 3.0f;
  const void *inputs[] = {x.data()};
  size_t inBytes[] = {x.size() * sizeof(float)};
  void *outputs[] = {y.data()};
  size_t outBytes[] = {y.size() * sizeof(float)};
  ASSERT_EQ(kiln_model_run(m.get(), inputs, inBytes, outputs, outBytes),
            KILN_OK)
      << lastError(m);
  for (int i = 0; i < 20; ++i)
    EXPECT_FLOAT_EQ(y[i], 2.0f * x[i] + 1.0f) << "element " << i;
}

TEST(RuntimeApi, RunComputesTwoInputsTwoOutputs) {
  ModelPtr m = open(kiln_test_pair_model);
  ASSERT_TRUE(m);
  float a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {-1, 0.5f, 2, 10, -3, 0};
  float sum[6], prod[6];
  const void *inputs[] = {a, b};
  size_t inBytes[] = {sizeof a, sizeof b};
  void *outputs[] = {sum, prod};
  size_t outBytes[] = {sizeof sum, sizeof prod};
  ASSERT_EQ(kiln_model_run(m.get(), inputs, inBytes, outputs, outBytes),
            KILN_OK)
      << lastError(m);
  for (int i = 0; i < 6; ++i) {
    EXPECT_FLOAT_EQ(sum[i], a[i] + b[i]);
    EXPECT_FLOAT_EQ(prod[i], a[i] * b[i]);
  }
}

// Every invalid call must be rejected before the model's run function runs.
class RejectedRun : public ::testing::Test {
protected:
  void SetUp() override {
    model = open(kiln_test_pair_model);
    ASSERT_TRUE(model);
    callsBefore = kiln_test_run_calls;
  }
  void TearDown() override { EXPECT_EQ(kiln_test_run_calls, callsBefore); }

  ModelPtr model;
  int callsBefore = 0;
  float a[6] = {}, b[6] = {}, sum[6] = {}, prod[6] = {};
  const void *inputs[2] = {a, b};
  size_t inBytes[2] = {sizeof a, sizeof b};
  void *outputs[2] = {sum, prod};
  size_t outBytes[2] = {sizeof sum, sizeof prod};
};

TEST_F(RejectedRun, NullModel) {
  EXPECT_EQ(kiln_model_run(nullptr, inputs, inBytes, outputs, outBytes),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(std::string(kiln_model_last_error(nullptr)),
              HasSubstr("model is NULL"));
}

TEST_F(RejectedRun, NullArrays) {
  EXPECT_EQ(kiln_model_run(model.get(), nullptr, inBytes, outputs, outBytes),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(lastError(model), HasSubstr("inputs array is NULL"));
  EXPECT_EQ(kiln_model_run(model.get(), inputs, nullptr, outputs, outBytes),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(lastError(model), HasSubstr("input_bytes array is NULL"));
  EXPECT_EQ(kiln_model_run(model.get(), inputs, inBytes, nullptr, outBytes),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(lastError(model), HasSubstr("outputs array is NULL"));
  EXPECT_EQ(kiln_model_run(model.get(), inputs, inBytes, outputs, nullptr),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(lastError(model), HasSubstr("output_bytes array is NULL"));
}

TEST_F(RejectedRun, NullBufferNamesTheTensor) {
  inputs[1] = nullptr;
  EXPECT_EQ(kiln_model_run(model.get(), inputs, inBytes, outputs, outBytes),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(lastError(model), HasSubstr("input 1 'b' buffer is NULL"));
  inputs[1] = b;
  outputs[0] = nullptr;
  EXPECT_EQ(kiln_model_run(model.get(), inputs, inBytes, outputs, outBytes),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(lastError(model), HasSubstr("output 0 'sum' buffer is NULL"));
}

TEST_F(RejectedRun, WrongInputByteSize) {
  inBytes[1] = 20;
  EXPECT_EQ(kiln_model_run(model.get(), inputs, inBytes, outputs, outBytes),
            KILN_ERROR_SHAPE_MISMATCH);
  EXPECT_EQ(lastError(model),
            "kiln_model_run: input 1 'b' expects float32[2x3] = 24 bytes, got "
            "20 bytes");
}

TEST_F(RejectedRun, WrongOutputByteSize) {
  outBytes[1] = 48;
  EXPECT_EQ(kiln_model_run(model.get(), inputs, inBytes, outputs, outBytes),
            KILN_ERROR_SHAPE_MISMATCH);
  EXPECT_THAT(lastError(model), HasSubstr("output 1 'prod' expects "
                                          "float32[2x3] = 24 bytes, got 48"));
}

TEST_F(RejectedRun, TooFewInputsIsASizeMismatch) {
  // A caller who passes one input for a two-input model: the count is
  // implicit in the arrays, so the second entry's size (0) is what fails.
  inBytes[1] = 0;
  EXPECT_EQ(kiln_model_run(model.get(), inputs, inBytes, outputs, outBytes),
            KILN_ERROR_SHAPE_MISMATCH);
  EXPECT_THAT(lastError(model), HasSubstr("'b'"));
}

TEST(RuntimeApi, SetThreads) {
  ModelPtr m = open(kiln_test_affine_model);
  ASSERT_TRUE(m);
  EXPECT_EQ(kiln_model_set_threads(m.get(), 0), KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(lastError(m), HasSubstr("must be >= 1, got 0"));
  EXPECT_EQ(kiln_model_set_threads(m.get(), -3), KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(kiln_model_set_threads(m.get(), 2), KILN_OK);
  EXPECT_EQ(kiln_model_set_threads(nullptr, 2), KILN_ERROR_INVALID_ARGUMENT);
}

TEST(RuntimeApi, KernelFailureNamesKernelAndHalideMessage) {
  ModelPtr m = open(kiln_test_broken_model);
  ASSERT_TRUE(m);
  float x[4] = {}, y[4] = {};
  const void *inputs[] = {x};
  size_t inBytes[] = {sizeof x};
  void *outputs[] = {y};
  size_t outBytes[] = {sizeof y};
  EXPECT_EQ(kiln_model_run(m.get(), inputs, inBytes, outputs, outBytes),
            KILN_ERROR_KERNEL_FAILED);
  EXPECT_EQ(lastError(m),
            "kiln_model_run: model 'broken': kernel 'conv_2' (#2) failed: "
            "Input buffer x is accessed at 7, which is beyond the max (3) in "
            "dimension 0");
}

TEST(RuntimeApi, ProfilingRecordsEveryKernelCall) {
  ModelPtr m = open(kiln_test_affine_model);
  ASSERT_TRUE(m);
  ASSERT_EQ(kiln_model_kernel_count(m.get()), 2u);
  const char *name = nullptr;
  uint64_t ns = 123;
  // Before profiling: names are known, times are 0.
  ASSERT_EQ(kiln_model_profile(m.get(), 1, &name, &ns), KILN_OK);
  EXPECT_STREQ(name, "bias");
  EXPECT_EQ(ns, 0u);
  EXPECT_EQ(kiln_model_profile(m.get(), 2, &name, &ns),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(lastError(m), HasSubstr("kernel 2 out of range"));

  ASSERT_EQ(kiln_model_set_profiling(m.get(), 1), KILN_OK);
  float y[20];
  ASSERT_EQ(runAffineOnZeros(m, y), KILN_OK);
  // Both kernels ran: each has a time (CLOCK_MONOTONIC advances by >= 1 ns
  // on Linux between two reads around real work; allow 0 only for none).
  uint64_t total = 0;
  for (size_t k = 0; k < 2; ++k) {
    ASSERT_EQ(kiln_model_profile(m.get(), k, &name, &ns), KILN_OK);
    EXPECT_LT(ns, 1000000000u) << "kernel " << k;
    total += ns;
  }
  EXPECT_GT(total, 0u);
  EXPECT_EQ(y[0], 1.0f);

  // Off again: later runs leave no profile, the hook is a no-op.
  ASSERT_EQ(kiln_model_set_profiling(m.get(), 0), KILN_OK);
  ASSERT_EQ(runAffineOnZeros(m, y), KILN_OK);
  ASSERT_EQ(kiln_model_profile(m.get(), 0, &name, &ns), KILN_OK);
  EXPECT_EQ(ns, 0u);
  kiln_profile_kernel_done(0); // outside a run: ignored

  // A descriptor without a kernel table (pair) cannot be profiled.
  ModelPtr pair = open(kiln_test_pair_model);
  ASSERT_TRUE(pair);
  EXPECT_EQ(kiln_model_kernel_count(pair.get()), 0u);
  EXPECT_EQ(kiln_model_set_profiling(pair.get(), 1),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(lastError(pair), HasSubstr("without profiling support"));
  EXPECT_EQ(kiln_model_set_profiling(nullptr, 1), KILN_ERROR_INVALID_ARGUMENT);
}

TEST(RuntimeApi, ProfileStartPlacesTheRunOnTheMonotonicClock) {
  ModelPtr m = open(kiln_test_affine_model);
  ASSERT_TRUE(m);
  uint64_t start = 99;
  ASSERT_EQ(kiln_model_profile_start(m.get(), &start), KILN_OK);
  EXPECT_EQ(start, 0u); // no profiled run yet
  EXPECT_EQ(kiln_model_profile_start(m.get(), nullptr),
            KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(kiln_model_profile_start(nullptr, &start),
            KILN_ERROR_INVALID_ARGUMENT);

  ASSERT_EQ(kiln_model_set_profiling(m.get(), 1), KILN_OK);
  float y[20];
  timespec before{}, after{};
  clock_gettime(CLOCK_MONOTONIC, &before);
  ASSERT_EQ(runAffineOnZeros(m, y), KILN_OK);
  clock_gettime(CLOCK_MONOTONIC, &after);
  auto ns = [](const timespec &t) {
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
  };
  ASSERT_EQ(kiln_model_profile_start(m.get(), &start), KILN_OK);
  // The run's timeline (start + both kernels' times) lies inside the call.
  uint64_t t0 = 0, t1 = 0;
  ASSERT_EQ(kiln_model_profile(m.get(), 0, nullptr, &t0), KILN_OK);
  ASSERT_EQ(kiln_model_profile(m.get(), 1, nullptr, &t1), KILN_OK);
  EXPECT_GE(start, ns(before));
  EXPECT_LE(start + t0 + t1, ns(after));
}

TEST(RuntimeApi, OpensVersion1Descriptors) {
  kiln_model_desc v1 = kiln_test_affine_model;
  v1.abi_version = 1;
  ModelPtr m = open(v1);
  ASSERT_TRUE(m);
  // Version 1 has no kernel table: the runtime must not read it.
  EXPECT_EQ(kiln_model_kernel_count(m.get()), 0u);
}

TEST(RuntimeApi, CreateRejectsBadDescriptors) {
  kiln_model *m = reinterpret_cast<kiln_model *>(0x1);
  kiln_model_desc bad = kiln_test_affine_model;
  bad.abi_version = KILN_MODEL_ABI_VERSION + 1;
  EXPECT_EQ(kiln_model_create(&bad, &m), KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(m, nullptr);
  EXPECT_THAT(std::string(kiln_model_last_error(nullptr)),
              HasSubstr("model 'affine' was generated for ABI version 4, "
                        "this runtime implements versions 1 to 3"));

  EXPECT_EQ(kiln_model_create(nullptr, &m), KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(std::string(kiln_model_last_error(nullptr)),
              HasSubstr("desc is NULL"));
  EXPECT_EQ(kiln_model_create(&kiln_test_affine_model, nullptr),
            KILN_ERROR_INVALID_ARGUMENT);

  bad = kiln_test_affine_model;
  bad.run = nullptr;
  EXPECT_EQ(kiln_model_create(&bad, &m), KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(std::string(kiln_model_last_error(nullptr)),
              HasSubstr("no run function"));

  kiln_tensor_info wrongSize = kiln_test_affine_model.inputs[0];
  wrongSize.byte_size = 7;
  bad = kiln_test_affine_model;
  bad.inputs = &wrongSize;
  EXPECT_EQ(kiln_model_create(&bad, &m), KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(std::string(kiln_model_last_error(nullptr)),
              HasSubstr("input 'x' declares 7 bytes but its shape holds 80"));

  kiln_tensor_info tooDeep = kiln_test_affine_model.inputs[0];
  tooDeep.rank = KILN_MAX_RANK + 1;
  bad.inputs = &tooDeep;
  EXPECT_EQ(kiln_model_create(&bad, &m), KILN_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(std::string(kiln_model_last_error(nullptr)), HasSubstr("rank 9"));
}

// ABI 3: the kernels read the weights the runtime passes in: a copy on
// huge pages (Linux, blobs of 4 MiB and more) shared by the models of one
// descriptor, else the embedded blob.

std::vector<float> runWeights(const ModelPtr &m) {
  std::vector<float> x = {1, 2, 3, 4}, y(4, 0);
  const void *in[] = {x.data()};
  void *out[] = {y.data()};
  size_t inBytes[] = {sizeof(float) * 4}, outBytes[] = {sizeof(float) * 4};
  EXPECT_EQ(kiln_model_run(m.get(), in, inBytes, out, outBytes), KILN_OK)
      << lastError(m);
  return y;
}

std::vector<float> expectedWeightsOutput() {
  // x = 1, 2, 3, 4 plus the blob's four non-zero weights (fixture_models.c).
  return {1.0f + 0.5f, 2.0f + 1.25f, 3.0f - 2.0f, 4.0f + 7.75f};
}

TEST(RuntimeApi, LargeWeightsAreCopiedOnceAndShared) {
  ModelPtr a = open(kiln_test_weights_model);
  ASSERT_TRUE(a);
  EXPECT_EQ(runWeights(a), expectedWeightsOutput());
  const void *copy = kiln_test_last_weights;
#if defined(__linux__)
  EXPECT_NE(copy, (const void *)kiln_test_weights_blob);
  EXPECT_EQ((uintptr_t)copy % (2u << 20), 0u) << "not on a 2 MiB boundary";
#endif
  ModelPtr b = open(kiln_test_weights_model);
  ASSERT_TRUE(b);
  EXPECT_EQ(runWeights(b), expectedWeightsOutput());
  EXPECT_EQ(kiln_test_last_weights, copy) << "a second copy";
  a.reset();
  EXPECT_EQ(runWeights(b), expectedWeightsOutput());
  EXPECT_EQ(kiln_test_last_weights, copy);
}

TEST(RuntimeApi, SmallWeightsAndOptOutUseTheEmbeddedBlob) {
  kiln_model_desc small = kiln_test_weights_model;
  small.weight_bytes = 1u << 20;
  ModelPtr m = open(small);
  ASSERT_TRUE(m);
  EXPECT_EQ(runWeights(m), expectedWeightsOutput());
  EXPECT_EQ(kiln_test_last_weights, (const void *)kiln_test_weights_blob);

  setenv("KILN_WEIGHTS_HUGEPAGES", "0", 1);
  ModelPtr off = open(kiln_test_weights_model);
  unsetenv("KILN_WEIGHTS_HUGEPAGES");
  ASSERT_TRUE(off);
  EXPECT_EQ(runWeights(off), expectedWeightsOutput());
  EXPECT_EQ(kiln_test_last_weights, (const void *)kiln_test_weights_blob);
}

TEST(RuntimeApi, Version2DescriptorsRunWithTheirOwnWeights) {
  // A version 2 descriptor ends before weights/run_weights: the runtime
  // calls `run`, which reads the embedded blob.
  kiln_model_desc v2 = kiln_test_weights_model;
  v2.abi_version = 2;
  ModelPtr m = open(v2);
  ASSERT_TRUE(m);
  EXPECT_EQ(runWeights(m), expectedWeightsOutput());
  EXPECT_EQ(kiln_test_last_weights, (const void *)kiln_test_weights_blob);
}

TEST(RuntimeApi, DestroyAcceptsNull) { kiln_model_destroy(nullptr); }

TEST(KilnBuffer, InitReversesOnnxDimsWithDenseStrides) {
  float data[2 * 3 * 4 * 5];
  const int64_t shape[4] = {2, 3, 4, 5}; // N, C, H, W
  halide_dimension_t dims[4];
  halide_buffer_t buf;
  kiln_buffer_init(&buf, dims, data, 4, shape);
  EXPECT_EQ(buf.host, reinterpret_cast<uint8_t *>(data));
  EXPECT_EQ(buf.device, 0u);
  EXPECT_EQ(buf.device_interface, nullptr);
  EXPECT_EQ(buf.flags, 0u);
  EXPECT_EQ(buf.type.code, halide_type_float);
  EXPECT_EQ(buf.type.bits, 32);
  EXPECT_EQ(buf.type.lanes, 1);
  EXPECT_EQ(buf.dimensions, 4);
  ASSERT_EQ(buf.dim, dims);
  const int32_t extents[4] = {5, 4, 3, 2}, strides[4] = {1, 5, 20, 60};
  for (int d = 0; d < 4; ++d) {
    EXPECT_EQ(dims[d].min, 0) << d;
    EXPECT_EQ(dims[d].extent, extents[d]) << d;
    EXPECT_EQ(dims[d].stride, strides[d]) << d;
    EXPECT_EQ(dims[d].flags, 0u) << d;
  }
}

TEST(KilnBuffer, InitScalar) {
  float value = 3.0f;
  halide_dimension_t dims[1];
  halide_buffer_t buf;
  kiln_buffer_init(&buf, dims, &value, 0, nullptr);
  EXPECT_EQ(buf.dimensions, 0);
  EXPECT_EQ(buf.host, reinterpret_cast<uint8_t *>(&value));
}

} // namespace
