//===- PadTest.cpp - Constant padding against a naive reference -----------===//

#include "tests/halide/TestUtil.h"

#include <limits>

namespace kiln::test {
namespace {

KernelSpec padSpec(const std::vector<int64_t> &in,
                   const std::vector<int64_t> &pads, float value,
                   PadMode mode = PadMode::Constant) {
  KernelSpec spec;
  spec.kind = KernelKind::Pad;
  spec.name = "pad_test";
  spec.pads = pads;
  spec.padValue = value;
  spec.padMode = mode;
  spec.inputShapes = {in};
  size_t rank = in.size();
  for (size_t d = 0; d < rank; ++d)
    spec.outputShape.push_back(in[d] + pads[d] + pads[rank + d]);
  return spec;
}

/// The input index ONNX's edge / reflect / wrap mode reads for index i of a
/// dimension of n cells, stepped the way numpy.pad (the ONNX reference)
/// describes it, not by the kernel's closed forms: reflect bounces i off
/// the end cells until it lands inside, wrap shifts it by n.
int64_t referenceSourceIndex(int64_t i, int64_t n, PadMode mode) {
  switch (mode) {
  case PadMode::Constant:
  case PadMode::Edge:
    return std::min(std::max(i, int64_t(0)), n - 1);
  case PadMode::Wrap:
    while (i < 0)
      i += n;
    while (i >= n)
      i -= n;
    return i;
  case PadMode::Reflect:
    if (n == 1)
      return 0;
    while (i < 0 || i >= n)
      i = i < 0 ? -i : 2 * (n - 1) - i;
    return i;
  }
  return 0;
}

/// y[i] = x[i - begin] inside x, else value or the cell the mode names; by
/// unravelling every output index, independent of the kernel's Halide
/// indexing.
Tensor referencePad(const Tensor &x, const KernelSpec &spec) {
  Tensor y(spec.outputShape);
  size_t rank = x.shape.size();
  for (size_t flat = 0; flat < y.numel(); ++flat) {
    std::vector<int64_t> idx = unravel(flat, y.shape);
    bool inside = true;
    for (size_t d = 0; d < rank; ++d) {
      idx[d] -= spec.pads[d];
      inside &= idx[d] >= 0 && idx[d] < x.shape[d];
      idx[d] = referenceSourceIndex(idx[d], x.shape[d], spec.padMode);
    }
    y.data[flat] = inside || spec.padMode != PadMode::Constant
                       ? x.at(idx)
                       : spec.padValue;
  }
  return y;
}

void checkPad(const std::vector<int64_t> &in, const std::vector<int64_t> &pads,
              float value, PadMode mode = PadMode::Constant) {
  std::mt19937 rng(7);
  KernelSpec spec = padSpec(in, pads, value, mode);
  Tensor x = randomTensor(in, rng);
  Tensor got = runJit(spec, {x});
  Tensor want = referencePad(x, spec);
  ASSERT_EQ(got.shape, want.shape);
  // Exact: a pad copies values. (expectClose would treat inf == inf as a
  // miss, since inf - inf is NaN.)
  int bad = 0;
  for (size_t i = 0; i < want.data.size(); ++i)
    if (!(got.data[i] == want.data[i]) && bad++ < 5)
      ADD_FAILURE() << "element " << i << ": got " << got.data[i] << ", want "
                    << want.data[i];
  EXPECT_EQ(bad, 0) << "of " << want.data.size() << " elements";
}

TEST(HalidePad, SpatialZeroNchw) {
  checkPad({1, 3, 7, 9}, {0, 0, 1, 2, 0, 0, 3, 0}, 0.0f);
}

TEST(HalidePad, NonZeroValueEveryDim) {
  checkPad({2, 3, 5, 4}, {1, 2, 0, 1, 0, 1, 2, 3}, 1.5f);
}

TEST(HalidePad, MinusInfinity) {
  checkPad({1, 4, 6, 6}, {0, 0, 1, 1, 0, 0, 1, 1},
           -std::numeric_limits<float>::infinity());
}

TEST(HalidePad, Rank1) { checkPad({17}, {3, 5}, -2.0f); }

TEST(HalidePad, Rank2) { checkPad({5, 33}, {2, 0, 1, 7}, 0.25f); }

TEST(HalidePad, Rank3) { checkPad({3, 4, 5}, {0, 1, 2, 1, 0, 3}, -1.0f); }

TEST(HalidePad, Rank5) {
  checkPad({1, 2, 3, 4, 5}, {0, 1, 1, 0, 2, 0, 0, 1, 2, 1}, 3.0f);
}

TEST(HalidePad, NoPadding) {
  checkPad({1, 8, 4, 4}, std::vector<int64_t>(8, 0), 9.0f);
}

TEST(HalidePad, ReferenceModesMatchOnnxExamples) {
  // The reference itself, against ONNX Pad's documented example rows
  // ([a b c] = [0 1 2] padded by 2 on each side).
  std::vector<int64_t> edge, reflect, wrap;
  for (int64_t i = -2; i < 5; ++i) {
    edge.push_back(referenceSourceIndex(i, 3, PadMode::Edge));
    reflect.push_back(referenceSourceIndex(i, 3, PadMode::Reflect));
    wrap.push_back(referenceSourceIndex(i, 3, PadMode::Wrap));
  }
  EXPECT_EQ(edge, (std::vector<int64_t>{0, 0, 0, 1, 2, 2, 2}));
  EXPECT_EQ(reflect, (std::vector<int64_t>{2, 1, 0, 1, 2, 1, 0}));
  EXPECT_EQ(wrap, (std::vector<int64_t>{1, 2, 0, 1, 2, 0, 1}));
}

TEST(HalidePad, EdgeNchw) {
  checkPad({1, 3, 7, 9}, {0, 0, 1, 2, 0, 0, 3, 0}, 0.0f, PadMode::Edge);
}

TEST(HalidePad, EdgeEveryDimWiderThanInput) {
  checkPad({2, 3, 2, 4}, {1, 2, 5, 1, 3, 1, 4, 6}, 5.0f, PadMode::Edge);
}

TEST(HalidePad, ReflectNchw) {
  checkPad({1, 4, 6, 5}, {0, 0, 2, 3, 0, 0, 1, 4}, 0.0f, PadMode::Reflect);
}

TEST(HalidePad, ReflectWiderThanInputKeepsBouncing) {
  // Pads of 7 and 9 on 3 and 4 cells cross the input several times (the
  // ONNX reference's answer; onnxruntime refuses pads above n - 1).
  checkPad({1, 2, 3, 4}, {0, 0, 7, 2, 0, 0, 1, 9}, 0.0f, PadMode::Reflect);
}

TEST(HalidePad, ReflectOfOneCellRepeatsIt) {
  checkPad({2, 1, 3}, {0, 2, 1, 1, 3, 1}, 0.0f, PadMode::Reflect);
}

TEST(HalidePad, WrapRank2) {
  checkPad({5, 33}, {2, 0, 1, 7}, 0.0f, PadMode::Wrap);
}

TEST(HalidePad, WrapWiderThanInput) {
  checkPad({1, 3, 4, 2}, {0, 4, 9, 5, 0, 2, 1, 6}, 0.0f, PadMode::Wrap);
}

TEST(HalidePad, ModesRank1AndRank5) {
  for (PadMode mode : {PadMode::Edge, PadMode::Reflect, PadMode::Wrap}) {
    SCOPED_TRACE(padModeName(mode));
    checkPad({17}, {3, 5}, 0.0f, mode);
    checkPad({1, 2, 3, 4, 5}, {0, 1, 1, 0, 2, 0, 0, 1, 2, 1}, 0.0f, mode);
  }
}

TEST(HalidePad, RejectsWrongPadCount) {
  KernelSpec spec = padSpec({1, 2, 3, 3}, {0, 0, 1, 1, 0, 0, 1, 1}, 0.0f);
  spec.pads = {1, 1, 1, 1};
  expectSpecError(spec, "needs 8 values");
}

TEST(HalidePad, RejectsWrongOutputShape) {
  KernelSpec spec = padSpec({1, 2, 3, 3}, {0, 0, 1, 1, 0, 0, 1, 1}, 0.0f);
  spec.outputShape = {1, 2, 5, 6};
  expectSpecError(spec, "output shape");
}

TEST(HalidePad, RejectsNegativePads) {
  KernelSpec spec = padSpec({4, 4}, {0, 0, 0, 0}, 0.0f);
  spec.pads = {-1, 0, 1, 0};
  expectSpecError(spec, "negative");
}

TEST(KernelSpecPad, TextRoundTripKeepsValue) {
  for (float value : {0.0f, -0.5f, std::numeric_limits<float>::infinity(),
                      -std::numeric_limits<float>::infinity()}) {
    KernelSpec spec = padSpec({1, 2, 3, 3}, {0, 1, 1, 1, 0, 0, 1, 1}, value);
    std::string text = spec.serialize();
    EXPECT_NE(text.find("kind=Pad\n"), std::string::npos) << text;
    EXPECT_NE(text.find("pad_value="), std::string::npos) << text;
    KernelSpec back;
    std::string error;
    ASSERT_TRUE(KernelSpec::parse(text, back, error)) << error;
    EXPECT_EQ(back.kind, KernelKind::Pad);
    EXPECT_EQ(back.pads, spec.pads);
    EXPECT_EQ(back.padValue, value);
    EXPECT_EQ(back.serialize(), text);
  }
  // Other kinds do not carry the key, so their text (the cache key) is
  // unchanged.
  KernelSpec relu;
  relu.kind = KernelKind::Activation;
  relu.name = "relu";
  EXPECT_EQ(relu.serialize().find("pad_value"), std::string::npos);
}

TEST(KernelSpecPad, TextRoundTripKeepsMode) {
  // A constant pad's text has no mode key (its cache key predates modes);
  // the others name theirs and read back.
  KernelSpec constant = padSpec({1, 2, 3, 3}, {0, 1, 1, 1, 0, 0, 1, 1}, 0.0f);
  EXPECT_EQ(constant.serialize().find("pad_mode"), std::string::npos);
  for (PadMode mode : {PadMode::Edge, PadMode::Reflect, PadMode::Wrap}) {
    KernelSpec spec =
        padSpec({1, 2, 3, 3}, {0, 1, 1, 1, 0, 0, 1, 1}, 0.0f, mode);
    std::string text = spec.serialize();
    EXPECT_NE(text.find(std::string("pad_mode=") + padModeName(mode) + "\n"),
              std::string::npos)
        << text;
    KernelSpec back;
    std::string error;
    ASSERT_TRUE(KernelSpec::parse(text, back, error)) << error;
    EXPECT_EQ(back.padMode, mode);
    EXPECT_EQ(back.serialize(), text);
  }
  KernelSpec back;
  std::string error;
  EXPECT_FALSE(KernelSpec::parse("kind=Pad\npad_mode=mirror\n", back, error));
  EXPECT_NE(error.find("bad value for 'pad_mode'"), std::string::npos)
      << error;
}

} // namespace
} // namespace kiln::test
