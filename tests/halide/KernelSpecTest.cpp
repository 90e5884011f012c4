//===- KernelSpecTest.cpp - Text form of kernel specs ---------------------===//

#include "compiler/kernels/KernelSpec.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

KernelSpec sampleConv() {
  KernelSpec s;
  s.kind = KernelKind::Conv2D;
  s.name = "conv_7";
  s.inputShapes = {{1, 32, 56, 56}, {32, 1, 3, 3}, {32}, {1, 32, 28, 28}};
  s.outputShape = {1, 32, 28, 28};
  s.kernel = {3, 3};
  s.strides = {2, 2};
  s.pads = {0, 1, 1, 0};
  s.dilations = {1, 1};
  s.groups = 32;
  s.hasBias = true;
  s.hasResidual = true;
  s.activation = Activation::Clip;
  s.clipMin = 0.0f;
  s.clipMax = 6.0f;
  return s;
}

void expectSameSpec(const KernelSpec &a, const KernelSpec &b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.inputShapes, b.inputShapes);
  EXPECT_EQ(a.outputShape, b.outputShape);
  EXPECT_EQ(a.kernel, b.kernel);
  EXPECT_EQ(a.strides, b.strides);
  EXPECT_EQ(a.pads, b.pads);
  EXPECT_EQ(a.dilations, b.dilations);
  EXPECT_EQ(a.groups, b.groups);
  EXPECT_EQ(a.countIncludePad, b.countIncludePad);
  EXPECT_EQ(a.hasBias, b.hasBias);
  EXPECT_EQ(a.hasResidual, b.hasResidual);
  EXPECT_EQ(a.activation, b.activation);
  EXPECT_EQ(a.clipMin, b.clipMin);
  EXPECT_EQ(a.clipMax, b.clipMax);
  EXPECT_EQ(a.axis, b.axis);
  EXPECT_EQ(a.actAlpha, b.actAlpha);
  EXPECT_EQ(a.actBeta, b.actBeta);
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.alpha, b.alpha);
  EXPECT_EQ(a.beta, b.beta);
  EXPECT_EQ(a.bias, b.bias);
  EXPECT_EQ(a.epsilon, b.epsilon);
  EXPECT_EQ(a.perm, b.perm);
  EXPECT_EQ(a.sliceStarts, b.sliceStarts);
  EXPECT_EQ(a.sliceSteps, b.sliceSteps);
  EXPECT_EQ(a.reduce, b.reduce);
  EXPECT_EQ(a.axes, b.axes);
  EXPECT_EQ(a.keepdims, b.keepdims);
  EXPECT_EQ(a.resizeMode, b.resizeMode);
  EXPECT_EQ(a.coordMode, b.coordMode);
  EXPECT_EQ(a.nearestMode, b.nearestMode);
  EXPECT_EQ(a.resizeScales, b.resizeScales);
  EXPECT_EQ(a.cubicCoeffA, b.cubicCoeffA);
  EXPECT_EQ(a.excludeOutside, b.excludeOutside);
  EXPECT_EQ(a.weightBlock, b.weightBlock);
  EXPECT_EQ(a.winogradTile, b.winogradTile);
  EXPECT_EQ(a.blockedInputs, b.blockedInputs);
  EXPECT_EQ(a.blockedOutput, b.blockedOutput);
}

TEST(KernelSpecText, RoundTrip) {
  KernelSpec s = sampleConv();
  s.clipMax = 6.1f; // Not exact in decimal: must still round-trip.
  std::string text = s.serialize();
  KernelSpec back;
  std::string error;
  ASSERT_TRUE(KernelSpec::parse(text, back, error)) << error;
  expectSameSpec(s, back);
  EXPECT_EQ(back.serialize(), text);
}

TEST(KernelSpecText, PackedConvWeightsRoundTrip) {
  // weight_block is part of the text (the cache key) only when set.
  KernelSpec s = sampleConv();
  s.groups = 1;
  s.inputShapes[1] = {4, 32, 3, 3, 8};
  s.weightBlock = 8;
  std::string text = s.serialize();
  EXPECT_NE(text.find("\nweight_block=8\n"), std::string::npos) << text;
  KernelSpec back;
  std::string error;
  ASSERT_TRUE(KernelSpec::parse(text, back, error)) << error;
  expectSameSpec(s, back);
  EXPECT_EQ(sampleConv().serialize().find("weight_block"), std::string::npos);
  EXPECT_FALSE(KernelSpec::parse("kind=Conv2D\nname=c\ninputs=[1]\n"
                                 "output=[1]\nweight_block=-8\n",
                                 back, error));
}

