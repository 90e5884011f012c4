//===- ElementwiseTest.cpp - Add, Mul, PRelu, ChannelAffine, Activation ---===//

#include "tests/halide/TestUtil.h"

#include <algorithm>

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

void runBinary(KernelKind kind, std::vector<int64_t> a, std::vector<int64_t> b,
               std::vector<int64_t> out, Activation act, unsigned seed) {
  KernelSpec spec;
  spec.kind = kind;
  spec.name = "binary_test";
  spec.inputShapes = {a, b};
  spec.outputShape = out;
  spec.activation = act;
  std::mt19937 rng(seed);
  Tensor ta = randomTensor(a, rng), tb = randomTensor(b, rng);
  Tensor want(out);
  for (size_t i = 0; i < want.numel(); ++i) {
    std::vector<int64_t> idx = unravel(i, out);
    float x = broadcastAt(ta, idx), y = broadcastAt(tb, idx);
    float v = kind == KernelKind::Mul     ? x * y
              : kind == KernelKind::PRelu ? (x < 0 ? y * x : x) // y: slope
                                          : x + y;
    want.data[i] = applyAct(spec, v);
  }
  expectClose(runJit(spec, {ta, tb}), want);
}

void runAdd(std::vector<int64_t> a, std::vector<int64_t> b,
            std::vector<int64_t> out, Activation act, unsigned seed) {
  runBinary(KernelKind::Add, a, b, out, act, seed);
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

TEST(HalideAdd, HardSwishEpilogue) {
  runAdd({1, 8, 6, 20}, {8, 1, 1}, {1, 8, 6, 20}, Activation::HardSwish, 50);
}

TEST(HalidePRelu, SlopePerChannel) {
  // PyTorch's export: one slope per channel, shaped [C, 1, 1].
  runBinary(KernelKind::PRelu, {2, 8, 5, 7}, {8, 1, 1}, {2, 8, 5, 7},
            Activation::None, 45);
}

TEST(HalidePRelu, SlopeScalarTrailingAndFull) {
  runBinary(KernelKind::PRelu, {3, 11}, {1}, {3, 11}, Activation::None, 46);
  runBinary(KernelKind::PRelu, {3, 11}, {11}, {3, 11}, Activation::None, 47);
  runBinary(KernelKind::PRelu, {2, 3, 4}, {2, 3, 4}, {2, 3, 4},
            Activation::None, 48);
}

TEST(HalideMul, EqualShapes) {
  runBinary(KernelKind::Mul, {2, 3, 5, 7}, {2, 3, 5, 7}, {2, 3, 5, 7},
            Activation::None, 51);
}

TEST(HalideMul, BroadcastTrailingVector) {
  // ONNX test_mul_bcast: [3,4,5] * [5].
  runBinary(KernelKind::Mul, {3, 4, 5}, {5}, {3, 4, 5}, Activation::None, 52);
}

TEST(HalideMul, BroadcastBothSidesSigmoid) {
  runBinary(KernelKind::Mul, {3, 1}, {2, 1, 4}, {2, 3, 4}, Activation::Sigmoid,
            53);
}

TEST(HalideMul, ScalarTimesMatrix) {
  runBinary(KernelKind::Mul, {1}, {17, 9}, {17, 9}, Activation::None, 54);
}

TEST(HalideMul, RejectsNonBroadcastableShapes) {
  KernelSpec spec;
  spec.kind = KernelKind::Mul;
  spec.name = "bad_mul";
  spec.inputShapes = {{4, 3}, {4, 2}};
  spec.outputShape = {4, 3};
  expectSpecError(spec, "broadcast");
}

TEST(HalideAdd, RejectsNonBroadcastableShapes) {
  KernelSpec spec;
  spec.kind = KernelKind::Add;
  spec.name = "bad_add";
  spec.inputShapes = {{1, 3, 4, 4}, {1, 2, 4, 4}};
  spec.outputShape = {1, 3, 4, 4};
  expectSpecError(spec, "broadcast");
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

void runParamActivation(std::vector<int64_t> shape, Activation act, float alpha,
                        float beta, unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::Activation;
  spec.name = "act_test";
  spec.inputShapes = {shape};
  spec.outputShape = shape;
  spec.activation = act;
  spec.actAlpha = alpha;
  spec.actBeta = beta;
  std::mt19937 rng(seed);
  Tensor x = randomTensor(shape, rng, -8.0f, 8.0f);
  Tensor want(shape);
  for (size_t i = 0; i < want.numel(); ++i) {
    float v = x.data[i];
    // Written out from the ONNX definitions (not via applyAct).
    switch (act) {
    case Activation::Sigmoid:
      want.data[i] = 1.0f / (1.0f + std::exp(-v));
      break;
    case Activation::HardSigmoid:
      want.data[i] = std::max(0.0f, std::min(1.0f, alpha * v + beta));
      break;
    case Activation::HardSwish:
      want.data[i] = v * std::max(0.0f, std::min(1.0f, v / 6.0f + 0.5f));
      break;
    case Activation::LeakyRelu:
      want.data[i] = v < 0 ? alpha * v : v;
      break;
    case Activation::Silu:
      want.data[i] = v / (1.0f + std::exp(-v));
      break;
    case Activation::Tanh:
      want.data[i] = std::tanh(v);
      break;
    case Activation::Softplus:
      want.data[i] = std::log(1.0f + std::exp(v));
      break;
    case Activation::Mish:
      want.data[i] = v * std::tanh(std::log(1.0f + std::exp(v)));
      break;
    case Activation::Elu:
      want.data[i] = v < 0 ? alpha * (std::exp(v) - 1.0f) : v;
      break;
    case Activation::Selu:
      want.data[i] = beta * (v <= 0 ? alpha * (std::exp(v) - 1.0f) : v);
      break;
    default:
      FAIL() << "not a parameterized activation";
    }
  }
  expectClose(runJit(spec, {x}), want);
}

TEST(HalideActivation, Sigmoid) {
  runParamActivation({2, 3, 7, 9}, Activation::Sigmoid, 0, 0, 55);
}

TEST(HalideActivation, HardSigmoidDefaults) {
  runParamActivation({3, 4, 5}, Activation::HardSigmoid, 0.2f, 0.5f, 56);
}

TEST(HalideActivation, HardSigmoidCustom) {
  runParamActivation({31}, Activation::HardSigmoid, 0.5f, 0.6f, 57);
}

TEST(HalideActivation, HardSwish) {
  runParamActivation({1, 16, 5, 13}, Activation::HardSwish, 0, 0, 58);
}

TEST(HalideActivation, LeakyReluDefaultAlpha) {
  runParamActivation({2, 8, 5, 7}, Activation::LeakyRelu, 0.01f, 0, 59);
}

TEST(HalideActivation, SiluTanhSoftplusMish) {
  runParamActivation({2, 3, 7, 9}, Activation::Silu, 0, 0, 62);
  runParamActivation({1, 16, 5, 13}, Activation::Tanh, 0, 0, 63);
  runParamActivation({3, 4, 5}, Activation::Softplus, 0, 0, 64);
  runParamActivation({37}, Activation::Mish, 0, 0, 65);
}

TEST(HalideActivation, EluAndSelu) {
  runParamActivation({2, 8, 5, 7}, Activation::Elu, 1.0f, 0, 66);
  runParamActivation({31}, Activation::Elu, 0.3f, 0, 67);
  // ONNX's defaults.
  runParamActivation({3, 11}, Activation::Selu, 1.67326319f, 1.05070102f, 68);
}

// Past where exp overflows float (|x| > 88.7): softplus and mish must stay
// x (not inf or NaN), silu x or -0, tanh +-1.
TEST(HalideActivation, LargeInputsStayFinite) {
  for (Activation act : {Activation::Silu, Activation::Tanh,
                         Activation::Softplus, Activation::Mish}) {
    KernelSpec spec;
    spec.kind = KernelKind::Activation;
    spec.name = "act_large";
    spec.inputShapes = {{4}};
    spec.outputShape = {4};
    spec.activation = act;
    Tensor x({4});
    x.data = {-200.0f, -95.0f, 95.0f, 200.0f};
    Tensor got = runJit(spec, {x});
    ASSERT_EQ(got.data.size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
      float v = x.data[i];
      float want = act == Activation::Tanh ? (v < 0 ? -1.0f : 1.0f)
                   : v < 0                 ? 0.0f
                                           : v;
      EXPECT_NEAR(got.data[i], want, 1e-4f * std::fabs(want) + 1e-4f)
          << activationName(act) << "(" << v << ")";
    }
  }
}

TEST(HalideActivation, LeakyReluAlphaAboveOneAndNegative) {
  // Not max(x, alpha x): that is another function when alpha > 1 or < 0.
  runParamActivation({37}, Activation::LeakyRelu, 1.5f, 0, 60);
  runParamActivation({3, 11}, Activation::LeakyRelu, -0.5f, 0, 61);
}

} // namespace
} // namespace kiln::test
