//===- OnnxImporterTest.cpp - Unit tests of the ONNX importer -------------===//
//
// Builds tiny ONNX models in C++, writes them to a temporary folder, imports
// them with importOnnxFile and checks the IR (op sequence, attributes,
// constant values against the values written) or the error message.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/OnnxImporter.h"
#include "dialects/kiln/KilnDialect.h"
#include "dialects/kiln/KilnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "onnx/onnx_pb.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

using namespace mlir;

namespace {

//===----------------------------------------------------------------------===//
// Model building helpers
//===----------------------------------------------------------------------===//

/// A fresh folder per test, removed afterwards.
class TempDir {
public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "kiln-onnx-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    path = mkdtemp(buf.data());
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string file(const std::string &name) const { return path + "/" + name; }
  std::string path;
};

struct Model {
  onnx::ModelProto proto;
  onnx::GraphProto *graph;

  explicit Model(int64_t opset = 13) {
    proto.set_ir_version(8);
    auto *op = proto.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    graph = proto.mutable_graph();
    graph->set_name("test");
  }

  static void setShape(onnx::ValueInfoProto *vi,
                       std::initializer_list<int64_t> shape) {
    auto *tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    auto *s = tt->mutable_shape();
    for (int64_t d : shape)
      s->add_dim()->set_dim_value(d);
  }
  onnx::ValueInfoProto *input(const std::string &name,
                              std::initializer_list<int64_t> shape) {
    auto *vi = graph->add_input();
    vi->set_name(name);
    setShape(vi, shape);
    return vi;
  }
  void output(const std::string &name) { graph->add_output()->set_name(name); }

  onnx::TensorProto *floats(const std::string &name, std::vector<int64_t> dims,
                            std::vector<float> values, bool raw = true) {
    auto *t = graph->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
      t->add_dims(d);
    if (raw)
      t->set_raw_data(std::string(reinterpret_cast<const char *>(values.data()),
                                  values.size() * sizeof(float)));
    else
      for (float v : values)
        t->add_float_data(v);
    return t;
  }
  onnx::TensorProto *ints(const std::string &name, std::vector<int64_t> dims,
                          std::vector<int64_t> values) {
    auto *t = graph->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    for (int64_t d : dims)
      t->add_dims(d);
    for (int64_t v : values)
      t->add_int64_data(v);
    return t;
  }

  onnx::NodeProto *node(const std::string &op, const std::string &name,
                        std::vector<std::string> inputs,
                        std::vector<std::string> outputs) {
    auto *n = graph->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (auto &i : inputs)
      n->add_input(i);
    for (auto &o : outputs)
      n->add_output(o);
    return n;
  }
  static void attr(onnx::NodeProto *n, const std::string &name, int64_t v) {
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void attr(onnx::NodeProto *n, const std::string &name, float v) {
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  static void attr(onnx::NodeProto *n, const std::string &name,
                   const char *v) {
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(v);
  }
  static void attr(onnx::NodeProto *n, const std::string &name,
                   std::vector<int64_t> v) {
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v)
      a->add_ints(x);
  }

  std::string write(const TempDir &dir,
                    const std::string &name = "model.onnx") const {
    std::string path = dir.file(name);
    std::ofstream out(path, std::ios::binary);
    proto.SerializeToOstream(&out);
    return path;
  }
};

//===----------------------------------------------------------------------===//
// Import helpers
//===----------------------------------------------------------------------===//

class OnnxImporterTest : public ::testing::Test {
protected:
  OnnxImporterTest() {
    context.loadDialect<kiln::KilnDialect, func::FuncDialect>();
  }

  OwningOpRef<ModuleOp> import(const std::string &path,
                               const kiln::InputShapes &shapes = {}) {
    error.clear();
    auto module = kiln::importOnnxFile(context, path, error, shapes);
    if (module)
      EXPECT_TRUE(error.empty()) << error;
    else
      EXPECT_FALSE(error.empty());
    return module;
  }
  /// Imports a model that must fail and returns the message.
  std::string importError(const std::string &path) {
    auto module = import(path);
    EXPECT_FALSE(module) << "import unexpectedly succeeded";
    return error;
  }

  /// A model built on a fresh Model (output "y") whose import must fail
  /// with a message containing `expected`.
  struct ErrorCase {
    const char *what;
    std::function<void(Model &)> build;
    const char *expected;
  };
  void expectImportErrors(const std::vector<ErrorCase> &cases) {
    for (const auto &c : cases) {
      Model m;
      c.build(m);
      m.output("y");
      std::string message = importError(m.write(dir));
      EXPECT_NE(message.find(c.expected), std::string::npos)
          << c.what << ": " << message;
    }
  }

  static func::FuncOp mainOf(ModuleOp module) {
    return module.lookupSymbol<func::FuncOp>("main");
  }
  /// Names of the ops in @main, in order ("kiln.conv2d", ...).
  static std::vector<std::string> opNames(ModuleOp module) {
    std::vector<std::string> names;
    for (Operation &op : mainOf(module).getBody().front())
      names.push_back(op.getName().getStringRef().str());
    return names;
  }
  template <typename OpTy> static OpTy firstOp(ModuleOp module) {
    OpTy found;
    mainOf(module).walk([&](OpTy op) {
      if (!found)
        found = op;
    });
    return found;
  }
  /// Reads a constant's floats the way the kernelizer should: dense
  /// attributes for small constants, dense_resource blobs for large ones.
  static std::vector<float> constantFloats(Value value) {
    auto op = value.getDefiningOp<kiln::ConstantOp>();
    EXPECT_TRUE(op) << "not a kiln.constant";
    if (!op)
      return {};
    Attribute attr = op.getValue();
    if (auto dense = dyn_cast<DenseElementsAttr>(attr))
      return {dense.getValues<float>().begin(), dense.getValues<float>().end()};
    auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr);
    EXPECT_TRUE(resource) << "unexpected constant attribute kind";
    if (!resource)
      return {};
    auto values = resource.tryGetAsArrayRef();
    EXPECT_TRUE(values.has_value());
    return values ? std::vector<float>(values->begin(), values->end())
                  : std::vector<float>();
  }
  static std::string print(ModuleOp module) {
    std::string s;
    llvm::raw_string_ostream os(s);
    module.print(os);
    return s;
  }

  MLIRContext context;
  std::string error;
  TempDir dir;
};

std::vector<int64_t> shapeOf(Type type) {
  auto shape = cast<RankedTensorType>(type).getShape();
  return {shape.begin(), shape.end()};
}

std::vector<float> iota(size_t n, float start = 0.0f, float step = 1.0f) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = start + step * i;
  return v;
}

/// input [1,3,8,8] -> Conv(W [4,3,3,3], pads 1) -> output
Model convModel(std::vector<int64_t> wShape = {4, 3, 3, 3}) {
  Model m;
  m.input("x", {1, 3, 8, 8});
  int64_t count = 1;
  for (int64_t d : wShape)
    count *= d;
  m.floats("W", wShape, iota(count, -1.0f, 0.01f));
  auto *conv = m.node("Conv", "conv1", {"x", "W"}, {"y"});
  Model::attr(conv, "pads", std::vector<int64_t>{1, 1, 1, 1});
  m.output("y");
  return m;
}

//===----------------------------------------------------------------------===//
// Reading files
//===----------------------------------------------------------------------===//

TEST_F(OnnxImporterTest, TruncatedFileIsNotAValidModel) {
  std::string bytes = convModel().proto.SerializeAsString();
  std::string path = dir.file("truncated.onnx");
  std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  std::string message = importError(path);
  EXPECT_NE(message.find(path + ": not a valid ONNX model"), std::string::npos)
      << message;
}

TEST_F(OnnxImporterTest, TextFileIsNotAValidModel) {
  std::string path = dir.file("text.onnx");
  std::ofstream(path) << "This is a text file, not an ONNX protobuf.\n";
  EXPECT_NE(importError(path).find("not a valid ONNX model"),
            std::string::npos);
}

TEST_F(OnnxImporterTest, MissingFile) {
  EXPECT_NE(importError(dir.file("absent.onnx")).find("cannot read file"),
            std::string::npos);
}

TEST_F(OnnxImporterTest, OpOlderThanItsSemanticsIsRejectedWithItsNumber) {
  // Clip took min/max as attributes before opset 11.
  Model m(/*opset=*/9);
  m.input("x", {1, 4});
  m.node("Clip", "c", {"x"}, {"y"});
  m.output("y");
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("unsupported: Clip of opset 9 (supported from opset "
                         "11 on"),
            std::string::npos)
      << message;
}

TEST_F(OnnxImporterTest, OldOpsetWithUnchangedOpsImports) {
  // GlobalAveragePool and HardSigmoid mean the same since opsets 1 and 6.
  Model m(/*opset=*/6);
  m.input("x", {1, 4, 3, 3});
  auto *hs = m.node("HardSigmoid", "hs", {"x"}, {"h"});
  Model::attr(hs, "alpha", 0.5f);
  m.node("GlobalAveragePool", "gap", {"h"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.hard_sigmoid",
                                      "kiln.global_avg_pool", "func.return"}));
  auto op = firstOp<kiln::HardSigmoidOp>(*module);
  EXPECT_EQ(op.getAlpha().convertToFloat(), 0.5f);
  EXPECT_EQ(op.getBeta().convertToFloat(), 0.5f); // The ONNX default.
}

TEST_F(OnnxImporterTest, TanhSoftplusMishEluSelu) {
  // One op each; Elu's alpha defaults to 1, Selu's alpha / gamma to ONNX's
  // constants. Mish exists from opset 18.
  Model m(/*opset=*/18);
  m.input("x", {1, 4, 3, 3});
  m.node("Tanh", "tanh", {"x"}, {"a"});
  m.node("Softplus", "softplus", {"a"}, {"b"});
  m.node("Mish", "mish", {"b"}, {"c"});
  m.node("Elu", "elu", {"c"}, {"d"});
  auto *elu = m.node("Elu", "elu2", {"d"}, {"e"});
  Model::attr(elu, "alpha", 0.25f);
  m.node("Selu", "selu", {"e"}, {"f"});
  auto *selu = m.node("Selu", "selu2", {"f"}, {"y"});
  Model::attr(selu, "gamma", 2.0f);
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.tanh", "kiln.softplus",
                                      "kiln.mish", "kiln.elu", "kiln.elu",
                                      "kiln.selu", "kiln.selu",
                                      "func.return"}));
  std::vector<float> alphas, gammas;
  module->walk([&](kiln::EluOp op) {
    alphas.push_back(op.getAlpha().convertToFloat());
  });
  module->walk([&](kiln::SeluOp op) {
    alphas.push_back(op.getAlpha().convertToFloat());
    gammas.push_back(op.getGamma().convertToFloat());
  });
  EXPECT_EQ(alphas, (std::vector<float>{1.0f, 0.25f, 1.67326319217681884765625f,
                                        1.67326319217681884765625f}));
  EXPECT_EQ(gammas, (std::vector<float>{1.05070102214813232421875f, 2.0f}));
}

