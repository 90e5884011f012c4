//===- KernelSpec.cpp - Text form of kernel specs -------------------------===//
//
// The text form is `key=value` lines in a fixed order (so equal specs give
// byte-equal text, which makes it a cache key). Shapes are written as
// `[d0,d1,...]`; the list of input shapes is such lists joined by commas.
// Parsing is strict: unknown, repeated or malformed keys are errors naming the
// line, so a truncated or hand-edited file never becomes a wrong kernel.
//
//===----------------------------------------------------------------------===//

#include "compiler/kernels/KernelSpec.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>

namespace kiln {

namespace {

const KernelKind kAllKinds[] = {
    KernelKind::Conv2D,        KernelKind::MaxPool2D,     KernelKind::AvgPool2D,
    KernelKind::GlobalAvgPool, KernelKind::ChannelAffine, KernelKind::Add,
    KernelKind::Activation,    KernelKind::Concat,        KernelKind::Dense,
    KernelKind::Softmax,       KernelKind::Mul,           KernelKind::Transpose,
    KernelKind::LRN,           KernelKind::BatchNorm,
    KernelKind::SeparableConv2D, KernelKind::Pad,
    KernelKind::InvertedResidual, KernelKind::Reduce, KernelKind::PRelu,
    KernelKind::Resize, KernelKind::ConvTranspose2D, KernelKind::Slice};

const Activation kAllActivations[] = {
    Activation::None,      Activation::Relu,        Activation::Clip,
    Activation::Sigmoid,   Activation::HardSigmoid, Activation::HardSwish,
    Activation::LeakyRelu, Activation::Silu,        Activation::Tanh,
    Activation::Softplus,  Activation::Mish,        Activation::Elu,
    Activation::Selu};

const PadMode kAllPadModes[] = {PadMode::Constant, PadMode::Edge,
                                PadMode::Reflect, PadMode::Wrap};

const ReduceKind kAllReduceKinds[] = {ReduceKind::Sum, ReduceKind::Mean,
                                      ReduceKind::Max, ReduceKind::Min};

const ResizeMode kAllResizeModes[] = {ResizeMode::Nearest, ResizeMode::Linear,
                                      ResizeMode::Cubic};
const CoordMode kAllCoordModes[] = {
    CoordMode::HalfPixel, CoordMode::PytorchHalfPixel, CoordMode::AlignCorners,
    CoordMode::Asymmetric, CoordMode::TfHalfPixelForNn};
const NearestMode kAllNearestModes[] = {
    NearestMode::RoundPreferFloor, NearestMode::RoundPreferCeil,
    NearestMode::Floor, NearestMode::Ceil};

void writeList(std::ostream &os, const std::vector<int64_t> &values) {
  os << '[';
  for (size_t i = 0; i < values.size(); ++i)
    os << (i ? "," : "") << values[i];
  os << ']';
}

/// Shortest text that reads back to the same float.
std::string formatFloat(float value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.9g", static_cast<double>(value));
  return buf;
}

bool parseInt(const std::string &text, int64_t &out) {
  if (text.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end != text.c_str() + text.size())
    return false;
  out = v;
  return true;
}

bool parseFloat(const std::string &text, float &out) {
  if (text.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  float v = std::strtof(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size() || std::isnan(v))
    return false;
  out = v;
  return true;
}

bool parseBool(const std::string &text, bool &out) {
  if (text == "0" || text == "1") {
    out = text == "1";
    return true;
  }
  return false;
}

/// Parses `[a,b,...]` starting at text[pos]; advances pos past the `]`.
bool parseListAt(const std::string &text, size_t &pos,
                 std::vector<int64_t> &out) {
  out.clear();
  if (pos >= text.size() || text[pos] != '[')
    return false;
  size_t close = text.find(']', pos);
  if (close == std::string::npos)
    return false;
  std::string body = text.substr(pos + 1, close - pos - 1);
  pos = close + 1;
  if (body.empty())
    return true;
  std::stringstream ss(body);
  std::string item;
  while (std::getline(ss, item, ',')) {
    int64_t v;
    if (!parseInt(item, v))
      return false;
    out.push_back(v);
  }
  // getline drops a trailing empty item ("[1,]"); reject it explicitly.
  return body.back() != ',';
}

/// "2,2,1,1" (formatFloat each) <-> floats; empty text is no values.
std::string formatFloatList(const std::vector<float> &values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i)
    text += (i ? "," : "") + formatFloat(values[i]);
  return text;
}

bool parseFloatList(const std::string &text, std::vector<float> &out) {
  out.clear();
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos)
      comma = text.size();
    float v;
    if (!parseFloat(text.substr(start, comma - start), v))
      return false;
    out.push_back(v);
    start = comma + 1;
    if (comma + 1 == text.size())
      return false; // a trailing comma
  }
  return true;
}

