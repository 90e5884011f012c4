//===- StatsCommand.h - The `kiln stats` command ----------------*- C++ -*-===//
//
// Imports a model, computes its ModelStats and prints them to stdout.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ANALYSIS_STATSCOMMAND_H
#define KILN_COMPILER_ANALYSIS_STATSCOMMAND_H

#include "compiler/onnx/InputShapes.h"

#include <string>

namespace kiln {

/// `kiln stats MODEL [--json] [--input-shape ...]`: returns a process exit
/// code (0, or 1 after printing "kiln: error: <message>" to stderr).
int printModelStats(const std::string &inputPath, bool json,
                    const InputShapes &shapes = {});

} // namespace kiln

#endif // KILN_COMPILER_ANALYSIS_STATSCOMMAND_H
