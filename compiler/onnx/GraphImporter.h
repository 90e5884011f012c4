//===- GraphImporter.h - ONNX graph walk and value map ----------*- C++ -*-===//
//
// Walks the nodes of a validated ONNX graph in order and builds @main. Keeps
// the map from ONNX tensor names to MLIR values or to constant data that has
// not been emitted yet (constants used only as shapes never are). Converters
// (OpConverters.h) read the current node's inputs and attributes through
// this class, create ops whose result types come from the ops' own shape
// inference, and report errors that name the node.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ONNX_GRAPHIMPORTER_H
#define KILN_COMPILER_ONNX_GRAPHIMPORTER_H

#include "compiler/onnx/InputShapes.h"
#include "compiler/onnx/NodeAttributes.h"
#include "compiler/onnx/OnnxModelReader.h"
#include "compiler/onnx/TensorData.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"

#include <memory>
#include <string>
#include <vector>

namespace kiln {

class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext &context, const OnnxModel &model,
                const InputShapes &inputShapes = {});

  /// Builds the module; on failure returns null and sets `error`.
  mlir::OwningOpRef<mlir::ModuleOp> importGraph(std::string &error);

  //===--------------------------------------------------------------------===//
  // The node being converted
  //===--------------------------------------------------------------------===//

  const onnx::NodeProto &node() const { return *currentNode; }
  int64_t opset() const { return model.opset; }
  mlir::MLIRContext *getContext() { return &context; }
  mlir::OpBuilder &getBuilder() { return builder; }
  mlir::Location loc() const { return currentLoc; }
  NodeAttributes attributes();
  NodeAttributes::ErrorFn errorFn();

  /// Records "<file>: node '<name>' (<op>): <message>" and returns failure.
  mlir::LogicalResult fail(const llvm::Twine &message);

  //===--------------------------------------------------------------------===//
  // Inputs of the current node
  //===--------------------------------------------------------------------===//

  /// True when input `i` is present (not omitted or the empty name).
  bool hasInput(unsigned i) const;
  /// Input `i` as a tensor value; constants are emitted on first use. Fails
  /// when absent or when it is an int64 shape tensor.
  mlir::FailureOr<mlir::Value> input(unsigned i);
  /// Like input(), but an absent input yields a null value.
  mlir::FailureOr<mlir::Value> optionalInput(unsigned i);
  /// The dims of input `i`, constant or computed.
  mlir::FailureOr<llvm::SmallVector<int64_t>> inputShape(unsigned i);
  /// Constant data of input `i`, or null when it is absent or computed.
  const TensorData *constantInput(unsigned i) const;
  /// Like constantInput(), but a computed input is an error mentioning
  /// `role` ("the shape", "the weight B", ...).
  mlir::FailureOr<const TensorData *>
  requireConstantInput(unsigned i, llvm::StringRef role);
  /// How many node inputs and graph outputs read input `i`'s tensor.
  unsigned numReaders(unsigned i) const;
  /// How many node inputs and graph outputs read `value` under any tensor
  /// name (Identity and Dropout alias names to the same value).
  unsigned numReadersOf(mlir::Value value) const;
  /// Points every tensor name that maps to `from` at `to` (used when an op
  /// is rebuilt to absorb the node that reads it).
  void replaceValue(mlir::Value from, mlir::Value to);
  /// Folder that holds the model (for external data of Constant nodes).
  const std::string &modelDirectory() const { return model.directory; }

  //===--------------------------------------------------------------------===//
  // Outputs of the current node
  //===--------------------------------------------------------------------===//

  /// True when output `i` exists and something reads it.
  bool isOutputUsed(unsigned i) const;
  void setOutput(unsigned i, mlir::Value value);
  /// Output `i` is `created` (a createInferred / createWithType result)
  /// unless creating it failed (already reported); the converters' last step.
  mlir::LogicalResult setCreatedOutput(unsigned i,
                                       mlir::FailureOr<mlir::Value> created);
  void setOutputConstant(unsigned i, std::shared_ptr<const TensorData> data);
  /// Output `i` is input `inputIndex` unchanged (Identity, Dropout).
  void setOutputAlias(unsigned i, unsigned inputIndex);

  //===--------------------------------------------------------------------===//
  // Building ops
  //===--------------------------------------------------------------------===//

  mlir::RankedTensorType tensorType(llvm::ArrayRef<int64_t> shape);
  static llvm::ArrayRef<int64_t> shapeOf(mlir::Value value);

  /// Emits a kiln.constant for float data with the given shape (the data's
  /// own dims when empty) at the current insertion point.
  mlir::FailureOr<mlir::Value>
  emitConstant(const TensorData &data,
               std::optional<llvm::ArrayRef<int64_t>> shape = std::nullopt);

  /// Creates OpTy with a placeholder result type taken from its first
  /// operand, then sets the type computed by OpTy::inferReturnTypes and
  /// verifies the op. A failure (bad shapes, bad attributes) erases the op
  /// and reports the inference/verifier message on the node.
  template <typename OpTy, typename First, typename... Rest>
  mlir::FailureOr<mlir::Value> createInferred(First &&first, Rest &&...rest) {
    mlir::Type placeholder = placeholderType(first);
    auto op =
        OpTy::create(builder, currentLoc, placeholder,
                     std::forward<First>(first), std::forward<Rest>(rest)...);
    mlir::SmallVector<mlir::Type, 1> types;
    mlir::LogicalResult inferred = mlir::failure();
    if (mlir::succeeded(op.verifyInvariantsImpl()))
      inferred = OpTy::inferReturnTypes(
          &context, op->getLoc(), op->getOperands(),
          op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
          op->getRegions(), types);
    return finishCreated(op.getOperation(), inferred, types);
  }

  /// Creates OpTy with an explicit result type (ops without inference) and
  /// verifies it like createInferred.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> createWithType(mlir::Type type, Args &&...args) {
    auto op =
        OpTy::create(builder, currentLoc, type, std::forward<Args>(args)...);
    mlir::SmallVector<mlir::Type, 1> types = {type};
    return finishCreated(op.getOperation(), mlir::success(), types);
  }

