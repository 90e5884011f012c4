//===- AxesOperand.cpp - The `axes` of Squeeze, Unsqueeze, Reduce* --------===//
#include "compiler/onnx/AxesOperand.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace kiln {

FailureOr<std::optional<SmallVector<int64_t>>>
readAxes(GraphImporter &imp, int64_t rank, int64_t inputSinceOpset) {
  SmallVector<int64_t> raw;
  if (imp.opset() < inputSinceOpset) {
    auto attr = imp.attributes().getInts("axes");
    if (failed(attr))
      return failure();
    if (!*attr)
      return std::optional<SmallVector<int64_t>>();
    raw.assign((*attr)->begin(), (*attr)->end());
  } else {
    if (!imp.hasInput(1))
      return std::optional<SmallVector<int64_t>>();
    auto data = imp.requireConstantInput(1, "the axes");
    if (failed(data))
      return failure();
    if ((*data)->isFloat() || (*data)->dims.size() > 1)
      return imp.fail("the axes must be a 1-D int64 tensor");
    raw.assign((*data)->ints.begin(), (*data)->ints.end());
  }
  SmallVector<int64_t> axes;
  for (int64_t a : raw) {
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
