//===- BenchCommand.h - The `kiln bench` command ----------------*- C++ -*-===//
//
// Times a compiled model: warm-up runs, then N timed runs, and prints the
// median, p90, min, max and mean latency (one JSON line with --json).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TOOLS_KILN_BENCHCOMMAND_H
#define KILN_TOOLS_KILN_BENCHCOMMAND_H

#include <string>
#include <vector>

namespace kiln {

/// Usage text of `kiln bench` for `kiln help`.
extern const char *const kBenchUsage;

/// `kiln bench ARTIFACT [options]` (arguments after "bench"). Returns a
/// process exit code: 0, 1 after "kiln: error: <message>", 2 for usage.
int runBenchCommand(const std::vector<std::string> &args);

} // namespace kiln

#endif // KILN_TOOLS_KILN_BENCHCOMMAND_H
