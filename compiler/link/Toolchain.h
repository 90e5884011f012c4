//===- Toolchain.h - Target C compiler, archiver and linking ----*- C++ -*-===//
//
// Links a model artifact from the generated C glue, the embedded weights,
// the kernel objects, one Halide runtime object and the Kiln C runtime
// sources, with the C toolchain of the target (gcc for x86-64 hosts,
// aarch64-linux-gnu-gcc for arm-64-linux).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_LINK_TOOLCHAIN_H
#define KILN_COMPILER_LINK_TOOLCHAIN_H

#include "compiler/link/ElfDataObject.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln {

enum class EmitKind { Executable, StaticLibrary, SharedLibrary };

struct Toolchain {
  std::string cc; // C compiler driver, also used to link
  std::string ar;
  ElfMachine machine = ElfMachine::X86_64;
  /// cc's -fuse-ld= value for the final link ("" = cc's default). Native
  /// links take lld, else gold, when installed: linking ResNet-50's 155 MB
  /// of weights takes bfd 0.8 s, gold 0.6 s, lld 0.4 s. KILN_LD overrides.
  std::string linker;

  /// The toolchain for a Kiln target name; KILN_CC / KILN_AR override.
  static std::optional<Toolchain> forTarget(const std::string &target,
                                            std::string &error);
};

struct LinkJob {
  Toolchain toolchain;
  EmitKind emit = EmitKind::Executable;
  std::string workDir;
  std::string output;
  std::string modelSource; // path of the generated C file
  /// The weights blob, written as an object (`weightsSymbol`) while the C
  /// sources compile.
  const void *weights = nullptr;
  size_t weightsBytes = 0;
  std::string weightsSymbol;
  std::vector<std::string> kernelObjects; // includes the Halide runtime
  /// Where compiled runtime sources are kept between links (empty: none).
  /// Entries are keyed by the whole runtime folder's content, the compiler
  /// and the flags, so any edit to the runtime recompiles it.
  std::string objectCacheDir;
};

/// Runs argv (no shell), returns its exit status (-1 if it could not start)
/// and its combined stdout/stderr in `output`.
int runCommand(const std::vector<std::string> &argv, std::string &output);

/// Compiles the C parts and produces job.output. On failure, `error` holds
/// the failing command and its output.
bool linkArtifact(const LinkJob &job, std::string &error);

} // namespace kiln

#endif // KILN_COMPILER_LINK_TOOLCHAIN_H