TEST_F(OnnxImporterTest, InputShapeGivesDynamicDims) {
  // An export with a dynamic batch ("N") and a dynamic output: refused
  // with a hint, compiled for the shape --input-shape gives.
  Model m;
  m.input("x", {1, 4, 3, 3});
  m.graph->mutable_input(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(0)
      ->set_dim_param("N");
  m.node("Relu", "relu", {"x"}, {"y"});
  m.output("y");
  std::string path = m.write(dir);
  std::string message = importError(path);
  EXPECT_NE(message.find("graph input 'x' has a dynamic dimension 0 ('N'); "
                         "kiln compiles static shapes: give them with "
                         "--input-shape=x=DIMS"),
            std::string::npos)
      << message;
  for (const char *text : {"x=2x4x3x3", "2x4x3x3"}) {
    kiln::InputShape shape;
    std::string parseError;
    ASSERT_TRUE(kiln::parseInputShape(text, shape, parseError)) << parseError;
    auto module = import(path, {shape});
    ASSERT_TRUE(module) << error;
    auto ret = cast<func::ReturnOp>(
        mainOf(*module).getBody().front().getTerminator());
    EXPECT_EQ(shapeOf(ret.getOperand(0).getType()),
              (std::vector<int64_t>{2, 4, 3, 3}))
        << text;
  }
  auto importWith = [&](std::vector<kiln::InputShape> shapes) {
    auto module = import(path, shapes);
    EXPECT_FALSE(module);
    return error;
  };
  EXPECT_NE(importWith({{"x", {2, 4, 9}}})
                .find("graph input 'x' has rank 4 but --input-shape gives "
                      "2x4x9"),
            std::string::npos)
      << error;
  EXPECT_NE(importWith({{"y", {1}}})
                .find("--input-shape names 'y', which is not a graph input "
                      "(the inputs: x)"),
            std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, InputShapeText) {
  kiln::InputShape s;
  std::string error;
  ASSERT_TRUE(kiln::parseInputShape("image=1x3x224x224", s, error)) << error;
  EXPECT_EQ(s.name, "image");
  EXPECT_EQ(s.dims, (std::vector<int64_t>{1, 3, 224, 224}));
  ASSERT_TRUE(kiln::parseInputShape("a=b=7", s, error)) << error;
  EXPECT_EQ(s.name, "a=b"); // a name may hold '='; the dims may not
  EXPECT_EQ(s.dims, (std::vector<int64_t>{7}));
  for (const char *bad : {"", "x=", "=1x2", "1xx2", "1x0", "1x-2", "x=1x2x",
                          "1x3.5", "x=99999999999", "1x1x1x1x1x1x1x1x1"}) {
    EXPECT_FALSE(kiln::parseInputShape(bad, s, error)) << bad;
    EXPECT_NE(error.find("'"), std::string::npos) << bad << ": " << error;
  }
  EXPECT_EQ(kiln::formatDims({1, 3, 224, 224}), "1x3x224x224");
}

TEST_F(OnnxImporterTest, UndefinedNodeInput) {
  Model m;
  m.input("x", {1, 4});
  m.node("Add", "add", {"x", "nowhere"}, {"y"});
  m.output("y");
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("'nowhere'"), std::string::npos) << message;
}

TEST_F(OnnxImporterTest, RawDataSizeMismatch) {
  Model m = convModel();
  m.graph->mutable_initializer(0)->set_raw_data(std::string(8, '\0'));
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("initializer 'W'"), std::string::npos) << message;
  EXPECT_NE(message.find("raw_data has 8 bytes, expected 432"),
            std::string::npos)
      << message;
}

TEST_F(OnnxImporterTest, FloatDataCountMismatch) {
  Model m;
  m.input("x", {1, 4});
  m.floats("b", {4}, {1, 2, 3}, /*raw=*/false);
  m.node("Add", "add", {"x", "b"}, {"y"});
  m.output("y");
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("holds 3 values but its dims need 4"),
            std::string::npos)
      << message;
}

TEST_F(OnnxImporterTest, NonFloatInitializerIsRejected) {
  Model m;
  m.input("x", {1, 4});
  auto *t = m.floats("b", {4}, {1, 2, 3, 4});
  t->set_data_type(onnx::TensorProto::DOUBLE);
  m.node("Add", "add", {"x", "b"}, {"y"});
  m.output("y");
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("DOUBLE"), std::string::npos) << message;
}

TEST_F(OnnxImporterTest, NegativeDimIsRejected) {
  Model m;
  m.input("x", {1, 4});
  m.floats("b", {4}, {1, 2, 3, 4})->set_dims(0, -4);
  m.node("Add", "add", {"x", "b"}, {"y"});
  m.output("y");
  EXPECT_NE(importError(m.write(dir)).find("invalid dims"), std::string::npos);
}

/// Moves initializer `index` of `m` to `file` in `dir` (as ONNX does).
void externalize(Model &m, int index, const TempDir &dir,
                 const std::string &location, const std::string &file,
                 int64_t offset = 0, int64_t length = -1) {
  onnx::TensorProto *t = m.graph->mutable_initializer(index);
  std::string raw = t->raw_data();
  if (!file.empty()) {
    std::ofstream out(dir.file(file), std::ios::binary);
    out << std::string(offset, 'x') << raw;
  }
  t->clear_raw_data();
  t->set_data_location(onnx::TensorProto::EXTERNAL);
  auto add = [&](const std::string &k, const std::string &v) {
    auto *e = t->add_external_data();
    e->set_key(k);
    e->set_value(v);
  };
  add("location", location);
  add("offset", std::to_string(offset));
  add("length", std::to_string(length < 0 ? (int64_t)raw.size() : length));
}

TEST_F(OnnxImporterTest, ExternalDataIsRead) {
  Model m = convModel();
  externalize(m, 0, dir, "weights.bin", "weights.bin", /*offset=*/12);
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto conv = firstOp<kiln::Conv2DOp>(*module);
  EXPECT_EQ(constantFloats(conv.getWeight()), iota(108, -1.0f, 0.01f));
}

TEST_F(OnnxImporterTest, ExternalDataEscapingTheFolderIsRejected) {
  Model m = convModel();
  // The file exists and has the right size: only the location is wrong.
  externalize(m, 0, dir, "../x.bin", "x.bin");
  std::string sub = dir.file("sub");
  std::system(("mkdir -p '" + sub + "'").c_str());
  std::string path = sub + "/model.onnx";
  std::ofstream out(path, std::ios::binary);
  m.proto.SerializeToOstream(&out);
  out.close();
  std::string message = importError(path);
  EXPECT_NE(message.find("'../x.bin'"), std::string::npos) << message;
  EXPECT_NE(message.find("initializer 'W'"), std::string::npos) << message;
}

TEST_F(OnnxImporterTest, ExternalDataAbsolutePathIsRejected) {
  Model m = convModel();
  externalize(m, 0, dir, dir.file("w.bin"), "w.bin");
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("not a relative path"), std::string::npos) << message;
}

TEST_F(OnnxImporterTest, ExternalDataPastEndOfFileIsRejected) {
  Model m = convModel();
  externalize(m, 0, dir, "w.bin", "w.bin");
  // Claim a larger offset than the file allows.
  auto *t = m.graph->mutable_initializer(0);
  t->mutable_external_data(1)->set_value("100");
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("runs past the end"), std::string::npos) << message;
}

TEST_F(OnnxImporterTest, ExternalDataWrongLengthIsRejected) {
  Model m = convModel();
  externalize(m, 0, dir, "w.bin", "w.bin", 0, /*length=*/16);
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("length 16"), std::string::npos) << message;
}

//===----------------------------------------------------------------------===//
// Graph structure
//===----------------------------------------------------------------------===//

TEST_F(OnnxImporterTest, UnsupportedOpNamesNodeAndOp) {
  Model m = convModel();
  m.graph->clear_output();
  m.node("Erf", "my_erf_node", {"y"}, {"z"});
  m.node("Sin", "t", {"z"}, {"w"});
  m.output("w");
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find(": node 'my_erf_node': unsupported op 'Erf'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("Erf, Sin"), std::string::npos) << message;
}

TEST_F(OnnxImporterTest, UnknownDomainIsUnsupported) {
  Model m;
  m.input("x", {1, 4});
  m.node("Relu", "custom", {"x"}, {"y"})->set_domain("com.example");
  m.output("y");
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("com.example"), std::string::npos) << message;
}

TEST_F(OnnxImporterTest, DynamicInputDimIsRejected) {
  Model m;
  auto *vi = m.input("x", {1, 4});
  vi->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(0)
      ->set_dim_param("batch");
  m.node("Relu", "r", {"x"}, {"y"});
  m.output("y");
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("graph input 'x' has a dynamic dimension 0 ('batch')"),
            std::string::npos)
      << message;
}

TEST_F(OnnxImporterTest, SignatureNamesAndInitializerInputs) {
  Model m;
  m.input("x", {1, 4});
  m.input("b", {4}); // also an initializer: a constant, not an argument
  m.floats("b", {4}, {1, 2, 3, 4});
  m.node("Add", "add", {"x", "b"}, {"y"});
  m.node("Relu", "relu", {"y"}, {"z"});
  m.output("z");
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  func::FuncOp main = mainOf(*module);
  ASSERT_EQ(main.getNumArguments(), 1u);
  ASSERT_EQ(main.getNumResults(), 2u);
  EXPECT_EQ(
      main.getArgAttrOfType<StringAttr>(0, kiln::kTensorNameAttr).getValue(),
      "x");
  EXPECT_EQ(
      main.getResultAttrOfType<StringAttr>(0, kiln::kTensorNameAttr).getValue(),
      "z");
  EXPECT_EQ(
      main.getResultAttrOfType<StringAttr>(1, kiln::kTensorNameAttr).getValue(),
      "y");
  auto add = firstOp<kiln::AddOp>(*module);
  EXPECT_EQ(constantFloats(add.getRhs()), (std::vector<float>{1, 2, 3, 4}));
  auto loc = dyn_cast<NameLoc>(add->getLoc());
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc.getName().getValue(), "add");
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

TEST_F(OnnxImporterTest, ConvChannelMismatchNamesNode) {
  Model m = convModel({4, 5, 3, 3});
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("node 'conv1' (Conv): 'kiln.conv2d' weight expects 5 "
                         "input channels"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("the input has 3"), std::string::npos) << message;
}

TEST_F(OnnxImporterTest, ConvZeroStrideNamesNode) {
  Model m = convModel();
  Model::attr(m.graph->mutable_node(0), "strides", std::vector<int64_t>{0, 1});
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("node 'conv1' (Conv)"), std::string::npos) << message;
  EXPECT_NE(message.find("stride"), std::string::npos) << message;
}

TEST_F(OnnxImporterTest, ConvAttributeOfWrongLengthNamesNode) {
  Model m = convModel();
  Model::attr(m.graph->mutable_node(0), "strides",
              std::vector<int64_t>{1, 1, 1});
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("node 'conv1' (Conv): attribute 'strides' needs 2 "
                         "values, got 3"),
            std::string::npos)
      << message;
}

TEST_F(OnnxImporterTest, ConvKernelShapeMustMatchWeight) {
  Model m = convModel();
  Model::attr(m.graph->mutable_node(0), "kernel_shape",
              std::vector<int64_t>{5, 5});
  EXPECT_NE(importError(m.write(dir)).find("kernel_shape"), std::string::npos);
}

TEST_F(OnnxImporterTest, ConvSameUpperPadsAndResourceWeight) {
  Model m;
  m.input("x", {1, 3, 7, 7});
  m.floats("W", {2, 3, 4, 4}, iota(96));
  auto *conv = m.node("Conv", "c", {"x", "W"}, {"y"});
  auto *a = conv->add_attribute();
  a->set_name("auto_pad");
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s("SAME_UPPER");
  Model::attr(conv, "strides", std::vector<int64_t>{2, 2});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto op = firstOp<kiln::Conv2DOp>(*module);
  // out = ceil(7/2) = 4; total pad = (4-1)*2 + 4 - 7 = 3 -> 1 before, 2 after.
  EXPECT_EQ(op.getPads(), (ArrayRef<int64_t>{1, 1, 2, 2}));
  EXPECT_EQ(shapeOf(op.getType()), (std::vector<int64_t>{1, 2, 4, 4}));
  auto weight = op.getWeight().getDefiningOp<kiln::ConstantOp>();
  EXPECT_TRUE(isa<DenseResourceElementsAttr>(weight.getValue()));
  EXPECT_EQ(constantFloats(op.getWeight()), iota(96));
}

TEST_F(OnnxImporterTest, PadImportsAsKilnPad) {
  // The importer keeps the Pad; kiln-fold-pad folds it into the conv later.
  Model m = convModel();
  m.graph->mutable_node(0)->set_input(0, "xp");
  m.ints("pads", {8}, {0, 0, 1, 2, 0, 0, 3, 4});
  // Insert the Pad before the Conv (nodes are in topological order).
  auto *pad = m.node("Pad", "pad", {"x", "pads"}, {"xp"});
  m.graph->mutable_node()->SwapElements(0, 1);
  (void)pad;
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.pad", "kiln.constant",
                                      "kiln.conv2d", "func.return"}));
  auto op = firstOp<kiln::PadOp>(*module);
  EXPECT_EQ(op.getPads(), (ArrayRef<int64_t>{0, 0, 1, 2, 0, 0, 3, 4}));
  EXPECT_EQ(op.getValue().convertToFloat(), 0.0f);
  EXPECT_EQ(shapeOf(op.getType()), (std::vector<int64_t>{1, 3, 12, 14}));
  auto conv = firstOp<kiln::Conv2DOp>(*module);
  EXPECT_EQ(conv.getInput(), op.getResult());
  EXPECT_EQ(conv.getPads(), (ArrayRef<int64_t>{1, 1, 1, 1}));
}

