//===- TextFile.h - Write a whole file --------------------------*- C++ -*-===//
#ifndef KILN_COMPILER_SUPPORT_TEXTFILE_H
#define KILN_COMPILER_SUPPORT_TEXTFILE_H

#include <fstream>
#include <string>

namespace kiln {

/// Writes `text` to `path` (binary, replacing it); false with `error` set
/// ("cannot write '<path>'") on failure.
inline bool writeTextFile(const std::string &path, const std::string &text,
                          std::string &error) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), (std::streamsize)text.size());
  if (!out) {
    error = "cannot write '" + path + "'";
    return false;
  }
  return true;
}

} // namespace kiln

#endif // KILN_COMPILER_SUPPORT_TEXTFILE_H
