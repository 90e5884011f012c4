//===- kiln-opt.cpp - MLIR opt driver with every kiln pass ----------------===//
//
// Parses kiln IR, runs the requested passes, prints the result: the tool for
// lit tests and for watching what each pass does.
//
//===----------------------------------------------------------------------===//
#include "compiler/passes/PassPipeline.h"
#include "compiler/passes/Passes.h"
#include "dialects/kiln/KilnDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

namespace {

/// Kiln's own passes. Each pass area adds one registration call here (e.g.
/// `kiln::registerKilnFusionPasses();` from its Passes.h, and its library to
/// tools/kiln-opt/CMakeLists.txt) so that every pass is reachable from lit
/// tests as `kiln-opt --<pass-name>`.
void registerKilnPasses() {
  kiln::registerKilnPasses(); // --kiln-fold-batch-norm, --kiln-fuse-...
  kiln::registerKilnOptimizationPipeline(); // --kiln-optimize
}

} // namespace

int main(int argc, char **argv) {
  // Upstream passes the kiln pipeline relies on: --canonicalize, --cse, ...
  mlir::registerTransformsPasses();
  registerKilnPasses();

  mlir::DialectRegistry registry;
  registry.insert<kiln::KilnDialect, mlir::func::FuncDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Kiln optimizer driver\n", registry));
}