TEST(KernelSpecText, ChannelBlockedArgumentsRoundTrip) {
  // blocked_inputs / blocked_output are part of the text (the cache key)
  // only when set.
  KernelSpec s = sampleConv();
  s.groups = 1;
  s.inputShapes[1] = {2, 32, 3, 3, 16};
  s.weightBlock = 16;
  s.blockedInputs = 9;
  s.blockedOutput = true;
  std::string text = s.serialize();
  EXPECT_NE(text.find("\nblocked_inputs=9\nblocked_output=1\n"),
            std::string::npos)
      << text;
  KernelSpec back;
  std::string error;
  ASSERT_TRUE(KernelSpec::parse(text, back, error)) << error;
  EXPECT_EQ(back.blockedInputs, 9u);
  EXPECT_TRUE(back.blockedOutput);
  EXPECT_TRUE(back.inputBlocked(0) && back.inputBlocked(3));
  EXPECT_FALSE(back.inputBlocked(1));
  EXPECT_EQ(back.serialize(), text);
  EXPECT_EQ(sampleConv().serialize().find("blocked"), std::string::npos);
  EXPECT_FALSE(KernelSpec::parse("kind=Conv2D\nname=c\ninputs=[1]\n"
                                 "output=[1]\nblocked_inputs=-1\n",
                                 back, error));
}

TEST(KernelSpecText, ResidualInPlaceRoundTrip) {
  // residual_in_place is part of the text (the cache key) only when set.
  KernelSpec s = sampleConv();
  s.hasResidual = true;
  s.residualInPlace = true;
  std::string text = s.serialize();
  EXPECT_NE(text.find("\nhas_residual=1\nresidual_in_place=1\n"),
            std::string::npos)
      << text;
  KernelSpec back;
  std::string error;
  ASSERT_TRUE(KernelSpec::parse(text, back, error)) << error;
  EXPECT_TRUE(back.residualInPlace);
  EXPECT_EQ(back.serialize(), text);
  EXPECT_EQ(sampleConv().serialize().find("in_place"), std::string::npos);
  EXPECT_FALSE(KernelSpec::parse("kind=Conv2D\nname=c\ninputs=[1]\n"
                                 "output=[1]\nresidual_in_place=2\n",
                                 back, error));
}

TEST(KernelSpecText, ZeroSkipPointwiseRoundTrip) {
  // zero_skip_pointwise is part of the text (the cache key) only when set.
  KernelSpec s = sampleConv();
  s.kind = KernelKind::SeparableConv2D;
  s.zeroSkipPointwise = true;
  std::string text = s.serialize();
  EXPECT_NE(text.find("\nzero_skip_pointwise=1\n"), std::string::npos) << text;
  KernelSpec back;
  std::string error;
  ASSERT_TRUE(KernelSpec::parse(text, back, error)) << error;
  EXPECT_TRUE(back.zeroSkipPointwise);
  EXPECT_EQ(back.serialize(), text);
  EXPECT_EQ(sampleConv().serialize().find("zero_skip"), std::string::npos);
  EXPECT_FALSE(KernelSpec::parse("kind=SeparableConv2D\nname=c\ninputs=[1]\n"
                                 "output=[1]\nzero_skip_pointwise=2\n",
                                 back, error));
}

TEST(KernelSpecText, WinogradTileRoundTrip) {
  // winograd_tile is part of the text (the cache key) only when set, and
  // only F(2x2), F(3x3) and F(4x4) parse.
  KernelSpec s = sampleConv();
  s.groups = 1;
  s.inputShapes[1] = {36, 1, 32, 16};
  s.weightBlock = 16;
  s.winogradTile = 4;
  std::string text = s.serialize();
  EXPECT_NE(text.find("\nwinograd_tile=4\n"), std::string::npos) << text;
  KernelSpec back;
  std::string error;
  ASSERT_TRUE(KernelSpec::parse(text, back, error)) << error;
  expectSameSpec(s, back);
  EXPECT_EQ(sampleConv().serialize().find("winograd"), std::string::npos);
  for (const char *bad : {"1", "5", "6"})
    EXPECT_FALSE(KernelSpec::parse(std::string("kind=Conv2D\nname=c\ninputs="
                                               "[1]\noutput=[1]\nwinograd_"
                                               "tile=") +
                                       bad + "\n",
                                   back, error))
        << bad;
  s.inputShapes[1] = {25, 1, 32, 16};
  s.winogradTile = 3;
  ASSERT_TRUE(KernelSpec::parse(s.serialize(), back, error)) << error;
  expectSameSpec(s, back);
}

