//===- NodeAttributes.cpp - Typed access to ONNX node attributes ----------===//
#include "compiler/onnx/NodeAttributes.h"

using namespace kiln;
using namespace mlir;

const onnx::AttributeProto *NodeAttributes::find(llvm::StringRef name) const {
  for (const auto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

/// Old exporters leave `type` UNDEFINED; then the populated field decides.
LogicalResult
NodeAttributes::checkType(const onnx::AttributeProto &attr,
                          onnx::AttributeProto::AttributeType type,
                          bool present) const {
  if (attr.type() == type ||
      (attr.type() == onnx::AttributeProto::UNDEFINED && present))
    return success();
  return error("attribute '" + attr.name() + "' should be " +
               onnx::AttributeProto::AttributeType_Name(type) + ", got " +
               onnx::AttributeProto::AttributeType_Name(attr.type()));
}

FailureOr<int64_t> NodeAttributes::getInt(llvm::StringRef name,
                                          int64_t defaultValue) const {
  const auto *attr = find(name);
  if (!attr)
    return defaultValue;
  if (failed(checkType(*attr, onnx::AttributeProto::INT, attr->has_i())))
    return failure();
  return attr->i();
}

FailureOr<float> NodeAttributes::getFloat(llvm::StringRef name,
                                          float defaultValue) const {
  const auto *attr = find(name);
  if (!attr)
    return defaultValue;
  if (failed(checkType(*attr, onnx::AttributeProto::FLOAT, attr->has_f())))
    return failure();
  return attr->f();
}

FailureOr<std::string>
NodeAttributes::getString(llvm::StringRef name,
                          llvm::StringRef defaultValue) const {
  const auto *attr = find(name);
  if (!attr)
    return defaultValue.str();
  if (failed(checkType(*attr, onnx::AttributeProto::STRING, attr->has_s())))
    return failure();
  return attr->s();
}

FailureOr<std::optional<llvm::SmallVector<int64_t, 4>>>
NodeAttributes::getInts(llvm::StringRef name) const {
  const auto *attr = find(name);
  if (!attr)
    return std::optional<llvm::SmallVector<int64_t, 4>>();
  if (failed(
          checkType(*attr, onnx::AttributeProto::INTS, attr->ints_size() > 0)))
    return failure();
  return std::optional<llvm::SmallVector<int64_t, 4>>(
      llvm::SmallVector<int64_t, 4>(attr->ints().begin(), attr->ints().end()));
}

FailureOr<llvm::SmallVector<int64_t, 4>>
NodeAttributes::getIntsOfSize(llvm::StringRef name, size_t size,
                              int64_t defaultValue) const {
  auto values = getInts(name);
  if (failed(values))
    return failure();
  if (!*values)
    return llvm::SmallVector<int64_t, 4>(size, defaultValue);
  if ((*values)->size() != size) {
    (void)error("attribute '" + name + "' needs " + llvm::Twine(size) +
                " values, got " + llvm::Twine((*values)->size()));
    return failure();
  }
  return **values;
}
