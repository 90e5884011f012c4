//===- TargetResolver.cpp - Kiln target names to Halide targets -----------===//

#include "compiler/halide/KernelCompiler.h"

#include "Halide.h"

namespace kiln {

bool resolveTarget(const std::string &kilnTarget,
                   std::string &halideTargetString, std::string &error) {
  // Named x86 levels spell out their features so objects do not depend on
  // the build machine; `host` deliberately does.
  if (kilnTarget == "host") {
    halideTargetString = Halide::get_host_target().to_string();
    return true;
  }
  if (kilnTarget == "x86-64-linux-avx2") {
    halideTargetString = "x86-64-linux-avx-avx2-f16c-fma-sse41";
    return true;
  }
  if (kilnTarget == "x86-64-linux-avx512") {
    halideTargetString =
        "x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41";
    return true;
  }
  if (kilnTarget == "arm-64-linux") {
    halideTargetString = "arm-64-linux";
    return true;
  }
  if (!kilnTarget.empty() &&
      Halide::Target::validate_target_string(kilnTarget)) {
    halideTargetString = kilnTarget;
    return true;
  }
  error = "unknown target '" + kilnTarget +
          "' (expected host, x86-64-linux-avx2, x86-64-linux-avx512, "
          "arm-64-linux or a Halide target string)";
  return false;
}

bool channelBlockedByDefault(const std::string &halideTarget) {
  Halide::Target t(halideTarget);
  return t.arch == Halide::Target::X86 &&
         (t.has_feature(Halide::Target::AVX512) ||
          t.has_feature(Halide::Target::AVX512_Skylake));
}

} // namespace kiln