TEST(KernelSpecText, FixedTextForm) {
  KernelSpec s;
  s.kind = KernelKind::Softmax;
  s.name = "sm";
  s.inputShapes = {{1, 10}};
  s.outputShape = {1, 10};
  EXPECT_EQ(s.serialize(), "kind=Softmax\nname=sm\ninputs=[1,10]\n"
                           "output=[1,10]\nkernel=[1,1]\nstrides=[1,1]\n"
                           "pads=[0,0,0,0]\ndilations=[1,1]\ngroups=1\n"
                           "count_include_pad=0\nhas_bias=0\nhas_residual=0\n"
                           "activation=none\nclip_min=0\nclip_max=0\naxis=1\n"
                           "act_alpha=0\nact_beta=0\nsize=0\nalpha=0\nbeta=0\n"
                           "bias=0\nepsilon=0\nperm=[]\n");
}

TEST(KernelSpecText, ManySpecsRoundTrip) {
  KernelSpec a = sampleConv();
  KernelSpec b;
  b.kind = KernelKind::Concat;
  b.name = "cat";
  b.inputShapes = {{1, 2, 3, 3}, {1, 4, 3, 3}, {1, 1, 3, 3}};
  b.outputShape = {1, 7, 3, 3};
  b.axis = 1;
  KernelSpec c;
  c.kind = KernelKind::AvgPool2D;
  c.name = "pool";
  c.inputShapes = {{1, 8, 7, 7}};
  c.outputShape = {1, 8, 4, 4};
  c.countIncludePad = true;
  std::vector<KernelSpec> specs{a, b, c}, back;
  std::string error;
  ASSERT_TRUE(parseSpecs(serializeSpecs(specs), back, error)) << error;
  ASSERT_EQ(back.size(), 3u);
  for (size_t i = 0; i < 3; ++i)
    expectSameSpec(specs[i], back[i]);
}

TEST(KernelSpecText, MalformedNamesTheLine) {
  std::string text = sampleConv().serialize();
  // Break the 4th line (output=...).
  size_t pos = text.find("output=");
  text.replace(pos, 7, "output=[1,x]\nignored=");
  KernelSpec back;
  std::string error;
  EXPECT_FALSE(KernelSpec::parse(text, back, error));
  EXPECT_NE(error.find("line 4"), std::string::npos) << error;
  EXPECT_NE(error.find("output"), std::string::npos) << error;
}

TEST(KernelSpecText, RejectsBadInput) {
  const char *bad[] = {
      "kind=Conv3D\nname=a\ninputs=[1]\noutput=[1]\n",      // Unknown kind.
      "kind=Add\nname=a\ninputs=[1]\noutput=[1]\nfoo=1\n",  // Unknown key.
      "kind=Add\nname=a\nname=b\ninputs=[1]\noutput=[1]\n", // Repeated key.
      "kind=Add\nname=a\ninputs=[1]\n",                     // Missing output.
      "kind=Add\nname=a\ninputs=[1],[2\noutput=[1]\n",      // Unclosed list.
      "kind=Add\nname=a\ninputs=[1]\noutput=[1,]\n",        // Empty item.
      "kind=Add\nname=a\ninputs=[1]\noutput=[1]\nhas_bias=yes\n",
      "kind=Add\nname=a\ninputs=[1]\noutput=[1]\nclip_max=6x\n",
      "kind=Add\nname=a\ninputs=[1]\noutput=[1]\nactivation=gelu\n",
      "just some words\n",
  };
  for (const char *text : bad) {
    KernelSpec s;
    std::string error;
    EXPECT_FALSE(KernelSpec::parse(text, s, error)) << text;
    EXPECT_NE(error.find("line "), std::string::npos) << error;
  }
}

