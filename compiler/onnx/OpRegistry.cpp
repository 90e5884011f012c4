//===- OpRegistry.cpp - ONNX op type -> converter -------------------------===//
#include "compiler/onnx/OpConverters.h"

#include "llvm/ADT/StringSwitch.h"

using namespace kiln;

OpConverter kiln::lookupOpConverter(llvm::StringRef opType) {
  return llvm::StringSwitch<OpConverter>(opType)
      .Case("Conv", convertConv)
      .Case("Pad", convertPad)
      .Case("BatchNormalization", convertBatchNormalization)
      .Case("Mul", convertMul)
      .Case("Relu", convertRelu)
      .Case("Clip", convertClip)
      .Case("Add", convertAdd)
      .Case("MaxPool", convertMaxPool)
      .Case("AveragePool", convertAveragePool)
      .Case("GlobalAveragePool", convertGlobalAveragePool)
      .Case("Concat", convertConcat)
      .Case("Flatten", convertFlatten)
      .Case("Reshape", convertReshape)
      .Case("Identity", convertIdentity)
      .Case("Dropout", convertDropout)
      .Case("Constant", convertConstant)
      .Case("Gemm", convertGemm)
      .Case("MatMul", convertMatMul)
      .Case("Softmax", convertSoftmax)
      .Default(nullptr);
}