bool parseList(const std::string &text, std::vector<int64_t> &out) {
  size_t pos = 0;
  return parseListAt(text, pos, out) && pos == text.size();
}

/// `[..],[..],...`, or empty text for no shapes.
bool parseShapeList(const std::string &text,
                    std::vector<std::vector<int64_t>> &out) {
  out.clear();
  size_t pos = 0;
  while (pos < text.size()) {
    if (!out.empty()) {
      if (text[pos] != ',')
        return false;
      ++pos;
    }
    std::vector<int64_t> shape;
    if (!parseListAt(text, pos, shape))
      return false;
    out.push_back(std::move(shape));
  }
  return true;
}

/// The value of `values` whose name is `text`.
template <typename T, size_t N>
bool parseByName(const std::string &text, const T (&values)[N],
                 const char *(*name)(T), T &out) {
  for (T v : values)
    if (text == name(v)) {
      out = v;
      return true;
    }
  return false;
}

bool parseKind(const std::string &text, KernelKind &out) {
  return parseByName(text, kAllKinds, kernelKindName, out);
}

std::string lineError(size_t lineNo, const std::string &line,
                      const std::string &what) {
  return "line " + std::to_string(lineNo) + ": " + what + ": '" + line + "'";
}

/// Parses the lines [begin, end) of `lines`; line numbers are 1-based in the
/// whole text so errors point into the file the user has.
bool parseLines(const std::vector<std::string> &lines, size_t begin, size_t end,
                KernelSpec &out, std::string &error) {
  out = KernelSpec();
  std::set<std::string> seen;
  for (size_t i = begin; i < end; ++i) {
    const std::string &line = lines[i];
    size_t lineNo = i + 1;
    if (line.empty())
      continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      error = lineError(lineNo, line, "expected key=value");
      return false;
    }
    std::string key = line.substr(0, eq);
    std::string value = line.substr(eq + 1);
    if (!seen.insert(key).second) {
      error = lineError(lineNo, line, "repeated key '" + key + "'");
      return false;
    }
    bool ok = true;
    if (key == "kind")
      ok = parseKind(value, out.kind);
    else if (key == "name")
      ok = !value.empty() && value.find_first_of(" \t\r") == std::string::npos;
    else if (key == "inputs")
      ok = parseShapeList(value, out.inputShapes);
    else if (key == "output")
      ok = parseList(value, out.outputShape);
    else if (key == "kernel")
      ok = parseList(value, out.kernel);
    else if (key == "strides")
      ok = parseList(value, out.strides);
    else if (key == "pads")
      ok = parseList(value, out.pads);
    else if (key == "dilations")
      ok = parseList(value, out.dilations);
    else if (key == "groups")
      ok = parseInt(value, out.groups);
    else if (key == "weight_block")
      ok = parseInt(value, out.weightBlock) && out.weightBlock >= 0;
    else if (key == "winograd_tile")
      ok = parseInt(value, out.winogradTile) && out.winogradTile >= 2 &&
           out.winogradTile <= 4;
    else if (key == "blocked_inputs") {
      int64_t bits = 0;
      ok = parseInt(value, bits) && bits > 0 && bits <= 0xffffffffLL;
      out.blockedInputs = (uint32_t)bits;
    } else if (key == "blocked_output")
      ok = parseBool(value, out.blockedOutput);
    else if (key == "count_include_pad")
      ok = parseBool(value, out.countIncludePad);
    else if (key == "has_bias")
      ok = parseBool(value, out.hasBias);
    else if (key == "has_residual")
      ok = parseBool(value, out.hasResidual);
    else if (key == "residual_in_place")
      ok = parseBool(value, out.residualInPlace);
    else if (key == "zero_skip_pointwise")
      ok = parseBool(value, out.zeroSkipPointwise);
    else if (key == "activation")
      ok = parseActivation(value, out.activation);
    else if (key == "clip_min")
      ok = parseFloat(value, out.clipMin);
    else if (key == "clip_max")
      ok = parseFloat(value, out.clipMax);
    else if (key == "axis")
      ok = parseInt(value, out.axis);
    else if (key == "act_alpha")
      ok = parseFloat(value, out.actAlpha);
    else if (key == "act_beta")
      ok = parseFloat(value, out.actBeta);
    else if (key == "size")
      ok = parseInt(value, out.size);
    else if (key == "alpha")
      ok = parseFloat(value, out.alpha);
    else if (key == "beta")
      ok = parseFloat(value, out.beta);
    else if (key == "bias")
      ok = parseFloat(value, out.bias);
    else if (key == "epsilon")
      ok = parseFloat(value, out.epsilon);
    else if (key == "perm")
      ok = parseList(value, out.perm);
    else if (key == "pad_value")
      ok = parseFloat(value, out.padValue);
    else if (key == "pad_mode")
      ok = parsePadMode(value, out.padMode);
    else if (key == "resize_mode")
      ok = parseResizeMode(value, out.resizeMode);
    else if (key == "coord_mode")
      ok = parseCoordMode(value, out.coordMode);
    else if (key == "nearest_mode")
      ok = parseNearestMode(value, out.nearestMode);
    else if (key == "resize_scales")
      ok = parseFloatList(value, out.resizeScales);
    else if (key == "cubic_coeff_a")
      ok = parseFloat(value, out.cubicCoeffA);
    else if (key == "exclude_outside")
      ok = parseBool(value, out.excludeOutside);
    else if (key == "reduce")
      ok = parseReduceKind(value, out.reduce);
    else if (key == "axes")
      ok = parseList(value, out.axes);
    else if (key == "keepdims")
      ok = parseBool(value, out.keepdims);
    else if (key == "slice_starts")
      ok = parseList(value, out.sliceStarts);
    else if (key == "slice_steps")
      ok = parseList(value, out.sliceSteps);
    else if (key == "dw_activation")
      ok = parseActivation(value, out.dwActivation);
    else if (key == "dw_act_param0")
      ok = parseFloat(value, out.dwActParam0);
    else if (key == "dw_act_param1")
      ok = parseFloat(value, out.dwActParam1);
    else if (key == "ex_activation")
      ok = parseActivation(value, out.exActivation);
    else if (key == "ex_act_param0")
      ok = parseFloat(value, out.exActParam0);
    else if (key == "ex_act_param1")
      ok = parseFloat(value, out.exActParam1);
    else {
      error = lineError(lineNo, line, "unknown key '" + key + "'");
      return false;
    }
    if (!ok) {
      error = lineError(lineNo, line, "bad value for '" + key + "'");
      return false;
    }
    if (key == "name")
      out.name = value;
  }
  for (const char *required : {"kind", "name", "inputs", "output"}) {
    if (!seen.count(required)) {
      error = "line " + std::to_string(end == begin ? begin + 1 : end) +
              ": spec ends without required key '" + required + "'";
      return false;
    }
  }
  return true;
}

