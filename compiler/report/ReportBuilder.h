//===- ReportBuilder.h - A ModelReport from one compilation -----*- C++ -*-===//
//
// Joins what the phases produced into the report's plain data: the kernel
// plan (one layer per kernel call: shapes, bytes read and written), the
// optimized IR (per-layer MACs and params from ModelStats, the op behind
// each call, matched by the call's origin), the fusion groups and summary
// (FusionAnalysis.h), the pass reports (PassDumpInstrumentation.h) and
// optionally the measured times (ProfileRun.h).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_REPORT_REPORTBUILDER_H
#define KILN_COMPILER_REPORT_REPORTBUILDER_H

#include "compiler/kernelize/ModelPlan.h"
#include "compiler/report/ProfileRun.h"
#include "compiler/report/ReportModel.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace kiln {

struct ReportInputs {
  std::string modelPath, target, halideTarget;
  mlir::ModuleOp imported;  // before optimization (a copy)
  mlir::ModuleOp optimized; // what was kernelized
  const ModelPlan *plan = nullptr;
  size_t distinctKernels = 0;
  std::vector<PassReport> passes;
};

/// The schedule family of a Halide target string, e.g. "cpu-vector<16>"
/// for AVX-512, and its float32 vector lanes.
std::string scheduleFamily(const std::string &halideTarget, int &lanes);

/// Builds the report (times unset: see applyProfile). Returns false and
/// sets `error` when the IR cannot be analyzed.
bool buildModelReport(const ReportInputs &in, ModelReport &report,
                      std::string &error);

/// Puts measured medians on the layers and marks the report profiled.
void applyProfile(const KernelProfile &profile, ModelReport &report);

/// Writes report.json and report.html into `dumpDir` (report.files lists
/// the folder's files first). Returns false and sets `error` on I/O errors.
bool writeReportFiles(const std::string &dumpDir, ModelReport &report,
                      std::string &error);

} // namespace kiln

#endif // KILN_COMPILER_REPORT_REPORTBUILDER_H
