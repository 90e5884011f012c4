//===- TensorData.cpp - Decoded ONNX tensor contents ----------------------===//
#include "compiler/onnx/TensorData.h"

#include "compiler/onnx/ExternalData.h"

#include "llvm/ADT/Twine.h"

#include "llvm/Support/Endian.h"
#include <cstring>

using namespace kiln;

int64_t kiln::checkedElementCount(llvm::ArrayRef<int64_t> dims, int64_t limit) {
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0)
      return -1;
    if (d != 0 && count > limit / d)
      return -1;
    count *= d;
  }
  return count;
}

std::string kiln::onnxTypeName(int32_t dataType) {
  if (onnx::TensorProto_DataType_IsValid(dataType))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(dataType));
  return "type #" + std::to_string(dataType);
}

namespace {

/// Converts little-endian bytes (raw_data, external files) to host values.
template <typename T, typename Bits>
void decodeLittleEndian(const char *bytes, size_t count, std::vector<T> &out) {
  out.resize(count);
  for (size_t i = 0; i < count; ++i) {
    Bits bits = llvm::support::endian::read<Bits, llvm::endianness::little>(
        bytes + i * sizeof(Bits));
    std::memcpy(&out[i], &bits, sizeof(T));
  }
}

} // namespace

bool kiln::decodeTensor(const onnx::TensorProto &tensor,
                        const std::string &modelDirectory, TensorData &data,
                        std::string &error) {
  auto fail = [&](const llvm::Twine &msg) {
    error = msg.str();
    return false;
  };
  data.name = tensor.name();
  data.dims.assign(tensor.dims().begin(), tensor.dims().end());
  int64_t count = checkedElementCount(data.dims);
  if (count < 0)
    return fail("invalid dims (negative or too many elements)");

  // Booleans (e.g. Dropout's training_mode) are read as 0/1 int64 values.
  if (tensor.data_type() == onnx::TensorProto::BOOL &&
      tensor.data_location() != onnx::TensorProto::EXTERNAL) {
    data.kind = TensorData::Kind::Int64;
    if (tensor.has_raw_data()) {
      if ((int64_t)tensor.raw_data().size() != count)
        return fail("raw_data has " + llvm::Twine(tensor.raw_data().size()) +
                    " bytes, expected " + llvm::Twine(count) +
                    " (one per BOOL element)");
      for (char c : tensor.raw_data())
        data.ints.push_back(c != 0);
      return true;
    }
    if (tensor.int32_data_size() != count)
      return fail("the tensor holds " + llvm::Twine(tensor.int32_data_size()) +
                  " values but its dims need " + llvm::Twine(count));
    for (int32_t v : tensor.int32_data())
      data.ints.push_back(v != 0);
    return true;
  }

  size_t elementBytes;
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    data.kind = TensorData::Kind::Float32;
    elementBytes = 4;
    break;
  case onnx::TensorProto::INT64:
    data.kind = TensorData::Kind::Int64;
    elementBytes = 8;
    break;
  default:
    return fail("element type " + onnxTypeName(tensor.data_type()) +
                " is unsupported; only float32 tensors (and int64 or bool "
                "shape and flag tensors) are supported");
  }
  uint64_t expectedBytes = uint64_t(count) * elementBytes;

  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    std::vector<char> bytes;
    std::string externalError;
    if (!readExternalData(tensor, modelDirectory, expectedBytes, bytes,
                          externalError))
      return fail(externalError);
    if (data.isFloat())
      decodeLittleEndian<float, uint32_t>(bytes.data(), count, data.floats);
    else
      decodeLittleEndian<int64_t, uint64_t>(bytes.data(), count, data.ints);
    return true;
  }

  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (raw.size() != expectedBytes)
      return fail("raw_data has " + llvm::Twine(raw.size()) +
                  " bytes, expected " + llvm::Twine(expectedBytes) + " (" +
                  llvm::Twine(count) + " elements of " +
                  onnxTypeName(tensor.data_type()) + ")");
    if (data.isFloat())
      decodeLittleEndian<float, uint32_t>(raw.data(), count, data.floats);
    else
      decodeLittleEndian<int64_t, uint64_t>(raw.data(), count, data.ints);
    return true;
  }

  int64_t stored =
      data.isFloat() ? tensor.float_data_size() : tensor.int64_data_size();
  if (stored != count)
    return fail("the tensor holds " + llvm::Twine(stored) +
                " values but its dims need " + llvm::Twine(count));
  if (data.isFloat())
    data.floats.assign(tensor.float_data().begin(), tensor.float_data().end());
  else
    data.ints.assign(tensor.int64_data().begin(), tensor.int64_data().end());
  return true;
}
