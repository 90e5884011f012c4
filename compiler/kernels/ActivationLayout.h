//===- ActivationLayout.h - Channel-blocked activation tensors --*- C++ -*-===//
//
// The layout contract for activation tensors passed between kernels, shared
// by the kernelizer (which picks each tensor's layout and sizes its views,
// compiler/kernelize/ActivationLayouts.cpp) and the Halide backend (which
// reads and writes them, algorithms/Conv.cpp, WinogradConv.cpp,
// Pooling.cpp). Plain C++.
//
// A tensor is NCHW (the default, ONNX's order) or channel-blocked, NCHW16c:
// [N, C, H, W] stored as [N, C/16, H, W, 16], i.e. 16 channels of one pixel
// are one contiguous 64-byte line. Channel-vector convs (weight blocks of
// 16) compute exactly that: a register tile holds 16-channel vectors of a
// few pixels. Writing them to NCHW needs a transpose per output vector, and
// broadcasting a pixel tile's inputs from NCHW reads one line per input
// channel (256 lines, in 256 separate page streams, for a 256-channel
// input); blocked, the stores are whole vectors and a pixel tile's inputs
// are C/16 dense streams the hardware prefetcher follows.
//
// Kernel specs keep the logical NCHW shapes; KernelSpec::blockedInputs /
// blockedOutput say which arguments are blocked, and those arguments'
// buffers (and the kernel call's views) have the blocked shape below.
// Model inputs and outputs are always NCHW.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_KERNELS_ACTIVATIONLAYOUT_H
#define KILN_COMPILER_KERNELS_ACTIVATIONLAYOUT_H

#include <cstdint>
#include <vector>

namespace kiln {

/// Whether the kernelizer channel-blocks activations (`kiln compile
/// --layout=auto|blocked|nchw`). Blocked picks per tensor (kernelize/
/// ActivationLayouts.h) and runs inverted residual blocks on channel
/// vectors; Nchw keeps every tensor NCHW and the fused MobileNet kernels
/// in their pixel-vector forms. Auto is Blocked on x86 with AVX2 or AVX-512
/// and Nchw elsewhere (the driver resolves it, channelBlockedByDefault):
/// on an AVX2-only Zen 3 blocked ResNet-50's kernels were 22 % faster and
/// MobileNetV2 15 %; NEON is unmeasured (qemu only).
enum class ActivationLayoutMode { Auto, Blocked, Nchw };

/// Channels per block of a channel-blocked tensor (one AVX-512 vector).
constexpr int64_t kActivationBlock = 16;

/// Whether a tensor of logical shape `nchw` can be channel-blocked: 4-D
/// with whole blocks of channels (no padding channels to keep at zero).
inline bool blockableActivation(const std::vector<int64_t> &nchw) {
  return nchw.size() == 4 && nchw[1] > 0 && nchw[1] % kActivationBlock == 0;
}

/// [N, C, H, W] -> [N, C/16, H, W, 16].
inline std::vector<int64_t>
blockedActivationShape(const std::vector<int64_t> &nchw) {
  return {nchw[0], nchw[1] / kActivationBlock, nchw[2], nchw[3],
          kActivationBlock};
}

} // namespace kiln

#endif // KILN_COMPILER_KERNELS_ACTIVATIONLAYOUT_H
