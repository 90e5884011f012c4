//===- Driver.h - The kiln compilation pipeline -----------------*- C++ -*-===//
//
// Runs the named phases — import, optimize, kernelize, codegen, link — on
// one model file, can stop after any of them, and dumps what each produced.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_DRIVER_DRIVER_H
#define KILN_COMPILER_DRIVER_DRIVER_H

#include "compiler/kernels/ActivationLayout.h"
#include "compiler/kernels/WinogradLayout.h"
#include "compiler/onnx/InputShapes.h"

#include <string>
#include <vector>

namespace kiln {

enum class Phase { Import, Optimize, Kernelize, Codegen, Link };

/// Parses a phase name ("import", ...); false if unknown.
bool parsePhase(const std::string &name, Phase &phase);

struct CompileOptions {
  std::string inputPath;
  // `--input-shape`: shapes for the graph inputs (their dynamic dims).
  InputShapes inputShapes;
  std::string outputPath;
  std::string target = "host";
  std::string emit = "exe"; // exe | static | shared
  std::string name;         // C prefix; default from the output file name
  Phase stopAfter = Phase::Link;
  std::string dumpDir;   // empty: no dump
  bool keepTemps = false;
  bool quiet = false;
  // Optimize phase (compiler/passes/PassPipeline.h): fuse = false runs only
  // canonicalize + CSE; disabledPasses names optional passes to skip
  // (kilnOptionalPassNames(): fold-pad, fold-batch-norm, ...).
  bool fuse = true;
  std::vector<std::string> disabledPasses;
  // Kernelize: Auto lets eligible 3x3 convs use Winograd; Direct keeps
  // every conv direct (A/B comparisons, exactness).
  ConvAlgorithm convAlgorithm = ConvAlgorithm::Auto;
  // Blocked lets tensors between channel-vector kernels be channel-blocked
  // (NCHW16c); Nchw keeps every tensor NCHW; Auto picks by target
  // (channelBlockedByDefault).
  ActivationLayoutMode layout = ActivationLayoutMode::Auto;
  // Whether separable kernels skip the zeros of their ReLU'd depthwise
  // result where the target supports it (zeroSkipPointwiseSupported):
  // off by default (slower than the dense kernels on Zen 3, benchmarks/
  // README.md "Zero-skipping pointwise stage (session 44)").
  bool zeroSkip = false;
  // Codegen: worker processes (0 = one per core) and the kernel cache
  // (compiler/driver/KernelCache.h).
  int jobs = 0;
  bool useCache = true;
};

/// Compiles; returns a process exit code. Errors go to stderr as
/// "kiln: error: ...", progress and phase timings to stderr unless quiet.
int compileModel(const CompileOptions &options);

/// `kiln import`: prints the imported module to stdout.
int importModel(const std::string &inputPath, const InputShapes &shapes = {});

} // namespace kiln

#endif // KILN_COMPILER_DRIVER_DRIVER_H
