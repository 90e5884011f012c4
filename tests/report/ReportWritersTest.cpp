//===- ReportWritersTest.cpp - report.json / report.html writers ----------===//
//
// Writes a hand-made ModelReport and reads it back: the JSON parses and
// holds every value (escaped properly, nulls for missing times), and the
// HTML embeds the same JSON such that no model string can end the script
// element or inject markup.
//
//===----------------------------------------------------------------------===//
#include "compiler/report/ReportHtml.h"
#include "compiler/report/ReportJson.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <string>

using namespace kiln;

namespace {

/// A node name with everything a writer must escape.
const std::string kNastyName =
    "conv\"1\\</script><script>alert(1)</script><!--\n\ttab";

ModelReport sampleReport() {
  ModelReport r;
  r.model = "net.onnx";
  r.name = "net";
  r.target = "host";
  r.halideTarget = "x86-64-linux-avx512";
  r.schedule = "cpu-vector<16>";
  r.summary.residualAddsFused = 3;
  r.summary.residualAddsTotal = 4;
  r.summary.depthwisePointwiseCandidates = 2;
  r.summary.concatCopies = 1;
  r.summary.sliceViews = 2;
  LayerReport conv;
  conv.index = 0;
  conv.kernel = "k0_Conv2D";
  conv.kernelKind = "Conv2D";
  conv.algorithm = "winograd F(4,3)";
  conv.op = "conv2d";
  conv.node = kNastyName;
  conv.fusedOps = {"conv2d", "batch_norm", "add", "relu"};
  conv.fusedNodes = {kNastyName, "bn", "add", "relu"};
  conv.inputShapes = {{1, 3, 8, 8}, {4, 3, 3, 3}};
  conv.outputShape = {1, 4, 8, 8};
  conv.macs = 6912;
  conv.params = 112;
  conv.bytesRead = 1200;
  conv.bytesWritten = 1024;
  conv.timeNs = 1500.0;
  LayerReport copy;
  copy.index = 1;
  copy.kernel = "k1_copy";
  copy.op = "copy";
  r.layers = {conv, copy};
  PassReport pass;
  pass.index = 1;
  pass.pass = "kiln-fold-batch-norm";
  pass.dumpFile = "passes/01-kiln-fold-batch-norm.mlir";
  pass.before.opCounts = {{"kiln.conv2d", 1}, {"kiln.batch_norm", 1}};
  pass.before.bytesRead = 100;
  pass.before.bytesWritten = 50;
  pass.after.opCounts = {{"kiln.conv2d", 1}};
  pass.after.bytesRead = 60;
  pass.after.bytesWritten = 20;
  r.passes = {pass};
  r.profiled = true;
  r.profileRuns = 5;
  r.files = {"report.json", "report.html"};
  return r;
}

llvm::json::Object parseObject(const std::string &text) {
  auto parsed = llvm::json::parse(text);
  EXPECT_TRUE((bool)parsed) << llvm::toString(parsed.takeError());
  if (!parsed || !parsed->getAsObject())
    return {};
  return *parsed->getAsObject();
}

TEST(ReportJson, RoundTripsEveryField) {
  llvm::json::Object root = parseObject(reportJsonText(sampleReport(), true));
  auto *summary = root.getObject("summary");
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->getInteger("residual_adds_fused"), 3);
  EXPECT_EQ(summary->getInteger("residual_adds_total"), 4);
  EXPECT_EQ(summary->getInteger("depthwise_pointwise_fused"), 0);
  EXPECT_EQ(summary->getInteger("depthwise_pointwise_candidates"), 2);
  EXPECT_EQ(summary->getInteger("concat_copies"), 1);
  EXPECT_EQ(summary->getInteger("slice_views"), 2);

  auto *layers = root.getArray("layers");
  ASSERT_TRUE(layers);
  ASSERT_EQ(layers->size(), 2u);
  auto *conv = (*layers)[0].getAsObject();
  EXPECT_EQ(conv->getString("node"), kNastyName);
  EXPECT_EQ(conv->getInteger("macs"), 6912);
  EXPECT_EQ(conv->getString("algorithm"), "winograd F(4,3)");
  EXPECT_EQ(conv->getNumber("time_ns"), 1500.0);
  auto *fused = conv->getArray("fused_ops");
  ASSERT_TRUE(fused);
  ASSERT_EQ(fused->size(), 4u);
  EXPECT_EQ((*fused)[2].getAsString(), "add");
  auto *inputs = conv->getArray("input_shapes");
  ASSERT_TRUE(inputs);
  EXPECT_EQ((*(*inputs)[1].getAsArray())[0].getAsInteger(), 4);
  // A layer without a time has an explicit null.
  auto *copy = (*layers)[1].getAsObject();
  ASSERT_TRUE(copy->get("time_ns"));
  EXPECT_EQ(copy->get("time_ns")->kind(), llvm::json::Value::Null);

