//===- InputShapes.cpp - Graph input shapes given by the user -------------===//
#include "compiler/onnx/InputShapes.h"

#include <cerrno>
#include <cstdlib>

namespace kiln {

bool parseInputShape(const std::string &text, InputShape &out,
                     std::string &error) {
  out = InputShape();
  std::string dims = text;
  size_t eq = text.rfind('=');
  if (eq != std::string::npos) {
    out.name = text.substr(0, eq);
    dims = text.substr(eq + 1);
    if (out.name.empty()) {
      error = "'" + text + "' names no input before '='";
      return false;
    }
  }
  auto bad = [&](const std::string &why) {
    error = "'" + text + "': " + why +
            " (expected NAME=1x3x224x224 or 1x3x224x224)";
    return false;
  };
  if (dims.empty())
    return bad("no dims");
  size_t start = 0;
  while (start <= dims.size()) {
    size_t x = dims.find('x', start);
    std::string item =
        dims.substr(start, x == std::string::npos ? std::string::npos
                                                  : x - start);
    char *end = nullptr;
    errno = 0;
    long long d = item.empty() ? 0 : std::strtoll(item.c_str(), &end, 10);
    if (item.empty() || *end || errno == ERANGE || d <= 0 ||
        d > (1LL << 31))
      return bad("'" + item + "' is not a positive dimension");
    out.dims.push_back(d);
    if (x == std::string::npos)
      break;
    start = x + 1;
  }
  if (out.dims.size() > 8)
    return bad("more than 8 dims");
  return true;
}

std::string formatDims(const std::vector<int64_t> &dims) {
  std::string text;
  for (size_t i = 0; i < dims.size(); ++i)
    text += (i ? "x" : "") + std::to_string(dims[i]);
  return text;
}

} // namespace kiln
