//===- GraphImporter.cpp - ONNX graph walk and value map ------------------===//
#include "compiler/onnx/GraphImporter.h"

#include "compiler/onnx/OnnxImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "dialects/kiln/KilnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace kiln;
using namespace mlir;

namespace {

/// Up to this many elements a constant is an inline DenseElementsAttr; larger
/// ones are dense_resource blobs (not uniqued, not printed inline).
constexpr int64_t kMaxInlineConstantElements = 16;
constexpr int64_t kMaxRank = 8;

bool isDefaultDomain(const std::string &domain) {
  return domain.empty() || domain == "ai.onnx";
}

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  return s.empty() ? "scalar" : s;
}

/// Resource blob keys are printed bare: keep them identifier-like.
std::string blobKey(StringRef tensorName) {
  std::string key;
  for (char c : tensorName)
    key.push_back(llvm::isAlnum(c) || c == '_' ? c : '_');
  if (key.empty() || llvm::isDigit(key.front()))
    key.insert(0, "t_");
  return key;
}

} // namespace

GraphImporter::GraphImporter(MLIRContext &context, const OnnxModel &model,
                             const InputShapes &inputShapes)
    : context(context), model(model), inputShapes(inputShapes),
      builder(&context),
      fileLoc(FileLineColLoc::get(&context, model.path, 0, 0)),
      currentLoc(fileLoc) {
  const onnx::GraphProto &graph = model.proto.graph();
  for (const auto &node : graph.node())
    for (const std::string &in : node.input())
      if (!in.empty())
        ++readerCounts[in];
  for (const auto &out : graph.output())
    ++readerCounts[out.name()];
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::fileError(const Twine &message) {
  if (firstError.empty())
    firstError = (model.path + ": " + message).str();
  return failure();
}

LogicalResult GraphImporter::fail(const Twine &message) {
  return fileError("node '" + currentNodeName + "' (" + node().op_type() +
                   "): " + message);
}

NodeAttributes::ErrorFn GraphImporter::errorFn() {
  return [this](const Twine &msg) { return fail(msg); };
}

NodeAttributes GraphImporter::attributes() {
  return NodeAttributes(node(), errorFn());
}

std::string GraphImporter::takeDiagnostics() {
  std::string joined = llvm::join(diagnostics, "; ");
  diagnostics.clear();
  return joined;
}

std::string GraphImporter::nodeDisplayName(const onnx::NodeProto &node,
                                           int index) const {
  if (!node.name().empty())
    return node.name();
  for (const std::string &out : node.output())
    if (!out.empty())
      return node.op_type() + ":" + out;
  return node.op_type() + "#" + std::to_string(index);
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> GraphImporter::importGraph(std::string &error) {
  // Shape inference and verifiers report through diagnostics: keep their
  // text for the node's error message instead of printing it.
  ScopedDiagnosticHandler handler(&context, [this](Diagnostic &diag) {
    std::string text = diag.str();
    if (auto nameLoc = dyn_cast<NameLoc>(diag.getLocation()))
      if (currentNode == nullptr)
        text = "node '" + nameLoc.getName().str() + "': " + text;
    for (const Diagnostic &note : diag.getNotes()) {
      // The verifier's "see current operation: <generic op>" adds nothing
      // for a user who wrote ONNX.
      std::string noteText = note.str();
      if (!StringRef(noteText).starts_with("see current operation"))
        text += " (" + noteText + ")";
    }
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      diagnostics.push_back(text);
    return success();
  });

  module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  if (failed(checkSupportedOps()) || failed(loadInitializers()) ||
      failed(createMainFunction()) || failed(convertNodes()) ||
      failed(createReturn())) {
    error = firstError.empty() ? model.path + ": import failed" : firstError;
    return nullptr;
  }
  diagnostics.clear();
  if (failed(verify(*module))) {
    error = model.path +
            ": the imported module does not verify: " + takeDiagnostics();
    return nullptr;
  }
  return std::move(module);
}

LogicalResult GraphImporter::checkSupportedOps() {
  const onnx::GraphProto &graph = model.proto.graph();
  const onnx::NodeProto *first = nullptr;
  int firstIndex = 0;
  std::vector<std::string> unsupported;
  llvm::StringSet<> seen;
  for (const auto &[index, node] : llvm::enumerate(graph.node())) {
    bool known = isDefaultDomain(node.domain()) &&
                 lookupOpConverter(node.op_type()) != nullptr;
    if (known)
      continue;
    std::string label = isDefaultDomain(node.domain())
                            ? node.op_type()
                            : node.domain() + "." + node.op_type();
    if (seen.insert(label).second)
      unsupported.push_back(label);
    if (!first) {
      first = &node;
      firstIndex = index;
    }
  }
  if (!first)
    return success();
  std::string message = "node '" + nodeDisplayName(*first, firstIndex) +
                        "': unsupported op '" + unsupported.front() + "'";
  if (!isDefaultDomain(first->domain()))
    message += " (unknown domain '" + first->domain() + "')";
  if (unsupported.size() > 1)
    message += "; all unsupported op types: " +
               llvm::join(unsupported.begin(), unsupported.end(), ", ");
  return fileError(message);
}

LogicalResult GraphImporter::loadInitializers() {
  for (const auto &init : model.proto.graph().initializer()) {
    auto data = std::make_shared<TensorData>();
    std::string message;
    if (!decodeTensor(init, model.directory, *data, message))
      return fileError("initializer '" + init.name() + "': " + message);
    tensors[init.name()].constant = std::move(data);
  }
  return success();
}

FailureOr<SmallVector<int64_t>>
GraphImporter::graphInputShape(const onnx::ValueInfoProto &input,
                               const std::string &label, size_t realInputs) {
  const auto &declared = input.type().tensor_type();
  const InputShape *given = nullptr;
  for (const InputShape &s : inputShapes)
    if (s.name == input.name() || (s.name.empty() && realInputs == 1))
      given = &s;
  if (given) {
    // The declared rank still binds (a 4-D image input stays 4-D).
    if (declared.has_shape() &&
        declared.shape().dim_size() != (int)given->dims.size())
      return fileError(label + " has rank " +
                       Twine(declared.shape().dim_size()) +
                       " but --input-shape gives " +
                       formatDims(given->dims));
    return SmallVector<int64_t>(given->dims.begin(), given->dims.end());
  }
  if (!declared.has_shape())
    return fileError("unsupported: " + label +
                     " has no shape; give it with --input-shape=" +
                     input.name() + "=DIMS (e.g. 1x3x224x224)");
  SmallVector<int64_t> shape;
  for (const auto &[d, dim] : llvm::enumerate(declared.shape().dim())) {
    if (!dim.has_dim_value()) {
      std::string param = dim.has_dim_param() ? " ('" + dim.dim_param() + "')"
                                              : std::string();
      return fileError("unsupported: " + label + " has a dynamic dimension " +
                       Twine(d) + param +
                       "; kiln compiles static shapes: give them with "
                       "--input-shape=" +
                       input.name() + "=DIMS (e.g. 1x3x224x224)");
    }
    if (dim.dim_value() == 0)
      return fileError("unsupported: " + label + " has dimension " +
                       Twine(d) + " = 0; empty tensors are not supported");
    if (dim.dim_value() < 0)
      return fileError(label + " has dimension " + Twine(d) + " = " +
                       Twine(dim.dim_value()) + "; sizes must be positive");
    shape.push_back(dim.dim_value());
  }
  return shape;
}

LogicalResult GraphImporter::createMainFunction() {
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  // Graph inputs with an initializer are weights with a default value.
  std::vector<std::string> realInputs;
  for (const auto &input : model.proto.graph().input())
    if (!tensors.count(input.name()))
      realInputs.push_back(input.name());
  for (const InputShape &s : inputShapes) {
    if (s.name.empty() && realInputs.size() != 1)
      return fileError("--input-shape=" + formatDims(s.dims) +
                       " names no input, but the model has " +
                       Twine(realInputs.size()) + " (" +
                       llvm::join(realInputs, ", ") +
                       "): write --input-shape=NAME=DIMS");
    if (!s.name.empty() && !llvm::is_contained(realInputs, s.name))
      return fileError("--input-shape names '" + s.name +
                       "', which is not a graph input (the inputs: " +
                       llvm::join(realInputs, ", ") + ")");
  }
  for (const auto &input : model.proto.graph().input()) {
    // Inputs that have an initializer are weights with a default value.
    if (tensors.count(input.name()))
      continue;
    const std::string label = "graph input '" + input.name() + "'";
    if (!input.type().has_tensor_type())
      return fileError("unsupported: " + label +
                       " is not a tensor (sequence, map and optional inputs "
                       "are not supported)");
    const auto &declared = input.type().tensor_type();
    if (declared.elem_type() != onnx::TensorProto::FLOAT)
      return fileError("unsupported: " + label + " has element type " +
                       onnxTypeName(declared.elem_type()) +
                       "; only float32 inputs are supported");
    auto given = graphInputShape(input, label, realInputs.size());
    if (failed(given))
      return failure();
    SmallVector<int64_t> shape = *given;
    // A scalar is a one-element vector (kiln tensors have rank >= 1), the
    // same as scalar constants; it broadcasts the same way.
    if (shape.empty())
      shape.push_back(1);
    if ((int64_t)shape.size() > kMaxRank)
      return fileError("unsupported: " + label + " has rank " +
                       Twine(shape.size()) + "; supported ranks are 0 to 8");
    if (checkedElementCount(shape, int64_t(1) << 40) < 0)
      return fileError(label + " is too large");
    argTypes.push_back(tensorType(shape));
    argNames.push_back(input.name());
  }
  if (argTypes.empty())
    return fileError("the graph has no (non-initializer) inputs");

  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  mainFunc = func;
  Block *entry = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    func.setArgAttr(i, kTensorNameAttr, builder.getStringAttr(name));
    tensors[name].value = entry->getArgument(i);
  }
  builder.setInsertionPointToStart(entry);
  return success();
}

LogicalResult GraphImporter::convertNodes() {
  for (const auto &[index, node] :
       llvm::enumerate(model.proto.graph().node())) {
    currentNode = &node;
    currentNodeName = nodeDisplayName(node, index);
    currentLoc = NameLoc::get(builder.getStringAttr(currentNodeName), fileLoc);
    diagnostics.clear();
    OpConverter convert = lookupOpConverter(node.op_type());
    if (!convert)
      return fail("unsupported op '" + node.op_type() + "'");
    int64_t oldest = oldestSupportedOpset(node.op_type());
    if (opset() < oldest)
      return fail("unsupported: " + node.op_type() + " of opset " +
                  Twine(opset()) + " (supported from opset " + Twine(oldest) +
                  " on; convert the model with onnx.version_converter)");
    if (failed(convert(*this)))
      return firstError.empty() ? fail("conversion failed") : failure();
    for (const std::string &out : node.output())
      if (!out.empty() && readerCounts.lookup(out) > 0 && !tensors.count(out))
        return fail("output '" + out +
                    "' is used but not supported by the "
                    "importer");
  }
  currentNode = nullptr;
  currentLoc = fileLoc;
  return success();
}

LogicalResult GraphImporter::createReturn() {
  auto func = cast<func::FuncOp>(mainFunc);
  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const auto &output : model.proto.graph().output()) {
    const std::string label = "graph output '" + output.name() + "'";
    auto it = tensors.find(output.name());
    if (it == tensors.end())
      return fileError(label + " is never computed");
    auto value = materialize(it->second, output.name());
    if (failed(value))
      return failure();
    // A declared static shape must agree with what the graph computes.
    if (output.type().has_tensor_type()) {
      const auto &declared = output.type().tensor_type();
      if (declared.elem_type() != onnx::TensorProto::FLOAT &&
          declared.elem_type() != onnx::TensorProto::UNDEFINED)
        return fileError("unsupported: " + label + " has element type " +
                         onnxTypeName(declared.elem_type()) +
                         "; only float32 outputs are supported");
      if (declared.has_shape()) {
        SmallVector<int64_t> shape;
        bool isStatic = true;
        for (const auto &dim : declared.shape().dim()) {
          isStatic &= dim.has_dim_value();
          shape.push_back(dim.dim_value());
        }
        if (isStatic && ArrayRef<int64_t>(shape) != shapeOf(*value))
          return fileError(label + " is declared as " + shapeString(shape) +
                           " but the graph computes " +
                           shapeString(shapeOf(*value)));
      }
    }
    results.push_back(*value);
    resultTypes.push_back(value->getType());
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setType(builder.getFunctionType(func.getArgumentTypes(), resultTypes));
  for (const auto &[i, output] : llvm::enumerate(model.proto.graph().output()))
    func.setResultAttr(i, kTensorNameAttr,
                       builder.getStringAttr(output.name()));
  return success();
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

RankedTensorType GraphImporter::tensorType(ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, builder.getF32Type());
}

ArrayRef<int64_t> GraphImporter::shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

FailureOr<Value>
GraphImporter::emitConstant(const TensorData &data,
                            std::optional<ArrayRef<int64_t>> shape) {
  auto failHere = [&](const Twine &msg) -> FailureOr<Value> {
    if (currentNode)
      (void)fail(msg);
    else
      (void)fileError(msg);
    return failure();
  };
  if (!data.isFloat())
    return failHere("unsupported: tensor '" + data.name +
                    "' is int64; only float32 tensors can be used as data");
  SmallVector<int64_t> dims(shape ? *shape : ArrayRef<int64_t>(data.dims));
  // Kiln tensors have rank >= 1: a scalar becomes a one-element vector,
  // which broadcasts the same way.
  if (dims.empty())
    dims.push_back(1);
  if ((int64_t)dims.size() > kMaxRank)
    return failHere("tensor '" + data.name + "' has rank " +
                    Twine(dims.size()) + "; at most 8 is supported");
  int64_t count = checkedElementCount(dims);
  if (count <= 0 || count != data.numElements())
    return failHere("tensor '" + data.name + "' is empty or has " +
                    Twine(data.numElements()) + " elements for shape " +
                    shapeString(dims));
  RankedTensorType type = tensorType(dims);
  ElementsAttr value;
  ArrayRef<float> floats(data.floats);
  if (count <= kMaxInlineConstantElements) {
    value = DenseElementsAttr::get(type, floats);
  } else {
    value = DenseResourceElementsAttr::get(
        type, blobKey(data.name),
        HeapAsmResourceBlob::allocateAndCopyInferAlign(floats));
  }
  Location loc = NameLoc::get(builder.getStringAttr(data.name), fileLoc);
  return Value(ConstantOp::create(builder, loc, type, value).getResult());
}

FailureOr<Value> GraphImporter::materialize(TensorEntry &entry,
                                            StringRef name) {
  if (entry.value)
    return entry.value;
  if (!entry.constant)
    return fileError("tensor '" + name + "' has no value");
  auto value = emitConstant(*entry.constant);
  if (failed(value))
    return failure();
  // Emitted once at first use; later readers share it.
  entry.value = *value;
  return *value;
}

const GraphImporter::TensorEntry *GraphImporter::findInput(unsigned i) const {
  if (!hasInput(i))
    return nullptr;
  auto it = tensors.find(node().input(i));
  return it == tensors.end() ? nullptr : &it->second;
}

bool GraphImporter::hasInput(unsigned i) const {
  return (int)i < node().input_size() && !node().input(i).empty();
}

unsigned GraphImporter::numReaders(unsigned i) const {
  return hasInput(i) ? readerCounts.lookup(node().input(i)) : 0;
}

unsigned GraphImporter::numReadersOf(Value value) const {
  unsigned count = 0;
  for (const auto &entry : tensors)
    if (entry.second.value == value)
      count += readerCounts.lookup(entry.first());
  return count;
}

void GraphImporter::replaceValue(Value from, Value to) {
  for (auto &entry : tensors)
    if (entry.second.value == from)
      entry.second.value = to;
}

FailureOr<Value> GraphImporter::input(unsigned i) {
  if (!hasInput(i))
    return fail("missing required input #" + Twine(i));
  return optionalInput(i);
}

FailureOr<Value> GraphImporter::optionalInput(unsigned i) {
  if (!hasInput(i))
    return Value();
  auto it = tensors.find(node().input(i));
  if (it == tensors.end())
    return fail("input '" + node().input(i) + "' is undefined");
  return materialize(it->second, node().input(i));
}

const TensorData *GraphImporter::constantInput(unsigned i) const {
  const TensorEntry *entry = findInput(i);
  return entry ? entry->constant.get() : nullptr;
}

FailureOr<const TensorData *>
GraphImporter::requireConstantInput(unsigned i, StringRef role) {
  if (!hasInput(i))
    return fail("missing " + role + " (input #" + Twine(i) + ")");
  if (const TensorData *data = constantInput(i))
    return data;
  return fail("unsupported: " + role + " ('" + node().input(i) +
              "') is computed at run time; it must be a constant (an "
              "initializer or Constant node)");
}

bool GraphImporter::isOutputUsed(unsigned i) const {
  return (int)i < node().output_size() && !node().output(i).empty() &&
         readerCounts.lookup(node().output(i)) > 0;
}

void GraphImporter::setOutput(unsigned i, Value value) {
  if ((int)i < node().output_size() && !node().output(i).empty())
    tensors[node().output(i)].value = value;
}

FailureOr<SmallVector<int64_t>> GraphImporter::inputShape(unsigned i) {
  if (const TensorData *data = constantInput(i))
    return SmallVector<int64_t>(data->dims.begin(), data->dims.end());
  auto value = input(i);
  if (failed(value))
    return failure();
  return SmallVector<int64_t>(shapeOf(*value));
}

LogicalResult GraphImporter::setCreatedOutput(unsigned i,
                                              FailureOr<Value> created) {
  if (failed(created))
    return failure();
  // Each output of a multi-output node (Split) is its own op: name it
  // "<node>:<output>" so that reports and profiles tell them apart.
  Operation *op = created->getDefiningOp();
  if (op && node().output_size() > 1 && (int)i < node().output_size() &&
      op->getLoc() == currentLoc)
    op->setLoc(NameLoc::get(
        builder.getStringAttr(currentNodeName + ":" + node().output(i)),
        fileLoc));
  setOutput(i, *created);
  return success();
}

void GraphImporter::setOutputConstant(unsigned i,
                                      std::shared_ptr<const TensorData> data) {
  if ((int)i < node().output_size() && !node().output(i).empty())
    tensors[node().output(i)].constant = std::move(data);
}

void GraphImporter::setOutputAlias(unsigned i, unsigned inputIndex) {
  const TensorEntry *source = findInput(inputIndex);
  if (source && (int)i < node().output_size() && !node().output(i).empty())
    tensors[node().output(i)] = *source;
}

FailureOr<Value> GraphImporter::finishCreated(Operation *op,
                                              LogicalResult inferred,
                                              ArrayRef<Type> types) {
  if (succeeded(inferred) && types.size() == op->getNumResults()) {
    for (auto [result, type] : llvm::zip(op->getResults(), types))
      result.setType(type);
    if (succeeded(verify(op, /*verifyRecursively=*/false))) {
      diagnostics.clear();
      return op->getResult(0);
    }
  }
  std::string message = takeDiagnostics();
  op->erase();
  return fail(message.empty() ? "invalid operand shapes or attributes"
                              : message);
}
