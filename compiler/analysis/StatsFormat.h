//===- StatsFormat.h - Print ModelStats as a table or JSON ------*- C++ -*-===//
//
// Two renderings of the same numbers: a readable table (layers, depthwise
// separable pairs, totals) and one JSON object with `layers` and `total`.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ANALYSIS_STATSFORMAT_H
#define KILN_COMPILER_ANALYSIS_STATSFORMAT_H

#include "compiler/analysis/ModelStats.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>

namespace kiln {

/// A readable table; `model` (e.g. the file name) heads it if not empty.
void printStatsTable(const ModelStats &stats, llvm::StringRef model,
                     llvm::raw_ostream &os);

/// One JSON object on one line, followed by a newline:
///   {"model": ..., "batch": B, "macs_include_batch": true,
///    "layers": [{"index", "name", "op", "kind", "output_shape",
///                "output_elements", "params", "bn_stats", "macs",
///                "separable"?: {"pointwise", "n_c", "n", "f", "n_out", "kh",
///                               "kw", "oh", "ow", "batch", "standard_macs",
///                               "separable_macs", "ratio"}}],
///    "total": {"params", "bn_stats", "params_with_bn_stats", "macs",
///              "separable_pairs", "layers"}}
/// `f` / `n_out` are null for non-square kernels / outputs (kh, kw, oh, ow
/// always hold the sizes). Strings are escaped; invalid UTF-8 is replaced.
void printStatsJson(const ModelStats &stats, llvm::StringRef model,
                    llvm::raw_ostream &os);

/// 1234567 -> "1,234,567".
std::string withThousands(int64_t value);

/// 25557032 -> "25.56 M", 4089184256 -> "4.09 G" (k, M, G, T; plain below
/// 1000).
std::string withUnit(int64_t value);

} // namespace kiln

#endif // KILN_COMPILER_ANALYSIS_STATSFORMAT_H
