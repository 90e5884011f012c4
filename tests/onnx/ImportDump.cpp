//===- ImportDump.cpp - Print the kiln module imported from an ONNX file --===//
//
// Test helper (the `kiln import` CLI does the same for users): prints the
// module, or "error: <message>" on stderr and exit status 1.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/OnnxImporter.h"
#include "dialects/kiln/KilnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: onnx-import-dump MODEL.onnx\n";
    return 2;
  }
  mlir::MLIRContext context;
  context.loadDialect<kiln::KilnDialect, mlir::func::FuncDialect>();
  std::string error;
  auto module = kiln::importOnnxFile(context, argv[1], error);
  if (!module) {
    llvm::errs() << "error: " << error << "\n";
    return 1;
  }
  module->print(llvm::outs());
  llvm::outs() << "\n";
  return 0;
}
