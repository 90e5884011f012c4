//===- GraphDot.h - The fused graph as Graphviz DOT -------------*- C++ -*-===//
//
// One node per op of the optimized @main (constants left out: they are the
// weights), one per model input and output, edges along the data flow.
// Fused ops are filled green and list the imported ops they cover; reshapes
// (views, no kernel) are dashed. `renderDotToSvg` runs Graphviz's `dot` when
// it is installed.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_REPORT_GRAPHDOT_H
#define KILN_COMPILER_REPORT_GRAPHDOT_H

#include "compiler/report/FusionAnalysis.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace kiln {

/// DOT text of `module`'s @main ("" if it has none).
std::string
fusedGraphDot(mlir::ModuleOp module,
              const llvm::DenseMap<mlir::Operation *, FusionGroup> &groups);

/// Text quoted for a DOT string ("..." with \" and \\ escaped, newlines as
/// \n).
std::string dotQuote(const std::string &text);

/// Runs `dot -Tsvg dotPath -o svgPath`. Returns false with `why` set when
/// Graphviz is not installed or fails.
bool renderDotToSvg(const std::string &dotPath, const std::string &svgPath,
                    std::string &why);

} // namespace kiln

#endif // KILN_COMPILER_REPORT_GRAPHDOT_H
