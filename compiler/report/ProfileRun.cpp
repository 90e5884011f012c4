//===- ProfileRun.cpp - Measure per-kernel times of an executable ---------===//
#include "compiler/report/ProfileRun.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace kiln {

bool targetRunsOnHost(const std::string &target, std::string &why) {
  if (target == "host")
    return true;
#if defined(__x86_64__)
  if (target == "x86-64-linux-avx2") {
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
      return true;
    why = "this CPU lacks AVX2/FMA needed by target " + target;
    return false;
  }
  if (target == "x86-64-linux-avx512") {
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
      return true;
    why = "this CPU lacks AVX-512 needed by target " + target;
    return false;
  }
  why = "target " + target +
        " is not known to run on this x86-64 host "
        "(cross target)";
#else
  why = "target " + target +
        " is not known to run on this host "
        "(cross target)";
#endif
  return false;
}

bool parseKernelProfile(const std::string &text, size_t kernels,
                        KernelProfile &profile, std::string &error) {
  auto parsed = llvm::json::parse(text);
  if (!parsed) {
    error = "profile is not JSON: " + llvm::toString(parsed.takeError());
    return false;
  }
  const llvm::json::Object *root = parsed->getAsObject();
  const llvm::json::Array *list = root ? root->getArray("kernels") : nullptr;
  if (!list) {
    error = "profile has no \"kernels\" array";
    return false;
  }
  profile.runs = (int)root->getInteger("runs").value_or(0);
  profile.medianNs.assign(kernels, std::nullopt);
  for (const llvm::json::Value &v : *list) {
    const llvm::json::Object *k = v.getAsObject();
    auto index = k ? k->getInteger("index") : std::nullopt;
    auto median = k ? k->getNumber("median_ns") : std::nullopt;
    if (!index || !median || *index < 0 || (size_t)*index >= kernels) {
      error = "profile entry without a valid index / median_ns (the "
              "executable has a different kernel count than the plan?)";
      return false;
    }
    profile.medianNs[*index] = *median;
  }
  return true;
}

bool writeNpy(const std::string &path, const std::vector<int64_t> &shape,
              const std::vector<float> &data, std::string &error) {
  std::string dims;
  for (int64_t d : shape)
    dims += std::to_string(d) + ", ";
  if (shape.size() > 1)
    dims.resize(dims.size() - 2); // (1, 3) ; a 1-d shape keeps "(n, )"
  else if (shape.size() == 1)
    dims.resize(dims.size() - 1);
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  // Magic (6) + version (2) + length (2) + header + '\n', padded to 64.
  size_t total = 10 + header.size() + 1;
  header += std::string((64 - total % 64) % 64, ' ') + "\n";
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  uint16_t len = (uint16_t)header.size();
  char lenBytes[2] = {(char)(len & 0xff), (char)(len >> 8)};
  out.write(lenBytes, 2);
  out.write(header.data(), (std::streamsize)header.size());
  out.write(reinterpret_cast<const char *>(data.data()),
            (std::streamsize)(data.size() * sizeof(float)));
  if (!out) {
    error = "cannot write '" + path + "'";
    return false;
  }
  return true;
}

bool profileExecutable(const std::string &exe, const ModelPlan &plan,
                       const std::string &workDir, int repeat,
                       KernelProfile &profile, std::string &error) {
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<std::string> args = {exe};
  for (const ModelIO &in : plan.inputs) {
    size_t count = 1;
    for (int64_t d : in.shape)
      count *= (size_t)d;
    std::vector<float> data(count);
    for (float &x : data)
      x = dist(rng);
    std::string path =
        workDir + "/profile_input_" + std::to_string(args.size()) + ".npy";
    if (!writeNpy(path, in.shape, data, error))
      return false;
    args.push_back("--input");
    args.push_back(in.name + "=" + path);
  }
  std::string profilePath = workDir + "/profile.json";
  std::string logPath = workDir + "/profile.log";
  args.insert(args.end(),
              {"--repeat", std::to_string(repeat), "--profile", profilePath});
  std::vector<llvm::StringRef> argv(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {
      std::nullopt, llvm::StringRef(logPath), llvm::StringRef(logPath)};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(exe, argv, std::nullopt, redirects,
                                     /*SecondsToWait=*/600, 0, &message);
  if (rc != 0) {
    std::string log;
    if (auto buf = llvm::MemoryBuffer::getFile(logPath))
      log = (*buf)->getBuffer().take_back(500).str();
    error = "the profiling run of '" + exe + "' failed (exit " +
            std::to_string(rc) + ")" + (message.empty() ? "" : ": " + message) +
            (log.empty() ? "" : ": " + log);
    return false;
  }
  auto buf = llvm::MemoryBuffer::getFile(profilePath);
  if (!buf) {
    error = "the profiling run wrote no '" + profilePath + "'";
    return false;
  }
  return parseKernelProfile((*buf)->getBuffer().str(), plan.calls.size(),
                            profile, error);
}

} // namespace kiln
