//===- NormalizationTest.cpp - LRN, BatchNorm, Transpose, Slice kernels ---===//
//
// Each kernel against a naive loop written from the ONNX definition.
//
//===----------------------------------------------------------------------===//

#include "tests/halide/TestUtil.h"

#include <algorithm>

namespace kiln::test {
namespace {

void runLRN(std::vector<int64_t> shape, int64_t size, float alpha, float beta,
            float bias, unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::LRN;
  spec.name = "lrn_test";
  spec.inputShapes = {shape};
  spec.outputShape = shape;
  spec.size = size;
  spec.alpha = alpha;
  spec.beta = beta;
  spec.bias = bias;
  std::mt19937 rng(seed);
  Tensor x = randomTensor(shape, rng, -3.0f, 3.0f);
  Tensor want(shape);
  int64_t C = shape[1];
  int64_t lo = (size - 1) / 2, hi = size - 1 - lo; // floor and ceil.
  for (size_t i = 0; i < want.numel(); ++i) {
    std::vector<int64_t> idx = unravel(i, shape);
    int64_t c = idx[1];
    double sum = 0;
    for (int64_t j = std::max<int64_t>(0, c - lo);
         j <= std::min<int64_t>(C - 1, c + hi); ++j) {
      std::vector<int64_t> at = idx;
      at[1] = j;
      sum += (double)x.at(at) * x.at(at);
    }
    want.data[i] =
        (float)(x.data[i] / std::pow(bias + alpha / size * sum, (double)beta));
  }
  expectClose(runJit(spec, {x}), want);
}

TEST(HalideLRN, OnnxDefaults) {
  // ONNX test_lrn_default: size 3, alpha 1e-4, beta 0.75, bias 1.
  runLRN({5, 5, 5, 5}, 3, 1e-4f, 0.75f, 1.0f, 61);
}

TEST(HalideLRN, EvenSizeWideWindow) {
  // Even sizes reach one channel further up than down; a large alpha makes
  // the window sum matter.
  runLRN({2, 7, 3, 9}, 4, 0.5f, 0.5f, 2.0f, 62);
}

TEST(HalideLRN, WindowWiderThanChannels) {
  runLRN({1, 3, 4, 4}, 7, 1.0f, 0.75f, 1.0f, 63);
}

TEST(HalideLRN, Rank3) { runLRN({2, 6, 10}, 5, 0.2f, 0.75f, 1.0f, 64); }

TEST(HalideLRN, RejectsNonPositiveSize) {
  KernelSpec spec;
  spec.kind = KernelKind::LRN;
  spec.name = "bad_lrn";
  spec.inputShapes = {{1, 4, 2, 2}};
  spec.outputShape = {1, 4, 2, 2};
  expectSpecError(spec, "size must be positive");
}

void runBatchNorm(std::vector<int64_t> shape, float epsilon, Activation act,
                  unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::BatchNorm;
  spec.name = "bn_test";
  int64_t C = shape[1];
  spec.inputShapes = {shape, {C}, {C}, {C}, {C}};
  spec.outputShape = shape;
  spec.epsilon = epsilon;
  spec.activation = act;
  std::mt19937 rng(seed);
  Tensor x = randomTensor(shape, rng), scale = randomTensor({C}, rng),
         shift = randomTensor({C}, rng), mean = randomTensor({C}, rng),
         var = randomTensor({C}, rng, 0.1f, 2.0f);
  Tensor want(shape);
  for (size_t i = 0; i < want.numel(); ++i) {
    int64_t c = unravel(i, shape)[1];
    float v = (x.data[i] - mean.data[c]) / std::sqrt(var.data[c] + epsilon) *
                  scale.data[c] +
              shift.data[c];
    want.data[i] = applyAct(spec, v);
  }
  expectClose(runJit(spec, {x, scale, shift, mean, var}), want);
}

TEST(HalideBatchNorm, Nchw) {
  runBatchNorm({2, 3, 4, 5}, 1e-5f, Activation::None, 65);
}

TEST(HalideBatchNorm, Rank2Relu) {
  runBatchNorm({4, 17}, 1e-2f, Activation::Relu, 66);
}

void runTranspose(std::vector<int64_t> shape, std::vector<int64_t> perm,
                  unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::Transpose;
  spec.name = "transpose_test";
  spec.inputShapes = {shape};
  spec.perm = perm;
  std::vector<int64_t> out;
  for (int64_t p : perm)
    out.push_back(shape[p]);
  spec.outputShape = out;
  std::mt19937 rng(seed);
  Tensor x = randomTensor(shape, rng);
  Tensor want(out);
  for (size_t i = 0; i < want.numel(); ++i) {
    std::vector<int64_t> idx = unravel(i, out), src(shape.size());
    for (size_t k = 0; k < perm.size(); ++k)
      src[perm[k]] = idx[k];
    want.data[i] = x.at(src);
  }
  expectClose(runJit(spec, {x}), want);
}

TEST(HalideTranspose, Matrix) { runTranspose({5, 19}, {1, 0}, 67); }

TEST(HalideTranspose, Rank4) { runTranspose({2, 3, 4, 5}, {0, 2, 3, 1}, 68); }

TEST(HalideTranspose, RejectsBadPerm) {
  KernelSpec spec;
  spec.kind = KernelKind::Transpose;
  spec.name = "bad_transpose";
  spec.inputShapes = {{2, 3}};
  spec.outputShape = {3, 2};
  spec.perm = {1, 1};
  expectSpecError(spec, "not a permutation");
}

void runSlice(std::vector<int64_t> shape, std::vector<int64_t> starts,
              std::vector<int64_t> sizes, std::vector<int64_t> steps,
              unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::Slice;
  spec.name = "slice_test";
  spec.inputShapes = {shape};
  spec.outputShape = sizes;
  spec.sliceStarts = starts;
  spec.sliceSteps = steps;
  std::mt19937 rng(seed);
  Tensor x = randomTensor(shape, rng);
  Tensor want(sizes);
  for (size_t i = 0; i < want.numel(); ++i) {
    std::vector<int64_t> idx = unravel(i, sizes), src(shape.size());
    for (size_t d = 0; d < shape.size(); ++d)
      src[d] = starts[d] + idx[d] * steps[d];
    want.data[i] = x.at(src);
  }
  expectClose(runJit(spec, {x}), want);
}

// Split's form: a channel range of NCHW, every pixel (whole vectors).
TEST(HalideSlice, ChannelRange) {
  runSlice({1, 24, 7, 9}, {0, 8, 0, 0}, {1, 12, 7, 9}, {1, 1, 1, 1}, 69);
}

// Strided and reversed reads in every dim, the innermost included.
TEST(HalideSlice, StepsBothWays) {
  runSlice({2, 6, 11, 37}, {1, 5, 2, 36}, {1, 3, 3, 12}, {1, -2, 3, -3}, 70);
}

TEST(HalideSlice, Rank1And2) {
  runSlice({40}, {39}, {20}, {-2}, 71);
  runSlice({5, 19}, {4, 2}, {5, 17}, {-1, 1}, 72);
}

TEST(HalideSlice, RejectsReadsOutsideTheInput) {
  KernelSpec spec;
  spec.kind = KernelKind::Slice;
  spec.name = "bad_slice";
  spec.inputShapes = {{2, 6}};
  spec.outputShape = {2, 3};
  spec.sliceStarts = {0, 2};
  spec.sliceSteps = {1, 2}; // reads 2, 4, 6: past the end
  expectSpecError(spec, "does not fit input");
  spec.sliceSteps = {1, 0};
  expectSpecError(spec, "does not fit input");
  spec.sliceSteps = {1, int64_t(1) << 40}; // beyond Halide's int32 indices
  spec.outputShape = {2, 1};
  expectSpecError(spec, "does not fit input");
  spec.sliceSteps = {1};
  expectSpecError(spec, "needs 2 starts and steps");
}

} // namespace
} // namespace kiln::test
