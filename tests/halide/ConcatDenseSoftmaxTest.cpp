//===- ConcatDenseSoftmaxTest.cpp - Concat, Dense, Softmax kernels --------===//

#include "tests/halide/TestUtil.h"

#include "compiler/kernels/DenseWeightLayout.h"

#include <cmath>

namespace kiln::test {
namespace {

void runConcat(std::vector<std::vector<int64_t>> shapes, int64_t axis,
               unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::Concat;
  spec.name = "concat_test";
  spec.axis = axis;
  spec.inputShapes = shapes;
  spec.outputShape = shapes[0];
  spec.outputShape[axis] = 0;
  for (const auto &s : shapes)
    spec.outputShape[axis] += s[axis];
  std::mt19937 rng(seed);
  std::vector<Tensor> in;
  for (const auto &s : shapes)
    in.push_back(randomTensor(s, rng));
  // Copy every input element to its place in the output.
  Tensor want(spec.outputShape);
  int64_t offset = 0;
  for (const Tensor &t : in) {
    for (size_t i = 0; i < t.numel(); ++i) {
      std::vector<int64_t> idx = unravel(i, t.shape);
      idx[axis] += offset;
      want.at(idx) = t.data[i];
    }
    offset += t.shape[axis];
  }
  expectClose(runJit(spec, in), want);
}

TEST(HalideConcat, Axis1ThreeInputs) {
  runConcat({{2, 3, 4, 5}, {2, 1, 4, 5}, {2, 6, 4, 5}}, 1, 51);
}

TEST(HalideConcat, InnermostAxis) {
  runConcat({{2, 3, 4, 5}, {2, 3, 4, 11}}, 3, 52);
}

TEST(HalideConcat, Axis0) { runConcat({{1, 8}, {3, 8}}, 0, 53); }

/// Dense against a double-precision reference from [N, K] weights; with
/// `packed` the kernel reads them packed as the kernelizer stores them
/// (DenseWeightLayout.h); `targetName` as runJit's.
void runDense(int64_t M, int64_t K, int64_t N, bool bias, Activation act,
              unsigned seed, bool packed = false,
              const std::string &targetName = "", float actAlpha = 0) {
  KernelSpec spec;
  spec.kind = KernelKind::Dense;
  spec.name = "dense_test";
  spec.hasBias = bias;
  spec.activation = act;
  spec.actAlpha = actAlpha;
  spec.inputShapes = {{M, K}, {N, K}};
  if (bias)
    spec.inputShapes.push_back({N});
  spec.outputShape = {M, N};
  std::mt19937 rng(seed);
  std::vector<Tensor> in;
  for (const auto &s : spec.inputShapes)
    in.push_back(randomTensor(s, rng));
  Tensor want(spec.outputShape);
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      double s = bias ? in[2].data[n] : 0.0;
      for (int64_t k = 0; k < K; ++k)
        s += (double)in[0].data[m * K + k] * in[1].data[n * K + k];
      want.data[m * N + n] = applyAct(spec, (float)s);
    }
  if (packed) {
    Tensor w(packedDenseWeightShape(N, K));
    w.data = packDenseWeights(in[1].data, N, K);
    ASSERT_EQ(w.data.size(), w.numel());
    in[1] = std::move(w);
    spec.inputShapes[1] = in[1].shape;
    spec.weightBlock = kDenseWeightRows;
  }
  expectClose(runJit(spec, in, -1, targetName), want);
}

TEST(HalideDense, WithBias) { runDense(3, 37, 21, true, Activation::None, 54); }

TEST(HalideDense, WithoutBias) {
  runDense(2, 16, 10, false, Activation::None, 55);
}

TEST(HalideDense, ClassifierRowWithRelu) {
  // One row: the schedule parallelizes over chunks of the output instead.
  runDense(1, 64, 1000, true, Activation::Relu, 56);
}

TEST(HalideDense, LongRowsVectorizedAlongK) {
  // MobileNetV2's head (K = 1280): dot products along K (DenseSchedule.cpp).
  runDense(1, 1280, 1000, true, Activation::None, 57);
}

TEST(HalideDense, LongRowsBatch2RaggedOutputs) {
  // 37 outputs: chunks and groups of 4 outputs with tails; two rows.
  runDense(2, 512, 37, false, Activation::Relu, 58);
}

TEST(HalideDense, LeakyReluAndSigmoidEpilogues) {
  runDense(2, 96, 37, true, Activation::LeakyRelu, 59, false, "", 0.2f);
  runDense(1, 1280, 100, true, Activation::Sigmoid, 60, true);
}

TEST(HalideDense, PackWeightsLayout) {
  // packed[i][g][s][l] = w[4g + i][16s + l], zero past N.
  int64_t N = 6, K = 128;
  std::vector<float> w(N * K);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = (float)i + 1;
  std::vector<float> p = packDenseWeights(w, N, K);
  ASSERT_EQ(p.size(), 2u * 8 * 4 * 16);
  for (int64_t n = 0; n < 8; ++n)
    for (int64_t k = 0; k < K; ++k)
      EXPECT_EQ(p[(((n % 4) * 2 + n / 4) * 8 + k / 16) * 16 + k % 16],
                n < N ? w[n * K + k] : 0.0f)
          << "n=" << n << " k=" << k;
  // Rows too short to stream, or not whole steps of 16: not packed.
  EXPECT_TRUE(packDenseWeights(std::vector<float>(6 * 64), 6, 64).empty());
  EXPECT_TRUE(packDenseWeights(std::vector<float>(6 * 136), 6, 136).empty());
  EXPECT_TRUE(packDenseWeights(w, N, K + 16).empty());
}

TEST(HalideDense, PackedClassifierRow) {
  // MobileNetV2's head with the weights packed in groups of 4 rows.
  runDense(1, 1280, 1000, true, Activation::None, 59, /*packed=*/true);
}

TEST(HalideDense, PackedRaggedRowsBatch2) {
  // 37 outputs: the last group holds one row and three zero ones.
  runDense(2, 512, 37, false, Activation::Relu, 60, /*packed=*/true);
}

TEST(HalideDense, PackedAvx2Lanes) {
  // 16 lanes of a packed step are two AVX2 vectors.
  if (!hostRunsAvx2())
    GTEST_SKIP() << "host cannot run AVX2 code";
  runDense(1, 2048, 100, true, Activation::None, 61, /*packed=*/true,
           kAvx2Target);
}

TEST(HalideDense, PackedWeightsOfTheWrongShapeAreRejected) {
  KernelSpec spec;
  spec.kind = KernelKind::Dense;
  spec.name = "dense_bad";
  spec.weightBlock = kDenseWeightRows;
  spec.inputShapes = {{1, 256}, {1000, 256}};
  spec.outputShape = {1, 1000};
  BuiltPipeline built;
  std::string error;
  EXPECT_FALSE(buildPipeline(spec, Halide::get_host_target(), built, error));
  EXPECT_NE(error.find("packed weights"), std::string::npos) << error;
}

void runSoftmax(std::vector<int64_t> shape, int64_t axis, float scale,
                unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::Softmax;
  spec.name = "softmax_test";
  spec.axis = axis;
  spec.inputShapes = {shape};
  spec.outputShape = shape;
  std::mt19937 rng(seed);
  Tensor x = randomTensor(shape, rng, -scale, scale);
  Tensor want(shape);
  int64_t inner = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  int64_t len = shape[axis];
  int64_t outer = (int64_t)x.numel() / (len * inner);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t k) { return (o * len + k) * inner + i; };
      double mx = -INFINITY, sum = 0;
      for (int64_t k = 0; k < len; ++k)
        mx = std::max(mx, (double)x.data[at(k)]);
      for (int64_t k = 0; k < len; ++k)
        sum += std::exp(x.data[at(k)] - mx);
      for (int64_t k = 0; k < len; ++k)
        want.data[at(k)] = (float)(std::exp(x.data[at(k)] - mx) / sum);
    }
  expectClose(runJit(spec, {x}), want);
}

TEST(HalideSoftmax, Axis1Of2D) { runSoftmax({3, 1000}, 1, 5.0f, 57); }

TEST(HalideSoftmax, Axis1Of4D) { runSoftmax({2, 7, 3, 5}, 1, 5.0f, 58); }

TEST(HalideSoftmax, LargeLogitsStayFinite) {
  // exp(100) overflows float; subtracting the max keeps it exact.
  runSoftmax({2, 10}, 1, 100.0f, 59);
}

} // namespace
} // namespace kiln::test
