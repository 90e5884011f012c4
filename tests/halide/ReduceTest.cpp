//===- ReduceTest.cpp - Reduce kernels against a naive reference ----------===//

#include "tests/halide/TestUtil.h"

#include <algorithm>
#include <limits>

namespace kiln::test {
namespace {

/// Row-major strides of `shape`.
std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;)
    strides[d - 1] = strides[d] * shape[d];
  return strides;
}

/// Every input element folded into the output element its kept dims name,
/// in double, then the mean's division: the ONNX definition walked
/// element by element.
Tensor referenceReduce(const Tensor &x, ReduceKind kind,
                       const std::vector<int64_t> &axes, bool keepdims,
                       const std::vector<int64_t> &outShape) {
  size_t rank = x.shape.size();
  std::vector<bool> reduced(rank, false);
  int64_t count = 1;
  for (int64_t a : axes) {
    reduced[a] = true;
    count *= x.shape[a];
  }
  // The output as if keepdims (same element order either way).
  std::vector<int64_t> kept = x.shape;
  for (int64_t a : axes)
    kept[a] = 1;
  std::vector<int64_t> inStrides = stridesOf(x.shape),
                       keptStrides = stridesOf(kept);
  int64_t outCount = 1;
  for (int64_t d : kept)
    outCount *= d;
  double init = kind == ReduceKind::Max   ? -INFINITY
                : kind == ReduceKind::Min ? INFINITY
                                          : 0.0;
  std::vector<double> acc(outCount, init);
  for (int64_t i = 0; i < (int64_t)x.numel(); ++i) {
    int64_t o = 0;
    for (size_t d = 0; d < rank; ++d)
      if (!reduced[d])
        o += (i / inStrides[d]) % x.shape[d] * keptStrides[d];
    double v = x.data[i];
    if (kind == ReduceKind::Max)
      acc[o] = std::max(acc[o], v);
    else if (kind == ReduceKind::Min)
      acc[o] = std::min(acc[o], v);
    else
      acc[o] += v;
  }
  Tensor y(outShape);
  for (int64_t o = 0; o < outCount; ++o)
    y.data[o] = (float)(kind == ReduceKind::Mean ? acc[o] / count : acc[o]);
  (void)keepdims;
  return y;
}

void runReduce(std::vector<int64_t> shape, ReduceKind kind,
               std::vector<int64_t> axes, bool keepdims, unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::Reduce;
  spec.name = "reduce_test";
  spec.reduce = kind;
  spec.axes = axes;
  spec.keepdims = keepdims;
  spec.inputShapes = {shape};
  for (size_t d = 0; d < shape.size(); ++d) {
    bool r = std::find(axes.begin(), axes.end(), (int64_t)d) != axes.end();
    if (!r || keepdims)
      spec.outputShape.push_back(r ? 1 : shape[d]);
  }
  std::mt19937 rng(seed);
  Tensor x = randomTensor(shape, rng, -4.0f, 4.0f);
  expectClose(runJit(spec, {x}),
              referenceReduce(x, kind, axes, keepdims, spec.outputShape));
}

TEST(HalideReduce, MeanOverSpatialKeepdims) {
  runReduce({2, 5, 7, 9}, ReduceKind::Mean, {2, 3}, true, 1);
}

TEST(HalideReduce, MaxOverChannelsKeepdims) {
  // CBAM's spatial attention: the max over channels of each pixel.
  runReduce({1, 24, 6, 11}, ReduceKind::Max, {1}, true, 2);
}

TEST(HalideReduce, MinInnermostDropped) {
  runReduce({3, 4, 37}, ReduceKind::Min, {2}, false, 3);
}

TEST(HalideReduce, SumOuterAndInnerDropped) {
  runReduce({3, 2, 5, 17}, ReduceKind::Sum, {0, 3}, false, 4);
}

TEST(HalideReduce, MeanRank5MiddleAxes) {
  runReduce({2, 3, 4, 5, 6}, ReduceKind::Mean, {1, 2, 3}, false, 5);
}

TEST(HalideReduce, SumEveryAxisKeepdims) {
  runReduce({4, 33}, ReduceKind::Sum, {0, 1}, true, 6);
}

TEST(HalideReduce, RejectsBadAxesAndShapes) {
  KernelSpec spec;
  spec.kind = KernelKind::Reduce;
  spec.name = "reduce_bad";
  spec.reduce = ReduceKind::Sum;
  spec.inputShapes = {{2, 3}};
  spec.outputShape = {2, 1};
  spec.axes = {};
  expectSpecError(spec, "at least one axis");
  for (std::vector<int64_t> axes : {std::vector<int64_t>{2}, {1, 1}, {1, 0}}) {
    spec.axes = axes;
    expectSpecError(spec, "must be increasing dims of input [2,3]");
  }
  spec.axes = {1};
  spec.outputShape = {2};
  expectSpecError(spec, "output");
}

} // namespace
} // namespace kiln::test