TEST_F(OnnxImporterTest, PadWithValueAndAxes) {
  // Opset 18 'axes': pads [h_begin, w_begin, h_end, w_end] for axes 2, -1.
  Model m(18);
  m.input("x", {1, 2, 3, 3});
  m.ints("pads", {4}, {1, 0, 2, 3});
  m.floats("value", {}, {-1.5f}, /*raw=*/false);
  m.ints("axes", {2}, {2, -1});
  m.node("Pad", "pad", {"x", "pads", "value", "axes"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto op = firstOp<kiln::PadOp>(*module);
  EXPECT_EQ(op.getPads(), (ArrayRef<int64_t>{0, 0, 1, 0, 0, 0, 2, 3}));
  EXPECT_EQ(op.getValue().convertToFloat(), -1.5f);
  EXPECT_EQ(shapeOf(op.getType()), (std::vector<int64_t>{1, 2, 6, 6}));
}

TEST_F(OnnxImporterTest, PadAttributesBeforeOpset11) {
  // Opsets 2..10: pads and value are attributes.
  Model m(/*opset=*/10);
  m.input("x", {1, 2, 3, 3});
  auto *pad = m.node("Pad", "pad", {"x"}, {"y"});
  Model::attr(pad, "pads", std::vector<int64_t>{0, 0, 1, 2, 0, 0, 0, 1});
  Model::attr(pad, "value", 2.5f);
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto op = firstOp<kiln::PadOp>(*module);
  EXPECT_EQ(op.getPads(), (ArrayRef<int64_t>{0, 0, 1, 2, 0, 0, 0, 1}));
  EXPECT_EQ(op.getValue().convertToFloat(), 2.5f);
  EXPECT_EQ(shapeOf(op.getType()), (std::vector<int64_t>{1, 2, 4, 6}));
}

TEST_F(OnnxImporterTest, PadModesImportAsTheirMode) {
  // Edge, reflect and wrap (opset 19) keep their mode; the value input is
  // ignored there, so the op carries the default.
  for (const char *mode : {"edge", "reflect", "wrap"}) {
    Model m(19);
    m.input("x", {1, 2, 3, 4});
    m.ints("pads", {8}, {0, 0, 2, 1, 0, 0, 0, 3});
    m.floats("value", {}, {7.0f}, /*raw=*/false);
    auto *pad = m.node("Pad", "pad", {"x", "pads", "value"}, {"y"});
    Model::attr(pad, "mode", mode);
    m.output("y");
    auto module = import(m.write(dir));
    ASSERT_TRUE(module) << mode << ": " << error;
    auto op = firstOp<kiln::PadOp>(*module);
    EXPECT_EQ(op.getMode(), mode);
    EXPECT_EQ(op.getValue().convertToFloat(), 0.0f) << mode;
    EXPECT_EQ(op.getPads(), (ArrayRef<int64_t>{0, 0, 2, 1, 0, 0, 0, 3}));
    EXPECT_EQ(shapeOf(op.getType()), (std::vector<int64_t>{1, 2, 5, 8}));
  }
}

TEST_F(OnnxImporterTest, ReflectPadBeforeConvStaysAPad) {
  // Only a constant zero border can become the conv's own padding.
  Model m = convModel();
  m.graph->mutable_node(0)->set_input(0, "xp");
  m.ints("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
  auto *pad = m.node("Pad", "pad", {"x", "pads"}, {"xp"});
  Model::attr(pad, "mode", "reflect");
  m.graph->mutable_node()->SwapElements(0, 1);
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto op = firstOp<kiln::PadOp>(*module);
  EXPECT_EQ(op.getMode(), "reflect");
  EXPECT_EQ(firstOp<kiln::Conv2DOp>(*module).getInput(), op.getResult());
}

TEST_F(OnnxImporterTest, PadByNothingIsTheInput) {
  Model m;
  m.input("x", {2, 3});
  m.ints("pads", {4}, {0, 0, 0, 0});
  m.node("Pad", "pad", {"x", "pads"}, {"p"});
  m.node("Relu", "relu", {"p"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.relu", "func.return"}));
}

TEST_F(OnnxImporterTest, PadErrors) {
  expectImportErrors({
      {"negative pads",
       [](Model &m) {
         m.input("x", {1, 2, 4, 4});
         m.ints("pads", {8}, {0, 0, -1, 0, 0, 0, 0, 0});
         m.node("Pad", "pad", {"x", "pads"}, {"y"});
       },
       "node 'pad' (Pad): unsupported: negative pads (cropping)"},
      {"wrong pad count",
       [](Model &m) {
         m.input("x", {1, 2, 4, 4});
         m.ints("pads", {4}, {1, 1, 1, 1});
         m.node("Pad", "pad", {"x", "pads"}, {"y"});
       },
       "the pads must be 8 int64 values (begins, then ends) for 4 padded "
       "axes"},
      {"computed pads",
       [](Model &m) {
         m.input("x", {1, 2, 4, 4});
         m.input("pads", {8});
         m.node("Pad", "pad", {"x", "pads"}, {"y"});
       },
       "unsupported: the pads ('pads') is computed at run time"},
      {"wrap before opset 19",
       [](Model &m) {
         m.input("x", {1, 2, 4, 4});
         m.ints("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
         auto *pad = m.node("Pad", "pad", {"x", "pads"}, {"y"});
         Model::attr(pad, "mode", "wrap");
       },
       "Pad mode 'wrap' needs opset 19 or later (the model imports opset "
       "13)"},
  });
}

TEST_F(OnnxImporterTest, GemmTransBZeroTransposesAndScalesWeight) {
  // B is K x N = 5 x 4 (transB = 0): the dense weight must be alpha * B^T.
  Model m;
  m.input("x", {2, 5});
  std::vector<float> b = iota(20, 0.5f, 0.25f);
  m.floats("B", {5, 4}, b);
  m.floats("C", {1, 4}, {1, 2, 3, 4}, /*raw=*/false);
  auto *gemm = m.node("Gemm", "fc", {"x", "B", "C"}, {"y"});
  Model::attr(gemm, "alpha", 2.0f);
  Model::attr(gemm, "beta", 0.5f);
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto dense = firstOp<kiln::DenseOp>(*module);
  ASSERT_TRUE(dense);
  std::vector<float> expected(20);
  for (int n = 0; n < 4; ++n)
    for (int k = 0; k < 5; ++k)
      expected[n * 5 + k] = 2.0f * b[k * 4 + n];
  EXPECT_EQ(shapeOf(dense.getWeight().getType()), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(constantFloats(dense.getWeight()), expected);
  EXPECT_EQ(constantFloats(dense.getBias()),
            (std::vector<float>{0.5f, 1.0f, 1.5f, 2.0f}));
  EXPECT_EQ(shapeOf(dense.getType()), (std::vector<int64_t>{2, 4}));
}

TEST_F(OnnxImporterTest, GemmTransBOneKeepsWeight) {
  Model m;
  m.input("x", {1, 3});
  m.floats("B", {2, 3}, {1, 2, 3, 4, 5, 6});
  auto *gemm = m.node("Gemm", "fc", {"x", "B"}, {"y"});
  Model::attr(gemm, "transB", int64_t(1));
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto dense = firstOp<kiln::DenseOp>(*module);
  EXPECT_EQ(constantFloats(dense.getWeight()),
            (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_FALSE(dense.getBias());
}

TEST_F(OnnxImporterTest, GemmTransATransposesTheInput) {
  Model m;
  m.input("x", {3, 2});
  m.floats("B", {3, 2}, iota(6));
  auto *gemm = m.node("Gemm", "fc", {"x", "B"}, {"y"});
  Model::attr(gemm, "transA", int64_t(1));
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto t = firstOp<kiln::TransposeOp>(*module);
  ASSERT_TRUE(t);
  EXPECT_EQ(t.getPerm(), (ArrayRef<int64_t>{1, 0}));
  auto dense = firstOp<kiln::DenseOp>(*module);
  EXPECT_EQ(dense.getInput(), t.getResult());
  EXPECT_EQ(shapeOf(dense.getType()), (std::vector<int64_t>{2, 2}));
}

TEST_F(OnnxImporterTest, GemmWithComputedOperandsUsesTransposeMulAdd) {
  // y = 0.5 * A B + 2 C with B (K x N) and C (M x N) graph inputs.
  Model m;
  m.input("a", {3, 5});
  m.input("b", {5, 4});
  m.input("c", {3, 4});
  auto *gemm = m.node("Gemm", "fc", {"a", "b", "c"}, {"y"});
  Model::attr(gemm, "alpha", 0.5f);
  Model::attr(gemm, "beta", 2.0f);
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.transpose", "kiln.constant",
                                      "kiln.mul", "kiln.dense", "kiln.constant",
                                      "kiln.mul", "kiln.add", "func.return"}));
  auto dense = firstOp<kiln::DenseOp>(*module);
  EXPECT_EQ(shapeOf(dense.getWeight().getType()), (std::vector<int64_t>{4, 5}));
  EXPECT_FALSE(dense.getBias());
  auto mul = dense.getWeight().getDefiningOp<kiln::MulOp>();
  ASSERT_TRUE(mul);
  EXPECT_EQ(constantFloats(mul.getRhs()), (std::vector<float>{0.5f}));
}

TEST_F(OnnxImporterTest, GemmConstantMatrixBiasIsAddedAfterTheDenseLayer) {
  Model m;
  m.input("a", {2, 3});
  m.floats("B", {3, 4}, iota(12));
  m.floats("C", {2, 4}, iota(8));
  m.node("Gemm", "fc", {"a", "B", "C"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto add = firstOp<kiln::AddOp>(*module);
  ASSERT_TRUE(add);
  EXPECT_EQ(shapeOf(add.getType()), (std::vector<int64_t>{2, 4}));
}

TEST_F(OnnxImporterTest, MatMulAddBecomesDenseWithBias) {
  Model m;
  m.input("x", {1, 3});
  m.floats("W", {3, 2}, {1, 2, 3, 4, 5, 6});
  m.floats("b", {2}, {10, 20});
  m.node("MatMul", "mm", {"x", "W"}, {"h"});
  m.node("Add", "add", {"h", "b"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.constant", "kiln.constant",
                                      "kiln.dense", "func.return"}));
  auto dense = firstOp<kiln::DenseOp>(*module);
  EXPECT_EQ(constantFloats(dense.getWeight()),
            (std::vector<float>{1, 3, 5, 2, 4, 6}));
  EXPECT_EQ(constantFloats(dense.getBias()), (std::vector<float>{10, 20}));
}

TEST_F(OnnxImporterTest, MatMulWithComputedRightOperandTransposesIt) {
  Model m;
  m.input("x", {2, 3});
  m.input("w", {3, 5});
  m.node("MatMul", "mm", {"x", "w"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.transpose", "kiln.dense",
                                      "func.return"}));
  EXPECT_EQ(shapeOf(firstOp<kiln::DenseOp>(*module).getType()),
            (std::vector<int64_t>{2, 5}));
}

TEST_F(OnnxImporterTest, BatchedMatMulIsUnsupported) {
  Model m;
  m.input("x", {2, 3, 4});
  m.input("w", {2, 4, 3});
  m.node("MatMul", "mm", {"x", "w"}, {"y"});
  m.output("y");
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("unsupported: input A has rank 3"), std::string::npos)
      << message;
}

TEST_F(OnnxImporterTest, ClipVariants) {
  Model m;
  m.input("x", {1, 4});
  m.floats("zero", {}, {0.0f});
  m.floats("six", {}, {6.0f});
  m.node("Clip", "relu6", {"x", "zero", "six"}, {"a"});
  m.node("Clip", "relu", {"a", "zero"}, {"b"});
  m.node("Clip", "upper", {"b", "", "six"}, {"c"});
  m.output("c");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  // Clip bounds are consumed at import: no constants are emitted.
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.clip", "kiln.relu", "kiln.clip",
                                      "func.return"}));
  auto clip = firstOp<kiln::ClipOp>(*module);
  EXPECT_EQ(clip.getMin().convertToFloat(), 0.0f);
  EXPECT_EQ(clip.getMax().convertToFloat(), 6.0f);
}

// ONNX: min > max sets every value to max (Min(max, Max(x, min))).
TEST_F(OnnxImporterTest, ClipMinAboveMaxClampsToMax) {
  Model m;
  m.input("x", {1, 4});
  m.floats("lo", {}, {2.0f});
  m.floats("hi", {}, {-1.5f});
  m.node("Clip", "inverted", {"x", "lo", "hi"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto clip = firstOp<kiln::ClipOp>(*module);
  EXPECT_EQ(clip.getMin().convertToFloat(), -1.5f);
  EXPECT_EQ(clip.getMax().convertToFloat(), -1.5f);
}

TEST_F(OnnxImporterTest, ReshapeCopiesAndInfersDims) {
  Model m;
  m.input("x", {2, 3, 4});
  m.ints("shape", {3}, {0, -1, 2});
  m.node("Reshape", "r", {"x", "shape"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.reshape", "func.return"}));
  EXPECT_EQ(shapeOf(firstOp<kiln::ReshapeOp>(*module).getType()),
            (std::vector<int64_t>{2, 6, 2}));
}

TEST_F(OnnxImporterTest, SqueezeUnsqueezeAndTransposeShapes) {
  // Opset 13: axes are an input. Squeeze without axes drops every size-1
  // axis; Unsqueeze's axes index the result (negative ones too, in any
  // order); Transpose without perm reverses the dims.
  Model m;
  m.input("x", {1, 3, 1, 4});
  m.ints("sq_axes", {1}, {-2});
  m.node("Squeeze", "sq", {"x", "sq_axes"}, {"a"}); // 1x3x4
  m.node("Squeeze", "sq_all", {"a"}, {"b"});        // 3x4
  m.ints("un_axes", {2}, {-1, 0});
  m.node("Unsqueeze", "un", {"b", "un_axes"}, {"c"}); // 1x3x4x1
  auto *t = m.node("Transpose", "t", {"c"}, {"d"});
  Model::attr(t, "perm", std::vector<int64_t>{0, 2, 3, 1}); // 1x4x1x3
  m.node("Transpose", "t_rev", {"d"}, {"y"});                // 3x1x4x1
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  std::vector<std::vector<int64_t>> reshapes, transposes;
  module->walk([&](kiln::ReshapeOp op) {
    reshapes.push_back(shapeOf(op.getType()));
  });
  std::vector<std::vector<int64_t>> perms;
  module->walk([&](kiln::TransposeOp op) {
    transposes.push_back(shapeOf(op.getType()));
    perms.emplace_back(op.getPerm().begin(), op.getPerm().end());
  });
  EXPECT_EQ(reshapes, (std::vector<std::vector<int64_t>>{
                          {1, 3, 4}, {3, 4}, {1, 3, 4, 1}}));
  EXPECT_EQ(transposes,
            (std::vector<std::vector<int64_t>>{{1, 4, 1, 3}, {3, 1, 4, 1}}));
  EXPECT_EQ(perms,
            (std::vector<std::vector<int64_t>>{{0, 2, 3, 1}, {3, 2, 1, 0}}));
}

TEST_F(OnnxImporterTest, SqueezeUnsqueezeAxesAttributeBeforeOpset13) {
  Model m(/*opset=*/11);
  m.input("x", {2, 1, 3});
  auto *sq = m.node("Squeeze", "sq", {"x"}, {"a"});
  Model::attr(sq, "axes", std::vector<int64_t>{1});
  auto *un = m.node("Unsqueeze", "un", {"a"}, {"y"});
  Model::attr(un, "axes", std::vector<int64_t>{1, 3});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  std::vector<int64_t> last;
  module->walk([&](kiln::ReshapeOp op) { last = shapeOf(op.getType()); });
  EXPECT_EQ(last, (std::vector<int64_t>{2, 1, 3, 1}));
}

TEST_F(OnnxImporterTest, ShapeOpErrors) {
  expectImportErrors({
      {"squeeze of a size-3 axis",
       [](Model &m) {
         m.input("x", {1, 3});
         m.ints("axes", {1}, {1});
         m.node("Squeeze", "sq", {"x", "axes"}, {"y"});
       },
       "node 'sq' (Squeeze): axis 1 has size 3; only size-1 axes can be "
       "squeezed"},
      {"squeeze to a scalar",
       [](Model &m) {
         m.input("x", {1, 1});
         m.node("Squeeze", "sq", {"x"}, {"y"});
       },
       "unsupported: squeezing every axis (a scalar result)"},
      {"empty squeeze axes",
       [](Model &m) {
         m.input("x", {1, 3});
         m.ints("axes", {0}, {});
         m.node("Squeeze", "sq", {"x", "axes"}, {"y"});
       },
       "unsupported: an empty axes list"},
      {"unsqueeze axis twice",
       [](Model &m) {
         m.input("x", {2, 3});
         m.ints("axes", {2}, {0, -4});
         m.node("Unsqueeze", "un", {"x", "axes"}, {"y"});
       },
       "axis -4 is given twice"},
      {"unsqueeze axis out of range",
       [](Model &m) {
         m.input("x", {2, 3});
         m.ints("axes", {1}, {3});
         m.node("Unsqueeze", "un", {"x", "axes"}, {"y"});
       },
       "axis 3 is out of range for rank 3"},
      {"unsqueeze without axes",
       [](Model &m) {
         m.input("x", {2, 3});
         m.node("Unsqueeze", "un", {"x"}, {"y"});
       },
       "missing the axes to insert"},
      {"unsqueeze beyond rank 8",
       [](Model &m) {
         m.input("x", {2, 3, 1, 1, 1, 1, 1});
         m.ints("axes", {2}, {0, 1});
         m.node("Unsqueeze", "un", {"x", "axes"}, {"y"});
       },
       "the result has rank 9; at most 8 is supported"},
      {"computed unsqueeze axes",
       [](Model &m) {
         m.input("x", {2, 3});
         m.input("axes", {1});
         m.node("Unsqueeze", "un", {"x", "axes"}, {"y"});
       },
       "unsupported: the axes ('axes') is computed at run time"},
      {"transpose perm repeats a dim",
       [](Model &m) {
         m.input("x", {2, 3, 4});
         auto *t = m.node("Transpose", "t", {"x"}, {"y"});
         Model::attr(t, "perm", std::vector<int64_t>{0, 2, 2});
       },
       "node 't' (Transpose): perm is not a permutation of 0..2"},
      {"transpose perm of the wrong rank",
       [](Model &m) {
         m.input("x", {2, 3, 4});
         auto *t = m.node("Transpose", "t", {"x"}, {"y"});
         Model::attr(t, "perm", std::vector<int64_t>{1, 0});
       },
       "perm has 2 entries; the input has rank 3"},
  });
}

TEST_F(OnnxImporterTest, SubAndDivBecomeAddAndMul) {
  // x - c: x + (-c); x / c: x * (1 / c); a - b of computed tensors:
  // a + b * -1.
  Model m;
  m.input("x", {1, 2, 3, 3});
  m.floats("c", {1, 2, 1, 1}, {0.5f, -4.0f}, /*raw=*/false);
  m.floats("d", {1, 2, 1, 1}, {0.25f, -8.0f}, /*raw=*/false);
  m.node("Sub", "sub", {"x", "c"}, {"a"});
  m.node("Div", "div", {"a", "d"}, {"b"});
  m.node("Relu", "relu", {"b"}, {"r"});
  m.node("Sub", "sub2", {"b", "r"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  std::vector<kiln::AddOp> adds;
  module->walk([&](kiln::AddOp op) { adds.push_back(op); });
  ASSERT_EQ(adds.size(), 2u);
  EXPECT_EQ(constantFloats(adds[0].getRhs()),
            (std::vector<float>{-0.5f, 4.0f}));
  std::vector<kiln::MulOp> muls;
  module->walk([&](kiln::MulOp op) { muls.push_back(op); });
  ASSERT_EQ(muls.size(), 2u);
  EXPECT_EQ(muls[0].getLhs(), adds[0].getResult());
  EXPECT_EQ(constantFloats(muls[0].getRhs()),
            (std::vector<float>{4.0f, -0.125f}));
  // sub2: b + r * -1.
  EXPECT_EQ(muls[1].getLhs().getDefiningOp<kiln::ReluOp>() != nullptr, true);
  EXPECT_EQ(constantFloats(muls[1].getRhs()), (std::vector<float>{-1.0f}));
  EXPECT_EQ(adds[1].getLhs(), muls[0].getResult());
  EXPECT_EQ(adds[1].getRhs(), muls[1].getResult());
}

TEST_F(OnnxImporterTest, DivErrors) {
  {
    Model m;
    m.input("x", {1, 4});
    m.input("y", {1, 4});
    m.node("Div", "div", {"x", "y"}, {"z"});
    m.output("z");
    EXPECT_NE(importError(m.write(dir)).find(
                  "node 'div' (Div): unsupported: the divisor ('y') is "
                  "computed at run time"),
              std::string::npos);
  }
  {
    Model m;
    m.input("x", {1, 2});
    m.floats("tiny", {2}, {1.0f, 1e-39f}, /*raw=*/false);
    m.node("Div", "div", {"x", "tiny"}, {"z"});
    m.output("z");
    std::string message = importError(m.write(dir));
    EXPECT_NE(message.find("whose reciprocal overflows float32"),
              std::string::npos)
        << message;
  }
  {
    // A mutation campaign's dropped input: read past the node's inputs
    // before (a protobuf abort).
    Model m;
    m.input("x", {1, 4});
    m.node("Div", "div", {"x"}, {"z"});
    m.output("z");
    std::string message = importError(m.write(dir));
    EXPECT_NE(message.find("node 'div' (Div): missing the divisor (input #1)"),
              std::string::npos)
        << message;
  }
}

TEST_F(OnnxImporterTest, FlattenAndConcatNegativeAxis) {
  Model m;
  m.input("a", {1, 2, 3, 3});
  m.input("b", {1, 4, 3, 3});
  auto *cat = m.node("Concat", "cat", {"a", "b"}, {"c"});
  Model::attr(cat, "axis", int64_t(-3));
  m.node("Flatten", "flat", {"c"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(firstOp<kiln::ConcatOp>(*module).getAxis(), 1u);
  EXPECT_EQ(shapeOf(firstOp<kiln::ReshapeOp>(*module).getType()),
            (std::vector<int64_t>{1, 54}));
}

TEST_F(OnnxImporterTest, OldSoftmaxCoercionIsRejectedUnlessEquivalent) {
  Model ok(/*opset=*/11);
  ok.input("x", {2, 10});
  ok.node("Softmax", "sm", {"x"}, {"y"});
  ok.output("y");
  auto module = import(ok.write(dir, "ok.onnx"));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(firstOp<kiln::SoftmaxOp>(*module).getAxis(), 1u);

  Model bad(/*opset=*/11);
  bad.input("x", {1, 2, 5});
  bad.node("Softmax", "sm", {"x"}, {"y"});
  bad.output("y");
  EXPECT_NE(importError(bad.write(dir, "bad.onnx")).find("coerced"),
            std::string::npos);
}

TEST_F(OnnxImporterTest, PoolingAttributes) {
  Model m;
  m.input("x", {1, 2, 7, 7});
  auto *mp = m.node("MaxPool", "mp", {"x"}, {"a"});
  Model::attr(mp, "kernel_shape", std::vector<int64_t>{2, 2});
  Model::attr(mp, "strides", std::vector<int64_t>{2, 2});
  Model::attr(mp, "ceil_mode", int64_t(1));
  auto *ap = m.node("AveragePool", "ap", {"a"}, {"b"});
  Model::attr(ap, "kernel_shape", std::vector<int64_t>{3, 3});
  Model::attr(ap, "pads", std::vector<int64_t>{1, 1, 1, 1});
  Model::attr(ap, "count_include_pad", int64_t(1));
  m.node("GlobalAveragePool", "gap", {"b"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto maxPool = firstOp<kiln::MaxPool2DOp>(*module);
  EXPECT_TRUE(maxPool.getCeilMode());
  EXPECT_EQ(shapeOf(maxPool.getType()), (std::vector<int64_t>{1, 2, 4, 4}));
  EXPECT_TRUE(firstOp<kiln::AvgPool2DOp>(*module).getCountIncludePad());
  EXPECT_EQ(shapeOf(firstOp<kiln::GlobalAvgPoolOp>(*module).getType()),
            (std::vector<int64_t>{1, 2, 1, 1}));
}

TEST_F(OnnxImporterTest, MaxPoolStorageOrderIsRejected) {
  Model m;
  m.input("x", {1, 2, 4, 4});
  auto *mp = m.node("MaxPool", "mp", {"x"}, {"y"});
  Model::attr(mp, "kernel_shape", std::vector<int64_t>{2, 2});
  Model::attr(mp, "storage_order", int64_t(1));
  m.output("y");
  EXPECT_NE(importError(m.write(dir)).find("storage_order"), std::string::npos);
}

TEST_F(OnnxImporterTest, MulByChannelScaleBecomesBatchNorm) {
  Model m;
  m.input("x", {1, 3, 2, 2});
  m.floats("s", {3, 1, 1}, {2, 3, 4});
  m.node("Mul", "mul", {"x", "s"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto bn = firstOp<kiln::BatchNormOp>(*module);
  ASSERT_TRUE(bn);
  EXPECT_EQ(constantFloats(bn.getScale()), (std::vector<float>{2, 3, 4}));
  EXPECT_EQ(constantFloats(bn.getBias()), (std::vector<float>{0, 0, 0}));
  EXPECT_EQ(constantFloats(bn.getVariance()), (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(bn.getEpsilon().convertToFloat(), 0.0f);
}

TEST_F(OnnxImporterTest, MulOfTwoTensorsIsKilnMul) {
  Model m;
  m.input("x", {3, 4, 5});
  m.input("y", {5});
  m.node("Mul", "mul", {"x", "y"}, {"z"});
  m.output("z");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.mul", "func.return"}));
  EXPECT_EQ(shapeOf(firstOp<kiln::MulOp>(*module).getType()),
            (std::vector<int64_t>{3, 4, 5}));
}

TEST_F(OnnxImporterTest, MulByNonChannelConstantIsKilnMul) {
  // A constant varying along W is not a channel scale.
  Model m;
  m.input("x", {1, 2, 3, 4});
  m.floats("s", {4}, {1, 2, 3, 4});
  m.node("Mul", "mul", {"s", "x"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto mul = firstOp<kiln::MulOp>(*module);
  ASSERT_TRUE(mul);
  EXPECT_EQ(constantFloats(mul.getLhs()), (std::vector<float>{1, 2, 3, 4}));
}

TEST_F(OnnxImporterTest, ActivationsAndLRN) {
  Model m(/*opset=*/14); // HardSwish exists from opset 14 on.
  m.input("x", {1, 6, 4, 4});
  m.node("Sigmoid", "sig", {"x"}, {"a"});
  m.node("HardSigmoid", "hsig", {"a"}, {"b"});
  m.node("HardSwish", "hswish", {"b"}, {"c"});
  auto *lrn = m.node("LRN", "lrn", {"c"}, {"y"});
  Model::attr(lrn, "size", int64_t(3));
  Model::attr(lrn, "alpha", 2e-4f);
  Model::attr(lrn, "bias", 2.0f);
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(
      opNames(*module),
      (std::vector<std::string>{"kiln.sigmoid", "kiln.hard_sigmoid",
                                "kiln.hard_swish", "kiln.lrn", "func.return"}));
  auto hs = firstOp<kiln::HardSigmoidOp>(*module);
  EXPECT_FLOAT_EQ(hs.getAlpha().convertToFloat(), 0.2f);
  EXPECT_FLOAT_EQ(hs.getBeta().convertToFloat(), 0.5f);
  auto op = firstOp<kiln::LRNOp>(*module);
  EXPECT_EQ(op.getSizeAttr().getInt(), 3);
  EXPECT_FLOAT_EQ(op.getAlpha().convertToFloat(), 2e-4f);
  EXPECT_FLOAT_EQ(op.getBeta().convertToFloat(), 0.75f);
  EXPECT_FLOAT_EQ(op.getBias().convertToFloat(), 2.0f);
}

TEST_F(OnnxImporterTest, LeakyReluAlphaDefaultAndGiven) {
  Model m;
  m.input("x", {1, 6, 4, 4});
  m.node("LeakyRelu", "leaky", {"x"}, {"a"});
  auto *custom = m.node("LeakyRelu", "leaky2", {"a"}, {"y"});
  Model::attr(custom, "alpha", 1.5f);
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.leaky_relu", "kiln.leaky_relu",
                                      "func.return"}));
  std::vector<float> alphas;
  mainOf(*module).walk([&](kiln::LeakyReluOp op) {
    alphas.push_back(op.getAlpha().convertToFloat());
  });
  EXPECT_EQ(alphas, (std::vector<float>{0.01f, 1.5f})); // 0.01: ONNX default.
}

TEST_F(OnnxImporterTest, LeakyReluBadAlphaOrOpsetIsAnError) {
  expectImportErrors({
      {"infinite alpha",
       [](Model &m) {
         m.input("x", {1, 4});
         auto *n = m.node("LeakyRelu", "leaky", {"x"}, {"y"});
         Model::attr(n, "alpha", std::numeric_limits<float>::infinity());
       },
       "node 'leaky' (LeakyRelu): 'kiln.leaky_relu' op alpha INF must be "
       "finite"},
      {"integer alpha",
       [](Model &m) {
         m.input("x", {1, 4});
         auto *n = m.node("LeakyRelu", "leaky", {"x"}, {"y"});
         Model::attr(n, "alpha", int64_t(1));
       },
       "node 'leaky' (LeakyRelu): attribute 'alpha'"},
  });
  Model old(/*opset=*/5);
  old.input("x", {1, 4});
  old.node("LeakyRelu", "leaky", {"x"}, {"y"});
  old.output("y");
  std::string message = importError(old.write(dir));
  EXPECT_NE(message.find("unsupported: LeakyRelu of opset 5 (supported from "
                         "opset 6 on"),
            std::string::npos)
      << message;
}

TEST_F(OnnxImporterTest, PReluSlopeConstantOrComputed) {
  Model m;
  m.input("x", {1, 4, 3, 3});
  m.input("s", {4, 1, 1});
  m.floats("slope", {4, 1, 1}, {0.1f, 0.2f, 0.3f, 0.4f});
  m.node("PRelu", "p1", {"x", "slope"}, {"a"});
  m.node("PRelu", "p2", {"a", "s"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.constant", "kiln.prelu",
                                      "kiln.prelu", "func.return"}));
  auto first = firstOp<kiln::PReluOp>(*module);
  EXPECT_EQ(constantFloats(first.getSlope()),
            (std::vector<float>{0.1f, 0.2f, 0.3f, 0.4f}));
  expectImportErrors({
      {"slope wider than the input",
       [](Model &m) {
         m.input("x", {1, 4, 1, 1});
         m.floats("slope", {4, 2, 2}, std::vector<float>(16, 0.5f));
         m.node("PRelu", "p", {"x", "slope"}, {"y"});
       },
       "node 'p' (PRelu): 'kiln.prelu' slope shape 4x2x2 would widen the "
       "input shape 1x4x1x1"},
  });
}

TEST_F(OnnxImporterTest, ShapeGatherConcatFoldIntoReshapeTarget) {
  // PyTorch's x.view(x.size(0), -1): no op remains but the reshape.
  Model m(/*opset=*/15);
  m.input("x", {2, 3, 4, 5});
  m.node("Shape", "shape", {"x"}, {"s"});
  m.ints("zero", {}, {0});
  m.node("Gather", "gather", {"s", "zero"}, {"n"});
  m.ints("axes", {1}, {0});
  m.node("Unsqueeze", "unsq", {"n", "axes"}, {"n1"});
  m.ints("rest", {1}, {-1});
  auto *cat = m.node("Concat", "cat", {"n1", "rest"}, {"target"});
  Model::attr(cat, "axis", int64_t(0));
  m.node("Reshape", "reshape", {"x", "target"}, {"flat"});
  // Shape's opset-15 slice, then a 2-D Gather along axis 1 of the table
  // [[2, 3], [4, 5]] picking columns {1, 0, 1}.
  auto *tail = m.node("Shape", "tail", {"x"}, {"hw"});
  Model::attr(tail, "start", int64_t(-2));
  m.ints("table", {2, 2}, {2, 3, 4, 5});
  m.ints("cols", {3}, {1, 0, -1});
  auto *g = m.node("Gather", "cols_of", {"table", "cols"}, {"picked"});
  Model::attr(g, "axis", int64_t(1));
  auto *cat2 = m.node("Concat", "cat2", {"hw", "rest"}, {"t2"});
  Model::attr(cat2, "axis", int64_t(0));
  m.node("Reshape", "reshape2", {"x", "t2"}, {"y2"});
  m.output("flat");
  m.output("y2");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.reshape", "kiln.reshape",
                                      "func.return"}));
  auto ret = cast<func::ReturnOp>(
      mainOf(*module).getBody().front().getTerminator());
  EXPECT_EQ(shapeOf(ret.getOperand(0).getType()),
            (std::vector<int64_t>{2, 60}));
  // [4, 5, -1]: 2 x 3 = 6 elements of 4 x 5 left for the last dim.
  EXPECT_EQ(shapeOf(ret.getOperand(1).getType()),
            (std::vector<int64_t>{4, 5, 6}));
}

/// Every kiln.slice of `module` as {starts, sizes, steps}, in order.
static std::vector<std::vector<std::vector<int64_t>>>
sliceWindows(ModuleOp module) {
  std::vector<std::vector<std::vector<int64_t>>> windows;
  module.walk([&](kiln::SliceOp op) {
    windows.push_back({{op.getStarts().begin(), op.getStarts().end()},
                       {op.getSizes().begin(), op.getSizes().end()},
                       {op.getSteps().begin(), op.getSteps().end()}});
  });
  return windows;
}

TEST_F(OnnxImporterTest, SliceNormalizesOnnxIndices) {
  // Opset 13: starts / ends / axes / steps are inputs. Negative indices
  // count from the end; INT64 max / min mean "to the end"; out-of-range
  // indices clamp (to [0, dim] going forward, [-1, dim - 1] backwards);
  // absent axes are 0, 1, ...; absent steps are 1.
  const int64_t big = std::numeric_limits<int64_t>::max();
  const int64_t small = std::numeric_limits<int64_t>::min();
  Model m;
  m.input("x", {2, 6, 8, 10});
  m.ints("s1", {2}, {1, -3});
  m.ints("e1", {2}, {big, 100});
  m.ints("a1", {2}, {1, -1});
  m.ints("st1", {2}, {2, 1});
  m.node("Slice", "fwd", {"x", "s1", "e1", "a1", "st1"}, {"a"}); // 2x3x8x3
  m.ints("s2", {3}, {-1, 100, -2});
  m.ints("e2", {3}, {small, -100, 1});
  m.ints("a2", {3}, {3, 2, 1});
  m.ints("st2", {3}, {-4, -3, -1});
  m.node("Slice", "back", {"x", "s2", "e2", "a2", "st2"}, {"b"});
  m.ints("s3", {1}, {1});
  m.ints("e3", {1}, {2});
  m.node("Slice", "first_axis", {"x", "s3", "e3"}, {"c"}); // no axes, steps
  m.output("a");
  m.output("b");
  m.output("c");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  using W = std::vector<std::vector<int64_t>>;
  EXPECT_EQ(sliceWindows(*module),
            (std::vector<W>{
                // dim 1: 1, 3, 5; dim 3: 7, 8, 9.
                {{0, 1, 0, 7}, {2, 3, 8, 3}, {1, 2, 1, 1}},
                // dim 3: 9, 5, 1; dim 2: 7, 4, 1 (from 100 clamped to 7);
                // dim 1: 4, 3, 2 (end 1 excluded).
                {{0, 4, 7, 9}, {2, 3, 3, 3}, {1, -1, -3, -4}},
                // dim 0: row 1 alone (its step becomes 1).
                {{1, 0, 0, 0}, {1, 6, 8, 10}, {1, 1, 1, 1}},
            }));
}

TEST_F(OnnxImporterTest, SliceAttributesBeforeOpset10AndConstantFold) {
  // Opset 9: starts / ends / axes are attributes, no steps. A slice of a
  // constant (Shape's result) folds: x.view(x.size(0), x.size(1), -1).
  Model m(/*opset=*/9);
  m.input("x", {2, 3, 4, 5});
  auto *sl = m.node("Slice", "crop", {"x"}, {"a"});
  Model::attr(sl, "starts", std::vector<int64_t>{1, -2});
  Model::attr(sl, "ends", std::vector<int64_t>{3, 5});
  Model::attr(sl, "axes", std::vector<int64_t>{1, 3});
  m.node("Shape", "shape", {"x"}, {"s"});
  auto *head = m.node("Slice", "head", {"s"}, {"n"});
  Model::attr(head, "starts", std::vector<int64_t>{0});
  Model::attr(head, "ends", std::vector<int64_t>{2});
  m.ints("rest", {1}, {-1});
  auto *cat = m.node("Concat", "cat", {"n", "rest"}, {"target"});
  Model::attr(cat, "axis", int64_t(0));
  m.node("Reshape", "reshape", {"x", "target"}, {"flat"});
  m.output("a");
  m.output("flat");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.slice", "kiln.reshape",
                                      "func.return"}));
  using W = std::vector<std::vector<int64_t>>;
  EXPECT_EQ(sliceWindows(*module),
            (std::vector<W>{{{0, 1, 0, 3}, {2, 2, 4, 2}, {1, 1, 1, 1}}}));
  auto ret = cast<func::ReturnOp>(
      mainOf(*module).getBody().front().getTerminator());
  EXPECT_EQ(shapeOf(ret.getOperand(1).getType()),
            (std::vector<int64_t>{2, 3, 20}));
}

TEST_F(OnnxImporterTest, SplitFormsOfEveryOpset) {
  using W = std::vector<std::vector<int64_t>>;
  auto windowsOf = [&](Model &m) {
    m.output("p");
    m.output("q");
    m.output("r");
    auto module = import(m.write(dir));
    EXPECT_TRUE(module) << error;
    return module ? sliceWindows(*module) : std::vector<W>{};
  };
  // Opset 11: equal parts by default, along a negative axis.
  {
    Model m(/*opset=*/11);
    m.input("x", {1, 6, 2});
    auto *n = m.node("Split", "split", {"x"}, {"p", "q", "r"});
    Model::attr(n, "axis", int64_t(-2));
    EXPECT_EQ(windowsOf(m),
              (std::vector<W>{{{0, 0, 0}, {1, 2, 2}, {1, 1, 1}},
                              {{0, 2, 0}, {1, 2, 2}, {1, 1, 1}},
                              {{0, 4, 0}, {1, 2, 2}, {1, 1, 1}}}));
  }
  // Opset 11: the `split` attribute.
  {
    Model m(/*opset=*/11);
    m.input("x", {7, 2});
    auto *n = m.node("Split", "split", {"x"}, {"p", "q", "r"});
    Model::attr(n, "split", std::vector<int64_t>{1, 4, 2});
    EXPECT_EQ(windowsOf(m),
              (std::vector<W>{{{0, 0}, {1, 2}, {1, 1}},
                              {{1, 0}, {4, 2}, {1, 1}},
                              {{5, 0}, {2, 2}, {1, 1}}}));
  }
  // Opset 13: the sizes are input 1. Each output's op is named after
  // the node and that output.
  {
    Model m;
    m.input("x", {2, 5});
    m.ints("sizes", {3}, {2, 2, 1});
    auto *n = m.node("Split", "split", {"x", "sizes"}, {"p", "q", "r"});
    Model::attr(n, "axis", int64_t(1));
    EXPECT_EQ(windowsOf(m),
              (std::vector<W>{{{0, 0}, {2, 2}, {1, 1}},
                              {{0, 2}, {2, 2}, {1, 1}},
                              {{0, 4}, {2, 1}, {1, 1}}}));
    auto module = import(m.write(dir));
    ASSERT_TRUE(module) << error;
    std::vector<std::string> names;
    module->walk([&](kiln::SliceOp op) {
      if (auto loc = dyn_cast<NameLoc>(op.getLoc()))
        names.push_back(loc.getName().str());
    });
    EXPECT_EQ(names,
              (std::vector<std::string>{"split:p", "split:q", "split:r"}));
  }
  // Opset 18: num_outputs into parts of ceil(8 / 3) = 3, the last smaller.
  {
    Model m(/*opset=*/18);
    m.input("x", {8});
    auto *n = m.node("Split", "split", {"x"}, {"p", "q", "r"});
    Model::attr(n, "num_outputs", int64_t(3));
    EXPECT_EQ(windowsOf(m), (std::vector<W>{{{0}, {3}, {1}},
                                            {{3}, {3}, {1}},
                                            {{6}, {2}, {1}}}));
  }
}

TEST_F(OnnxImporterTest, SliceAndSplitErrors) {
  // A 2x6 input split along axis 1 into two outputs by `sizes`.
  auto splitOf6 = [](std::vector<int64_t> sizes) {
    return [sizes](Model &m) {
      m.input("x", {2, 6});
      m.ints("sizes", {(int64_t)sizes.size()}, sizes);
      auto *n = m.node("Split", "sp", {"x", "sizes"}, {"y", "z"});
      Model::attr(n, "axis", int64_t(1));
    };
  };
  expectImportErrors({
      {"slice step 0",
       [](Model &m) {
         m.input("x", {2, 6});
         m.ints("s", {1}, {0});
         m.ints("e", {1}, {4});
         m.ints("a", {1}, {1});
         m.ints("st", {1}, {0});
         m.node("Slice", "sl", {"x", "s", "e", "a", "st"}, {"y"});
       },
       "node 'sl' (Slice): the step of axis 1 is 0"},
      {"empty slice",
       [](Model &m) {
         m.input("x", {2, 6});
         m.ints("s", {1}, {4});
         m.ints("e", {1}, {2});
         m.ints("a", {1}, {-1});
         m.node("Slice", "sl", {"x", "s", "e", "a"}, {"y"});
       },
       "unsupported: the slice of axis -1 (starts 4, ends 2, step 1, dim 6) "
       "is empty; empty tensors are not supported"},
      {"slice axis twice",
       [](Model &m) {
         m.input("x", {2, 6});
         m.ints("s", {2}, {0, 1});
         m.ints("e", {2}, {1, 2});
         m.ints("a", {2}, {1, -1});
         m.node("Slice", "sl", {"x", "s", "e", "a"}, {"y"});
       },
       "axis -1 is given twice"},
      {"slice axis out of range",
       [](Model &m) {
         m.input("x", {2, 6});
         m.ints("s", {1}, {0});
         m.ints("e", {1}, {1});
         m.ints("a", {1}, {2});
         m.node("Slice", "sl", {"x", "s", "e", "a"}, {"y"});
       },
       "axis 2 is out of range for rank 2"},
      {"slice lists of different lengths",
       [](Model &m) {
         m.input("x", {2, 6});
         m.ints("s", {2}, {0, 0});
         m.ints("e", {1}, {1});
         m.node("Slice", "sl", {"x", "s", "e"}, {"y"});
       },
       "starts, ends, axes and steps differ in length (2 starts, 1 ends)"},
      {"computed slice starts",
       [](Model &m) {
         m.input("x", {2, 6});
         m.input("s", {1});
         m.ints("e", {1}, {1});
         m.node("Slice", "sl", {"x", "s", "e"}, {"y"});
       },
       "unsupported: the starts ('s') is computed at run time"},
      {"float slice ends",
       [](Model &m) {
         m.input("x", {2, 6});
         m.ints("s", {1}, {0});
         m.floats("e", {1}, {1.0f});
         m.node("Slice", "sl", {"x", "s", "e"}, {"y"});
       },
       "the ends must be a 1-D integer tensor"},
      {"slice without ends",
       [](Model &m) {
         m.input("x", {2, 6});
         m.ints("s", {1}, {0});
         m.node("Slice", "sl", {"x", "s"}, {"y"});
       },
       "missing the starts or the ends"},
      {"split sizes short of the axis", splitOf6({2, 3}),
       "node 'sp' (Split): the split sizes add up to 5, not to axis 1 of "
       "size 6"},
      {"split sizes past the axis", splitOf6({4, 3}),
       "the split sizes add up to more than axis 1 of size 6"},
      {"split part of size 0", splitOf6({6, 0}),
       "unsupported: a part of size 0; empty tensors are not supported"},
      {"split sizes for other outputs", splitOf6({2, 2, 2}),
       "split has 3 sizes for 2 outputs"},
      {"uneven split",
       [](Model &m) {
         m.input("x", {2, 5});
         auto *n = m.node("Split", "sp", {"x"}, {"y", "z"});
         Model::attr(n, "axis", int64_t(1));
       },
       "axis 1 of size 5 does not split into 2 equal parts"},
      {"split axis out of range",
       [](Model &m) {
         m.input("x", {2, 6});
         auto *n = m.node("Split", "sp", {"x"}, {"y", "z"});
         Model::attr(n, "axis", int64_t(-3));
       },
       "axis -3 is out of range for rank 2"},
  });
}

TEST_F(OnnxImporterTest, DepthToSpaceAndSpaceToDepthErrors) {
  expectImportErrors({
      {"depth to space without blocksize",
       [](Model &m) {
         m.input("x", {1, 8, 2, 2});
         m.node("DepthToSpace", "d2s", {"x"}, {"y"});
       },
       "node 'd2s' (DepthToSpace): missing required attribute 'blocksize'"},
      {"depth to space of odd channels",
       [](Model &m) {
         m.input("x", {1, 6, 2, 2});
         auto *n = m.node("DepthToSpace", "d2s", {"x"}, {"y"});
         Model::attr(n, "blocksize", int64_t(2));
       },
       "6 channels do not split into blocks of 2 x 2"},
      {"depth to space mode",
       [](Model &m) {
         m.input("x", {1, 8, 2, 2});
         auto *n = m.node("DepthToSpace", "d2s", {"x"}, {"y"});
         Model::attr(n, "blocksize", int64_t(2));
         Model::attr(n, "mode", "DRC");
       },
       "mode 'DRC' is not DCR or CRD"},
      {"space to depth of an odd image",
       [](Model &m) {
         m.input("x", {1, 2, 4, 5});
         auto *n = m.node("SpaceToDepth", "s2d", {"x"}, {"y"});
         Model::attr(n, "blocksize", int64_t(2));
       },
       "the image 4 x 5 does not split into blocks of 2 x 2"},
      {"space to depth of rank 3",
       [](Model &m) {
         m.input("x", {2, 4, 4});
         auto *n = m.node("SpaceToDepth", "s2d", {"x"}, {"y"});
         Model::attr(n, "blocksize", int64_t(2));
       },
       "the input must be 4-D (NCHW), got rank 3"},
      {"negative blocksize",
       [](Model &m) {
         m.input("x", {1, 4, 4, 4});
         auto *n = m.node("SpaceToDepth", "s2d", {"x"}, {"y"});
         Model::attr(n, "blocksize", int64_t(-2));
       },
       "blocksize -2 must be positive (and at most 65536)"},
  });
}

TEST_F(OnnxImporterTest, GatherOfComputedTensorIsSlices) {
  // torchvision's x[:, 0] (a scalar index drops the axis), an RGB -> BGR
  // swap (one slice, step -1), and indices in two evenly spaced runs
  // ([0, 2] and [2, 1]: two slices, concatenated).
  Model m;
  m.input("x", {1, 3, 4, 5});
  m.ints("zero", {}, {0});
  auto *g0 = m.node("Gather", "first", {"x", "zero"}, {"a"});
  Model::attr(g0, "axis", int64_t(1));
  m.ints("bgr", {3}, {2, 1, 0});
  auto *g1 = m.node("Gather", "bgr_of", {"x", "bgr"}, {"b"});
  Model::attr(g1, "axis", int64_t(1));
  m.ints("cols", {4}, {0, 2, -3, 1});
  auto *g2 = m.node("Gather", "cols_of", {"x", "cols"}, {"c"});
  Model::attr(g2, "axis", int64_t(-1));
  m.output("a");
  m.output("b");
  m.output("c");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.slice", "kiln.reshape",
                                      "kiln.slice", "kiln.slice",
                                      "kiln.slice", "kiln.concat",
                                      "func.return"}));
  using W = std::vector<std::vector<int64_t>>;
  EXPECT_EQ(sliceWindows(*module),
            (std::vector<W>{{{0, 0, 0, 0}, {1, 1, 4, 5}, {1, 1, 1, 1}},
                            {{0, 2, 0, 0}, {1, 3, 4, 5}, {1, -1, 1, 1}},
                            {{0, 0, 0, 0}, {1, 3, 4, 2}, {1, 1, 1, 2}},
                            {{0, 0, 0, 2}, {1, 3, 4, 2}, {1, 1, 1, -1}}}));
  auto ret = cast<func::ReturnOp>(
      mainOf(*module).getBody().front().getTerminator());
  EXPECT_EQ(shapeOf(ret.getOperand(0).getType()),
            (std::vector<int64_t>{1, 4, 5}));
  EXPECT_EQ(shapeOf(ret.getOperand(2).getType()),
            (std::vector<int64_t>{1, 3, 4, 4}));
}

TEST_F(OnnxImporterTest, ShapeAndGatherErrors) {
  expectImportErrors({
      {"2-D indices into a computed tensor",
       [](Model &m) {
         m.input("x", {2, 3});
         m.ints("i", {1, 2}, {0, 1});
         m.node("Gather", "g", {"x", "i"}, {"y"});
       },
       "node 'g' (Gather): unsupported: indices of rank 2 into a tensor "
       "computed at run time"},
      {"index out of range of a computed tensor",
       [](Model &m) {
         m.input("x", {2, 3});
         m.ints("i", {2}, {0, -4});
         auto *g = m.node("Gather", "g", {"x", "i"}, {"y"});
         Model::attr(g, "axis", int64_t(1));
       },
       "node 'g' (Gather): index -4 is out of range for axis 1 of size 3"},
      {"computed indices",
       [](Model &m) {
         m.input("x", {2, 3});
         m.input("i", {1});
         m.node("Gather", "g", {"x", "i"}, {"y"});
       },
       "unsupported: the indices ('i') is computed at run time"},
      {"indices without a pattern",
       [](Model &m) {
         m.input("x", {1, 600});
         std::vector<int64_t> zigzag;
         for (int64_t k = 0; k < 600; ++k) // 0, 0, 2, 2, 4, 4, ...
           zigzag.push_back(k / 2 * 2);
         m.ints("i", {600}, zigzag);
         auto *g = m.node("Gather", "g", {"x", "i"}, {"y"});
         Model::attr(g, "axis", int64_t(1));
       },
       "unsupported: more than 256 runs of evenly spaced indices"},
      {"index out of range",
       [](Model &m) {
         m.input("x", {2, 3});
         m.node("Shape", "s", {"x"}, {"shape"});
         m.ints("i", {}, {2});
         m.node("Gather", "g", {"shape", "i"}, {"n"});
         m.node("Reshape", "r", {"x", "n"}, {"y"});
       },
       "node 'g' (Gather): index 2 is out of range for axis 0 of size 2"},
      {"missing indices",
       [](Model &m) {
         m.input("x", {2, 3});
         m.node("Shape", "s", {"x"}, {"shape"});
         m.node("Gather", "g", {"shape"}, {"n"});
         m.node("Reshape", "r", {"x", "n"}, {"y"});
       },
       "node 'g' (Gather): missing the indices (input #1)"},
      {"shape used as data",
       [](Model &m) {
         m.input("x", {2, 3});
         m.node("Shape", "s", {"x"}, {"shape"});
         m.node("Relu", "relu", {"shape"}, {"y"});
       },
       "tensor 'shape' is int64; only float32 tensors can be used as data"},
  });
}

TEST_F(OnnxImporterTest, ConvTransposePadsFromAttributesAutoPadAndShape) {
  Model m;
  m.input("x", {1, 4, 5, 5});
  m.floats("w", {4, 2, 3, 3}, std::vector<float>(72, 0.5f));
  auto *plain = m.node("ConvTranspose", "plain", {"x", "w"}, {"a"});
  Model::attr(plain, "strides", std::vector<int64_t>{2, 2});
  Model::attr(plain, "pads", std::vector<int64_t>{1, 1, 1, 1});
  Model::attr(plain, "output_padding", std::vector<int64_t>{1, 0});
  auto *same = m.node("ConvTranspose", "same", {"x", "w"}, {"b"});
  Model::attr(same, "strides", std::vector<int64_t>{2, 2});
  Model::attr(same, "auto_pad", "SAME_UPPER");
  auto *shaped = m.node("ConvTranspose", "shaped", {"x", "w"}, {"c"});
  Model::attr(shaped, "strides", std::vector<int64_t>{3, 3});
  Model::attr(shaped, "output_shape", std::vector<int64_t>{10, 16});
  m.output("a");
  m.output("b");
  m.output("c");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  std::vector<std::vector<int64_t>> pads, outPads, shapes;
  mainOf(*module).walk([&](kiln::ConvTranspose2DOp op) {
    pads.emplace_back(op.getPads().begin(), op.getPads().end());
    outPads.emplace_back(op.getOutputPadding().begin(),
                         op.getOutputPadding().end());
    shapes.push_back(shapeOf(op.getType()));
  });
  ASSERT_EQ(shapes.size(), 3u);
  // 2 * 4 + 3 - 2 (+1 output padding along H).
  EXPECT_EQ(shapes[0], (std::vector<int64_t>{1, 2, 10, 9}));
  EXPECT_EQ(pads[0], (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(outPads[0], (std::vector<int64_t>{1, 0}));
  // SAME_UPPER: 5 * 2 = 10 of the full 11, the smaller half (0) first.
  EXPECT_EQ(shapes[1], (std::vector<int64_t>{1, 2, 10, 10}));
  EXPECT_EQ(pads[1], (std::vector<int64_t>{0, 0, 1, 1}));
  // output_shape: full 3 * 4 + 3 = 15; 10 crops 5 (3 first when not
  // SAME_UPPER), 16 is one past the full result: output padding.
  EXPECT_EQ(shapes[2], (std::vector<int64_t>{1, 2, 10, 16}));
  EXPECT_EQ(pads[2], (std::vector<int64_t>{3, 0, 2, 0}));
  EXPECT_EQ(outPads[2], (std::vector<int64_t>{0, 1}));
  expectImportErrors({
      {"3-D input",
       [](Model &m) {
         m.input("x", {1, 4, 5});
         m.floats("w", {4, 2, 3}, std::vector<float>(24, 0.5f));
         m.node("ConvTranspose", "ct", {"x", "w"}, {"y"});
       },
       "node 'ct' (ConvTranspose): unsupported: only 2-D transposed "
       "convolution"},
      {"weight channels",
       [](Model &m) {
         m.input("x", {1, 4, 5, 5});
         m.floats("w", {2, 2, 3, 3}, std::vector<float>(36, 0.5f));
         m.node("ConvTranspose", "ct", {"x", "w"}, {"y"});
       },
       "weight 2x2x3x3 must have the input's 4 channels first"},
      {"output_shape far past the full result",
       [](Model &m) {
         m.input("x", {1, 4, 5, 5});
         m.floats("w", {4, 2, 3, 3}, std::vector<float>(72, 0.5f));
         auto *n = m.node("ConvTranspose", "ct", {"x", "w"}, {"y"});
         Model::attr(n, "strides", std::vector<int64_t>{2, 2});
         Model::attr(n, "output_shape", std::vector<int64_t>{20, 11});
       },
       "node 'ct' (ConvTranspose): output size 20 along spatial dim 0 "
       "exceeds the full result 11 by 9; at most 1 more cells can be "
       "output padding"},
  });
}

TEST_F(OnnxImporterTest, ResizeScalesSizesAxesAndUpsample) {
  struct Want {
    std::string mode, coord, nearest;
    std::vector<float> scales;
    std::vector<int64_t> shape;
  };
  auto resizes = [&](ModuleOp module) {
    std::vector<Want> got;
    mainOf(module).walk([&](kiln::ResizeOp op) {
      got.push_back({op.getMode().str(),
                     op.getCoordinateTransformationMode().str(),
                     op.getNearestMode().str(),
                     {op.getScales().begin(), op.getScales().end()},
                     shapeOf(op.getType())});
    });
    return got;
  };
  {
    Model m(/*opset=*/13);
    m.input("x", {1, 2, 3, 4});
    m.floats("scales", {4}, {1, 1, 2, 1.5f});
    m.node("Resize", "up", {"x", "", "scales"}, {"a"});
    m.ints("sizes", {4}, {1, 2, 5, 2});
    auto *lin = m.node("Resize", "lin", {"x", "", "", "sizes"}, {"b"});
    Model::attr(lin, "mode", "linear");
    Model::attr(lin, "coordinate_transformation_mode", "align_corners");
    m.output("a");
    m.output("b");
    auto module = import(m.write(dir));
    ASSERT_TRUE(module) << error;
    auto got = resizes(*module);
    ASSERT_EQ(got.size(), 2u);
    // floor(3 * 2), floor(4 * 1.5); the defaults half_pixel and
    // round_prefer_floor.
    EXPECT_EQ(got[0].shape, (std::vector<int64_t>{1, 2, 6, 6}));
    EXPECT_EQ(got[0].scales, (std::vector<float>{1, 1, 2, 1.5f}));
    EXPECT_EQ(got[0].mode, "nearest");
    EXPECT_EQ(got[0].coord, "half_pixel");
    EXPECT_EQ(got[0].nearest, "round_prefer_floor");
    // Sizes: the scales become output / input.
    EXPECT_EQ(got[1].shape, (std::vector<int64_t>{1, 2, 5, 2}));
    EXPECT_EQ(got[1].scales, (std::vector<float>{1, 1, 5.0f / 3.0f, 0.5f}));
    EXPECT_EQ(got[1].coord, "align_corners");
  }
  {
    Model m(/*opset=*/18);
    m.input("x", {1, 2, 3, 4});
    m.ints("sizes", {2}, {6, 8});
    auto *r = m.node("Resize", "axes", {"x", "", "", "sizes"}, {"a"});
    Model::attr(r, "axes", std::vector<int64_t>{-2, -1});
    m.output("a");
    auto module = import(m.write(dir));
    ASSERT_TRUE(module) << error;
    auto got = resizes(*module);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].shape, (std::vector<int64_t>{1, 2, 6, 8}));
    EXPECT_EQ(got[0].scales, (std::vector<float>{1, 1, 2, 2}));
  }
  {
    Model m(/*opset=*/9);
    m.input("x", {1, 2, 3, 4});
    m.floats("scales", {4}, {1, 1, 2, 2});
    m.node("Upsample", "up", {"x", "scales"}, {"a"});
    m.output("a");
    auto module = import(m.write(dir));
    ASSERT_TRUE(module) << error;
    auto got = resizes(*module);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].shape, (std::vector<int64_t>{1, 2, 6, 8}));
    EXPECT_EQ(got[0].coord, "asymmetric");
    EXPECT_EQ(got[0].nearest, "floor");
  }
}

TEST_F(OnnxImporterTest, ResizeErrors) {
  auto resize13 = [](Model &m, const char *mode, const char *attr = nullptr,
                     int64_t value = 0) {
    m.input("x", {1, 1, 4, 4});
    m.floats("scales", {4}, {1, 1, 2, 2});
    auto *n = m.node("Resize", "r", {"x", "", "scales"}, {"y"});
    Model::attr(n, "mode", mode);
    if (attr)
      Model::attr(n, attr, value);
  };
  expectImportErrors({
      {"area", [&](Model &m) { resize13(m, "area"); },
       "node 'r' (Resize): unsupported: mode 'area' (nearest, linear and "
       "cubic are supported)"},
      {"cubic over 3 dims",
       [](Model &m) {
         m.input("x", {1, 2, 4, 4});
         m.floats("scales", {4}, {1, 2, 2, 2});
         auto *n = m.node("Resize", "r", {"x", "", "scales"}, {"y"});
         Model::attr(n, "mode", "cubic");
       },
       "node 'r' (Resize): unsupported: cubic resize of 3 dims (at most 2, "
       "e.g. H and W)"},
      {"no scales or sizes",
       [](Model &m) {
         m.input("x", {1, 1, 4, 4});
         m.node("Resize", "r", {"x"}, {"y"});
       },
       "node 'r' (Resize): needs the scales or the sizes"},
      {"scales of the wrong count",
       [](Model &m) {
         m.input("x", {1, 1, 4, 4});
         m.floats("scales", {2}, {2, 2});
         m.node("Resize", "r", {"x", "", "scales"}, {"y"});
       },
       "node 'r' (Resize): the scales must be 4 float values"},
      {"a scale leaving no cells",
       [](Model &m) {
         m.input("x", {1, 1, 4, 4});
         m.floats("scales", {4}, {1, 1, 0.1f, 1});
         m.node("Resize", "r", {"x", "", "scales"}, {"y"});
       },
       "gives no output cells"},
      {"computed sizes",
       [](Model &m) {
         m.input("x", {1, 1, 4, 4});
         m.input("sizes", {4});
         m.node("Resize", "r", {"x", "", "", "sizes"}, {"y"});
       },
       "node 'r' (Resize): unsupported: the sizes ('sizes') is computed at "
       "run time"},
  });
  Model old(/*opset=*/10);
  old.input("x", {1, 1, 4, 4});
  old.floats("scales", {4}, {1, 1, 0.5f, 0.5f});
  old.node("Resize", "r", {"x", "scales"}, {"y"});
  old.output("y");
  std::string message = importError(old.write(dir));
  EXPECT_NE(message.find("unsupported: nearest downsampling of opset < 11"),
            std::string::npos)
      << message;
}

TEST_F(OnnxImporterTest, SpatialMeanAndMaxBecomeGlobalPools) {
  // ReduceMean / ReduceMax over H, W (as exporters write a global pool),
  // GlobalMaxPool: the pooling kernels, reshaped without keepdims.
  Model m;
  m.input("x", {1, 8, 5, 6});
  auto *mean = m.node("ReduceMean", "mean", {"x"}, {"a"});
  Model::attr(mean, "axes", std::vector<int64_t>{-1, 2});
  Model::attr(mean, "keepdims", int64_t(0));
  auto *mx = m.node("ReduceMax", "max", {"x"}, {"b"});
  Model::attr(mx, "axes", std::vector<int64_t>{2, 3});
  m.node("GlobalMaxPool", "gmp", {"x"}, {"c"});
  m.output("a");
  m.output("b");
  m.output("c");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.global_avg_pool", "kiln.reshape",
                                      "kiln.max_pool2d", "kiln.max_pool2d",
                                      "func.return"}));
  auto ret = cast<func::ReturnOp>(
      mainOf(*module).getBody().front().getTerminator());
  EXPECT_EQ(shapeOf(ret.getOperand(0).getType()),
            (std::vector<int64_t>{1, 8}));
  EXPECT_EQ(shapeOf(ret.getOperand(1).getType()),
            (std::vector<int64_t>{1, 8, 1, 1}));
  auto pool = firstOp<kiln::MaxPool2DOp>(*module);
  EXPECT_EQ(std::vector<int64_t>(pool.getKernelShape().begin(),
                                 pool.getKernelShape().end()),
            (std::vector<int64_t>{5, 6}));
}

