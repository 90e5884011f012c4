//===- ModelPlan.h - A model lowered to kernel calls ------------*- C++ -*-===//
//
// What the kernelizer produces and the glue writer consumes: the ordered
// kernel calls, where every tensor lives (caller's input/output buffers, the
// activation arena, or the constant weight blob), and the weight bytes.
// Plain data, so the link side needs neither MLIR nor Halide.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELIZE_MODELPLAN_H
#define KILN_COMPILER_KERNELIZE_MODELPLAN_H

#include "compiler/kernels/KernelSpec.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

/// Where the bytes of a tensor live at run time.
struct Storage {
  enum class Kind { Input, Output, Arena, Weight };
  Kind kind = Kind::Arena;
  /// Input/output: the model input/output index. Arena/Weight: byte offset.
  size_t index = 0;
  size_t bytes = 0;
};

/// One argument of a kernel call: a view of a storage with a shape.
struct TensorView {
  int storage = -1;
  std::vector<int64_t> shape; // ONNX order, outermost first
  /// Byte offset of the view inside its storage (a slice of an elided
  /// concat's buffer); the view itself is always dense.
  size_t offset = 0;
};

struct KernelCall {
  KernelSpec spec;
  /// Inputs in spec order, then the output.
  std::vector<TensorView> args;
  /// The ONNX node(s) this kernel came from, for error messages and reports.
  std::string origin;
};

struct ModelIO {
  std::string name;
  std::vector<int64_t> shape;
};

struct ModelPlan {
  std::string name; // C identifier prefix
  std::vector<ModelIO> inputs, outputs;
  std::vector<Storage> storages;
  std::vector<KernelCall> calls;
  std::vector<float> weights; // the constant blob (64-byte aligned slots)
  size_t arenaBytes = 0;
  /// Sum of all arena tensors' sizes, before reuse (for reports).
  size_t arenaBytesWithoutReuse = 0;
  /// Kernels that copy data into a concat's buffer (a whole concat kernel,
  /// or the copy of one input its producer could not write in place).
  size_t concatCopies = 0;
  /// Slices that are views of their input's bytes (no kernel).
  size_t sliceViews = 0;
};

} // namespace kiln

#endif // KILN_COMPILER_KERNELIZE_MODELPLAN_H