std::vector<std::string> splitLines(const std::string &text) {
  std::vector<std::string> lines;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

} // namespace

const char *kernelKindName(KernelKind kind) {
  switch (kind) {
  case KernelKind::Conv2D:
    return "Conv2D";
  case KernelKind::MaxPool2D:
    return "MaxPool2D";
  case KernelKind::AvgPool2D:
    return "AvgPool2D";
  case KernelKind::GlobalAvgPool:
    return "GlobalAvgPool";
  case KernelKind::ChannelAffine:
    return "ChannelAffine";
  case KernelKind::Add:
    return "Add";
  case KernelKind::Activation:
    return "Activation";
  case KernelKind::Concat:
    return "Concat";
  case KernelKind::Dense:
    return "Dense";
  case KernelKind::Softmax:
    return "Softmax";
  case KernelKind::Mul:
    return "Mul";
  case KernelKind::Transpose:
    return "Transpose";
  case KernelKind::LRN:
    return "LRN";
  case KernelKind::BatchNorm:
    return "BatchNorm";
  case KernelKind::SeparableConv2D:
    return "SeparableConv2D";
  case KernelKind::Pad:
    return "Pad";
  case KernelKind::InvertedResidual:
    return "InvertedResidual";
  case KernelKind::Reduce:
    return "Reduce";
  case KernelKind::PRelu:
    return "PRelu";
  case KernelKind::Resize:
    return "Resize";
  case KernelKind::ConvTranspose2D:
    return "ConvTranspose2D";
  case KernelKind::Slice:
    return "Slice";
  }
  return "unknown";
}