TEST_F(OnnxImporterTest, ReductionsOverOtherAxes) {
  Model m(/*opset=*/18); // axes on input 1 for every Reduce op
  m.input("x", {2, 3, 4, 5});
  m.ints("ax1", {1}, {1});
  m.ints("ax2", {2}, {3, 0});
  m.node("ReduceMax", "max", {"x", "ax1"}, {"a"});
  auto *sum = m.node("ReduceSum", "sum", {"x", "ax2"}, {"b"});
  Model::attr(sum, "keepdims", int64_t(0));
  m.node("ReduceMin", "min", {"x"}, {"c"}); // no axes: all of them
  auto *noop = m.node("ReduceMean", "noop", {"x"}, {"d"});
  Model::attr(noop, "noop_with_empty_axes", int64_t(1));
  m.node("Relu", "relu", {"d"}, {"e"});
  for (const char *name : {"a", "b", "c", "e"})
    m.output(name);
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{"kiln.reduce", "kiln.reduce",
                                      "kiln.reduce", "kiln.relu",
                                      "func.return"}));
  std::vector<std::string> kinds;
  std::vector<std::vector<int64_t>> axes;
  std::vector<bool> keep;
  mainOf(*module).walk([&](kiln::ReduceOp op) {
    kinds.push_back(op.getKind().str());
    axes.emplace_back(op.getAxes().begin(), op.getAxes().end());
    keep.push_back(op.getKeepdims());
  });
  EXPECT_EQ(kinds, (std::vector<std::string>{"max", "sum", "min"}));
  EXPECT_EQ(axes, (std::vector<std::vector<int64_t>>{
                      {1}, {0, 3}, {0, 1, 2, 3}})); // sorted
  EXPECT_EQ(keep, (std::vector<bool>{true, false, true}));
  // The no-op mean is the input itself.
  auto relu = firstOp<kiln::ReluOp>(*module);
  EXPECT_TRUE(isa<BlockArgument>(relu.getInput()));
}

