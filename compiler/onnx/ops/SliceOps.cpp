//===- SliceOps.cpp - Slice, Split, Gather of a computed tensor -----------===//
//
// All become kiln.slice (one per Split output; Gather: one per run of
// evenly spaced indices, concatenated) with ONNX's starts / ends / steps
// normalized: negative indices counted from the end, then clamped as
// ONNX Slice says (to [0, dim] for a positive step, [-1, dim - 1] for a
// negative one), so every index the op reads is inside its input. A slice of
// constant data (shape arithmetic: Shape -> Slice -> Concat -> Reshape)
// folds into a constant. Empty results are refused: kiln tensors are never
// empty.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/AxesOperand.h"
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "dialects/kiln/KilnOps.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace kiln;
using namespace mlir;

namespace {

/// One slice of the current node's input 0, already normalized: per dim
/// the first index read, the count and the step.
struct SliceWindow {
  SmallVector<int64_t> starts, sizes, steps;

  /// The whole of `shape`.
  static SliceWindow whole(ArrayRef<int64_t> shape) {
    SliceWindow w;
    w.starts.assign(shape.size(), 0);
    w.sizes.assign(shape.begin(), shape.end());
    w.steps.assign(shape.size(), 1);
    return w;
  }
};

/// Constant `data` cut to `w`.
std::shared_ptr<TensorData> sliceConstant(const TensorData &data,
                                          const SliceWindow &w,
                                          std::string name) {
  auto out = std::make_shared<TensorData>();
  out->name = std::move(name);
  out->kind = data.kind;
  out->dims.assign(w.sizes.begin(), w.sizes.end());
  size_t rank = data.dims.size();
  SmallVector<int64_t> strides(rank, 1);
  for (size_t d = rank; d-- > 1;)
    strides[d - 1] = strides[d] * data.dims[d];
  int64_t count = 1;
  for (int64_t s : w.sizes)
    count *= s;
  SmallVector<int64_t> index(rank, 0);
  for (int64_t n = 0; n < count; ++n) {
    int64_t offset = 0;
    for (size_t d = 0; d < rank; ++d)
      offset += (w.starts[d] + index[d] * w.steps[d]) * strides[d];
    if (data.isFloat())
      out->floats.push_back(data.floats[offset]);
    else
      out->ints.push_back(data.ints[offset]);
    for (size_t d = rank; d-- > 0;) { // odometer, last dim fastest
      if (++index[d] < w.sizes[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

/// A kiln.slice of the computed `input`.
FailureOr<Value> createSlice(GraphImporter &imp, Value input,
                             const SliceWindow &w) {
  Builder &b = imp.getBuilder();
  return imp.createInferred<SliceOp>(input, b.getDenseI64ArrayAttr(w.starts),
                                     b.getDenseI64ArrayAttr(w.sizes),
                                     b.getDenseI64ArrayAttr(w.steps));
}

/// Output `i` of the current node is input 0 cut to `w`.
LogicalResult emitSlice(GraphImporter &imp, unsigned i, const SliceWindow &w) {
  if (const TensorData *data = imp.constantInput(0)) {
    imp.setOutputConstant(i, sliceConstant(*data, w, imp.node().output(i)));
    return success();
  }
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  return imp.setCreatedOutput(i, createSlice(imp, *input, w));
}

} // namespace

LogicalResult kiln::convertSlice(GraphImporter &imp) {
  auto dims = imp.inputShape(0);
  if (failed(dims))
    return failure();
  int64_t rank = dims->size();
  if (rank == 0)
    return imp.fail("cannot slice a scalar");
  auto starts = readIntListOperand(imp, "starts", 1, /*inputSinceOpset=*/10);
  auto ends = readIntListOperand(imp, "ends", 2, 10);
  auto axesList = readIntListOperand(imp, "axes", 3, 10);
  auto stepsList = readIntListOperand(imp, "steps", 4, 10);
  if (failed(starts) || failed(ends) || failed(axesList) || failed(stepsList))
    return failure();
  if (!*starts || !*ends)
    return imp.fail("missing the starts or the ends");
  size_t n = (*starts)->size();
  if ((*ends)->size() != n || (*axesList && (*axesList)->size() != n) ||
      (*stepsList && (*stepsList)->size() != n))
    return imp.fail("starts, ends, axes and steps differ in length (" +
                    Twine(n) + " starts, " + Twine((*ends)->size()) + " ends)");
  SliceWindow w = SliceWindow::whole(*dims);
  SmallVector<bool> seen(rank, false);
  for (size_t k = 0; k < n; ++k) {
    int64_t axis = *axesList ? (**axesList)[k] : (int64_t)k;
    int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank)
      return imp.fail("axis " + Twine(axis) + " is out of range for rank " +
                      Twine(rank));
    if (seen[a])
      return imp.fail("axis " + Twine(axis) + " is given twice");
    seen[a] = true;
    int64_t step = *stepsList ? (**stepsList)[k] : 1;
    if (step == 0)
      return imp.fail("the step of axis " + Twine(axis) + " is 0");
    int64_t dim = (*dims)[a];
    // ONNX: a negative index counts from the end, then the index is clamped
    // (INT64_MAX / INT64_MIN mean "to the end"; adding dim cannot overflow
    // a negative value).
    int64_t start = (**starts)[k], end = (**ends)[k];
    if (start < 0)
      start += dim;
    if (end < 0)
      end += dim;
    int64_t size;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      size = end > start ? (end - start - 1) / step + 1 : 0;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      // -step of INT64_MIN overflows; any step past -dim reads one element.
      int64_t back = step < -dim ? dim : -step;
      size = start > end ? (start - end - 1) / back + 1 : 0;
    }
    if (size == 0)
      return imp.fail("unsupported: the slice of axis " + Twine(axis) +
                      " (starts " + Twine((**starts)[k]) + ", ends " +
                      Twine((**ends)[k]) + ", step " + Twine(step) +
                      ", dim " + Twine(dim) +
                      ") is empty; empty tensors are not supported");
    w.starts[a] = start;
    w.sizes[a] = size;
    w.steps[a] = size == 1 ? 1 : step; // one element: the step is moot
  }
  return emitSlice(imp, 0, w);
}

LogicalResult kiln::convertSplit(GraphImporter &imp) {
  auto dims = imp.inputShape(0);
  if (failed(dims))
    return failure();
  int64_t rank = dims->size();
  auto axisAttr = imp.attributes().getInt("axis", 0);
  if (failed(axisAttr))
    return failure();
  int64_t a = *axisAttr < 0 ? *axisAttr + rank : *axisAttr;
  if (a < 0 || a >= rank)
    return imp.fail("axis " + Twine(*axisAttr) + " is out of range for rank " +
                    Twine(rank));
  int64_t dim = (*dims)[a];
  int64_t outputs = imp.node().output_size();
  if (outputs == 0)
    return imp.fail("has no outputs");
  // The part sizes: the `split` attribute (input 1 from opset 13), else
  // num_outputs (opset 18: parts of ceil(dim / n), the last smaller), else
  // equal parts, one per output.
  auto split = readIntListOperand(imp, "split", 1, /*inputSinceOpset=*/13);
  if (failed(split))
    return failure();
  SmallVector<int64_t> parts;
  if (*split) {
    parts = **split;
  } else {
    int64_t n = outputs;
    auto numOutputs = imp.attributes().getInt("num_outputs", 0);
    if (failed(numOutputs))
      return failure();
    if (*numOutputs != 0 && *numOutputs != outputs)
      return imp.fail("num_outputs is " + Twine(*numOutputs) + " but the node "
                      "has " + Twine(outputs) + " outputs");
    if (imp.opset() < 18 && dim % n != 0)
      return imp.fail("axis " + Twine(a) + " of size " + Twine(dim) +
                      " does not split into " + Twine(n) + " equal parts");
    int64_t chunk = (dim + n - 1) / n;
    for (int64_t k = 0, left = dim; k < n; ++k, left -= chunk)
      parts.push_back(std::clamp<int64_t>(left, 0, chunk));
  }
  if ((int64_t)parts.size() != outputs)
    return imp.fail("split has " + Twine(parts.size()) + " sizes for " +
                    Twine(outputs) + " outputs");
  int64_t total = 0;
  for (int64_t p : parts) {
    if (p <= 0)
      return imp.fail("unsupported: a part of size " + Twine(p) +
                      "; empty tensors are not supported (and sizes are "
                      "never negative)");
    if (p > dim - total)
      return imp.fail("the split sizes add up to more than axis " + Twine(a) +
                      " of size " + Twine(dim));
    total += p;
  }
  if (total != dim)
    return imp.fail("the split sizes add up to " + Twine(total) +
                    ", not to axis " + Twine(a) + " of size " + Twine(dim));
  SliceWindow w = SliceWindow::whole(*dims);
  int64_t offset = 0;
  for (int64_t k = 0; k < outputs; ++k) {
    w.starts[a] = offset;
    w.sizes[a] = parts[k];
    offset += parts[k];
    if (imp.node().output(k).empty())
      continue;
    if (failed(emitSlice(imp, k, w)))
      return failure();
  }
  return success();
}

/// A Gather of a computed tensor is one slice per run of its indices.
static constexpr size_t kMaxGatherRuns = 256;

LogicalResult kiln::gatherBySlices(GraphImporter &imp, int64_t a,
                                   ArrayRef<int64_t> picks,
                                   size_t indicesRank) {
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> shape = GraphImporter::shapeOf(*input);
  if (indicesRank > 1)
    return imp.fail("unsupported: indices of rank " + Twine(indicesRank) +
                    " into a tensor computed at run time (a scalar or a "
                    "list of indices is supported)");
  if (picks.empty())
    return imp.fail("unsupported: no indices (empty tensors are not "
                    "supported)");
  // Runs of evenly spaced indices ([2, 1, 0]: one slice with step -1), each
  // a slice along the axis; several are concatenated.
  SmallVector<Value> parts;
  SliceWindow w = SliceWindow::whole(shape);
  for (size_t k = 0; k < picks.size();) {
    size_t end = k + 1;
    int64_t step = end < picks.size() ? picks[end] - picks[k] : 1;
    if (step == 0)
      step = 1, end = k + 1; // a repeated index starts a new run
    else
      while (end < picks.size() && picks[end] - picks[end - 1] == step)
        ++end;
    w.starts[a] = picks[k];
    w.sizes[a] = end - k;
    w.steps[a] = end - k == 1 ? 1 : step;
    auto part = createSlice(imp, *input, w);
    if (failed(part))
      return failure();
    parts.push_back(*part);
    k = end;
    // Indices without a pattern would make as many kernels as indices.
    if (parts.size() > kMaxGatherRuns && k < picks.size())
      return imp.fail("unsupported: more than " + Twine(kMaxGatherRuns) +
                      " runs of evenly spaced indices into a tensor "
                      "computed at run time");
  }
  Value gathered = parts.front();
  if (parts.size() > 1) {
    auto joined = imp.createInferred<ConcatOp>(
        ValueRange(parts), imp.getBuilder().getI64IntegerAttr(a));
    if (failed(joined))
      return failure();
    gathered = *joined;
  }
  if (indicesRank != 0) {
    imp.setOutput(0, gathered);
    return success();
  }
  // A scalar index drops the axis.
  SmallVector<int64_t> dropped(shape.begin(), shape.end());
  dropped.erase(dropped.begin() + a);
  if (dropped.empty())
    return imp.fail("unsupported: the result would be a scalar");
  return imp.setCreatedOutput(
      0, imp.createWithType<ReshapeOp>(imp.tensorType(dropped), gathered));
}
