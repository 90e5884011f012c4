//===- ReportJson.cpp - report.json from a ModelReport --------------------===//
#include "compiler/report/ReportJson.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

namespace kiln {
namespace {

/// Strings come from model files (node names): keep them valid UTF-8, as
/// llvm::json requires (it asserts otherwise).
Value str(const std::string &s) {
  return llvm::json::isUTF8(s) ? Value(s) : Value(llvm::json::fixUTF8(s));
}

Value shapeJson(const std::vector<int64_t> &shape) {
  Array a;
  for (int64_t d : shape)
    a.push_back(d);
  return a;
}

Value stringsJson(const std::vector<std::string> &items) {
  Array a;
  for (const std::string &s : items)
    a.push_back(str(s));
  return a;
}

Value countsJson(const std::map<std::string, int64_t> &counts) {
  Object o;
  for (const auto &[kind, n] : counts)
    o[llvm::json::isUTF8(kind) ? kind : llvm::json::fixUTF8(kind)] = n;
  return o;
}

Value layerJson(const LayerReport &l) {
  Array inputs;
  for (const auto &shape : l.inputShapes)
    inputs.push_back(shapeJson(shape));
  return Object{{"index", (int64_t)l.index},
                {"kernel", str(l.kernel)},
                {"kernel_kind", str(l.kernelKind)},
                {"algorithm", str(l.algorithm)},
                {"op", str(l.op)},
                {"node", str(l.node)},
                {"fused_ops", stringsJson(l.fusedOps)},
                {"fused_nodes", stringsJson(l.fusedNodes)},
                {"epilogue", stringsJson(l.epilogue)},
                {"input_shapes", std::move(inputs)},
                {"output_shape", shapeJson(l.outputShape)},
                {"blocked_inputs", shapeJson(l.blockedInputs)},
                {"blocked_output", l.blockedOutput},
                {"macs", l.macs},
                {"params", l.params},
                {"bytes_read", l.bytesRead},
                {"bytes_written", l.bytesWritten},
                {"schedule", str(l.schedule)},
                {"schedule_detail", str(l.scheduleDetail)},
                {"time_ns", l.timeNs ? Value(*l.timeNs) : Value(nullptr)}};
}

Value passJson(const PassReport &p) {
  return Object{{"index", (int64_t)p.index},
                {"pass", str(p.pass)},
                {"dump", str(p.dumpFile)},
                {"failed", p.failed},
                {"ops_before", countsJson(p.before.opCounts)},
                {"ops_after", countsJson(p.after.opCounts)},
                {"bytes_before", p.before.bytesRead + p.before.bytesWritten},
                {"bytes_after", p.after.bytesRead + p.after.bytesWritten}};
}

} // namespace

Value reportToJson(const ModelReport &r) {
  int64_t macs = 0, params = 0, read = 0, written = 0;
  double time = 0;
  for (const LayerReport &l : r.layers) {
    macs += l.macs;
    params += l.params;
    read += l.bytesRead;
    written += l.bytesWritten;
    time += l.timeNs.value_or(0);
  }
  Array layers, passes;
  for (const LayerReport &l : r.layers)
    layers.push_back(layerJson(l));
  for (const PassReport &p : r.passes)
    passes.push_back(passJson(p));
  const FusionSummary &s = r.summary;
  return Object{
      {"version", 1},
      {"model", str(r.model)},
      {"name", str(r.name)},
      {"target", str(r.target)},
      {"halide_target", str(r.halideTarget)},
      {"schedule", str(r.schedule)},
      {"schedule_note", str(r.scheduleNote)},
      {"summary",
       Object{
           {"depthwise_pointwise_fused", s.depthwisePointwiseFused},
           {"depthwise_pointwise_candidates", s.depthwisePointwiseCandidates},
           {"inverted_residual_fused", s.invertedResidualFused},
           {"inverted_residual_candidates", s.invertedResidualCandidates},
           {"residual_adds_fused", s.residualAddsFused},
           {"residual_adds_total", s.residualAddsTotal},
           {"concat_copies", s.concatCopies},
           {"slice_views", s.sliceViews}}},
      {"totals",
       Object{{"kernels", (int64_t)r.layers.size()},
              {"distinct_kernels", (int64_t)r.distinctKernels},
              {"macs", macs},
              {"params", params},
              {"bytes_read", read},
              {"bytes_written", written},
              {"arena_bytes", r.arenaBytes},
              {"arena_bytes_without_reuse", r.arenaBytesWithoutReuse},
              {"weight_bytes", r.weightBytes},
              {"time_ns", r.profiled ? Value(time) : Value(nullptr)}}},
      {"profile", Object{{"measured", r.profiled},
                         {"runs", r.profileRuns},
                         {"note", str(r.profileNote)}}},
      {"layers", std::move(layers)},
      {"passes", std::move(passes)},
      {"files", stringsJson(r.files)}};
}

std::string reportJsonText(const ModelReport &report, bool pretty) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (pretty)
    os << llvm::formatv("{0:1}", reportToJson(report));
  else
    os << reportToJson(report);
  os << "\n";
  return text;
}

} // namespace kiln
