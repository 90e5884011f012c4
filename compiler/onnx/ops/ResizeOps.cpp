//===- ResizeOps.cpp - Resize (opsets 10-19) and Upsample (9) -------------===//
//
// Both become kiln.resize with the output shape computed here: from
// `sizes`, or floor(input * scale) in float as onnxruntime computes it.
// Supported: modes nearest, linear and cubic (opset 11 on; cubic_coeff_a,
// exclude_outside; at most 2 dims resized), the coordinate transformations
// half_pixel, pytorch_half_pixel, align_corners, asymmetric and
// tf_half_pixel_for_nn; refused by name: tf_crop_and_resize,
// half_pixel_symmetric, antialias, keep_aspect_ratio_policy other than
// stretch. Resize-10 and Upsample map coordinates asymmetrically and
// round nearest down; they downsample in nearest mode in ways
// onnxruntime and the ONNX reference disagree on, which is refused.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/GraphImporter.h"
#include "compiler/onnx/OpConverters.h"
#include "dialects/kiln/KilnOps.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace kiln;
using namespace mlir;

namespace {

struct ResizeRequest {
  std::string mode = "nearest";
  std::string coordMode = "half_pixel";
  std::string nearestMode = "round_prefer_floor";
  float cubicCoeffA = -0.75f;
  bool excludeOutside = false;
  /// Constant operand indices (-1: absent).
  int scalesInput = -1, sizesInput = -1;
  /// Opset 18's axes: the dims scales / sizes name (empty: all).
  SmallVector<int64_t> axes;
};

LogicalResult emitResize(GraphImporter &imp, const ResizeRequest &req) {
  auto input = imp.input(0);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> in = GraphImporter::shapeOf(*input);
  int64_t rank = in.size();
  bool cubicAllowed = imp.opset() >= 11 && imp.node().op_type() == "Resize";
  if (req.mode != "nearest" && req.mode != "linear" &&
      !(req.mode == "cubic" && cubicAllowed))
    return imp.fail("unsupported: mode '" + req.mode + "' (nearest, linear" +
                    (cubicAllowed ? " and cubic" : "") + " are supported)");
  SmallVector<int64_t> axes = req.axes;
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  for (int64_t &a : axes) {
    if (a < -rank || a >= rank)
      return imp.fail("axis " + Twine(a) + " is out of range for rank " +
                      Twine(rank));
    a = a < 0 ? a + rank : a;
  }
  SmallVector<float> scales(rank, 1.0f);
  SmallVector<int64_t> out(in.begin(), in.end());
  const TensorData *given = nullptr;
  if (req.sizesInput >= 0 && imp.hasInput(req.sizesInput)) {
    auto sizes = imp.requireConstantInput(req.sizesInput, "the sizes");
    if (failed(sizes))
      return failure();
    given = *sizes;
    if (given->isFloat() || given->numElements() != (int64_t)axes.size())
      return imp.fail("the sizes must be " + Twine(axes.size()) +
                      " int64 values, one per axis");
    for (size_t k = 0; k < axes.size(); ++k) {
      int64_t d = axes[k], size = given->ints[k];
      if (size < 1)
        return imp.fail("size " + Twine(size) + " of dim " + Twine(d) +
                        " is not positive");
      out[d] = size;
      scales[d] = (float)size / (float)in[d];
    }
  }
  if (!given && req.scalesInput >= 0 && imp.hasInput(req.scalesInput)) {
    auto scaleData = imp.requireConstantInput(req.scalesInput, "the scales");
    if (failed(scaleData))
      return failure();
    given = *scaleData;
    if (!given->isFloat() || given->numElements() != (int64_t)axes.size())
      return imp.fail("the scales must be " + Twine(axes.size()) +
                      " float values, one per axis");
    for (size_t k = 0; k < axes.size(); ++k) {
      int64_t d = axes[k];
      float s = given->floats[k];
      int64_t size = std::isfinite(s) ? (int64_t)((float)in[d] * s) : 0;
      if (!(s > 0.0f) || size < 1)
        return imp.fail("scale " + Twine(std::to_string(s)) + " of dim " +
                        Twine(d) +
                        " gives no output cells");
      out[d] = size;
      scales[d] = s;
    }
  }
  if (!given)
    return imp.fail("needs the scales or the sizes");
  if (req.mode == "cubic") {
    int64_t resized = 0;
    for (int64_t d = 0; d < rank; ++d)
      resized += out[d] != in[d] || scales[d] != 1.0f;
    if (resized > 2)
      return imp.fail("unsupported: cubic resize of " + Twine(resized) +
                      " dims (at most 2, e.g. H and W)");
    if (!std::isfinite(req.cubicCoeffA))
      return imp.fail("cubic_coeff_a must be finite");
  }
  OpBuilder &b = imp.getBuilder();
  return imp.setCreatedOutput(
      0, imp.createWithType<ResizeOp>(
             imp.tensorType(out), *input, b.getStringAttr(req.mode),
             b.getStringAttr(req.coordMode), b.getStringAttr(req.nearestMode),
             b.getDenseF32ArrayAttr(scales),
             b.getF32FloatAttr(req.cubicCoeffA),
             b.getBoolAttr(req.excludeOutside)));
}

/// Resize-10 and Upsample: asymmetric coordinates, nearest rounds down
/// (onnxruntime's "simple" mode). Downsampling nearest would round up in
/// onnxruntime and to nearest in the ONNX reference: refused.
LogicalResult emitLegacyResize(GraphImporter &imp, ResizeRequest req) {
  req.coordMode = "asymmetric";
  req.nearestMode = "floor";
  if (req.mode == "nearest" && imp.hasInput(req.scalesInput))
    if (const TensorData *s = imp.constantInput(req.scalesInput))
      if (s->isFloat() &&
          llvm::any_of(s->floats, [](float v) { return v < 1.0f; }))
        return imp.fail("unsupported: nearest downsampling of opset < 11 "
                        "(onnxruntime and the ONNX reference round it "
                        "differently)");
  return emitResize(imp, req);
}

} // namespace