TEST_F(OnnxImporterTest, ReductionErrors) {
  expectImportErrors({
      {"scalar result",
       [](Model &m) {
         m.input("x", {2, 3});
         auto *n = m.node("ReduceSum", "sum", {"x"}, {"y"});
         Model::attr(n, "keepdims", int64_t(0));
       },
       "node 'sum' (ReduceSum): unsupported: reducing every axis without "
       "keepdims"},
      {"axis out of range",
       [](Model &m) {
         m.input("x", {2, 3});
         auto *n = m.node("ReduceMean", "mean", {"x"}, {"y"});
         Model::attr(n, "axes", std::vector<int64_t>{2});
       },
       "node 'mean' (ReduceMean): axis 2 is out of range for rank 2"},
      {"axis twice",
       [](Model &m) {
         m.input("x", {2, 3});
         auto *n = m.node("ReduceMax", "max", {"x"}, {"y"});
         Model::attr(n, "axes", std::vector<int64_t>{1, -1});
       },
       "node 'max' (ReduceMax): axis -1 is given twice"},
      {"computed axes",
       [](Model &m) {
         m.input("x", {2, 3});
         m.input("axes", {1}); // float graph input
         m.node("ReduceSum", "sum", {"x", "axes"}, {"y"});
       },
       "node 'sum' (ReduceSum): unsupported: the axes"},
      {"global max pool of a 3-D input",
       [](Model &m) {
         m.input("x", {1, 2, 3});
         m.node("GlobalMaxPool", "gmp", {"x"}, {"y"});
       },
       "node 'gmp' (GlobalMaxPool): unsupported: only 2-D pooling"},
  });
}

