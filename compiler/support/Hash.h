//===- Hash.h - Stable content hashes for cache keys ------------*- C++ -*-===//
//
// FNV-1a over bytes: stable across runs, builds and machines (unlike
// std::hash), which is what an on-disk cache key needs.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_SUPPORT_HASH_H
#define KILN_COMPILER_SUPPORT_HASH_H

#include <cstdint>
#include <cstdio>
#include <string>

namespace kiln {

inline uint64_t fnv1a(const std::string &text,
                      uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

/// The low `digits` hex digits of `v` (1..16).
inline std::string hexDigits(uint64_t v, int digits) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)v);
  return std::string(buf + 16 - digits);
}

} // namespace kiln

#endif // KILN_COMPILER_SUPPORT_HASH_H