LogicalResult kiln::convertResize(GraphImporter &imp) {
  NodeAttributes attrs = imp.attributes();
  auto mode = attrs.getString("mode", "nearest");
  if (failed(mode))
    return failure();
  ResizeRequest req;
  req.mode = *mode;
  if (imp.opset() < 11) {
    req.scalesInput = 1;
    return emitLegacyResize(imp, req);
  }
  auto coord = attrs.getString("coordinate_transformation_mode", "half_pixel");
  auto nearest = attrs.getString("nearest_mode", "round_prefer_floor");
  auto antialias = attrs.getInt("antialias", 0);
  auto policy = attrs.getString("keep_aspect_ratio_policy", "stretch");
  auto axes = attrs.getInts("axes");
  auto coeffA = attrs.getFloat("cubic_coeff_a", -0.75f);
  auto exclude = attrs.getInt("exclude_outside", 0);
  if (failed(coord) || failed(nearest) || failed(antialias) ||
      failed(policy) || failed(axes) || failed(coeffA) || failed(exclude))
    return failure();
  req.cubicCoeffA = *coeffA;
  req.excludeOutside = *exclude != 0;
  static const char *const coordModes[] = {
      "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
      "tf_half_pixel_for_nn"};
  if (!llvm::is_contained(coordModes, *coord))
    return imp.fail("unsupported: coordinate_transformation_mode '" + *coord +
                    "'");
  static const char *const nearestModes[] = {
      "round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
  if (!llvm::is_contained(nearestModes, *nearest))
    return imp.fail("unknown nearest_mode '" + *nearest + "'");
  if (*antialias)
    return imp.fail("unsupported: antialias=1");
  if (*policy != "stretch")
    return imp.fail("unsupported: keep_aspect_ratio_policy '" + *policy +
                    "' (only stretch)");
  req.coordMode = *coord;
  req.nearestMode = *nearest;
  req.scalesInput = 2;
  req.sizesInput = 3;
  if (*axes)
    req.axes.assign((*axes)->begin(), (*axes)->end());
  return emitResize(imp, req);
}

LogicalResult kiln::convertUpsample(GraphImporter &imp) {
  // Opset 9 on (oldestSupportedOpset): the scales are input 1.
  auto mode = imp.attributes().getString("mode", "nearest");
  if (failed(mode))
    return failure();
  ResizeRequest req;
  req.mode = *mode;
  req.scalesInput = 1;
  return emitLegacyResize(imp, req);
}
