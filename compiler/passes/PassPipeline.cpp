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
  return "fold-pad, fold-batch-norm, fuse-activation, fuse-residual-add, "
         "fuse-depthwise-pointwise, fuse-inverted-residual";
}

bool disableKilnPass(KilnPipelineOptions &options, const std::string &name) {
  if (name == "fold-pad")
    options.foldPad = false;
  else if (name == "fold-batch-norm")
    options.foldBatchNorm = false;
  else if (name == "fuse-activation")
    options.fuseActivation = false;
  else if (name == "fuse-residual-add")
    options.fuseResidualAdd = false;
  else if (name == "fuse-depthwise-pointwise")
    options.fuseDepthwisePointwise = false;
  else if (name == "fuse-inverted-residual")
    options.fuseInvertedResidual = false;
  else
    return false;
  return true;
}

void buildKilnOptimizationPipeline(OpPassManager &pm,
                                   const KilnPipelineOptions &options) {
  bool foldPad = options.fuse && options.foldPad;
  bool foldBatchNorm = options.fuse && options.foldBatchNorm;
  bool fuseResidualAdd = options.fuse && options.fuseResidualAdd;
  bool fuseActivation = options.fuse && options.fuseActivation;
  bool fuseDepthwisePointwise = options.fuse && options.fuseDepthwisePointwise;
  // Builds on the separable ops, so it needs that pass.
  bool fuseInvertedResidual =
      fuseDepthwisePointwise && options.fuseInvertedResidual;
  // Pads first: a pad left unfolded is a whole extra copy of a tensor.
  if (foldPad)
    pm.addNestedPass<func::FuncOp>(createFoldPadPass());
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
  // Last: both convs of a pair then carry their epilogues (the depthwise
  // ReLU6, the pointwise residual) into the separable op.
  if (fuseDepthwisePointwise)
    pm.addNestedPass<func::FuncOp>(createFuseDepthwisePointwisePass());
  // Then the expand conv feeding a separable op joins it.
  if (fuseInvertedResidual)
    pm.addNestedPass<func::FuncOp>(createFuseInvertedResidualPass());
  if (foldPad || foldBatchNorm || fuseResidualAdd || fuseActivation ||
      fuseDepthwisePointwise)
    pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

namespace {

struct KilnOptimizePipelineOptions
    : public PassPipelineOptions<KilnOptimizePipelineOptions> {
  Option<bool> fuse{*this, "fuse",
                    llvm::cl::desc("Run the fusion passes at all"),
                    llvm::cl::init(true)};
  Option<bool> foldPad{*this, "fold-pad", llvm::cl::desc("Run kiln-fold-pad"),
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
  Option<bool> fuseDepthwisePointwise{
      *this, "fuse-depthwise-pointwise",
      llvm::cl::desc("Run kiln-fuse-depthwise-pointwise"),
      llvm::cl::init(true)};
  Option<bool> fuseInvertedResidual{
      *this, "fuse-inverted-residual",
      llvm::cl::desc("Run kiln-fuse-inverted-residual"),
      llvm::cl::init(true)};
};

} // namespace

void registerKilnOptimizationPipeline() {
  PassPipelineRegistration<KilnOptimizePipelineOptions>(
      "kiln-optimize",
      "The kiln compile optimize phase: fold pads and batch norms, fuse "
      "residual adds, activations, depthwise + pointwise pairs and "
      "inverted residual blocks, "
      "canonicalize, CSE",
      [](OpPassManager &pm, const KilnOptimizePipelineOptions &cl) {
        KilnPipelineOptions options;
        options.fuse = cl.fuse;
        options.foldPad = cl.foldPad;
        options.foldBatchNorm = cl.foldBatchNorm;
        options.fuseResidualAdd = cl.fuseResidualAdd;
        options.fuseActivation = cl.fuseActivation;
        options.fuseDepthwisePointwise = cl.fuseDepthwisePointwise;
        options.fuseInvertedResidual = cl.fuseInvertedResidual;
        buildKilnOptimizationPipeline(pm, options);
      });
}

} // namespace kiln
