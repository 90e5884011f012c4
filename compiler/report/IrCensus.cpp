//===- IrCensus.cpp - Op counts and memory traffic of IR ------------------===//
#include "compiler/report/IrCensus.h"

#include "dialects/kiln/KilnOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

using namespace mlir;

namespace kiln {
namespace {

int64_t tensorBytes(Type type) {
  auto t = dyn_cast<RankedTensorType>(type);
  if (!t || !t.hasStaticShape())
    return 0;
  int64_t bits = t.getElementType().isIntOrFloat()
                     ? t.getElementType().getIntOrFloatBitWidth()
                     : 32;
  return t.getNumElements() * ((bits + 7) / 8);
}

} // namespace

IrCensus takeIrCensus(Operation *root) {
  IrCensus census;
  root->walk([&](Operation *op) {
    if (op->getNumRegions() > 0 || op->hasTrait<OpTrait::IsTerminator>())
      return;
    ++census.opCounts[op->getName().getStringRef().str()];
    if (isa<ConstantOp, ReshapeOp>(op))
      return;
    for (Value v : op->getOperands())
      census.bytesRead += tensorBytes(v.getType());
    for (Value v : op->getResults())
      census.bytesWritten += tensorBytes(v.getType());
  });
  return census;
}

} // namespace kiln
