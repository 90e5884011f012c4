//===- PassPipeline.h - The kiln optimization pipeline ----------*- C++ -*-===//
//
// What the driver's optimize phase runs: batch-norm folding, epilogue fusion
// and the upstream cleanups between them. Light on purpose (no MLIR headers)
// so the CLI can validate pass names without pulling in the pass library's
// dependencies.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_PASSES_PASSPIPELINE_H
#define KILN_COMPILER_PASSES_PASSPIPELINE_H

#include <string>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace kiln {

/// Which optional passes run. `fuse = false` turns all of them off (only
/// canonicalize and CSE run).
struct KilnPipelineOptions {
  bool fuse = true;
  bool foldPad = true;
  bool foldBatchNorm = true;
  bool fuseResidualAdd = true;
  bool fuseActivation = true;
  bool fuseDepthwisePointwise = true;
  bool fuseInvertedResidual = true;
};

/// The names --disable-pass accepts, for messages:
/// "fold-pad, fold-batch-norm, fuse-activation, fuse-residual-add,
/// fuse-depthwise-pointwise, fuse-inverted-residual".
const char *kilnOptionalPassNames();

/// Turns off the optional pass called `name` (one of kilnOptionalPassNames(),
/// without the "kiln-" prefix). Returns false, changing nothing, if there is
/// no such pass.
bool disableKilnPass(KilnPipelineOptions &options, const std::string &name);

/// Appends the optimization pipeline to `pm` (anchored on builtin.module):
/// fold-pad, fold-batch-norm, canonicalize, fuse-residual-add, fuse-activation,
/// fuse-depthwise-pointwise, fuse-inverted-residual, canonicalize, cse — or
/// canonicalize, cse when nothing is to be fused.
void buildKilnOptimizationPipeline(mlir::OpPassManager &pm,
                                   const KilnPipelineOptions &options);

/// Registers the pipeline as `kiln-opt --kiln-optimize` with the options
/// fuse, fold-pad, fold-batch-norm, fuse-residual-add, fuse-activation,
/// fuse-depthwise-pointwise and fuse-inverted-residual (booleans).
void registerKilnOptimizationPipeline();

} // namespace kiln

#endif // KILN_COMPILER_PASSES_PASSPIPELINE_H
