//===- GraphDot.cpp - The fused graph as Graphviz DOT ---------------------===//
#include "compiler/report/GraphDot.h"

#include "dialects/kiln/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Program.h"

#include <sstream>

using namespace mlir;

namespace kiln {
namespace {

std::string shapeText(Type type) {
  auto t = dyn_cast<RankedTensorType>(type);
  if (!t)
    return "?";
  std::string s;
  for (int64_t d : t.getShape())
    s += (s.empty() ? "" : "x") + std::to_string(d);
  return s.empty() ? "scalar" : s;
}

std::string join(const std::vector<std::string> &items, const char *sep) {
  std::string s;
  for (const std::string &item : items)
    s += (s.empty() ? "" : sep) + item;
  return s;
}

} // namespace

std::string dotQuote(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\', out += c;
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out + "\"";
}

std::string
fusedGraphDot(ModuleOp module,
              const llvm::DenseMap<Operation *, FusionGroup> &groups) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main || main.isExternal())
    return "";
  std::ostringstream os;
  os << "digraph kiln {\n  rankdir=TB;\n"
     << "  node [shape=box, style=\"rounded,filled\", fillcolor=white, "
        "fontname=\"Helvetica\", fontsize=10];\n"
     << "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];\n";
  llvm::DenseMap<Value, std::string> source; // value -> node id
  for (BlockArgument arg : main.getArguments()) {
    std::string id = "in" + std::to_string(arg.getArgNumber());
    source[arg] = id;
    os << "  " << id << " [shape=ellipse, fillcolor=\"#e8eefc\", label="
       << dotQuote("input " + std::to_string(arg.getArgNumber()) + "\n" +
                   shapeText(arg.getType()))
       << "];\n";
  }
  size_t n = 0;
  auto edgesTo = [&](Operation *op, const std::string &id) {
    for (Value v : op->getOperands()) {
      auto it = source.find(v);
      if (it != source.end())
        os << "  " << it->second << " -> " << id << ";\n";
    }
  };
  for (Operation &op : main.getBody().front()) {
    if (isa<ConstantOp>(op))
      continue;
    if (isa<func::ReturnOp>(op)) {
      for (auto [i, v] : llvm::enumerate(op.getOperands())) {
        std::string id = "out" + std::to_string(i);
        os << "  " << id << " [shape=ellipse, fillcolor=\"#e8eefc\", label="
           << dotQuote("output " + std::to_string(i) + "\n" +
                       shapeText(v.getType()))
           << "];\n";
        auto it = source.find(v);
        if (it != source.end())
          os << "  " << it->second << " -> " << id << ";\n";
      }
      continue;
    }
    std::string id = "op" + std::to_string(n++);
    std::string kind = op.getName().stripDialect().str();
    std::string label = kind;
    if (auto conv = dyn_cast<Conv2DOp>(op)) {
      auto w = cast<RankedTensorType>(conv.getWeight().getType()).getShape();
      label += " " + std::to_string(w[2]) + "x" + std::to_string(w[3]);
      if (conv.getStrides()[0] != 1)
        label += "/s" + std::to_string(conv.getStrides()[0]);
      if (conv.getGroups() != 1)
        label += " g" + std::to_string(conv.getGroups());
    }
    bool fused = false;
    auto it = groups.find(&op);
    if (it != groups.end()) {
      fused = it->second.ops.size() > 1;
      if (fused)
        label += "\n" + join(it->second.ops, "+");
      if (!it->second.nodes.empty() && !it->second.nodes[0].empty())
        label += "\n" + it->second.nodes[0];
    }
    if (op.getNumResults() > 0)
      label += "\n" + shapeText(op.getResult(0).getType());
    os << "  " << id << " [label=" << dotQuote(label);
    if (fused)
      os << ", fillcolor=\"#d9f2d9\"";
    if (isa<ReshapeOp>(op))
      os << ", style=\"rounded,dashed\"";
    os << "];\n";
    edgesTo(&op, id);
    for (Value r : op.getResults())
      source[r] = id;
  }
  os << "}\n";
  return os.str();
}

bool renderDotToSvg(const std::string &dotPath, const std::string &svgPath,
                    std::string &why) {
  auto dot = llvm::sys::findProgramByName("dot");
  if (!dot) {
    why = "Graphviz 'dot' is not installed (no SVG of the graph)";
    return false;
  }
  std::string message;
  llvm::StringRef args[] = {*dot, "-Tsvg", dotPath, "-o", svgPath};
  int rc = llvm::sys::ExecuteAndWait(*dot, args, std::nullopt, {},
                                     /*SecondsToWait=*/120, 0, &message);
  if (rc != 0) {
    why = "dot failed (exit " + std::to_string(rc) + ")" +
          (message.empty() ? "" : ": " + message);
    return false;
  }
  return true;
}

} // namespace kiln
