//===- ShapeOps.cpp - Shape, Gather and constant Concat, folded at import -===//
//
// Exporters (PyTorch's `x.view(x.size(0), -1)`, dynamic-shape friendly
// graphs) compute shape operands at run time: Shape -> Gather -> Unsqueeze
// -> Concat -> Reshape. Every shape is static in kiln, so these fold into
// constants as the graph is imported; the Reshape then reads a constant
// like any other. A Gather of a computed (activation) tensor by constant
// indices (torchvision's x[:, 0], an RGB -> BGR swap) becomes slices
// (SliceOps.cpp).
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"

#include <algorithm>

using namespace kiln;
using namespace mlir;

namespace {

/// A new constant named after the node's output 0.
std::shared_ptr<TensorData> outputConstant(GraphImporter &imp,
                                           TensorData::Kind kind) {
  auto data = std::make_shared<TensorData>();
  data->name = imp.node().output_size() ? imp.node().output(0) : "constant";
  data->kind = kind;
  return data;
}

} // namespace

LogicalResult kiln::convertShape(GraphImporter &imp) {
  auto shape = imp.inputShape(0);
  if (failed(shape))
    return failure();
  SmallVector<int64_t> dims = *shape;
  // Opset 15's start / end: a slice of the dims, clamped like Python's.
  NodeAttributes attrs = imp.attributes();
  int64_t rank = dims.size();
  auto start = attrs.getInt("start", 0);
  auto end = attrs.getInt("end", rank);
  if (failed(start) || failed(end))
    return failure();
  auto clampIndex = [&](int64_t i) {
    return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank);
  };
  int64_t first = clampIndex(*start), last = clampIndex(*end);
  auto data = outputConstant(imp, TensorData::Kind::Int64);
  if (first < last)
    data->ints.assign(dims.begin() + first, dims.begin() + last);
  data->dims = {(int64_t)data->ints.size()};
  imp.setOutputConstant(0, std::move(data));
  return success();
}

LogicalResult kiln::convertGather(GraphImporter &imp) {
  auto axis = imp.attributes().getInt("axis", 0);
  if (failed(axis))
    return failure();
  auto indicesOr = imp.requireConstantInput(1, "the indices");
  if (failed(indicesOr))
    return failure();
  const TensorData &indices = **indicesOr;
  if (indices.isFloat())
    return imp.fail("the indices must be an integer tensor");
  auto shape = imp.inputShape(0);
  if (failed(shape))
    return failure();
  int64_t rank = shape->size();
  if (rank == 0)
    return imp.fail("cannot gather from a scalar");
  int64_t a = *axis < 0 ? *axis + rank : *axis;
  if (a < 0 || a >= rank)
    return imp.fail("axis " + Twine(*axis) + " is out of range for rank " +
                    Twine(rank));
  int64_t extent = (*shape)[a];
  SmallVector<int64_t> picks;
  for (int64_t i : indices.ints) {
    if (i < -extent || i >= extent)
      return imp.fail("index " + Twine(i) + " is out of range for axis " +
                      Twine(a) + " of size " + Twine(extent));
    picks.push_back(i < 0 ? i + extent : i);
  }
  if (!imp.constantInput(0))
    return gatherBySlices(imp, a, picks, indices.dims.size());
  const TensorData &data = *imp.constantInput(0);
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < a; ++d)
    outer *= data.dims[d];
  for (int64_t d = a + 1; d < rank; ++d)
    inner *= data.dims[d];
  auto out = outputConstant(imp, data.kind);
  out->dims.assign(data.dims.begin(), data.dims.begin() + a);
  out->dims.append(indices.dims.begin(), indices.dims.end());
  out->dims.append(data.dims.begin() + a + 1, data.dims.end());
  auto gatherInto = [&](const auto &from, auto &to) {
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t p : picks)
        for (int64_t i = 0; i < inner; ++i)
          to.push_back(from[(o * extent + p) * inner + i]);
  };
  if (data.isFloat())
    gatherInto(data.floats, out->floats);
  else
    gatherInto(data.ints, out->ints);
  imp.setOutputConstant(0, std::move(out));
  return success();
}

LogicalResult kiln::foldConstantConcat(GraphImporter &imp, int64_t axis) {
  SmallVector<const TensorData *> parts;
  for (int i = 0; i < imp.node().input_size(); ++i)
    if (imp.hasInput(i))
      parts.push_back(imp.constantInput(i));
  const TensorData &first = *parts.front();
  int64_t rank = first.dims.size();
  int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    return imp.fail("axis " + Twine(axis) + " is out of range for rank " +
                    Twine(rank));
  auto out = outputConstant(imp, first.kind);
  out->dims.assign(first.dims.begin(), first.dims.end());
  out->dims[a] = 0;
  for (const TensorData *p : parts) {
    bool sameOtherDims = p->dims.size() == first.dims.size();
    for (int64_t d = 0; sameOtherDims && d < rank; ++d)
      sameOtherDims = d == a || p->dims[d] == first.dims[d];
    if (p->kind != first.kind || !sameOtherDims)
      return imp.fail("constant inputs differ in element type or in a dim "
                      "other than axis " +
                      Twine(a));
    out->dims[a] += p->dims[a];
  }
  int64_t outer = 1;
  for (int64_t d = 0; d < a; ++d)
    outer *= first.dims[d];
  for (int64_t o = 0; o < outer; ++o)
    for (const TensorData *p : parts) {
      int64_t chunk = p->numElements() / std::max<int64_t>(outer, 1);
      if (p->isFloat())
        out->floats.insert(out->floats.end(), p->floats.begin() + o * chunk,
                           p->floats.begin() + (o + 1) * chunk);
      else
        out->ints.insert(out->ints.end(), p->ints.begin() + o * chunk,
                         p->ints.begin() + (o + 1) * chunk);
    }
  imp.setOutputConstant(0, std::move(out));
  return success();
}