const char *reduceKindName(ReduceKind kind) {
  switch (kind) {
  case ReduceKind::Sum:
    return "sum";
  case ReduceKind::Mean:
    return "mean";
  case ReduceKind::Max:
    return "max";
  case ReduceKind::Min:
    return "min";
  }
  return "unknown";
}

bool parseReduceKind(const std::string &text, ReduceKind &out) {
  return parseByName(text, kAllReduceKinds, reduceKindName, out);
}

bool parseActivation(const std::string &text, Activation &out) {
  return parseByName(text, kAllActivations, activationName, out);
}

const char *resizeModeName(ResizeMode mode) {
  switch (mode) {
  case ResizeMode::Nearest:
    return "nearest";
  case ResizeMode::Linear:
    return "linear";
  case ResizeMode::Cubic:
    return "cubic";
  }
  return "unknown";
}

bool parseResizeMode(const std::string &text, ResizeMode &out) {
  return parseByName(text, kAllResizeModes, resizeModeName, out);
}

const char *coordModeName(CoordMode mode) {
  switch (mode) {
  case CoordMode::HalfPixel:
    return "half_pixel";
  case CoordMode::PytorchHalfPixel:
    return "pytorch_half_pixel";
  case CoordMode::AlignCorners:
    return "align_corners";
  case CoordMode::Asymmetric:
    return "asymmetric";
  case CoordMode::TfHalfPixelForNn:
    return "tf_half_pixel_for_nn";
  }
  return "unknown";
}

bool parseCoordMode(const std::string &text, CoordMode &out) {
  return parseByName(text, kAllCoordModes, coordModeName, out);
}

const char *nearestModeName(NearestMode mode) {
  switch (mode) {
  case NearestMode::RoundPreferFloor:
    return "round_prefer_floor";
  case NearestMode::RoundPreferCeil:
    return "round_prefer_ceil";
  case NearestMode::Floor:
    return "floor";
  case NearestMode::Ceil:
    return "ceil";
  }
  return "unknown";
}

bool parseNearestMode(const std::string &text, NearestMode &out) {
  return parseByName(text, kAllNearestModes, nearestModeName, out);
}

const char *padModeName(PadMode mode) {
  switch (mode) {
  case PadMode::Constant:
    return "constant";
  case PadMode::Edge:
    return "edge";
  case PadMode::Reflect:
    return "reflect";
  case PadMode::Wrap:
    return "wrap";
  }
  return "unknown";
}

bool parsePadMode(const std::string &text, PadMode &out) {
  return parseByName(text, kAllPadModes, padModeName, out);
}

const char *activationName(Activation act) {
  switch (act) {
  case Activation::None:
    return "none";
  case Activation::Relu:
    return "relu";
  case Activation::Clip:
    return "clip";
  case Activation::Sigmoid:
    return "sigmoid";
  case Activation::HardSigmoid:
    return "hard_sigmoid";
  case Activation::HardSwish:
    return "hard_swish";
  case Activation::LeakyRelu:
    return "leaky_relu";
  case Activation::Silu:
    return "silu";
  case Activation::Tanh:
    return "tanh";
  case Activation::Softplus:
    return "softplus";
  case Activation::Mish:
    return "mish";
  case Activation::Elu:
    return "elu";
  case Activation::Selu:
    return "selu";
  }
  return "unknown";
}

