//===- StatsFormatTest.cpp - Unit tests of the table and JSON output ------===//
//
// Renders hand-made ModelStats and reads the JSON back with llvm::json, so
// escaping and field names are checked by an independent parser.
//
//===----------------------------------------------------------------------===//
#include "compiler/analysis/StatsFormat.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <string>

namespace {

kiln::ModelStats sampleStats() {
  kiln::ModelStats stats;
  kiln::LayerStats dw;
  dw.name = "dw \"quoted\" \\ back\nslash";
  dw.op = "conv2d";
  dw.convKind = "depthwise";
  dw.outputShape = {1, 32, 14, 14};
  dw.outputElements = 32 * 196;
  dw.params = 800;
  dw.macs = 156800;
  dw.separable = kiln::separableCost(32, 512, 5, 5, 14, 14, 1);
  dw.separable->pointwiseName = "pw\xff"; // invalid UTF-8
  kiln::LayerStats pw;
  pw.name = "pw\xff";
  pw.op = "conv2d";
  pw.convKind = "pointwise";
  pw.outputShape = {1, 512, 14, 14};
  pw.outputElements = 512 * 196;
  pw.params = 16384;
  pw.macs = 3211264;
  stats.layers = {dw, pw};
  stats.total.params = 17184;
  stats.total.paramsWithBnStats = 17184;
  stats.total.macs = 3368064;
  stats.total.separablePairs = 1;
  return stats;
}

TEST(StatsFormatTest, JsonParsesBackWithEscapedNames) {
  std::string text;
  llvm::raw_string_ostream os(text);
  kiln::printStatsJson(sampleStats(), "models/m\"x.onnx", os);
  auto parsed = llvm::json::parse(text);
  ASSERT_TRUE((bool)parsed) << llvm::toString(parsed.takeError()) << "\n"
                            << text;
  llvm::json::Object *root = parsed->getAsObject();
  ASSERT_TRUE(root);
  EXPECT_EQ(root->getString("model"), "models/m\"x.onnx");
  EXPECT_EQ(root->getInteger("batch"), 1);
  llvm::json::Array *layers = root->getArray("layers");
  ASSERT_TRUE(layers);
  ASSERT_EQ(layers->size(), 2u);
  llvm::json::Object *dw = (*layers)[0].getAsObject();
  ASSERT_TRUE(dw);
  EXPECT_EQ(dw->getString("name"), "dw \"quoted\" \\ back\nslash");
  EXPECT_EQ(dw->getString("op"), "conv2d");
  EXPECT_EQ(dw->getString("kind"), "depthwise");
  EXPECT_EQ(dw->getInteger("params"), 800);
  EXPECT_EQ(dw->getInteger("macs"), 156800);
  llvm::json::Array *shape = dw->getArray("output_shape");
  ASSERT_TRUE(shape);
  ASSERT_EQ(shape->size(), 4u);
  EXPECT_EQ((*shape)[1].getAsInteger(), 32);
  llvm::json::Object *sep = dw->getObject("separable");
  ASSERT_TRUE(sep);
  EXPECT_EQ(sep->getInteger("n_c"), 32);
  EXPECT_EQ(sep->getInteger("n"), 512);
  EXPECT_EQ(sep->getInteger("f"), 5);
  EXPECT_EQ(sep->getInteger("n_out"), 14);
  EXPECT_EQ(sep->getInteger("standard_macs"), 80281600);
  EXPECT_EQ(sep->getInteger("separable_macs"), 3368064);
  ASSERT_TRUE(sep->getNumber("ratio").has_value());
  EXPECT_DOUBLE_EQ(*sep->getNumber("ratio"), 1.0 / 512 + 1.0 / 25);
  // The invalid byte became U+FFFD instead of breaking the document.
  EXPECT_EQ(sep->getString("pointwise"), "pw\xef\xbf\xbd");
  EXPECT_FALSE((*layers)[1].getAsObject()->getObject("separable"));
  llvm::json::Object *total = root->getObject("total");
  ASSERT_TRUE(total);
  EXPECT_EQ(total->getInteger("params"), 17184);
  EXPECT_EQ(total->getInteger("params_with_bn_stats"), 17184);
  EXPECT_EQ(total->getInteger("macs"), 3368064);
  EXPECT_EQ(total->getInteger("separable_pairs"), 1);
}

TEST(StatsFormatTest, NonSquareSeparableHasNullFAndNout) {
  kiln::ModelStats stats;
  kiln::LayerStats dw;
  dw.name = "dw";
  dw.op = "conv2d";
  dw.separable = kiln::separableCost(8, 12, 3, 5, 6, 10, 2);
  stats.layers = {dw};
  std::string text;
  llvm::raw_string_ostream os(text);
  kiln::printStatsJson(stats, "", os);
  auto parsed = llvm::json::parse(text);
  ASSERT_TRUE((bool)parsed) << llvm::toString(parsed.takeError());
  llvm::json::Object *sep = parsed->getAsObject()
                                ->getArray("layers")
                                ->front()
                                .getAsObject()
                                ->getObject("separable");
  ASSERT_TRUE(sep);
  EXPECT_TRUE(sep->get("f") && sep->get("f")->getAsNull());
  EXPECT_TRUE(sep->get("n_out") && sep->get("n_out")->getAsNull());
  EXPECT_EQ(sep->getInteger("kh"), 3);
  EXPECT_EQ(sep->getInteger("kw"), 5);
  EXPECT_EQ(sep->getInteger("batch"), 2);
}

TEST(StatsFormatTest, TableShowsLayersPairsAndTotals) {
  std::string text;
  llvm::raw_string_ostream os(text);
  kiln::printStatsTable(sampleStats(), "m.onnx", os);
  EXPECT_NE(text.find("model: m.onnx"), std::string::npos) << text;
  // Control characters in names do not break the row.
  EXPECT_NE(text.find("dw \"quoted\" \\ back?slash"), std::string::npos)
      << text;
  EXPECT_NE(text.find("3,211,264"), std::string::npos) << text;
  EXPECT_NE(text.find("n_C=32 N=512 f=5 n_out=14"), std::string::npos) << text;
  EXPECT_NE(text.find("standard 80,281,600  separable 3,368,064  ratio 0.0420"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("params 17,184"), std::string::npos) << text;
  EXPECT_NE(text.find("MACs 3,368,064 (3.37 M)"), std::string::npos) << text;
}

TEST(StatsFormatTest, NumberHelpers) {
  EXPECT_EQ(kiln::withThousands(0), "0");
  EXPECT_EQ(kiln::withThousands(999), "999");
  EXPECT_EQ(kiln::withThousands(1000), "1,000");
  EXPECT_EQ(kiln::withThousands(25557032), "25,557,032");
  EXPECT_EQ(kiln::withThousands(-1234567), "-1,234,567");
  EXPECT_EQ(kiln::withUnit(608), "608");
  EXPECT_EQ(kiln::withUnit(25557032), "25.56 M");
  EXPECT_EQ(kiln::withUnit(4089184256), "4.09 G");
}

} // namespace
