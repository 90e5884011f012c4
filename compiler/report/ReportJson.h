//===- ReportJson.h - report.json from a ModelReport ------------*- C++ -*-===//
//
// Schema (version 1), all sizes in bytes, times in nanoseconds:
//   { "version": 1, "model", "name", "target", "halide_target",
//     "schedule", "schedule_note",
//     "summary": { depthwise_pointwise_fused, depthwise_pointwise_candidates,
//                  inverted_residual_fused, inverted_residual_candidates,
//                  residual_adds_fused, residual_adds_total,
//                  concat_copies, slice_views },
//     "totals": { kernels, distinct_kernels, macs, params, bytes_read,
//                 bytes_written, arena_bytes, arena_bytes_without_reuse,
//                 weight_bytes, time_ns (null unless profiled) },
//     "profile": { "measured": bool, "runs": n, "note": text },
//     "layers": [ { index, kernel, kernel_kind, op, node, fused_ops[],
//                   fused_nodes[], epilogue[], input_shapes[[]],
//                   output_shape[], macs, params, bytes_read, bytes_written,
//                   schedule, schedule_detail, time_ns (number | null) } ],
//     "passes": [ { index, pass, dump, failed,
//                   ops_before{kind: n}, ops_after{kind: n},
//                   bytes_before, bytes_after } ],
//     "files": [ ... ] }
// bytes_before/after = bytes read + written by all ops of the IR.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_REPORT_REPORTJSON_H
#define KILN_COMPILER_REPORT_REPORTJSON_H

#include "compiler/report/ReportModel.h"
#include "llvm/Support/JSON.h"

#include <string>

namespace kiln {

llvm::json::Value reportToJson(const ModelReport &report);

/// The JSON text; `pretty` indents by 1 (report.json), else compact.
std::string reportJsonText(const ModelReport &report, bool pretty);

} // namespace kiln

#endif // KILN_COMPILER_REPORT_REPORTJSON_H
