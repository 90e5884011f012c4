//===- KernelCompiler.h - Kernel specs to native object files ---*- C++ -*-===//
//
// Public entry point of the Halide backend. Deliberately free of Halide
// types so the driver and tools can include it without Halide.h.
//
// Generated function ABI (one per spec, C linkage):
//   int <spec.name>(struct halide_buffer_t *in0, ...,
//                   struct halide_buffer_t *in{k-1},
//                   struct halide_buffer_t *out);
// Inputs in the spec's argument order, then the single output; all float32.
// Halide dimension 0 is the innermost ONNX dimension (NCHW -> (W, H, C, N)).
// Every dimension must have min 0, the spec's extent and a dense stride, or
// the kernel returns a non-zero halide_error_code_t without touching memory
// -- provided the program installed an error handler
// (halide_set_error_handler): the runtime's default handler prints and
// calls abort(). Each object also defines <name>_argv, <name>_metadata and
// <name>_par_for_* and needs halide_runtime.o plus -lpthread -ldl.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_HALIDE_KERNELCOMPILER_H
#define KILN_COMPILER_HALIDE_KERNELCOMPILER_H

#include "compiler/kernels/KernelSpec.h"

#include <string>
#include <vector>

namespace kiln {

struct CodegenOptions {
  /// Kiln target name or Halide target string (see resolveTarget).
  std::string target = "host";
  /// Directory for the objects; created if missing.
  std::string outDir;
  /// Also write <name>.stmt (Halide lowered statement) beside each object.
  bool emitStmt = false;
  /// Also compile the shared Halide runtime (halide_runtime.o). Off for
  /// workers that compile a subset of an artifact's kernels.
  bool emitRuntime = true;
};

/// Compiles each spec to <outDir>/<spec.name>.o (Halide target feature
/// no_runtime) and one shared Halide runtime to <outDir>/halide_runtime.o.
/// Appends the produced object paths (kernels in order, then the runtime).
/// Returns false and sets `error` (naming the kernel) on failure.
bool compileKernels(const std::vector<KernelSpec> &specs,
                    const CodegenOptions &options,
                    std::vector<std::string> &objectFiles, std::string &error);

/// Kiln target names: host, x86-64-linux-avx2, x86-64-linux-avx512,
/// arm-64-linux, or any Halide target string. Returns false and sets `error`
/// for unknown ones.
/// Whether activations are channel-blocked by default on a Halide target
/// (ActivationLayoutMode::Auto): x86 with AVX2 or AVX-512, whose vectors
/// are half or all of a block of 16 channels.
bool channelBlockedByDefault(const std::string &halideTarget);

/// Whether fused separable kernels can skip the zeros of their ReLU'd
/// depthwise result on `halideTarget` (KernelizeOptions::zeroSkipPointwise,
/// with `kiln compile --zero-skip=on`): x86 with AVX2.
bool zeroSkipPointwiseSupported(const std::string &halideTarget);

/// The vector registers a Halide target's CPU schedules plan register
/// tiles for (CpuScheduleParams::vectorRegisters): 16 on x86 without
/// AVX-512, 32 with it and on AArch64.
int vectorRegistersOf(const std::string &halideTarget);

/// Whether a Halide target's widest vectors run at half rate: AVX-512 on
/// 256-bit units (its processor tune is AMD Zen 4, as `host` resolves on
/// one). Multiplies then cost as on AVX2 against memory traffic, and the
/// Winograd rules of 16-register targets for stride-2 convs apply.
bool halfRateWideVectorsOf(const std::string &halideTarget);

bool resolveTarget(const std::string &kilnTarget,
                   std::string &halideTargetString, std::string &error);

} // namespace kiln

#endif // KILN_COMPILER_HALIDE_KERNELCOMPILER_H
