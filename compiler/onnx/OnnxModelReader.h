//===- OnnxModelReader.h - Parse and validate an ONNX file ------*- C++ -*-===//
//
// Reads a ModelProto from disk (large models included) and checks the parts
// the importer relies on before any op is converted: a graph, a supported
// default-domain opset, nodes in topological order with unique outputs.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ONNX_ONNXMODELREADER_H
#define KILN_COMPILER_ONNX_ONNXMODELREADER_H

#include "onnx/onnx_pb.h"

#include <cstdint>
#include <string>

namespace kiln {

/// Oldest default-domain opset a model may import. Each op type also has its
/// own oldest opset, from which on its semantics are the ones the converter
/// implements (oldestSupportedOpset in OpConverters.h: e.g. Clip bounds are
/// inputs from opset 11 on).
inline constexpr int64_t kMinOnnxOpset = 1;

/// A parsed and structurally validated ONNX model.
struct OnnxModel {
  onnx::ModelProto proto;
  /// The path as given by the user; error messages start with it.
  std::string path;
  /// Folder holding the model file; external data is resolved against it.
  std::string directory;
  /// Version of the default ("" / "ai.onnx") domain.
  int64_t opset = 0;
};

/// Parses `path` into `model` and validates its structure. On failure returns
/// false and sets `error` to a message starting with "<path>: ".
bool readOnnxModel(const std::string &path, OnnxModel &model,
                   std::string &error);

} // namespace kiln

#endif // KILN_COMPILER_ONNX_ONNXMODELREADER_H
