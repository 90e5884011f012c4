//===- OpRegistry.cpp - ONNX op type -> converter -------------------------===//
#include "compiler/onnx/OpConverters.h"

#include "llvm/ADT/StringSwitch.h"

using namespace kiln;

OpConverter kiln::lookupOpConverter(llvm::StringRef opType) {
  return llvm::StringSwitch<OpConverter>(opType)
      .Case("Conv", convertConv)
      .Case("Pad", convertPad)
      .Case("ConvTranspose", convertConvTranspose)
      .Case("BatchNormalization", convertBatchNormalization)
      .Case("Mul", convertMul)
      .Case("LRN", convertLRN)
      .Case("Relu", convertRelu)
      .Case("Sigmoid", convertSigmoid)
      .Case("HardSigmoid", convertHardSigmoid)
      .Case("HardSwish", convertHardSwish)
      .Case("LeakyRelu", convertLeakyRelu)
      .Case("Tanh", convertTanh)
      .Case("Softplus", convertSoftplus)
      .Case("Mish", convertMish)
      .Case("Elu", convertElu)
      .Case("Selu", convertSelu)
      .Case("PRelu", convertPRelu)
      .Case("Clip", convertClip)
      .Case("Add", convertAdd)
      .Case("Sub", convertSub)
      .Case("Div", convertDiv)
      .Case("MaxPool", convertMaxPool)
      .Case("AveragePool", convertAveragePool)
      .Case("GlobalAveragePool", convertGlobalAveragePool)
      .Case("GlobalMaxPool", convertGlobalMaxPool)
      .Case("Shape", convertShape)
      .Case("Gather", convertGather)
      .Case("Resize", convertResize)
      .Case("Upsample", convertUpsample)
      .Case("ReduceSum", convertReduceSum)
      .Case("ReduceMean", convertReduceMean)
      .Case("ReduceMax", convertReduceMax)
      .Case("ReduceMin", convertReduceMin)
      .Case("Concat", convertConcat)
      .Case("Flatten", convertFlatten)
      .Case("Reshape", convertReshape)
      .Case("Squeeze", convertSqueeze)
      .Case("Unsqueeze", convertUnsqueeze)
      .Case("Transpose", convertTranspose)
      .Case("Slice", convertSlice)
      .Case("Split", convertSplit)
      .Case("DepthToSpace", convertDepthToSpace)
      .Case("SpaceToDepth", convertSpaceToDepth)
      .Case("Identity", convertIdentity)
      .Case("Dropout", convertDropout)
      .Case("Constant", convertConstant)
      .Case("Gemm", convertGemm)
      .Case("MatMul", convertMatMul)
      .Case("Softmax", convertSoftmax)
      .Default(nullptr);
}

int64_t kiln::oldestSupportedOpset(llvm::StringRef opType) {
  return llvm::StringSwitch<int64_t>(opType)
      // Before: `broadcast`/`axis` attributes (PRelu: no broadcasting) instead
      // of numpy broadcasting.
      .Cases({"Add", "Sub", "Mul", "Div", "Gemm", "PRelu"}, 7)
      // Before: `spatial` / `is_test` attributes.
      .Case("BatchNormalization", 9)
      // Before: `is_test`; from 7 on inference Dropout is the identity.
      .Case("Dropout", 7)
      // Before: `consumed_inputs` (legacy optimization hint).
      .Cases({"Relu", "Sigmoid", "HardSigmoid", "LeakyRelu", "Tanh", "Elu",
              "Selu"},
             6)
      // Before: `axis` was optional (default 1).
      .Case("Concat", 4)
      // Before: the target shape was an attribute.
      .Case("Reshape", 5)
      // Before: min/max were attributes.
      .Case("Clip", 11)
      // Opset 1 named the attribute `paddings`; 2..10 have `pads` / `value`
      // attributes (read by convertPad), 11 on inputs.
      .Case("Pad", 2)
      .Case("HardSwish", 14)
      // Before: the scales were an attribute.
      .Case("Upsample", 9)
      // Before: Upsample's form under a new name.
      .Case("Resize", 10)
      // Opset 1 could also take the part sizes as a second input.
      .Case("Split", 2)
      .Default(1);
}
