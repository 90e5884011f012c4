//===- ArithmeticOps.cpp - Sub and Div through kiln.add / kiln.mul --------===//
//
// Sub and Div need no kernels of their own: a - b is a + (-b) (negation is
// exact: a constant b is negated at import, a computed one multiplied by
// -1), and a / b with a constant b is a * (1 / b) (within an ulp and a half
// of the quotient; a divisor whose reciprocal overflows float32 is refused,
// as is a computed divisor). Both broadcast numpy-style like kiln.add.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "dialects/kiln/KilnOps.h"

#include <cmath>
#include <sstream>

using namespace kiln;
using namespace mlir;

FailureOr<Value> kiln::scaleBy(GraphImporter &imp, Value value, float factor,
                               StringRef suffix) {
  auto data = std::make_shared<TensorData>();
  data->name = imp.node().output(0) + suffix.str();
  data->dims = {1};
  data->floats = {factor};
  auto constant = imp.emitConstant(*data);
  if (failed(constant))
    return failure();
  return imp.createInferred<MulOp>(value, *constant);
}

/// Constant `data` with f applied to every value, as a
/// kiln.constant named after the node's output plus `suffix`.
static FailureOr<Value> mappedConstant(GraphImporter &imp,
                                       const TensorData &data,
                                       float (*f)(float), StringRef suffix) {
  TensorData mapped = data;
  mapped.name = imp.node().output(0) + suffix.str();
  for (float &v : mapped.floats)
    v = f(v);
  return imp.emitConstant(mapped);
}

/// lhs OpTy rhs as the node's output.
template <typename OpTy>
static LogicalResult emitBinary(GraphImporter &imp, Value lhs,
                                FailureOr<Value> rhs) {
  if (failed(rhs))
    return failure();
  return imp.setCreatedOutput(0, imp.createInferred<OpTy>(lhs, *rhs));
}

LogicalResult kiln::convertSub(GraphImporter &imp) {
  auto lhs = imp.input(0);
  if (failed(lhs))
    return failure();
  const TensorData *b = imp.constantInput(1);
  if (b && b->isFloat())
    return emitBinary<AddOp>(
        imp, *lhs,
        mappedConstant(
            imp, *b, [](float v) { return -v; }, "_negated"));
  auto rhs = imp.input(1);
  if (failed(rhs))
    return failure();
  return emitBinary<AddOp>(imp, *lhs, scaleBy(imp, *rhs, -1.0f, "_neg"));
}

LogicalResult kiln::convertDiv(GraphImporter &imp) {
  auto lhs = imp.input(0);
  if (failed(lhs))
    return failure();
  auto divisor = imp.requireConstantInput(1, "the divisor");
  if (failed(divisor))
    return failure();
  const TensorData *b = *divisor;
  if (!b->isFloat())
    return imp.fail("the divisor ('" + imp.node().input(1) +
                    "') is not a float tensor");
  for (float v : b->floats)
    if (v != 0.0f && std::isinf(1.0f / v)) {
      std::ostringstream value;
      value << v;
      return imp.fail("unsupported: the divisor holds " + value.str() +
                      ", whose reciprocal overflows float32");
    }
  return emitBinary<MulOp>(
      imp, *lhs,
      mappedConstant(
          imp, *b, [](float v) { return 1.0f / v; }, "_reciprocal"));
}
