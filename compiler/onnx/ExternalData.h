//===- ExternalData.h - Tensor bytes stored beside the model ----*- C++ -*-===//
//
// ONNX lets an initializer keep its bytes in a separate file named by the
// `location` key, relative to the model's folder. Only files inside that
// folder are read: absolute paths and paths that leave it are refused.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ONNX_EXTERNALDATA_H
#define KILN_COMPILER_ONNX_EXTERNALDATA_H

#include "onnx/onnx_pb.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

/// Reads the external bytes of `tensor` into `bytes`. `expectedBytes` is the
/// size implied by the dims and element type; `length` (when given) must
/// match it and `offset + length` must lie inside the file. On failure
/// returns false with a message (without the model file prefix).
bool readExternalData(const onnx::TensorProto &tensor,
                      const std::string &modelDirectory, uint64_t expectedBytes,
                      std::vector<char> &bytes, std::string &error);

} // namespace kiln

#endif // KILN_COMPILER_ONNX_EXTERNALDATA_H