private:
  struct TensorEntry {
    mlir::Value value;
    std::shared_ptr<const TensorData> constant;
  };

  static mlir::Type placeholderType(mlir::Value v) { return v.getType(); }
  static mlir::Type placeholderType(mlir::ValueRange v) {
    return v.empty() ? mlir::Type() : v.front().getType();
  }
  mlir::FailureOr<mlir::Value> finishCreated(mlir::Operation *op,
                                             mlir::LogicalResult inferred,
                                             llvm::ArrayRef<mlir::Type> types);
  std::string takeDiagnostics();

  mlir::LogicalResult fileError(const llvm::Twine &message);
  mlir::LogicalResult loadInitializers();
  mlir::LogicalResult checkSupportedOps();
  mlir::LogicalResult createMainFunction();
  mlir::LogicalResult convertNodes();
  mlir::LogicalResult createReturn();
  mlir::FailureOr<mlir::Value>
  materialize(TensorEntry &entry, llvm::StringRef name);
  const TensorEntry *findInput(unsigned i) const;
  std::string nodeDisplayName(const onnx::NodeProto &node, int index) const;

  /// The shape of a graph input: the user's (`--input-shape`) or else the
  /// declared one, which must then be static.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  graphInputShape(const onnx::ValueInfoProto &input, const std::string &label,
                  size_t realInputs);

  mlir::MLIRContext &context;
  const OnnxModel &model;
  InputShapes inputShapes;
  mlir::OpBuilder builder;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::Operation *mainFunc = nullptr;
  mlir::Location fileLoc;

  llvm::StringMap<TensorEntry> tensors;
  llvm::StringMap<unsigned> readerCounts;

  const onnx::NodeProto *currentNode = nullptr;
  std::string currentNodeName;
  mlir::Location currentLoc;

  std::vector<std::string> diagnostics;
  std::string firstError;
};

} // namespace kiln

#endif // KILN_COMPILER_ONNX_GRAPHIMPORTER_H
