//===- PassPipeline.cpp - The kiln optimization pipeline ------------------===//
#include "compiler/passes/PassPipeline.h"

#include "compiler/passes/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace kiln {

const char *kilnOptionalPassNames() {
  return "fold-batch-norm, fuse-activation, fuse-residual-add";
}

bool disableKilnPass(KilnPipelineOptions &options, const std::string &name) {
  if (name == "fold-batch-norm")
    options.foldBatchNorm = false;
  else if (name == "fuse-activation")
    options.fuseActivation = false;
  else if (name == "fuse-residual-add")
    options.fuseResidualAdd = false;
  else
    return false;
  return true;
}

void buildKilnOptimizationPipeline(OpPassManager &pm,
                                   const KilnPipelineOptions &options) {
  bool foldBatchNorm = options.fuse && options.foldBatchNorm;
  bool fuseResidualAdd = options.fuse && options.fuseResidualAdd;
  bool fuseActivation = options.fuse && options.fuseActivation;
  if (foldBatchNorm)
    pm.addNestedPass<func::FuncOp>(createFoldBatchNormPass());
  // Drops the weights the fold replaced before the fusions look at uses.
  pm.addPass(createCanonicalizerPass());
  // Residual first: the epilogue adds the residual before the activation,
  // so the block's final relu can only fuse once the add is gone.
  if (fuseResidualAdd)
    pm.addNestedPass<func::FuncOp>(createFuseResidualAddPass());
  if (fuseActivation)
    pm.addNestedPass<func::FuncOp>(createFuseActivationPass());
  if (foldBatchNorm || fuseResidualAdd || fuseActivation)
    pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

namespace {

struct KilnOptimizePipelineOptions
    : public PassPipelineOptions<KilnOptimizePipelineOptions> {
  Option<bool> fuse{*this, "fuse",
                    llvm::cl::desc("Run the fusion passes at all"),
                    llvm::cl::init(true)};
  Option<bool> foldBatchNorm{*this, "fold-batch-norm",
                             llvm::cl::desc("Run kiln-fold-batch-norm"),
                             llvm::cl::init(true)};
  Option<bool> fuseResidualAdd{*this, "fuse-residual-add",
                               llvm::cl::desc("Run kiln-fuse-residual-add"),
                               llvm::cl::init(true)};
  Option<bool> fuseActivation{*this, "fuse-activation",
                              llvm::cl::desc("Run kiln-fuse-activation"),
                              llvm::cl::init(true)};
};

} // namespace

void registerKilnOptimizationPipeline() {
  PassPipelineRegistration<KilnOptimizePipelineOptions>(
      "kiln-optimize",
      "The kiln compile optimize phase: fold batch norms, fuse residual adds "
      "and activations, canonicalize, CSE",
      [](OpPassManager &pm, const KilnOptimizePipelineOptions &cl) {
        KilnPipelineOptions options;
        options.fuse = cl.fuse;
        options.foldBatchNorm = cl.foldBatchNorm;
        options.fuseResidualAdd = cl.fuseResidualAdd;
        options.fuseActivation = cl.fuseActivation;
        buildKilnOptimizationPipeline(pm, options);
      });
}

} // namespace kiln
