//===- AxesOperand.cpp - The `axes` of Squeeze, Unsqueeze, Reduce* --------===//
#include "compiler/onnx/AxesOperand.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace kiln {

FailureOr<std::optional<SmallVector<int64_t>>>
readIntListOperand(GraphImporter &imp, StringRef name, unsigned index,
                   int64_t inputSinceOpset) {
  using Result = std::optional<SmallVector<int64_t>>;
  if (imp.opset() < inputSinceOpset) {
    auto attr = imp.attributes().getInts(name);
    if (failed(attr))
      return failure();
    if (!*attr)
      return Result();
    return Result(SmallVector<int64_t>((*attr)->begin(), (*attr)->end()));
  }
  if (!imp.hasInput(index))
    return Result();
  auto data = imp.requireConstantInput(index, ("the " + name).str());
  if (failed(data))
    return failure();
  if ((*data)->isFloat() || (*data)->dims.size() > 1)
    return imp.fail("the " + name + " must be a 1-D integer tensor");
  return Result(
      SmallVector<int64_t>((*data)->ints.begin(), (*data)->ints.end()));
}

FailureOr<std::optional<SmallVector<int64_t>>>
readAxes(GraphImporter &imp, int64_t rank, int64_t inputSinceOpset) {
  auto raw = readIntListOperand(imp, "axes", 1, inputSinceOpset);
  if (failed(raw))
    return failure();
  if (!*raw)
    return std::optional<SmallVector<int64_t>>();
  SmallVector<int64_t> axes;
  for (int64_t a : **raw) {
    int64_t normalized = a < 0 ? a + rank : a;
    if (normalized < 0 || normalized >= rank)
      return imp.fail("axis " + Twine(a) + " is out of range for rank " +
                      Twine(rank));
    if (llvm::is_contained(axes, normalized))
      return imp.fail("axis " + Twine(a) + " is given twice");
    axes.push_back(normalized);
  }
  return std::optional<SmallVector<int64_t>>(std::move(axes));
}

} // namespace kiln