  auto *totals = root.getObject("totals");
  EXPECT_EQ(totals->getInteger("bytes_read"), 1200);
  EXPECT_EQ(totals->getNumber("time_ns"), 1500.0);

  auto *passes = root.getArray("passes");
  ASSERT_EQ(passes->size(), 1u);
  auto *pass = (*passes)[0].getAsObject();
  EXPECT_EQ(pass->getInteger("bytes_before"), 150);
  EXPECT_EQ(pass->getInteger("bytes_after"), 80);
  EXPECT_EQ(pass->getObject("ops_before")->getInteger("kiln.batch_norm"), 1);
  EXPECT_FALSE(pass->getObject("ops_after")->get("kiln.batch_norm"));
}

TEST(ReportJson, UnprofiledTotalsHaveNullTime) {
  ModelReport r = sampleReport();
  r.profiled = false;
  r.profileNote = "cross target";
  llvm::json::Object root = parseObject(reportJsonText(r, false));
  EXPECT_EQ(root.getObject("totals")->get("time_ns")->kind(),
            llvm::json::Value::Null);
  EXPECT_EQ(root.getObject("profile")->getBoolean("measured"), false);
  EXPECT_EQ(root.getObject("profile")->getString("note"), "cross target");
}

TEST(ReportJson, InvalidUtf8IsRepaired) {
  ModelReport r = sampleReport();
  r.layers[0].node = "bad\xff\xfe";
  llvm::json::Object root = parseObject(reportJsonText(r, false));
  auto node = (*root.getArray("layers"))[0].getAsObject()->getString("node");
  ASSERT_TRUE(node);
  EXPECT_TRUE(node->starts_with("bad"));
}

/// The text of the <script type="application/json"> element.
std::string embeddedJson(const std::string &html) {
  std::string open = "<script type=\"application/json\" id=\"report-data\">";
  size_t start = html.find(open);
  EXPECT_NE(start, std::string::npos);
  start += open.size();
  size_t end = html.find("</script>", start);
  EXPECT_NE(end, std::string::npos);
  return html.substr(start, end - start);
}

TEST(ReportHtml, EmbedsTheJsonSafely) {
  std::string html = reportHtml(sampleReport());
  std::string data = embeddedJson(html);
  // No '<' at all inside the element: it cannot close or comment it.
  EXPECT_EQ(data.find('<'), std::string::npos);
  // Still the same report, names intact after JSON decoding.
  llvm::json::Object root = parseObject(data);
  auto *layers = root.getArray("layers");
  ASSERT_TRUE(layers);
  EXPECT_EQ((*layers)[0].getAsObject()->getString("node"), kNastyName);
  // The page carries the containers its script fills, and the script.
  for (const char *id : {"id=\"layers-box\"", "id=\"passes-box\"",
                         "id=\"summary-box\"", "id=\"status\""})
    EXPECT_NE(html.find(id), std::string::npos) << id;
  EXPECT_NE(html.find("'layer-' + l.index"), std::string::npos);
  EXPECT_EQ(html.find("alert(1)</script>"), std::string::npos);
}

TEST(ReportHtml, InlinesTheGraphSvgWithoutProlog) {
  ModelReport r = sampleReport();
  r.graphSvg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg width=\"1\">"
               "<g/></svg>\n";
  std::string html = reportHtml(r);
  EXPECT_NE(html.find("<svg width=\"1\"><g/></svg>"), std::string::npos);
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  // No SVG, no graph section.
  EXPECT_EQ(reportHtml(sampleReport()).find("id=\"graph\""), std::string::npos);
}

TEST(ReportHtml, EscapesText) {
  EXPECT_EQ(htmlEscape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
  EXPECT_EQ(jsonForScriptElement("{\"a\":\"</script>\"}"),
            "{\"a\":\"\\u003c/script>\"}");
  std::string html = reportHtml(sampleReport());
  EXPECT_NE(html.find("<title>Kiln report: net</title>"), std::string::npos);
}

} // namespace
