//===- ConstantData.cpp - Read and create f32 kiln constants --------------===//
#include "compiler/passes/ConstantData.h"

#include "dialects/kiln/KilnOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace kiln {

std::optional<std::vector<float>> readF32Constant(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  ElementsAttr attr = constant.getValue();
  if (!attr.getElementType().isF32())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    // Empty when the blob was elided or never loaded.
    auto data = resource.tryGetAsArrayRef();
    if (!data || (int64_t)data->size() != attr.getNumElements())
      return std::nullopt;
    return std::vector<float>(data->begin(), data->end());
  }
  return std::nullopt;
}

std::string resourceKeyOf(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return "";
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(constant.getValue()))
    return resource.getRawHandle().getKey().str();
  return "";
}

Value createF32Constant(OpBuilder &builder, Location loc, RankedTensorType type,
                        ArrayRef<float> data, StringRef blobName) {
  ElementsAttr value;
  if (type.getNumElements() <= kMaxInlineConstantElements) {
    value = DenseElementsAttr::get(type, data);
  } else {
    // Blob keys are printed bare: keep them identifier-like.
    std::string key;
    for (char c : blobName)
      key.push_back(llvm::isAlnum(c) || c == '_' ? c : '_');
    if (key.empty() || llvm::isDigit(key.front()))
      key.insert(0, "t_");
    value = DenseResourceElementsAttr::get(
        type, key, HeapAsmResourceBlob::allocateAndCopyInferAlign(data));
  }
  return ConstantOp::create(builder, loc, type, value).getResult();
}

} // namespace kiln
