//===- InputShapes.h - Graph input shapes given by the user -----*- C++ -*-===//
//
// `--input-shape NAME=1x3x224x224` (repeatable; `--input-shape 1x3x224x224`
// for a model with one input): the shape a graph input is compiled for,
// replacing what the model declares. Exporters leave the batch (and
// sometimes the image size) dynamic ("N", "batch_size"); kiln compiles
// static shapes, so those dims must be given.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_ONNX_INPUTSHAPES_H
#define KILN_COMPILER_ONNX_INPUTSHAPES_H

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

struct InputShape {
  std::string name; // empty: the model's only input
  std::vector<int64_t> dims;
};

using InputShapes = std::vector<InputShape>;

/// Parses "NAME=D0xD1x..." or "D0xD1x..." (dims positive, at most 8); on
/// failure returns false with a message about `text`.
bool parseInputShape(const std::string &text, InputShape &out,
                     std::string &error);

/// "1x3x224x224".
std::string formatDims(const std::vector<int64_t> &dims);

} // namespace kiln

#endif // KILN_COMPILER_ONNX_INPUTSHAPES_H
