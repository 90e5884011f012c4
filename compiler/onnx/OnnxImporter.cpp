//===- OnnxImporter.cpp - ONNX model -> kiln dialect ----------------------===//
#include "compiler/onnx/OnnxImporter.h"

#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OnnxModelReader.h"

using namespace kiln;

mlir::OwningOpRef<mlir::ModuleOp>
kiln::importOnnxFile(mlir::MLIRContext &context, const std::string &path,
                     std::string &error, const InputShapes &shapes) {
  error.clear();
  OnnxModel model;
  if (!readOnnxModel(path, model, error))
    return nullptr;
  GraphImporter importer(context, model, shapes);
  return importer.importGraph(error);
}
