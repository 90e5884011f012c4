//===- KernelCache.cpp - Compiled kernels keyed by what they are ----------===//
#include "compiler/driver/KernelCache.h"

#include "compiler/support/Hash.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace kiln {
namespace {

std::string defaultDirectory() {
  if (const char *dir = std::getenv("KILN_CACHE_DIR"))
    return std::string(dir) == "off" ? "" : dir;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/kiln";
  if (const char *home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/kiln";
  return "";
}

} // namespace

std::string contentKernelName(const KernelSpec &spec) {
  KernelSpec unnamed = spec;
  unnamed.name.clear();
  std::string kind = kernelKindName(spec.kind);
  for (char &c : kind)
    c = (char)std::tolower((unsigned char)c);
  return kind + "_" + hexDigits(fnv1a(unnamed.serialize()), 12);
}

KernelCache KernelCache::open(bool enabled) {
  KernelCache cache;
  if (!enabled)
    return cache;
  std::string dir = defaultDirectory();
  if (dir.empty())
    return cache;
  std::error_code ec;
  fs::create_directories(dir + "/objects", ec);
  if (ec)
    return cache;
  struct stat st;
  if (stat("/proc/self/exe", &st) != 0)
    return cache; // no way to tell compiler builds apart: do not cache
  cache.dir = dir;
  cache.toolIdentity = std::to_string(st.st_size) + ":" +
                       std::to_string(st.st_mtim.tv_sec) + "." +
                       std::to_string(st.st_mtim.tv_nsec);
  return cache;
}

std::string KernelCache::key(const std::string &objectName,
                             const std::string &halideTarget) const {
  return objectName + "-" +
         hexDigits(fnv1a(objectName + "\n" + halideTarget + "\n" + toolIdentity),
             16);
}

bool KernelCache::fetch(const std::string &key,
                        const std::string &dest) const {
  if (!enabled())
    return false;
  std::error_code ec;
  fs::copy_file(dir + "/objects/" + key + ".o", dest,
                fs::copy_options::overwrite_existing, ec);
  return !ec;
}

void KernelCache::store(const std::string &key, const std::string &src) const {
  if (!enabled())
    return;
  std::string final = dir + "/objects/" + key + ".o";
  std::string tmp = final + ".tmp" + std::to_string(getpid());
  std::error_code ec;
  fs::copy_file(src, tmp, fs::copy_options::overwrite_existing, ec);
  if (!ec)
    fs::rename(tmp, final, ec);
  if (ec)
    fs::remove(tmp, ec);
}

} // namespace kiln
