//===- OnnxModelReader.cpp - Parse and validate an ONNX file --------------===//
#include "compiler/onnx/OnnxModelReader.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <climits>

using namespace kiln;

namespace {

/// Protobuf refuses messages over 2 GiB; bigger models must use external
/// data for their weights.
constexpr uint64_t kMaxProtoBytes = INT_MAX;

bool isDefaultDomain(const std::string &domain) {
  return domain.empty() || domain == "ai.onnx";
}

bool parseModel(const std::string &path, OnnxModel &model, std::string &error) {
  auto fail = [&](const llvm::Twine &msg) {
    error = (path + ": " + msg).str();
    return false;
  };
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail("cannot read file: " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (bytes.size() > kMaxProtoBytes)
    return fail("not a valid ONNX model: file is " + llvm::Twine(bytes.size()) +
                " bytes, over protobuf's 2 GiB limit (store weights as "
                "external data)");
  if (bytes.empty())
    return fail("not a valid ONNX model: the file is empty");

  google::protobuf::io::ArrayInputStream array(bytes.data(),
                                               static_cast<int>(bytes.size()));
  google::protobuf::io::CodedInputStream coded(&array);
  // The default limit (64 MiB) is smaller than e.g. ResNet-50.
  coded.SetTotalBytesLimit(static_cast<int>(kMaxProtoBytes));
  if (!model.proto.ParseFromCodedStream(&coded) ||
      !coded.ConsumedEntireMessage())
    return fail("not a valid ONNX model: protobuf parsing failed (the file "
                "is truncated or is not an ONNX ModelProto)");
  // Random bytes sometimes parse as a message of unknown fields only.
  if (!model.proto.has_graph() || model.proto.ir_version() <= 0)
    return fail("not a valid ONNX model: " +
                llvm::Twine(!model.proto.has_graph() ? "it has no graph"
                                                     : "it has no ir_version"));
  return true;
}

bool validateOpsets(OnnxModel &model, std::string &error) {
  auto fail = [&](const llvm::Twine &msg) {
    error = (model.path + ": " + msg).str();
    return false;
  };
  bool found = false;
  for (const auto &opset : model.proto.opset_import()) {
    if (!isDefaultDomain(opset.domain()))
      continue;
    found = true;
    model.opset = opset.version();
  }
  if (!found)
    return fail("the model imports no opset of the default ONNX domain");
  if (model.opset < kMinOnnxOpset)
    return fail("opset " + llvm::Twine(model.opset) +
                " of the default ONNX domain is unsupported (need " +
                llvm::Twine(kMinOnnxOpset) +
                " or later; convert the model with "
                "onnx.version_converter)");
  return true;
}

std::string nodeLabel(const onnx::NodeProto &node, int index) {
  if (!node.name().empty())
    return "node '" + node.name() + "'";
  return "node #" + std::to_string(index) + " (" + node.op_type() + ")";
}

/// Every node input must be a graph input, an initializer or the output of
/// an earlier node: ONNX requires topological order.
bool validateGraph(const OnnxModel &model, std::string &error) {
  const onnx::GraphProto &graph = model.proto.graph();
  auto fail = [&](const llvm::Twine &msg) {
    error = (model.path + ": " + msg).str();
    return false;
  };
  llvm::StringSet<> defined;
  for (const auto &init : graph.initializer()) {
    if (init.name().empty())
      return fail("an initializer has no name");
    if (!defined.insert(init.name()).second)
      return fail("initializer '" + init.name() + "' is defined twice");
  }
  for (const auto &input : graph.input()) {
    if (input.name().empty())
      return fail("a graph input has no name");
    defined.insert(input.name());
  }
  for (const auto &[index, node] : llvm::enumerate(graph.node())) {
    for (const std::string &in : node.input())
      if (!in.empty() && !defined.contains(in))
        return fail(nodeLabel(node, index) + ": input '" + in +
                    "' is not defined by a graph input, an initializer or an "
                    "earlier node");
    for (const std::string &out : node.output())
      if (!out.empty() && !defined.insert(out).second)
        return fail(nodeLabel(node, index) + ": output '" + out +
                    "' is already defined elsewhere in the graph");
  }
  if (graph.output_size() == 0)
    return fail("the graph has no outputs");
  for (const auto &output : graph.output())
    if (!defined.contains(output.name()))
      return fail("graph output '" + output.name() +
                  "' is not produced by any node, input or initializer");
  return true;
}

} // namespace

bool kiln::readOnnxModel(const std::string &path, OnnxModel &model,
                         std::string &error) {
  model.path = path;
  llvm::SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  model.directory = dir.empty() ? "." : std::string(dir);
  return parseModel(path, model, error) && validateOpsets(model, error) &&
         validateGraph(model, error);
}