std::string KernelSpec::serialize() const {
  std::ostringstream os;
  os << "kind=" << kernelKindName(kind) << '\n';
  os << "name=" << name << '\n';
  os << "inputs=";
  for (size_t i = 0; i < inputShapes.size(); ++i) {
    if (i)
      os << ',';
    writeList(os, inputShapes[i]);
  }
  os << '\n';
  os << "output=";
  writeList(os, outputShape);
  os << "\nkernel=";
  writeList(os, kernel);
  os << "\nstrides=";
  writeList(os, strides);
  os << "\npads=";
  writeList(os, pads);
  os << "\ndilations=";
  writeList(os, dilations);
  os << "\ngroups=" << groups << '\n';
  if (weightBlock)
    os << "weight_block=" << weightBlock << '\n';
  if (winogradTile)
    os << "winograd_tile=" << winogradTile << '\n';
  if (blockedInputs)
    os << "blocked_inputs=" << blockedInputs << '\n';
  if (blockedOutput)
    os << "blocked_output=1\n";
  os << "count_include_pad=" << (countIncludePad ? 1 : 0) << '\n';
  os << "has_bias=" << (hasBias ? 1 : 0) << '\n';
  os << "has_residual=" << (hasResidual ? 1 : 0) << '\n';
  if (residualInPlace)
    os << "residual_in_place=1\n";
  if (zeroSkipPointwise)
    os << "zero_skip_pointwise=1\n";
  os << "activation=" << activationName(activation) << '\n';
  os << "clip_min=" << formatFloat(clipMin) << '\n';
  os << "clip_max=" << formatFloat(clipMax) << '\n';
  os << "axis=" << axis << '\n';
  os << "act_alpha=" << formatFloat(actAlpha) << '\n';
  os << "act_beta=" << formatFloat(actBeta) << '\n';
  os << "size=" << size << '\n';
  os << "alpha=" << formatFloat(alpha) << '\n';
  os << "beta=" << formatFloat(beta) << '\n';
  os << "bias=" << formatFloat(bias) << '\n';
  os << "epsilon=" << formatFloat(epsilon) << '\n';
  os << "perm=";
  writeList(os, perm);
  os << '\n';
  if (kind == KernelKind::InvertedResidual) {
    os << "ex_activation=" << activationName(exActivation) << '\n';
    os << "ex_act_param0=" << formatFloat(exActParam0) << '\n';
    os << "ex_act_param1=" << formatFloat(exActParam1) << '\n';
  }
  if (kind == KernelKind::SeparableConv2D ||
      kind == KernelKind::InvertedResidual) {
    os << "dw_activation=" << activationName(dwActivation) << '\n';
    os << "dw_act_param0=" << formatFloat(dwActParam0) << '\n';
    os << "dw_act_param1=" << formatFloat(dwActParam1) << '\n';
  }
  if (kind == KernelKind::Pad) {
    os << "pad_value=" << formatFloat(padValue) << '\n';
    // Only a non-constant mode is written, so the text (the cache key) of
    // a constant pad stays as it was before modes existed.
    if (padMode != PadMode::Constant)
      os << "pad_mode=" << padModeName(padMode) << '\n';
  }
  if (kind == KernelKind::Resize) {
    os << "resize_mode=" << resizeModeName(resizeMode) << '\n';
    os << "coord_mode=" << coordModeName(coordMode) << '\n';
    os << "nearest_mode=" << nearestModeName(nearestMode) << '\n';
    os << "resize_scales=" << formatFloatList(resizeScales) << '\n';
    if (resizeMode == ResizeMode::Cubic) {
      os << "cubic_coeff_a=" << formatFloat(cubicCoeffA) << '\n';
      os << "exclude_outside=" << (excludeOutside ? 1 : 0) << '\n';
    }
  }
  if (kind == KernelKind::Reduce) {
    os << "reduce=" << reduceKindName(reduce) << '\n';
    os << "axes=";
    writeList(os, axes);
    os << "\nkeepdims=" << (keepdims ? 1 : 0) << '\n';
  }
  if (kind == KernelKind::Slice) {
    os << "slice_starts=";
    writeList(os, sliceStarts);
    os << "\nslice_steps=";
    writeList(os, sliceSteps);
    os << '\n';
  }
  return os.str();
}

bool KernelSpec::parse(const std::string &text, KernelSpec &out,
                       std::string &error) {
  std::vector<std::string> lines = splitLines(text);
  for (size_t i = 0; i < lines.size(); ++i)
    if (lines[i] == "---") {
      error = lineError(i + 1, lines[i],
                        "separator in a single spec (use parseSpecs)");
      return false;
    }
  return parseLines(lines, 0, lines.size(), out, error);
}

std::string serializeSpecs(const std::vector<KernelSpec> &specs) {
  std::string text;
  for (const KernelSpec &spec : specs)
    text += spec.serialize() + "---\n";
  return text;
}

bool parseSpecs(const std::string &text, std::vector<KernelSpec> &out,
                std::string &error) {
  out.clear();
  std::vector<std::string> lines = splitLines(text);
  size_t begin = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != "---")
      continue;
    KernelSpec spec;
    if (!parseLines(lines, begin, i, spec, error))
      return false;
    out.push_back(std::move(spec));
    begin = i + 1;
  }
  // Anything after the last separator is a truncated spec, not a valid one.
  for (size_t i = begin; i < lines.size(); ++i)
    if (!lines[i].empty()) {
      error = lineError(i + 1, lines[i], "spec not terminated by '---'");
      return false;
    }
  return true;
}

} // namespace kiln
