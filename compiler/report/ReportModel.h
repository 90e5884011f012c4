//===- ReportModel.h - What a compile report says, as plain data -*- C++
//-*-===//
//
// The content of report.json / report.html (`kiln compile --dump=DIR`): one
// row per kernel call (layer), one row per optimization pass, and the fusion
// summary. Plain data, so the JSON and HTML writers and their tests need
// neither MLIR nor a model; ReportBuilder.h fills it from a compilation.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_REPORT_REPORTMODEL_H
#define KILN_COMPILER_REPORT_REPORTMODEL_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kiln {

/// One kernel call of the compiled model.
struct LayerReport {
  size_t index = 0;       // position in the run (kernel call k)
  std::string kernel;     // generated function (shared by identical calls)
  std::string kernelKind; // KernelSpec kind, e.g. "Conv2D"
  /// Conv2D: "direct" or "winograd F(m,r)", e.g. F(4,3) or F(2,5)
  /// (" stride 2" appended for the stride-2 F(2,3))
  /// (KernelSpec::winogradTile and the window);
  /// empty for other kinds.
  std::string algorithm;
  std::string op;         // kiln op of the optimized IR, e.g. "conv2d"
  std::string node;       // ONNX node name of that op ("" if none)
  /// Imported kiln ops the call covers, in data-flow order, e.g.
  /// {"conv2d", "batch_norm", "add", "relu"}, and their ONNX node names.
  std::vector<std::string> fusedOps;
  std::vector<std::string> fusedNodes;
  /// Epilogue of the call ("bias", "residual", "relu", ...).
  std::vector<std::string> epilogue;
  /// Logical shapes (NCHW even for channel-blocked arguments).
  std::vector<std::vector<int64_t>> inputShapes; // weights included
  std::vector<int64_t> outputShape;
  /// Channel-blocked (NCHW16c) arguments: input indices, and the output.
  std::vector<int64_t> blockedInputs;
  bool blockedOutput = false;
  int64_t macs = 0;
  int64_t params = 0;
  int64_t bytesRead = 0;    // all inputs (weights included)
  int64_t bytesWritten = 0; // the output
  /// Schedule family and its per-kernel knobs, e.g. "cpu-vector<16>".
  std::string schedule;
  std::string scheduleDetail;
  /// Median wall time of this call over the profiling runs; none when the
  /// model was not run (ModelReport::profileNote says why).
  std::optional<double> timeNs;
};

/// Op counts and memory traffic of the IR at one point of the pipeline.
struct IrCensus {
  std::map<std::string, int64_t> opCounts; // "kiln.conv2d" -> 3
  int64_t bytesRead = 0, bytesWritten = 0;
};

/// What one optimization pass changed.
struct PassReport {
  size_t index = 0;
  std::string pass;     // command-line name, e.g. "kiln-fold-batch-norm"
  std::string dumpFile; // the IR after it, relative to the dump folder
  IrCensus before, after;
  bool failed = false;
};

/// The counts that track the fusion work (report.json "summary").
struct FusionSummary {
  int64_t depthwisePointwiseFused = 0;
  int64_t depthwisePointwiseCandidates = 0;
  int64_t invertedResidualFused = 0;
  int64_t invertedResidualCandidates = 0;
  int64_t residualAddsFused = 0;
  int64_t residualAddsTotal = 0;
  int64_t concatCopies = 0;
  int64_t sliceViews = 0;
};

struct ModelReport {
  std::string model;        // input file
  std::string name;         // C prefix
  std::string target;       // Kiln target name
  std::string halideTarget; // resolved Halide target string
  std::string schedule;     // family of the whole artifact
  std::string scheduleNote; // why the per-kernel schedule is approximate
  std::vector<LayerReport> layers;
  std::vector<PassReport> passes;
  FusionSummary summary;
  int64_t arenaBytes = 0, arenaBytesWithoutReuse = 0, weightBytes = 0;
  size_t distinctKernels = 0;
  /// Profiling: true when the layers carry times; else profileNote says why.
  bool profiled = false;
  std::string profileNote;
  int profileRuns = 0;
  /// Files of the dump folder (relative), for the page's index.
  std::vector<std::string> files;
  /// Fused graph as SVG text (embedded in the HTML) if Graphviz ran.
  std::string graphSvg;
};

} // namespace kiln

#endif // KILN_COMPILER_REPORT_REPORTMODEL_H
