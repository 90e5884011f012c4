//===- NodeAttributes.h - Typed access to ONNX node attributes --*- C++ -*-===//
//
// Reads a node's attributes with type checks and defaults. Every failure is
// reported through the importer's node error (so it names the node) and
// returns failure instead of asserting.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ONNX_NODEATTRIBUTES_H
#define KILN_COMPILER_ONNX_NODEATTRIBUTES_H

#include "mlir/Support/LLVM.h"
#include "onnx/onnx_pb.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

#include <functional>
#include <optional>
#include <string>

namespace kiln {

class NodeAttributes {
public:
  /// Reports a message on the node; owned (not a reference) because
  /// converters keep NodeAttributes around.
  using ErrorFn = std::function<mlir::LogicalResult(const llvm::Twine &)>;

  NodeAttributes(const onnx::NodeProto &node, ErrorFn error)
      : node(node), error(std::move(error)) {}

  bool has(llvm::StringRef name) const { return find(name) != nullptr; }
  const onnx::AttributeProto *find(llvm::StringRef name) const;

  mlir::FailureOr<int64_t> getInt(llvm::StringRef name,
                                  int64_t defaultValue) const;
  mlir::FailureOr<float> getFloat(llvm::StringRef name,
                                  float defaultValue) const;
  mlir::FailureOr<std::string> getString(llvm::StringRef name,
                                         llvm::StringRef defaultValue) const;
  /// An INTS attribute, or std::nullopt when absent.
  mlir::FailureOr<std::optional<llvm::SmallVector<int64_t, 4>>>
  getInts(llvm::StringRef name) const;
  /// Like getInts, but the list must have `size` entries; `defaultValue`
  /// fills all of them when the attribute is absent.
  mlir::FailureOr<llvm::SmallVector<int64_t, 4>>
  getIntsOfSize(llvm::StringRef name, size_t size, int64_t defaultValue) const;

private:
  mlir::LogicalResult checkType(const onnx::AttributeProto &attr,
                                onnx::AttributeProto::AttributeType type,
                                bool present) const;

  const onnx::NodeProto &node;
  ErrorFn error;
};

} // namespace kiln

#endif // KILN_COMPILER_ONNX_NODEATTRIBUTES_H
