//===- ProfileRun.h - Measure per-kernel times of an executable -*- C++ -*-===//
//
// For `kiln compile --dump`: runs the emitted executable once on seeded
// random inputs (uniform in [-1, 1), std::mt19937 seed 0, written as .npy)
// with `--repeat N --profile FILE.json` (runtime/main/kiln_main.c) and reads
// the per-kernel medians back.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_REPORT_PROFILERUN_H
#define KILN_COMPILER_REPORT_PROFILERUN_H

#include "compiler/kernelize/ModelPlan.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln {

struct KernelProfile {
  int runs = 0;
  /// Median ns per kernel call, indexed like ModelPlan::calls.
  std::vector<std::optional<double>> medianNs;
};

/// Whether code for Kiln target `target` runs on this machine; if not,
/// `why` says so (e.g. a cross target).
bool targetRunsOnHost(const std::string &target, std::string &why);

/// Parses the JSON the executable's --profile writes. `kernels` is the
/// expected kernel count.
bool parseKernelProfile(const std::string &text, size_t kernels,
                        KernelProfile &profile, std::string &error);

/// Writes float32 C-order .npy data of `shape`.
bool writeNpy(const std::string &path, const std::vector<int64_t> &shape,
              const std::vector<float> &data, std::string &error);

/// Writes the inputs into `workDir`, runs `exe`, parses its profile.
bool profileExecutable(const std::string &exe, const ModelPlan &plan,
                       const std::string &workDir, int repeat,
                       KernelProfile &profile, std::string &error);

} // namespace kiln

#endif // KILN_COMPILER_REPORT_PROFILERUN_H
