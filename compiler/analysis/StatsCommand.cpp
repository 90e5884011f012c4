//===- StatsCommand.cpp - The `kiln stats` command ------------------------===//
#include "compiler/analysis/StatsCommand.h"

#include "compiler/analysis/ModelStats.h"
#include "compiler/analysis/StatsFormat.h"
#include "compiler/onnx/OnnxImporter.h"
#include "dialects/kiln/KilnDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

namespace kiln {

int printModelStats(const std::string &inputPath, bool json,
                    const InputShapes &shapes) {
  auto fail = [](const std::string &message) {
    std::fprintf(stderr, "kiln: error: %s\n", message.c_str());
    return 1;
  };
  mlir::MLIRContext context;
  context.loadDialect<KilnDialect, mlir::func::FuncDialect>();
  std::string error;
  // Counted on the imported IR: no folding, so batch norms stay separate
  // layers with their own parameters.
  auto module = importOnnxFile(context, inputPath, error, shapes);
  if (!module)
    return fail(error);
  auto stats = computeModelStats(*module, error);
  if (!stats)
    return fail(inputPath + ": " + error);
  if (json)
    printStatsJson(*stats, inputPath, llvm::outs());
  else
    printStatsTable(*stats, inputPath, llvm::outs());
  llvm::outs().flush();
  return 0;
}

} // namespace kiln
