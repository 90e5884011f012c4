//===- ExternalData.cpp - Tensor bytes stored beside the model ------------===//
#include "compiler/onnx/ExternalData.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fstream>

using namespace kiln;

namespace {

bool parseUnsigned(llvm::StringRef text, uint64_t &value) {
  return !text.empty() && !text.getAsInteger(10, value);
}

/// Rejects locations that could name a file outside the model folder, before
/// touching the file system.
bool isConfinedRelativePath(llvm::StringRef location) {
  if (location.empty() || location.contains('\\') || location.contains(':') ||
      llvm::sys::path::is_absolute(location, llvm::sys::path::Style::posix) ||
      location.starts_with("/") || location.starts_with("~"))
    return false;
  for (auto
           it = llvm::sys::path::begin(location, llvm::sys::path::Style::posix),
           end = llvm::sys::path::end(location);
       it != end; ++it)
    if (*it == "..")
      return false;
  return true;
}

} // namespace

bool kiln::readExternalData(const onnx::TensorProto &tensor,
                            const std::string &modelDirectory,
                            uint64_t expectedBytes, std::vector<char> &bytes,
                            std::string &error) {
  auto fail = [&](const llvm::Twine &msg) {
    error = msg.str();
    return false;
  };
  std::string location;
  uint64_t offset = 0, length = 0;
  bool hasLength = false;
  for (const auto &entry : tensor.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset") {
      if (!parseUnsigned(entry.value(), offset))
        return fail("external data offset '" + entry.value() +
                    "' is not a non-negative integer");
    } else if (entry.key() == "length") {
      if (!parseUnsigned(entry.value(), length))
        return fail("external data length '" + entry.value() +
                    "' is not a non-negative integer");
      hasLength = true;
    }
  }
  if (location.empty())
    return fail("external data has no 'location'");
  if (!isConfinedRelativePath(location))
    return fail("external data location '" + location +
                "' is not a relative path inside the model's folder");
  if (hasLength && length != expectedBytes)
    return fail("external data length " + llvm::Twine(length) +
                " does not match the " + llvm::Twine(expectedBytes) +
                " bytes implied by the tensor's dims");

  llvm::SmallString<256> path(modelDirectory);
  llvm::sys::path::append(path, location);
  // Symbolic links could still lead out of the folder: compare real paths.
  llvm::SmallString<256> realDir, realFile;
  if (llvm::sys::fs::real_path(modelDirectory, realDir))
    return fail("cannot resolve the model folder '" + modelDirectory + "'");
  if (auto ec = llvm::sys::fs::real_path(path, realFile))
    return fail("cannot open external data file '" + location +
                "': " + ec.message());
  llvm::StringRef fileRef = realFile.str();
  if (!fileRef.starts_with(realDir) ||
      !llvm::sys::path::is_separator(fileRef[realDir.size()]))
    return fail("external data location '" + location +
                "' leads outside the model's folder");
  uint64_t fileSize = 0;
  if (auto ec = llvm::sys::fs::file_size(realFile, fileSize))
    return fail("cannot stat external data file '" + location +
                "': " + ec.message());
  if (offset > fileSize || expectedBytes > fileSize - offset)
    return fail("external data '" + location + "' at offset " +
                llvm::Twine(offset) + " with " + llvm::Twine(expectedBytes) +
                " bytes runs past the end of the file (" +
                llvm::Twine(fileSize) + " bytes)");

  std::ifstream in(std::string(realFile), std::ios::binary);
  if (!in)
    return fail("cannot open external data file '" + location + "'");
  bytes.resize(expectedBytes);
  in.seekg(static_cast<std::streamoff>(offset));
  if (expectedBytes &&
      !in.read(bytes.data(), static_cast<std::streamsize>(expectedBytes)))
    return fail("cannot read " + llvm::Twine(expectedBytes) +
                " bytes of external data from '" + location + "'");
  return true;
}
