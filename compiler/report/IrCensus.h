//===- IrCensus.h - Op counts and memory traffic of IR ----------*- C++ -*-===//
//
// What the pass summary compares before and after each pass: ops per kind
// and the bytes all ops read and write. Conventions: every op counts by its
// full name (kiln.conv2d, kiln.constant, ...) except ops with regions
// (module, func) and terminators. Traffic: each compute op reads all its
// tensor operands (weights included) and writes its results, once;
// kiln.constant and kiln.reshape (a view) move nothing.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_REPORT_IRCENSUS_H
#define KILN_COMPILER_REPORT_IRCENSUS_H

#include "compiler/report/ReportModel.h"

namespace mlir {
class Operation;
} // namespace mlir

namespace kiln {

/// The census of everything nested in `root`.
IrCensus takeIrCensus(mlir::Operation *root);

} // namespace kiln

#endif // KILN_COMPILER_REPORT_IRCENSUS_H
