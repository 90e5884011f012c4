//===- Passes.h - Kiln optimization passes ----------------------*- C++ -*-===//
//
// Declarations generated from Passes.td: create<Name>Pass() for each pass and
// registerKilnPasses(), which makes them available as `kiln-opt --kiln-...`.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_PASSES_PASSES_H
#define KILN_COMPILER_PASSES_PASSES_H

#include "compiler/kernels/ConvWeightLayout.h" // Option defaults.
#include "mlir/Pass/Pass.h"

#include <memory>

namespace kiln {

#define GEN_PASS_DECL
#include "compiler/passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/passes/Passes.h.inc"

} // namespace kiln

#endif // KILN_COMPILER_PASSES_PASSES_H
