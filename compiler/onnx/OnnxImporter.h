//===- OnnxImporter.h - ONNX model -> kiln dialect --------------*- C++ -*-===//
//
// Reads an ONNX model file (opset 11 and later) and builds a module holding
// one `func.func @main` in the kiln dialect, verified and shape-inferred.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ONNX_ONNXIMPORTER_H
#define KILN_COMPILER_ONNX_ONNXIMPORTER_H

#include "compiler/onnx/InputShapes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>

namespace kiln {

/// Attribute names carried by @main: each argument and result has a
/// `kiln.name` string attribute holding the ONNX tensor name.
inline constexpr const char *kTensorNameAttr = "kiln.name";

/// Imports `path`. The context must have the kiln and func dialects loaded.
/// On failure returns null and sets `error` to a one-line message naming the
/// file and, where it applies, the node (e.g. "model.onnx: node 'conv1'
/// (Conv): ..."). Never crashes on malformed input. `shapes` replace the
/// declared shapes of the graph inputs they name (InputShapes.h).
mlir::OwningOpRef<mlir::ModuleOp> importOnnxFile(mlir::MLIRContext &context,
                                                 const std::string &path,
                                                 std::string &error,
                                                 const InputShapes &shapes = {});

} // namespace kiln

#endif // KILN_COMPILER_ONNX_ONNXIMPORTER_H
