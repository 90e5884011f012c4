//===- AotKernelGen.cpp - Builds the kernels the AOT ABI test links -------===//
//
// Usage: kiln-halide-aot-gen <outDir> [target]. Writes aot_conv.o,
// aot_relu.o and halide_runtime.o (default target: host) through the public
// compileKernels entry.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/KernelCompiler.h"

#include <cstdio>

int main(int argc, char **argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: %s <outDir> [target]\n", argv[0]);
    return 2;
  }
  kiln::KernelSpec conv;
  conv.kind = kiln::KernelKind::Conv2D;
  conv.name = "aot_conv";
  conv.inputShapes = {{1, 2, 5, 6}, {3, 2, 3, 3}, {3}};
  conv.outputShape = {1, 3, 5, 6};
  conv.kernel = {3, 3};
  conv.pads = {1, 1, 1, 1};
  conv.hasBias = true;

  kiln::KernelSpec relu;
  relu.kind = kiln::KernelKind::Activation;
  relu.name = "aot_relu";
  relu.inputShapes = {{2, 3, 4}};
  relu.outputShape = {2, 3, 4};
  relu.activation = kiln::Activation::Relu;

  kiln::CodegenOptions options;
  options.target = argc == 3 ? argv[2] : "host";
  options.outDir = argv[1];
  std::vector<std::string> objects;
  std::string error;
  if (!kiln::compileKernels({conv, relu}, options, objects, error)) {
    std::fprintf(stderr, "kiln-halide-aot-gen: %s\n", error.c_str());
    return 1;
  }
  return 0;
}
