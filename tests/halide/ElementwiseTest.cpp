//===- ElementwiseTest.cpp - Add, ChannelAffine, Activation kernels -------===//

#include "tests/halide/TestUtil.h"

namespace kiln::test {
namespace {

/// numpy broadcasting: right-align `shape` to `out`, size-1 dims read 0.
float broadcastAt(const Tensor &t, const std::vector<int64_t> &outIdx) {
  std::vector<int64_t> idx(t.shape.size());
  size_t lead = outIdx.size() - t.shape.size();
  for (size_t i = 0; i < t.shape.size(); ++i)
    idx[i] = t.shape[i] == 1 ? 0 : outIdx[lead + i];
  return t.at(idx);
}

void runAdd(std::vector<int64_t> a, std::vector<int64_t> b,
            std::vector<int64_t> out, Activation act, unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::Add;
  spec.name = "add_test";
  spec.inputShapes = {a, b};
  spec.outputShape = out;
  spec.activation = act;
  std::mt19937 rng(seed);
  Tensor ta = randomTensor(a, rng), tb = randomTensor(b, rng);
  Tensor want(out);
  for (size_t i = 0; i < want.numel(); ++i) {
    std::vector<int64_t> idx = unravel(i, out);
    want.data[i] = applyAct(spec, broadcastAt(ta, idx) + broadcastAt(tb, idx));
  }
  expectClose(runJit(spec, {ta, tb}), want);
}

TEST(HalideAdd, EqualShapes) {
  runAdd({2, 3, 5, 7}, {2, 3, 5, 7}, {2, 3, 5, 7}, Activation::None, 41);
}

TEST(HalideAdd, EqualShapesRelu) {
  runAdd({1, 8, 6, 20}, {1, 8, 6, 20}, {1, 8, 6, 20}, Activation::Relu, 42);
}

TEST(HalideAdd, BroadcastChannelVector) {
  runAdd({1, 4, 1, 1}, {2, 4, 5, 6}, {2, 4, 5, 6}, Activation::None, 43);
}

TEST(HalideAdd, BroadcastLowerRankAndBothSides) {
  // [3,1] + [2,1,4] -> [2,3,4]: each input broadcasts along a different dim.
  runAdd({3, 1}, {2, 1, 4}, {2, 3, 4}, Activation::None, 44);
}

TEST(HalideAdd, RejectsNonBroadcastableShapes) {
  KernelSpec spec;
  spec.kind = KernelKind::Add;
  spec.name = "bad_add";
  spec.inputShapes = {{1, 3, 4, 4}, {1, 2, 4, 4}};
  spec.outputShape = {1, 3, 4, 4};
  BuiltPipeline built;
  std::string error;
  EXPECT_FALSE(buildPipeline(spec, Halide::get_host_target(), built, error));
  EXPECT_NE(error.find("broadcast"), std::string::npos) << error;
}

void runChannelAffine(std::vector<int64_t> shape, Activation act,
                      unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::ChannelAffine;
  spec.name = "affine_test";
  spec.inputShapes = {shape, {shape[1]}, {shape[1]}};
  spec.outputShape = shape;
  spec.activation = act;
  spec.clipMin = -0.5f;
  spec.clipMax = 0.5f;
  std::mt19937 rng(seed);
  std::vector<Tensor> in;
  for (const auto &s : spec.inputShapes)
    in.push_back(randomTensor(s, rng));
  Tensor want(shape);
  for (size_t i = 0; i < want.numel(); ++i) {
    int64_t c = unravel(i, shape)[1];
    want.data[i] =
        applyAct(spec, in[0].data[i] * in[1].data[c] + in[2].data[c]);
  }
  expectClose(runJit(spec, in), want);
}

TEST(HalideChannelAffine, Nchw) {
  runChannelAffine({2, 5, 6, 7}, Activation::None, 45);
}

TEST(HalideChannelAffine, ClipAndRank2) {
  runChannelAffine({3, 20}, Activation::Clip, 46);
}

void runActivation(std::vector<int64_t> shape, Activation act, float lo,
                   float hi, unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::Activation;
  spec.name = "act_test";
  spec.inputShapes = {shape};
  spec.outputShape = shape;
  spec.activation = act;
  spec.clipMin = lo;
  spec.clipMax = hi;
  std::mt19937 rng(seed);
  Tensor x = randomTensor(shape, rng, -8.0f, 8.0f);
  Tensor want(shape);
  for (size_t i = 0; i < want.numel(); ++i)
    want.data[i] = applyAct(spec, x.data[i]);
  expectClose(runJit(spec, {x}), want);
}

TEST(HalideActivation, Relu) {
  runActivation({1, 3, 9, 11}, Activation::Relu, 0, 0, 47);
}

TEST(HalideActivation, Clip0To6) {
  runActivation({2, 4, 5, 5}, Activation::Clip, 0, 6, 48);
}

TEST(HalideActivation, Rank1) {
  runActivation({100}, Activation::Relu, 0, 0, 49);
}

} // namespace
} // namespace kiln::test