TEST(KernelSpecText, UnterminatedSpecInListIsAnError) {
  std::string text = serializeSpecs({sampleConv()}) + "kind=Add\nname=x\n";
  std::vector<KernelSpec> back;
  std::string error;
  EXPECT_FALSE(parseSpecs(text, back, error));
  // 24 key lines and the separator precede the truncated spec.
  EXPECT_NE(error.find("line 26"), std::string::npos) << error;
}

TEST(KernelSpecText, Names) {
  EXPECT_STREQ(kernelKindName(KernelKind::GlobalAvgPool), "GlobalAvgPool");
  EXPECT_STREQ(activationName(Activation::Clip), "clip");
  EXPECT_STREQ(kernelKindName(KernelKind::LRN), "LRN");
  EXPECT_STREQ(activationName(Activation::HardSigmoid), "hard_sigmoid");
  EXPECT_STREQ(activationName(Activation::HardSwish), "hard_swish");
  EXPECT_STREQ(activationName(Activation::LeakyRelu), "leaky_relu");
}

TEST(KernelSpecText, NewKindsAndParametersRoundTrip) {
  KernelSpec lrn;
  lrn.kind = KernelKind::LRN;
  lrn.name = "lrn";
  lrn.inputShapes = {{1, 8, 4, 4}};
  lrn.outputShape = {1, 8, 4, 4};
  lrn.size = 5;
  lrn.alpha = 1e-4f;
  lrn.beta = 0.75f;
  lrn.bias = 2.0f;
  KernelSpec t;
  t.kind = KernelKind::Transpose;
  t.name = "t";
  t.inputShapes = {{2, 3, 4}};
  t.outputShape = {4, 2, 3};
  t.perm = {2, 0, 1};
  KernelSpec bn;
  bn.kind = KernelKind::BatchNorm;
  bn.name = "bn";
  bn.inputShapes = {{1, 3, 2, 2}, {3}, {3}, {3}, {3}};
  bn.outputShape = {1, 3, 2, 2};
  bn.epsilon = 1e-5f;
  bn.activation = Activation::HardSigmoid;
  bn.actAlpha = 0.2f;
  bn.actBeta = 0.5f;
  KernelSpec mul;
  mul.kind = KernelKind::Mul;
  mul.name = "mul";
  mul.inputShapes = {{3, 4}, {4}};
  mul.outputShape = {3, 4};
  mul.activation = Activation::Sigmoid;
  KernelSpec leaky = mul;
  leaky.name = "leaky";
  leaky.activation = Activation::LeakyRelu;
  leaky.actAlpha = 0.1f;
  KernelSpec reduce;
  reduce.kind = KernelKind::Reduce;
  reduce.name = "reduce";
  reduce.inputShapes = {{2, 3, 4}};
  reduce.outputShape = {3};
  reduce.reduce = ReduceKind::Min;
  reduce.axes = {0, 2};
  reduce.keepdims = false;
  KernelSpec resize;
  resize.kind = KernelKind::Resize;
  resize.name = "resize";
  resize.inputShapes = {{1, 2, 5, 5}};
  resize.outputShape = {1, 2, 3, 10};
  resize.resizeMode = ResizeMode::Linear;
  resize.coordMode = CoordMode::PytorchHalfPixel;
  resize.nearestMode = NearestMode::Ceil;
  resize.resizeScales = {1.0f, 1.0f, 0.6f, 2.0f};
  KernelSpec cubic = resize;
  cubic.name = "cubic";
  cubic.resizeMode = ResizeMode::Cubic;
  cubic.cubicCoeffA = -0.5f;
  cubic.excludeOutside = true;
  KernelSpec slice;
  slice.kind = KernelKind::Slice;
  slice.name = "slice";
  slice.inputShapes = {{4, 9}};
  slice.outputShape = {2, 3};
  slice.sliceStarts = {3, 4};
  slice.sliceSteps = {-2, 2};
  std::vector<KernelSpec> specs{lrn,    t,      bn,    mul,  leaky,
                                reduce, resize, cubic, slice},
      back;
  std::string error;
  ASSERT_TRUE(parseSpecs(serializeSpecs(specs), back, error)) << error;
  ASSERT_EQ(back.size(), specs.size());
  for (size_t i = 0; i < specs.size(); ++i)
    expectSameSpec(specs[i], back[i]);
}

} // namespace
} // namespace kiln
