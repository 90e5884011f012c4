//===- ModelStatsTest.cpp - Unit tests of computeModelStats ---------------===//
//
// Parses small kiln modules and checks every count against numbers worked
// out by hand in the comments (the formulas of ModelStats.h, written out).
//
//===----------------------------------------------------------------------===//
#include "compiler/analysis/ModelStats.h"
#include "dialects/kiln/KilnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <string>

using namespace mlir;

namespace {

class ModelStatsTest : public ::testing::Test {
protected:
  ModelStatsTest() {
    context.loadDialect<kiln::KilnDialect, func::FuncDialect>();
  }

  /// Parses `body` as the inside of a module and computes its stats; fails
  /// the test on a parse or stats error.
  kiln::ModelStats statsOf(const std::string &body) {
    module = parseSourceString<ModuleOp>("module {\n" + body + "\n}", &context);
    EXPECT_TRUE(module) << "cannot parse:\n" << body;
    if (!module)
      return {};
    std::string error;
    auto stats = kiln::computeModelStats(*module, error);
    EXPECT_TRUE(stats.has_value()) << error;
    return stats ? *stats : kiln::ModelStats{};
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

// A depthwise 5x5 conv on n_C = 32 channels (14x14, padding 2) followed,
// through batch_norm and relu, by a pointwise conv to N = 512 channels.
const char *kSeparable512 = R"mlir(
func.func @main(%x: tensor<1x32x14x14xf32>) -> tensor<1x512x14x14xf32> {
  %dw_w = kiln.constant dense<1.0> : tensor<32x1x5x5xf32>
  %dw = kiln.conv2d %x, %dw_w {strides = array<i64: 1, 1>,
      pads = array<i64: 2, 2, 2, 2>, dilations = array<i64: 1, 1>,
      groups = 32 : i64}
      : (tensor<1x32x14x14xf32>, tensor<32x1x5x5xf32>) -> tensor<1x32x14x14xf32> loc("dw5x5")
  %s = kiln.constant dense<1.0> : tensor<32xf32>
  %b = kiln.constant dense<0.0> : tensor<32xf32>
  %m = kiln.constant dense<0.0> : tensor<32xf32>
  %v = kiln.constant dense<1.0> : tensor<32xf32>
  %bn = kiln.batch_norm %dw, %s, %b, %m, %v
      : (tensor<1x32x14x14xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>,
         tensor<32xf32>) -> tensor<1x32x14x14xf32> loc("bn")
  %r = kiln.relu %bn : tensor<1x32x14x14xf32> loc("relu")
  %pw_w = kiln.constant dense<1.0> : tensor<512x32x1x1xf32>
  %pw = kiln.conv2d %r, %pw_w {strides = array<i64: 1, 1>,
      pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
      groups = 1 : i64}
      : (tensor<1x32x14x14xf32>, tensor<512x32x1x1xf32>) -> tensor<1x512x14x14xf32> loc("pw1x1")
  return %pw : tensor<1x512x14x14xf32>
}
)mlir";

TEST_F(ModelStatsTest, DepthwiseSeparableN512F5) {
  kiln::ModelStats stats = statsOf(kSeparable512);
  ASSERT_EQ(stats.layers.size(), 4u); // dw, bn, relu, pw
  const kiln::LayerStats &dw = stats.layers[0], &bn = stats.layers[1],
                         &relu = stats.layers[2], &pw = stats.layers[3];
  EXPECT_EQ(dw.name, "dw5x5");
  EXPECT_EQ(dw.op, "conv2d");
  EXPECT_EQ(dw.convKind, "depthwise");
  EXPECT_EQ(pw.convKind, "pointwise");
  EXPECT_EQ(bn.op, "batch_norm");
  EXPECT_EQ(relu.op, "relu");

  // Depthwise: n_C * n_out^2 * f^2 = 32 * 196 * 25 = 156,800 MACs;
  // weights 32 * 1 * 5 * 5 = 800.
  EXPECT_EQ(dw.macs, 156800);
  EXPECT_EQ(dw.params, 800);
  // Pointwise: N * n_C * n_out^2 = 512 * 32 * 196 = 3,211,264 MACs;
  // weights 512 * 32 = 16,384.
  EXPECT_EQ(pw.macs, 3211264);
  EXPECT_EQ(pw.params, 16384);
  EXPECT_EQ(pw.outputShape, (std::vector<int64_t>{1, 512, 14, 14}));
  EXPECT_EQ(pw.outputElements, 512 * 196);
  // BN: gamma + beta = 64 params, mean + var = 64 stats, no MACs.
  EXPECT_EQ(bn.params, 64);
  EXPECT_EQ(bn.bnStats, 64);
  EXPECT_EQ(bn.macs, 0);
  EXPECT_EQ(relu.macs, 0);

  ASSERT_TRUE(dw.separable.has_value());
  EXPECT_FALSE(pw.separable.has_value());
  const kiln::SeparableStats &s = *dw.separable;
  EXPECT_EQ(s.pointwiseName, "pw1x1");
  EXPECT_EQ(s.nC, 32);
  EXPECT_EQ(s.n, 512);
  EXPECT_EQ(s.kh, 5);
  EXPECT_EQ(s.kw, 5);
  EXPECT_EQ(s.oh, 14);
  EXPECT_EQ(s.ow, 14);
  // standard = N * n_out^2 * f^2 * n_C = 512 * 196 * 25 * 32 = 80,281,600.
  EXPECT_EQ(s.standardMacs, 80281600);
  // separable = n_C * n_out^2 * (f^2 + N) = 32 * 196 * 537 = 3,368,064,
  // which is exactly the depthwise plus the pointwise MACs.
  EXPECT_EQ(s.separableMacs, 3368064);
  EXPECT_EQ(s.separableMacs, dw.macs + pw.macs);
  // ratio = 1/512 + 1/25 = 0.041953125 (~4.2%, the notes' example).
  EXPECT_DOUBLE_EQ(s.ratio, 1.0 / 512 + 1.0 / 25);
  EXPECT_NEAR(s.ratio, 0.041953125, 1e-12);
  EXPECT_NEAR(s.ratio, 0.042, 0.0005);
  EXPECT_NEAR(s.ratio, (double)s.separableMacs / (double)s.standardMacs, 1e-12);

  // Totals: 800 + 64 + 16,384 = 17,248 params; + 64 stats = 17,312.
  EXPECT_EQ(stats.total.params, 17248);
  EXPECT_EQ(stats.total.bnStats, 64);
  EXPECT_EQ(stats.total.paramsWithBnStats, 17312);
  EXPECT_EQ(stats.total.macs, 3368064);
  EXPECT_EQ(stats.total.separablePairs, 1);
  EXPECT_EQ(stats.batch, 1);
}

TEST_F(ModelStatsTest, SeparableCostFormula) {
  // The notes' example on its own: N = 512, f = 5, n_C = 32, n_out = 14.
  kiln::SeparableStats s = kiln::separableCost(32, 512, 5, 5, 14, 14, 1);
  EXPECT_EQ(s.standardMacs, 80281600);
  EXPECT_EQ(s.separableMacs, 3368064);
  EXPECT_DOUBLE_EQ(s.ratio, 0.041953125);
  // A batch of 3 multiplies both counts, not the ratio.
  kiln::SeparableStats b = kiln::separableCost(32, 512, 5, 5, 14, 14, 3);
  EXPECT_EQ(b.standardMacs, 3 * 80281600);
  EXPECT_EQ(b.separableMacs, 3 * 3368064);
  EXPECT_DOUBLE_EQ(b.ratio, s.ratio);
}

TEST_F(ModelStatsTest, PlainConvWithBias) {
  // ResNet-50's stem: 3 -> 64 channels, 7x7, stride 2, 224 -> 112.
  kiln::ModelStats stats = statsOf(R"mlir(
func.func @main(%x: tensor<1x3x224x224xf32>) -> tensor<1x64x112x112xf32> {
  %w = kiln.constant dense<1.0> : tensor<64x3x7x7xf32>
  %b = kiln.constant dense<0.0> : tensor<64xf32>
  %y = kiln.conv2d %x, %w, bias %b {strides = array<i64: 2, 2>,
      pads = array<i64: 3, 3, 3, 3>, dilations = array<i64: 1, 1>,
      groups = 1 : i64}
      : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>)
        -> tensor<1x64x112x112xf32> loc("conv1"("model.onnx":0:0))
  return %y : tensor<1x64x112x112xf32>
}
)mlir");
  ASSERT_EQ(stats.layers.size(), 1u);
  const kiln::LayerStats &l = stats.layers[0];
  EXPECT_EQ(l.name, "conv1");
  EXPECT_EQ(l.convKind, "conv");
  // 64 * 112 * 112 * 3 * 7 * 7 = 118,013,952 (the bias add is not a MAC).
  EXPECT_EQ(l.macs, 118013952);
  // 64 * 3 * 7 * 7 = 9,408 weights + 64 biases.
  EXPECT_EQ(l.params, 9472);
  EXPECT_FALSE(l.separable.has_value());
  EXPECT_EQ(stats.total.params, 9472);
  EXPECT_EQ(stats.total.paramsWithBnStats, 9472);
  EXPECT_EQ(stats.total.separablePairs, 0);
}

TEST_F(ModelStatsTest, GroupedConv) {
  // 8 -> 4 channels in 2 groups: each output sees 8 / 2 = 4 inputs.
  kiln::ModelStats stats = statsOf(R"mlir(
func.func @main(%x: tensor<1x8x10x10xf32>) -> tensor<1x4x10x10xf32> {
  %w = kiln.constant dense<1.0> : tensor<4x4x3x3xf32>
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>,
      pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
      groups = 2 : i64}
      : (tensor<1x8x10x10xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x10x10xf32> loc("grouped")
  return %y : tensor<1x4x10x10xf32>
}
)mlir");
  ASSERT_EQ(stats.layers.size(), 1u);
  EXPECT_EQ(stats.layers[0].convKind, "grouped");
  // 4 * 10 * 10 * (8 / 2) * 3 * 3 = 14,400.
  EXPECT_EQ(stats.layers[0].macs, 14400);
  // 4 * 4 * 3 * 3 = 144.
  EXPECT_EQ(stats.layers[0].params, 144);
}

TEST_F(ModelStatsTest, ConvTransposeScattersPerInputCell) {
  // 6 -> 4 channels in 2 groups, 3x3 stride 2, pads 1, output padding 1:
  // a 5x5 input becomes 2 * 4 + 3 - 2 + 1 = 10 x 10.
  kiln::ModelStats stats = statsOf(R"mlir(
func.func @main(%x: tensor<2x6x5x5xf32>) -> tensor<2x4x10x10xf32> {
  %w = kiln.constant dense<1.0> : tensor<6x2x3x3xf32>
  %b = kiln.constant dense<0.0> : tensor<4xf32>
  %y = kiln.conv_transpose2d %x, %w, bias %b {strides = array<i64: 2, 2>,
      pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
      output_padding = array<i64: 1, 1>, groups = 2 : i64}
      : (tensor<2x6x5x5xf32>, tensor<6x2x3x3xf32>, tensor<4xf32>) -> tensor<2x4x10x10xf32> loc("up")
  return %y : tensor<2x4x10x10xf32>
}
)mlir");
  ASSERT_EQ(stats.layers.size(), 1u);
  EXPECT_EQ(stats.layers[0].convKind, "conv_transpose");
  // Each of 2 * 6 * 5 * 5 input cells times (4 / 2) * 3 * 3 = 5,400.
  EXPECT_EQ(stats.layers[0].macs, 5400);
  // 6 * 2 * 3 * 3 + 4 = 112.
  EXPECT_EQ(stats.layers[0].params, 112);
}

TEST_F(ModelStatsTest, DenseWithBatch) {
  kiln::ModelStats stats = statsOf(R"mlir(
func.func @main(%x: tensor<2x512xf32>) -> tensor<2x1000xf32> {
  %w = kiln.constant dense<1.0> : tensor<1000x512xf32>
  %b = kiln.constant dense<0.0> : tensor<1000xf32>
  %y = kiln.dense %x, %w, bias %b
      : (tensor<2x512xf32>, tensor<1000x512xf32>, tensor<1000xf32>) -> tensor<2x1000xf32> loc("fc")
  %p = kiln.softmax %y {axis = 1 : i64} : tensor<2x1000xf32> loc("prob")
  return %p : tensor<2x1000xf32>
}
)mlir");
  ASSERT_EQ(stats.layers.size(), 2u);
  EXPECT_EQ(stats.batch, 2);
  // M * N * K = 2 * 1000 * 512 = 1,024,000.
  EXPECT_EQ(stats.layers[0].macs, 1024000);
  // 1000 * 512 + 1000 = 513,000.
  EXPECT_EQ(stats.layers[0].params, 513000);
  EXPECT_EQ(stats.layers[1].op, "softmax");
  EXPECT_EQ(stats.layers[1].macs, 0);
  EXPECT_EQ(stats.total.macs, 1024000);
}

TEST_F(ModelStatsTest, BatchedConvAndPooling) {
  kiln::ModelStats stats = statsOf(R"mlir(
func.func @main(%x: tensor<4x3x8x8xf32>) -> tensor<4x6x4x4xf32> {
  %w = kiln.constant dense<1.0> : tensor<6x3x3x3xf32>
  %y = kiln.conv2d %x, %w {strides = array<i64: 1, 1>,
      pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
      groups = 1 : i64}
      : (tensor<4x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<4x6x8x8xf32> loc("conv")
  %p = kiln.max_pool2d %y {kernel_shape = array<i64: 2, 2>,
      strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
      dilations = array<i64: 1, 1>}
      : (tensor<4x6x8x8xf32>) -> tensor<4x6x4x4xf32> loc("pool")
  return %p : tensor<4x6x4x4xf32>
}
)mlir");
  ASSERT_EQ(stats.layers.size(), 2u);
  EXPECT_EQ(stats.batch, 4);
  // 4 images * 6 * 8 * 8 * 3 * 3 * 3 = 41,472.
  EXPECT_EQ(stats.layers[0].macs, 41472);
  EXPECT_EQ(stats.layers[0].params, 162);
  EXPECT_EQ(stats.layers[1].macs, 0);
  EXPECT_EQ(stats.layers[1].outputElements, 4 * 6 * 4 * 4);
}

TEST_F(ModelStatsTest, NonSquareSeparablePairThroughClip) {
  // Depthwise 3x5 on 8 channels giving 6x10, clip (ReLU6), pointwise to 12.
  kiln::ModelStats stats = statsOf(R"mlir(
func.func @main(%x: tensor<2x8x6x10xf32>) -> tensor<2x12x6x10xf32> {
  %dw_w = kiln.constant dense<1.0> : tensor<8x1x3x5xf32>
  %dw_b = kiln.constant dense<0.0> : tensor<8xf32>
  %dw = kiln.conv2d %x, %dw_w, bias %dw_b {strides = array<i64: 1, 1>,
      pads = array<i64: 1, 2, 1, 2>, dilations = array<i64: 1, 1>,
      groups = 8 : i64}
      : (tensor<2x8x6x10xf32>, tensor<8x1x3x5xf32>, tensor<8xf32>) -> tensor<2x8x6x10xf32> loc("dw")
  %c = kiln.clip %dw {min = 0.0 : f32, max = 6.0 : f32} : tensor<2x8x6x10xf32> loc("relu6")
  %pw_w = kiln.constant dense<1.0> : tensor<12x8x1x1xf32>
  %pw = kiln.conv2d %c, %pw_w {strides = array<i64: 1, 1>,
      pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
      groups = 1 : i64}
      : (tensor<2x8x6x10xf32>, tensor<12x8x1x1xf32>) -> tensor<2x12x6x10xf32> loc("pw")
  return %pw : tensor<2x12x6x10xf32>
}
)mlir");
  ASSERT_EQ(stats.layers.size(), 3u);
  const kiln::LayerStats &dw = stats.layers[0], &pw = stats.layers[2];
  // dw: 2 * 8 * 60 * 15 = 14,400; pw: 2 * 12 * 60 * 8 = 11,520.
  EXPECT_EQ(dw.macs, 14400);
  EXPECT_EQ(pw.macs, 11520);
  EXPECT_EQ(dw.params, 8 * 15 + 8);
  ASSERT_TRUE(dw.separable.has_value());
  const kiln::SeparableStats &s = *dw.separable;
  EXPECT_FALSE(s.isSquare());
  EXPECT_EQ(s.batch, 2);
  // f^2 -> 3 * 5 = 15, n_out^2 -> 6 * 10 = 60, times the batch of 2:
  // standard = 12 * 60 * 15 * 8 * 2 = 172,800;
  // separable = 8 * 60 * (15 + 12) * 2 = 25,920 = dw + pw.
  EXPECT_EQ(s.standardMacs, 172800);
  EXPECT_EQ(s.separableMacs, 25920);
  EXPECT_EQ(s.separableMacs, dw.macs + pw.macs);
  // 1/12 + 1/15 = 0.15.
  EXPECT_DOUBLE_EQ(s.ratio, 1.0 / 12 + 1.0 / 15);
}

TEST_F(ModelStatsTest, NoPairWithoutAPointwiseFollower) {
  // dw1 feeds a 3x3 conv; dw2's result has two users (relu and the return).
  kiln::ModelStats stats = statsOf(R"mlir(
func.func @main(%x: tensor<1x4x8x8xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  %w = kiln.constant dense<1.0> : tensor<4x1x3x3xf32>
  %dw1 = kiln.conv2d %x, %w {strides = array<i64: 1, 1>,
      pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
      groups = 4 : i64}
      : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32> loc("dw1")
  %w3 = kiln.constant dense<1.0> : tensor<4x4x3x3xf32>
  %c3 = kiln.conv2d %dw1, %w3 {strides = array<i64: 1, 1>,
      pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
      groups = 1 : i64}
      : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32> loc("c3")
  %dw2 = kiln.conv2d %c3, %w {strides = array<i64: 1, 1>,
      pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
      groups = 4 : i64}
      : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32> loc("dw2")
  %r = kiln.relu %dw2 : tensor<1x4x8x8xf32> loc("r")
  %w1 = kiln.constant dense<1.0> : tensor<4x4x1x1xf32>
  %pw = kiln.conv2d %r, %w1 {strides = array<i64: 1, 1>,
      pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
      groups = 1 : i64}
      : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32> loc("pw")
  return %pw, %dw2 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}
)mlir");
  ASSERT_EQ(stats.layers.size(), 5u);
  EXPECT_EQ(stats.layers[0].convKind, "depthwise");
  EXPECT_FALSE(stats.layers[0].separable.has_value());
  EXPECT_EQ(stats.layers[2].convKind, "depthwise");
  EXPECT_FALSE(stats.layers[2].separable.has_value());
  EXPECT_EQ(stats.total.separablePairs, 0);
  // The depthwise weight %w feeds dw1 and dw2: 36 params in each layer, but
  // once in the total: 36 + 144 + 16 = 196.
  EXPECT_EQ(stats.layers[2].params, 36);
  EXPECT_EQ(stats.total.params, 36 + 144 + 16);
}

TEST_F(ModelStatsTest, MissingMainIsAnError) {
  module = parseSourceString<ModuleOp>(
      "module { func.func @other() { return } }", &context);
  ASSERT_TRUE(module);
  std::string error;
  EXPECT_FALSE(kiln::computeModelStats(*module, error).has_value());
  EXPECT_NE(error.find("@main"), std::string::npos) << error;
}

} // namespace
