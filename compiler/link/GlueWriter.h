//===- GlueWriter.h - C code that runs a ModelPlan --------------*- C++ -*-===//
//
// Writes the per-model C file (tensor descriptions, the run function calling
// every kernel on views of the arena, weights and caller buffers, and the
// `kiln_model_desc`) and the public header of a library artifact. The
// weights go into an object of their own (ElfDataObject.h).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_LINK_GLUEWRITER_H
#define KILN_COMPILER_LINK_GLUEWRITER_H

#include "compiler/kernelize/ModelPlan.h"

#include <string>

namespace kiln {

/// C source of the model: defines `const kiln_model_desc <name>_model`, and
/// for executables also `kiln_main_model` pointing at it.
std::string writeModelSource(const ModelPlan &plan, bool forExecutable);

/// Public header of a static/shared library artifact.
std::string writeModelHeader(const ModelPlan &plan);

/// Turns an arbitrary string into a C identifier ("my-net.v2" -> "my_net_v2").
std::string toCIdentifier(const std::string &text);

} // namespace kiln

#endif // KILN_COMPILER_LINK_GLUEWRITER_H
