//===- PixelShuffleOps.cpp - DepthToSpace and SpaceToDepth ----------------===//
//
// Both move blocks of b x b pixels between the channel and the spatial
// dims (super-resolution's pixel shuffle, YOLOv2's reorg). Each is a
// reshape to 6-D, a transpose and a reshape back, exactly the reference
// formula of the ONNX spec; the reshapes are free (views), the transpose
// is one strided-copy kernel.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "dialects/kiln/KilnOps.h"

using namespace kiln;
using namespace mlir;

namespace {

/// Output 0 is input 0 reshaped to `split`, permuted by `perm` and
/// reshaped to `result`.
LogicalResult emitShuffle(GraphImporter &imp, ArrayRef<int64_t> split,
                          ArrayRef<int64_t> perm, ArrayRef<int64_t> result) {
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  auto six = imp.createWithType<ReshapeOp>(imp.tensorType(split), *input);
  if (failed(six))
    return failure();
  auto moved = imp.createInferred<TransposeOp>(
      *six, imp.getBuilder().getDenseI64ArrayAttr(perm));
  if (failed(moved))
    return failure();
  return imp.setCreatedOutput(
      0, imp.createWithType<ReshapeOp>(imp.tensorType(result), *moved));
}

/// The NCHW input's dims and the block size, checked.
FailureOr<std::pair<SmallVector<int64_t>, int64_t>>
readBlock(GraphImporter &imp) {
  auto shape = imp.inputShape(0);
  auto block = imp.attributes().getInt("blocksize", 0);
  if (failed(shape) || failed(block))
    return failure();
  if (shape->size() != 4)
    return imp.fail("the input must be 4-D (NCHW), got rank " +
                    Twine(shape->size()));
  if (*block <= 0 || *block > (1 << 16))
    return imp.fail(*block == 0 ? Twine("missing required attribute "
                                        "'blocksize'")
                                : "blocksize " + Twine(*block) +
                                      " must be positive (and at most 65536)");
  return std::make_pair(*shape, *block);
}

} // namespace

LogicalResult kiln::convertDepthToSpace(GraphImporter &imp) {
  auto read = readBlock(imp);
  auto mode = imp.attributes().getString("mode", "DCR");
  if (failed(read) || failed(mode))
    return failure();
  auto [shape, b] = *read;
  int64_t n = shape[0], c = shape[1], h = shape[2], w = shape[3];
  if (c % (b * b) != 0)
    return imp.fail(Twine(c) + " channels do not split into blocks of " +
                    Twine(b) + " x " + Twine(b));
  int64_t out = c / (b * b);
  SmallVector<int64_t> result = {n, out, h * b, w * b};
  // DCR: channel = (i * b + j) * out + k; CRD: (k * b + i) * b + j.
  if (*mode == "DCR")
    return emitShuffle(imp, {n, b, b, out, h, w}, {0, 3, 4, 1, 5, 2}, result);
  if (*mode == "CRD")
    return emitShuffle(imp, {n, out, b, b, h, w}, {0, 1, 4, 2, 5, 3}, result);
  return imp.fail("mode '" + *mode + "' is not DCR or CRD");
}

LogicalResult kiln::convertSpaceToDepth(GraphImporter &imp) {
  auto read = readBlock(imp);
  if (failed(read))
    return failure();
  auto [shape, b] = *read;
  int64_t n = shape[0], c = shape[1], h = shape[2], w = shape[3];
  if (h % b != 0 || w % b != 0)
    return imp.fail("the image " + Twine(h) + " x " + Twine(w) +
                    " does not split into blocks of " + Twine(b) + " x " +
                    Twine(b));
  return emitShuffle(imp, {n, c, h / b, b, w / b, b}, {0, 3, 5, 1, 2, 4},
                     {n, c * b * b, h / b, w / b});
}
