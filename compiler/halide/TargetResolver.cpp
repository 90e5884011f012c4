//===- TargetResolver.cpp - Kiln target names to Halide targets -----------===//

#include "compiler/halide/KernelCompiler.h"
#include "compiler/halide/schedules/Schedule.h"

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

namespace {
bool x86WithAvx2(const Halide::Target &t) {
  return t.arch == Halide::Target::X86 &&
         (t.has_feature(Halide::Target::AVX2) ||
          t.has_feature(Halide::Target::AVX512) ||
          t.has_feature(Halide::Target::AVX512_Skylake));
}
} // namespace

bool channelBlockedByDefault(const std::string &halideTarget) {
  // x86 with AVX2 or AVX-512 (a 16-channel block is two or one vectors).
  // Measured on an AVX2-only AMD EPYC (Zen 3), blocked vs NCHW: ResNet-50's
  // kernel sum 132 -> 103 ms, MobileNetV2 end to end 16.4-17.4 -> 13.8-14.4
  // ms. (AVX2 code on an AVX-512 Xeon had measured blocked 9 % slower; the
  // AVX2-only core decides.)
  return x86WithAvx2(Halide::Target(halideTarget));
}

bool zeroSkipPointwiseSupported(const std::string &halideTarget) {
  // The kernel's fast path is AVX2 (runtime/kiln_zero_skip_pointwise.c).
  return x86WithAvx2(Halide::Target(halideTarget));
}

bool halfRateWideVectorsOf(const std::string &halideTarget) {
  return cpuScheduleParams(Halide::Target(halideTarget)).halfRateVectors;
}

int vectorRegistersOf(const std::string &halideTarget) {
  return cpuScheduleParams(Halide::Target(halideTarget)).vectorRegisters;
}

} // namespace kiln
