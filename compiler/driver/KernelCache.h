//===- KernelCache.h - Compiled kernels keyed by what they are -*- C++ -*-===//
//
// An on-disk cache of kernel objects so an unchanged model (or a model that
// shares kernels with one compiled before) recompiles in seconds. A kernel's
// key covers its spec text, the Halide target string and the identity of the
// compiler binary (size and modification time), so rebuilding Kiln or
// changing Halide invalidates every entry.
//
// Location: $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else
// $HOME/.cache/kiln. KILN_CACHE_DIR=off disables it.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_DRIVER_KERNELCACHE_H
#define KILN_COMPILER_DRIVER_KERNELCACHE_H

#include "compiler/kernels/KernelSpec.h"

#include <string>

namespace kiln {

/// A C symbol for a spec derived from its content alone ("conv2d_1a2b..."),
/// so identical kernels share one object within and across models.
std::string contentKernelName(const KernelSpec &spec);

class KernelCache {
public:
  /// An enabled cache at the default location, or a disabled one.
  static KernelCache open(bool enabled);

  bool enabled() const { return !dir.empty(); }
  const std::string &directory() const { return dir; }

  /// The key of an object: spec, target and compiler identity.
  std::string key(const std::string &objectName,
                  const std::string &halideTarget) const;
  /// Copies the cached object for `key` to `dest`; false on a miss.
  bool fetch(const std::string &key, const std::string &dest) const;
  /// Stores `src` under `key` (atomically: concurrent compiles are safe).
  void store(const std::string &key, const std::string &src) const;

private:
  std::string dir;
  std::string toolIdentity;
};

} // namespace kiln

#endif // KILN_COMPILER_DRIVER_KERNELCACHE_H
