//===- ReportBuilder.cpp - A ModelReport from one compilation -------------===//
#include "compiler/report/ReportBuilder.h"

#include "compiler/analysis/ModelStats.h"
#include "compiler/kernelize/Kernelize.h"
#include "compiler/report/FusionAnalysis.h"
#include "compiler/report/ReportHtml.h"
#include "compiler/report/ReportJson.h"
#include "compiler/support/TextFile.h"
#include "dialects/kiln/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace mlir;

namespace kiln {
namespace {

/// "direct", or "winograd F(m,r)" (output tile m, window r x r), with
/// " stride 2" for the stride-2 transform.
std::string convAlgorithmName(const KernelSpec &spec) {
  if (!spec.winogradTile)
    return "direct";
  int64_t window = spec.kernel.empty() ? 3 : spec.kernel[0];
  int64_t stride = spec.strides.empty() ? 1 : spec.strides[0];
  return "winograd F(" + std::to_string(spec.winogradTile) + "," +
         std::to_string(window) + ")" +
         (stride > 1 ? " stride " + std::to_string(stride) : "");
}

int64_t bytesOf(const std::vector<int64_t> &shape) {
  int64_t n = (int64_t)sizeof(float);
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Widest power of two <= lanes and <= extent, as CpuSchedule.cpp's
/// lanesFor picks the vector width of the output's innermost dimension.
int lanesFor(int64_t extent, int lanes) {
  int v = std::max(1, lanes);
  while (v > 1 && v > extent)
    v /= 2;
  return v;
}

/// MACs of a direct Conv2D kernel from its spec: output elements x the
/// weights' per-output-channel extent (dims 1-3 of OIHW [M, C/g, KH, KW]
/// and of packed [M/B, C, KH, KW, B] alike); `otherwise` for other kinds.
int64_t convKernelMacs(const KernelSpec &spec, int64_t otherwise) {
  if (spec.kind != KernelKind::Conv2D || spec.winogradTile ||
      spec.inputShapes.size() < 2 || spec.inputShapes[1].size() < 4)
    return otherwise;
  const std::vector<int64_t> &w = spec.inputShapes[1];
  int64_t macs = w[1] * w[2] * w[3];
  for (int64_t d : spec.outputShape)
    macs *= d;
  return macs;
}

std::vector<std::string> epilogueOf(const KernelSpec &spec) {
  std::vector<std::string> e;
  if (spec.kind == KernelKind::SeparableConv2D &&
      spec.dwActivation != Activation::None)
    e.push_back(std::string("depthwise ") + activationName(spec.dwActivation));
  if (spec.hasBias)
    e.push_back("bias");
  if (spec.hasResidual)
    e.push_back("residual");
  if (spec.activation != Activation::None)
    e.push_back(activationName(spec.activation));
  return e;
}

} // namespace

std::string scheduleFamily(const std::string &halideTarget, int &lanes) {
  auto has = [&](const char *feature) {
    return halideTarget.find(feature) != std::string::npos;
  };
  // The natural float32 vector of the target, as Halide reports it to
  // CpuSchedule.cpp (avx512: 16 lanes, avx/avx2: 8, sse/neon: 4).
  if (has("cuda") || has("opencl") || has("metal") || has("vulkan")) {
    lanes = 0;
    return "gpu (no schedule yet)";
  }
  if (has("avx512"))
    lanes = 16;
  else if (has("avx"))
    lanes = 8;
  else
    lanes = 4;
  return "cpu-vector<" + std::to_string(lanes) + ">";
}

bool buildModelReport(const ReportInputs &in, ModelReport &report,
                      std::string &error) {
  const ModelPlan &plan = *in.plan;
  report.model = in.modelPath;
  report.name = plan.name;
  report.target = in.target;
  report.halideTarget = in.halideTarget;
  int lanes = 4;
  report.schedule = scheduleFamily(in.halideTarget, lanes);
  // TODO(halide): compiler/halide does not report the schedule it chose
  // per kernel (tiles, split factors, parallel loops). Until it does, the
  // family and vector width are derived from the target the same way
  // CpuSchedule.cpp derives them.
  report.scheduleNote =
      "TODO: schedules are derived from the target (family, output vector "
      "width), not read from the Halide backend, which does not expose its "
      "per-kernel choices (tile sizes) yet.";
  report.arenaBytes = (int64_t)plan.arenaBytes;
  report.arenaBytesWithoutReuse = (int64_t)plan.arenaBytesWithoutReuse;
  report.weightBytes = (int64_t)(plan.weights.size() * sizeof(float));
  report.distinctKernels = in.distinctKernels;
  report.passes = in.passes;

  if (!computeFusionSummary(in.imported, in.optimized, report.summary, error))
    return false;
  report.summary.concatCopies = (int64_t)plan.concatCopies;
  report.summary.sliceViews = (int64_t)plan.sliceViews;

  auto stats = computeModelStats(in.optimized, error);
  if (!stats)
    return false;
  auto groups = inferFusionGroups(in.imported, in.optimized);
  // ModelStats' layers are @main's ops without constants and the return,
  // in order: pair them with the ops.
  std::vector<Operation *> ops;
  ModuleOp optimized = in.optimized;
  auto main = optimized.lookupSymbol<func::FuncOp>("main");
  for (Operation &op : main.getBody().front())
    if (!isa<ConstantOp, func::ReturnOp>(op))
      ops.push_back(&op);
  if (ops.size() != stats->layers.size()) {
    error = "internal: ModelStats layers do not match @main's ops";
    return false;
  }

  size_t next = 0; // the calls follow the ops' order
  for (auto [k, call] : llvm::enumerate(plan.calls)) {
    LayerReport layer;
    layer.index = k;
    layer.kernel = call.spec.name;
    layer.kernelKind = kernelKindName(call.spec.kind);
    if (call.spec.kind == KernelKind::Conv2D)
      layer.algorithm = convAlgorithmName(call.spec);
    if (call.spec.zeroSkipPointwise)
      layer.algorithm = "zero-skipping pointwise";
    layer.epilogue = epilogueOf(call.spec);
    // Shapes as the spec has them: logical NCHW for channel-blocked
    // arguments too (whole blocks, so the same bytes).
    for (size_t a = 0; a + 1 < call.args.size(); ++a) {
      layer.inputShapes.push_back(call.spec.inputShapes[a]);
      layer.bytesRead += bytesOf(call.args[a].shape);
      if (call.spec.inputBlocked(a))
        layer.blockedInputs.push_back((int64_t)a);
    }
    if (!call.args.empty()) {
      layer.outputShape = call.spec.outputShape;
      layer.bytesWritten = bytesOf(call.args.back().shape);
    }
    layer.blockedOutput = call.spec.blockedOutput;
    size_t j = next;
    while (j < ops.size() && kernelOrigin(ops[j]) != call.origin)
      ++j;
    if (j == ops.size() && next > 0 &&
        kernelOrigin(ops[next - 1]) == call.origin &&
        !report.layers.empty()) {
      // A further kernel of the op before (a separable conv run as a
      // depthwise and a 1x1 kernel): same op and nodes; each kernel counts
      // its own MACs, the op's parameters stay with its first kernel.
      LayerReport &first = report.layers.back();
      first.macs = convKernelMacs(plan.calls[k - 1].spec, first.macs);
      layer.op = first.op;
      layer.node = first.node;
      layer.fusedOps = first.fusedOps;
      layer.fusedNodes = first.fusedNodes;
      layer.macs = convKernelMacs(call.spec, 0);
    } else if (j < ops.size()) {
      next = j + 1;
      const LayerStats &s = stats->layers[j];
      layer.op = s.op;
      layer.node = s.name;
      layer.macs = s.macs;
      layer.params = s.params;
      auto g = groups.find(ops[j]);
      if (g != groups.end()) {
        layer.fusedOps = g->second.ops;
        layer.fusedNodes = g->second.nodes;
      }
    } else {
      layer.op = "copy"; // an output copy the kernelizer added
      layer.node = call.origin;
      layer.fusedOps = {"copy"};
    }
    layer.schedule = report.schedule;
    if (lanes > 0 && !layer.outputShape.empty()) {
      int v = lanesFor(layer.outputShape.back(), lanes);
      // Innermost output dim vectorized by v lanes, outer dims parallel.
      layer.scheduleDetail = "lanes=" + std::to_string(v);
    }
    report.layers.push_back(std::move(layer));
  }
  return true;
}

void applyProfile(const KernelProfile &profile, ModelReport &report) {
  for (LayerReport &layer : report.layers)
    if (layer.index < profile.medianNs.size())
      layer.timeNs = profile.medianNs[layer.index];
  report.profiled = true;
  report.profileRuns = profile.runs;
}

bool writeReportFiles(const std::string &dumpDir, ModelReport &report,
                      std::string &error) {
  namespace fs = std::filesystem;
  report.files.clear();
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dumpDir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file())
      report.files.push_back(
          fs::relative(it->path(), dumpDir, ec).generic_string());
  for (const char *own : {"report.json", "report.html"})
    if (std::find(report.files.begin(), report.files.end(), own) ==
        report.files.end())
      report.files.push_back(own);
  std::sort(report.files.begin(), report.files.end());
  return writeTextFile(dumpDir + "/report.json", reportJsonText(report, true),
                   error) &&
         writeTextFile(dumpDir + "/report.html", reportHtml(report), error);
}

} // namespace kiln
