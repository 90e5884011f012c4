//===- ParallelCodegen.h - Kernel codegen in worker processes --*- C++ -*-===//
//
// Halide compiles one pipeline at a time per process; an artifact's kernels
// are independent, so they are spread over worker processes (the `kiln`
// executable itself, run as `kiln internal-codegen`), which scales with the
// cores, while the parent compiles the shared Halide runtime.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_DRIVER_PARALLELCODEGEN_H
#define KILN_COMPILER_DRIVER_PARALLELCODEGEN_H

#include "compiler/kernels/KernelSpec.h"

#include <string>
#include <vector>

namespace kiln {

struct ParallelCodegenOptions {
  std::string target;
  std::string outDir;
  bool emitStmt = false;
  int jobs = 1; // worker processes; 1 compiles in this process
};

/// Compiles every spec to <outDir>/<name>.o (no Halide runtime). Returns
/// false with the failing worker's message in `error`.
bool compileKernelsInParallel(const std::vector<KernelSpec> &specs,
                              const ParallelCodegenOptions &options,
                              std::string &error);

/// Entry point of `kiln internal-codegen --target=T --out-dir=D [--stmt]
/// SPECS.txt`: compiles the specs in the file. Returns an exit code.
int runCodegenWorker(const std::vector<std::string> &args);

} // namespace kiln

#endif // KILN_COMPILER_DRIVER_PARALLELCODEGEN_H
