//===- FusionAnalysisTest.cpp - Fusion groups, summary, census, DOT -------===//
//
// A residual block written by hand twice: as imported (conv, batch_norm,
// add, relu) and as the optimize phase leaves it (one conv2d with bias,
// residual and relu). The analysis must recover the group, count the
// residual add, and the census must see the traffic the fusion saved.
//
//===----------------------------------------------------------------------===//
#include "compiler/report/FusionAnalysis.h"
#include "compiler/report/GraphDot.h"
#include "compiler/report/IrCensus.h"
#include "dialects/kiln/KilnDialect.h"
#include "dialects/kiln/KilnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace kiln;

namespace {

// x: 1x4x6x6 (144 floats = 576 B); w: 4x4x3x3 (576 B); c params 4 (16 B).
const char *kImported = R"mlir(
module {
  func.func @main(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
    %w = kiln.constant dense<1.0> : tensor<4x4x3x3xf32> loc(#w)
    %p = kiln.constant dense<1.0> : tensor<4xf32> loc(#p)
    %c = kiln.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
           dilations = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> loc(#conv)
    %b = kiln.batch_norm %c, %p, %p, %p, %p {epsilon = 1.0e-05 : f32}
         : (tensor<1x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
            tensor<4xf32>) -> tensor<1x4x6x6xf32> loc(#bn)
    %a = kiln.add %b, %x : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> loc(#add)
    %r = kiln.relu %a : tensor<1x4x6x6xf32> loc(#relu)
    return %r : tensor<1x4x6x6xf32>
  }
}
#f = loc("m.onnx":0:0)
#w = loc("w"(#f))
#p = loc("p"(#f))
#conv = loc("conv1"(#f))
#bn = loc("bn1"(#f))
#add = loc("add1"(#f))
#relu = loc("relu1"(#f))
)mlir";

const char *kOptimized = R"mlir(
module {
  func.func @main(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
    %w = kiln.constant dense<1.0> : tensor<4x4x3x3xf32> loc(#w)
    %p = kiln.constant dense<1.0> : tensor<4xf32> loc(#p)
    %c = kiln.conv2d %x, %w, bias %p, residual %x {strides = array<i64: 1, 1>,
           pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
           groups = 1 : i64, activation = "relu"}
         : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>,
            tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> loc(#conv)
    return %c : tensor<1x4x6x6xf32>
  }
}
#f = loc("m.onnx":0:0)
#w = loc("w"(#f))
#p = loc("p"(#f))
#conv = loc("conv1"(#f))
)mlir";

class FusionAnalysisTest : public ::testing::Test {
protected:
  FusionAnalysisTest() {
    context.loadDialect<KilnDialect, func::FuncDialect>();
    imported = parseSourceString<ModuleOp>(kImported, &context);
    optimized = parseSourceString<ModuleOp>(kOptimized, &context);
  }
  MLIRContext context;
  OwningOpRef<ModuleOp> imported, optimized;
};

TEST_F(FusionAnalysisTest, RecoversTheFusedGroup) {
  ASSERT_TRUE(imported && optimized);
  auto groups = inferFusionGroups(*imported, *optimized);
  Operation *conv = nullptr;
  optimized->walk([&](Conv2DOp op) { conv = op; });
  ASSERT_TRUE(conv);
  ASSERT_TRUE(groups.count(conv));
  EXPECT_EQ(groups[conv].ops,
            (std::vector<std::string>{"conv2d", "batch_norm", "add", "relu"}));
  EXPECT_EQ(groups[conv].nodes,
            (std::vector<std::string>{"conv1", "bn1", "add1", "relu1"}));
  EXPECT_EQ(onnxNodeName(conv), "conv1");
}

TEST_F(FusionAnalysisTest, NoFusionMeansSingletonGroups) {
  ASSERT_TRUE(imported);
  // The imported module against itself: nothing vanished.
  auto groups = inferFusionGroups(*imported, *imported);
  for (auto &[op, group] : groups)
    EXPECT_EQ(group.ops.size(), 1u) << group.ops[0];
}

TEST_F(FusionAnalysisTest, SummaryCountsResidualAdds) {
  ASSERT_TRUE(imported && optimized);
  FusionSummary s;
  std::string error;
  ASSERT_TRUE(computeFusionSummary(*imported, *optimized, s, error)) << error;
  // add(batch_norm(conv), x): a residual add; fused into the conv.
  EXPECT_EQ(s.residualAddsTotal, 1);
  EXPECT_EQ(s.residualAddsFused, 1);
  EXPECT_EQ(s.depthwisePointwiseCandidates, 0);
  EXPECT_EQ(s.depthwisePointwiseFused, 0);
}

TEST_F(FusionAnalysisTest, CensusCountsOpsAndTraffic) {
  ASSERT_TRUE(imported && optimized);
  IrCensus before = takeIrCensus(*imported), after = takeIrCensus(*optimized);
  EXPECT_EQ(before.opCounts["kiln.conv2d"], 1);
  EXPECT_EQ(before.opCounts["kiln.batch_norm"], 1);
  EXPECT_EQ(before.opCounts["kiln.constant"], 2);
  EXPECT_EQ(before.opCounts.count("func.return"), 0u);
  EXPECT_EQ(after.opCounts.count("kiln.batch_norm"), 0u);
  // Imported: conv reads x + w (576 + 576) writes 576; bn reads 576 + 4*16,
  // writes 576; add reads 2*576, writes 576; relu reads 576, writes 576.
  EXPECT_EQ(before.bytesRead, 1152 + 640 + 1152 + 576);
  EXPECT_EQ(before.bytesWritten, 4 * 576);
  // Optimized: conv reads x, w, bias (16), residual x; writes 576.
  EXPECT_EQ(after.bytesRead, 576 + 576 + 16 + 576);
  EXPECT_EQ(after.bytesWritten, 576);
}

TEST_F(FusionAnalysisTest, DotShowsTheFusedNode) {
  ASSERT_TRUE(imported && optimized);
  auto groups = inferFusionGroups(*imported, *optimized);
  std::string dot = fusedGraphDot(*optimized, groups);
  EXPECT_NE(dot.find("digraph kiln"), std::string::npos);
  EXPECT_NE(dot.find("conv2d+batch_norm+add+relu"), std::string::npos) << dot;
  EXPECT_NE(dot.find("in0 -> op0"), std::string::npos) << dot;
  EXPECT_NE(dot.find("op0 -> out0"), std::string::npos) << dot;
  EXPECT_EQ(dot.find("kiln.constant"), std::string::npos);
  EXPECT_EQ(dotQuote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
}

} // namespace

namespace {

// A MobileNetV2 block: expand conv + ReLU6, depthwise conv + ReLU6, linear
// projection + residual add, imported and as one kiln.inverted_residual
// (named, like the pass makes it, by the fused locations of its convs).
const char *kImportedBlock = R"mlir(
module {
  func.func @main(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
    %ew = kiln.constant dense<1.0> : tensor<12x4x1x1xf32> loc(#w)
    %dw = kiln.constant dense<1.0> : tensor<12x1x3x3xf32> loc(#w)
    %pw = kiln.constant dense<1.0> : tensor<4x12x1x1xf32> loc(#w)
    %e = kiln.conv2d %x, %ew {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
           dilations = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>) -> tensor<1x12x6x6xf32> loc(#expand)
    %e6 = kiln.clip %e {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x12x6x6xf32> loc(#clip1)
    %d = kiln.conv2d %e6, %dw {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
           dilations = array<i64: 1, 1>, groups = 12 : i64}
         : (tensor<1x12x6x6xf32>, tensor<12x1x3x3xf32>) -> tensor<1x12x6x6xf32> loc(#dwconv)
    %d6 = kiln.clip %d {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x12x6x6xf32> loc(#clip2)
    %p = kiln.conv2d %d6, %pw {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>,
           dilations = array<i64: 1, 1>, groups = 1 : i64}
         : (tensor<1x12x6x6xf32>, tensor<4x12x1x1xf32>) -> tensor<1x4x6x6xf32> loc(#project)
    %a = kiln.add %p, %x : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> loc(#add)
    return %a : tensor<1x4x6x6xf32>
  }
}
#f = loc("m.onnx":0:0)
#w = loc("w"(#f))
#expand = loc("expand"(#f))
#clip1 = loc("clip1"(#f))
#dwconv = loc("dw"(#f))
#clip2 = loc("clip2"(#f))
#project = loc("project"(#f))
#add = loc("add"(#f))
)mlir";

const char *kOptimizedBlock = R"mlir(
module {
  func.func @main(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
    %ew = kiln.constant dense<1.0> : tensor<12x4x1x1xf32> loc(#w)
    %dw = kiln.constant dense<1.0> : tensor<12x1x3x3xf32> loc(#w)
    %pw = kiln.constant dense<1.0> : tensor<4x12x1x1xf32> loc(#w)
    %b12 = kiln.constant dense<0.0> : tensor<12xf32> loc(#w)
    %b4 = kiln.constant dense<0.0> : tensor<4xf32> loc(#w)
    %y = kiln.inverted_residual %x, %ew, %b12, %dw, %b12, %pw, %b4, residual %x
           {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
            dilations = array<i64: 1, 1>, expand_activation = "clip",
            expand_clip_min = 0.0 : f32, expand_clip_max = 6.0 : f32,
            dw_activation = "clip", dw_clip_min = 0.0 : f32, dw_clip_max = 6.0 : f32}
         : (tensor<1x4x6x6xf32>, tensor<12x4x1x1xf32>, tensor<12xf32>,
            tensor<12x1x3x3xf32>, tensor<12xf32>, tensor<4x12x1x1xf32>,
            tensor<4xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> loc(#fused)
    return %y : tensor<1x4x6x6xf32>
  }
}
#f = loc("m.onnx":0:0)
#w = loc("w"(#f))
#expand = loc("expand"(#f))
#dwconv = loc("dw"(#f))
#project = loc("project"(#f))
#fused = loc(fused[#expand, #dwconv, #project])
)mlir";

TEST(FusionAnalysisInvertedResidual, GroupAndSummary) {
  MLIRContext context;
  context.loadDialect<KilnDialect, func::FuncDialect>();
  auto imported = parseSourceString<ModuleOp>(kImportedBlock, &context);
  auto optimized = parseSourceString<ModuleOp>(kOptimizedBlock, &context);
  ASSERT_TRUE(imported && optimized);
  Operation *block = nullptr;
  optimized->walk([&](InvertedResidualOp op) { block = op; });
  ASSERT_TRUE(block);
  auto groups = inferFusionGroups(*imported, *optimized);
  ASSERT_TRUE(groups.count(block));
  // Each stage's activation, the next conv, and the final residual add.
  EXPECT_EQ(groups[block].ops,
            (std::vector<std::string>{"inverted_residual", "clip", "conv2d",
                                      "clip", "conv2d", "add"}));
  EXPECT_EQ(groups[block].nodes,
            (std::vector<std::string>{"expand", "clip1", "dw", "clip2",
                                      "project", "add"}));
  FusionSummary s;
  std::string error;
  ASSERT_TRUE(computeFusionSummary(*imported, *optimized, s, error)) << error;
  EXPECT_EQ(s.depthwisePointwiseCandidates, 1);
  EXPECT_EQ(s.depthwisePointwiseFused, 1);
  EXPECT_EQ(s.invertedResidualCandidates, 1);
  EXPECT_EQ(s.invertedResidualFused, 1);
  EXPECT_EQ(s.residualAddsTotal, 1);
  EXPECT_EQ(s.residualAddsFused, 1);
}

} // namespace
