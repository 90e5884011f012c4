//===- TensorData.h - Decoded ONNX tensor contents --------------*- C++ -*-===//
//
// An initializer or Constant value decoded into host floats (weights) or
// int64 (shape operands), whatever storage the file used: raw_data (little
// endian), the typed repeated fields, or external data.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ONNX_TENSORDATA_H
#define KILN_COMPILER_ONNX_TENSORDATA_H

#include "onnx/onnx_pb.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

struct TensorData {
  enum class Kind { Float32, Int64 };

  std::string name;
  llvm::SmallVector<int64_t, 4> dims;
  Kind kind = Kind::Float32;
  std::vector<float> floats; // Kind::Float32
  std::vector<int64_t> ints; // Kind::Int64

  int64_t numElements() const {
    return kind == Kind::Float32 ? (int64_t)floats.size()
                                 : (int64_t)ints.size();
  }
  bool isFloat() const { return kind == Kind::Float32; }
};

/// Product of `dims`, or -1 when a dim is negative or the product exceeds
/// `limit`.
int64_t checkedElementCount(llvm::ArrayRef<int64_t> dims,
                            int64_t limit = int64_t(1) << 40);

/// Name of an ONNX element type for messages ("FLOAT16", ...).
std::string onnxTypeName(int32_t dataType);

/// Decodes `tensor` (FLOAT or INT64) into `data`. On failure returns false
/// with a message about the tensor (the caller names it).
bool decodeTensor(const onnx::TensorProto &tensor,
                  const std::string &modelDirectory, TensorData &data,
                  std::string &error);

} // namespace kiln

#endif // KILN_COMPILER_ONNX_TENSORDATA_H
