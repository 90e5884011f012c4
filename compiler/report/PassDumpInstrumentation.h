//===- PassDumpInstrumentation.h - IR and census after each pass -*- C++
//-*-===//
//
// A PassInstrumentation for the optimize phase of `kiln compile --dump`:
// after every pass (pass adaptors excluded) it writes the whole module to
// <dir>/<NN>-<pass>.mlir, numbered in run order from 01, with large
// elements and resources elided so dumps stay small, and records a
// PassReport: the IR census (IrCensus.h) of the module before and after.
// A pass that fails is dumped as <NN>-<pass>.failed.mlir.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_REPORT_PASSDUMPINSTRUMENTATION_H
#define KILN_COMPILER_REPORT_PASSDUMPINSTRUMENTATION_H

#include "compiler/report/ReportModel.h"
#include "mlir/Pass/PassInstrumentation.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kiln {

/// Prints `module` the way every dump does: large constants elided.
std::string printModuleForDump(mlir::Operation *module);

class PassDumpInstrumentation : public mlir::PassInstrumentation {
public:
  /// `dir`: the folder for the files (created if missing). `prefix`: the
  /// folder's name relative to the dump root, recorded in
  /// PassReport::dumpFile. Reports go to `reports` (which must outlive the
  /// pass manager run).
  PassDumpInstrumentation(std::string dir, std::string prefix,
                          std::vector<PassReport> &reports);

  void runBeforePass(mlir::Pass *pass, mlir::Operation *op) override;
  void runAfterPass(mlir::Pass *pass, mlir::Operation *op) override;
  void runAfterPassFailed(mlir::Pass *pass, mlir::Operation *op) override;

  /// Files that could not be written ("" if none).
  std::string writeError() const;

private:
  void finish(mlir::Pass *pass, mlir::Operation *op, bool failed);

  std::string dir, prefix;
  std::vector<PassReport> &reports;
  std::vector<IrCensus> pendingBefore; // stack: nested pass managers
  std::string error;
  mutable std::mutex mutex; // nested pipelines may run on worker threads
};

} // namespace kiln

#endif // KILN_COMPILER_REPORT_PASSDUMPINSTRUMENTATION_H
