//===- RewriteConfig.h - Greedy settings of the kiln passes -----*- C++ -*-===//
//
// The fusion and folding passes apply only their own patterns: no folding,
// no constant CSE, no region simplification (canonicalize runs separately in
// the pipeline), so a pass test shows exactly what that pass did.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_PASSES_REWRITECONFIG_H
#define KILN_COMPILER_PASSES_REWRITECONFIG_H

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {

inline mlir::GreedyRewriteConfig patternsOnlyRewriteConfig() {
  mlir::GreedyRewriteConfig config;
  config.enableFolding(false)
      .enableConstantCSE(false)
      .setRegionSimplificationLevel(mlir::GreedySimplifyRegionLevel::Disabled);
  return config;
}

} // namespace kiln

#endif // KILN_COMPILER_PASSES_REWRITECONFIG_H