TEST_F(OnnxImporterTest, LRNWithoutSizeIsAnError) {
  Model m;
  m.input("x", {1, 6, 4, 4});
  m.node("LRN", "lrn", {"x"}, {"y"});
  m.output("y");
  EXPECT_NE(importError(m.write(dir)).find("missing required attribute 'size'"),
            std::string::npos);
}

TEST_F(OnnxImporterTest, UnsupportedVariantsSayUnsupported) {
  expectImportErrors({
      {"integer input",
       [](Model &m) {
         m.input("x", {2, 2})
             ->mutable_type()
             ->mutable_tensor_type()
             ->set_elem_type(onnx::TensorProto::UINT8);
         m.node("Relu", "r", {"x"}, {"y"});
       },
       "unsupported: graph input 'x' has element type"},
      {"training batch norm",
       [](Model &m) {
         m.input("x", {1, 2, 2, 2});
         for (const char *p : {"s", "b", "mu", "v"})
           m.floats(p, {2}, {1, 1});
         auto *bn = m.node("BatchNormalization", "bn",
                           {"x", "s", "b", "mu", "v"}, {"y"});
         Model::attr(bn, "training_mode", int64_t(1));
       },
       "training_mode=1 is unsupported"},
      {"computed clip bound",
       [](Model &m) {
         m.input("x", {2, 2});
         m.input("lo", {1});
         m.node("Clip", "c", {"x", "lo"}, {"y"});
       },
       "unsupported: the min bound ('lo') is computed at run time"},
      {"1-D convolution",
       [](Model &m) {
         m.input("x", {1, 2, 8});
         m.floats("W", {3, 2, 3}, iota(18));
         m.node("Conv", "c", {"x", "W"}, {"y"});
       },
       "unsupported: only 2-D convolution"},
      {"3-D pooling",
       [](Model &m) {
         m.input("x", {1, 2, 4, 4, 4});
         auto *p = m.node("MaxPool", "p", {"x"}, {"y"});
         Model::attr(p, "kernel_shape", std::vector<int64_t>{2, 2, 2});
       },
       "unsupported: only 2-D pooling"},
      {"unknown pad mode",
       [](Model &m) {
         m.input("x", {1, 2, 4, 4});
         m.ints("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
         auto *pad = m.node("Pad", "pad", {"x", "pads"}, {"y"});
         Model::attr(pad, "mode", "symmetric");
       },
       "unsupported: Pad mode 'symmetric' (supported: constant, edge, "
       "reflect, wrap)"},
  });
}

TEST_F(OnnxImporterTest, ScalarGraphInputIsAOneElementVector) {
  Model m;
  m.input("x", {2, 3});
  m.input("s", {});
  m.node("Mul", "mul", {"x", "s"}, {"y"});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  EXPECT_EQ(shapeOf(mainOf(*module).getArgument(1).getType()),
            (std::vector<int64_t>{1}));
}

TEST_F(OnnxImporterTest, BatchNormIdentityDropoutChain) {
  Model m;
  m.input("x", {1, 2, 3, 3});
  m.floats("g", {2}, {1, 2});
  m.floats("b", {2}, {0, 1});
  m.floats("mu", {2}, {0.5f, 0.25f});
  m.floats("var", {2}, {1, 4});
  auto *bn =
      m.node("BatchNormalization", "bn", {"x", "g", "b", "mu", "var"}, {"h"});
  Model::attr(bn, "epsilon", 1e-3f);
  m.node("Identity", "id", {"h"}, {"i"});
  m.node("Dropout", "drop", {"i"}, {"y", ""});
  m.output("y");
  auto module = import(m.write(dir));
  ASSERT_TRUE(module) << error;
  auto op = firstOp<kiln::BatchNormOp>(*module);
  EXPECT_FLOAT_EQ(op.getEpsilon().convertToFloat(), 1e-3f);
  EXPECT_EQ(constantFloats(op.getMean()), (std::vector<float>{0.5f, 0.25f}));
  // Identity and Dropout add no ops: the batch_norm is returned directly.
  auto ret =
      cast<func::ReturnOp>(mainOf(*module).getBody().front().getTerminator());
  EXPECT_EQ(ret.getOperand(0), op.getResult());
}

TEST_F(OnnxImporterTest, AddShapeMismatchNamesNode) {
  Model m;
  m.input("a", {1, 3});
  m.input("b", {1, 4});
  m.node("Add", "bad_add", {"a", "b"}, {"y"});
  m.output("y");
  std::string message = importError(m.write(dir));
  EXPECT_NE(message.find("node 'bad_add' (Add): 'kiln.add' operand shapes do "
                         "not broadcast"),
            std::string::npos)
      << message;
}

TEST_F(OnnxImporterTest, MissingAttributeAndWrongAttributeType) {
  Model m;
  m.input("x", {1, 2, 4, 4});
  auto *mp = m.node("MaxPool", "mp", {"x"}, {"y"});
  m.output("y");
  EXPECT_NE(importError(m.write(dir, "a.onnx")).find("kernel_shape"),
            std::string::npos);
  Model::attr(mp, "kernel_shape", int64_t(2));
  EXPECT_NE(importError(m.write(dir, "b.onnx")).find("should be INTS"),
            std::string::npos);
}

TEST_F(OnnxImporterTest, MissingInputIsAnErrorNotACrash) {
  Model m;
  m.input("x", {1, 2, 4, 4});
  m.node("Conv", "c", {"x"}, {"y"});
  m.output("y");
  EXPECT_NE(importError(m.write(dir)).find("missing required input #1"),
            std::string::npos);
}

TEST_F(OnnxImporterTest, PrintedModuleUsesDenseResourceForLargeConstants) {
  auto module = import(convModel().write(dir));
  ASSERT_TRUE(module) << error;
  std::string text = print(*module);
  EXPECT_NE(text.find("kiln.constant dense_resource<W>"), std::string::npos)
      << text;
  EXPECT_NE(text.find("dialect_resources"), std::string::npos);
}

} // namespace
