//===- TestUtil.h - Tensors and a JIT runner for tests ----------*- C++ -*-===//
//
// Test-only helpers: a dense NCHW tensor, seeded random data, the tolerance
// check, and a runner that JIT-realizes a spec's pipeline on the host.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_HALIDE_TESTUTIL_H
#define KILN_TESTS_HALIDE_TESTUTIL_H

#include "compiler/halide/PipelineBuilder.h"
#include "compiler/kernelize/WeightPacking.h"
#include "compiler/kernels/ActivationLayout.h"
#include "compiler/kernels/ConvWeightLayout.h"
#include "compiler/kernels/KernelSpec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace kiln::test {

/// Dense row-major tensor in ONNX order.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> data;

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> s) : shape(std::move(s)) {
    data.assign(numel(), 0.0f);
  }
  size_t numel() const {
    size_t n = 1;
    for (int64_t d : shape)
      n *= (size_t)d;
    return n;
  }
  /// Flat offset of a full ONNX index.
  size_t offset(const std::vector<int64_t> &idx) const {
    size_t off = 0;
    for (size_t i = 0; i < shape.size(); ++i)
      off = off * (size_t)shape[i] + (size_t)idx[i];
    return off;
  }
  float &at(const std::vector<int64_t> &idx) { return data[offset(idx)]; }
  float at(const std::vector<int64_t> &idx) const { return data[offset(idx)]; }
  float &at4(int64_t n, int64_t c, int64_t h, int64_t w) {
    return data[((n * shape[1] + c) * shape[2] + h) * shape[3] + w];
  }
  float at4(int64_t n, int64_t c, int64_t h, int64_t w) const {
    return data[((n * shape[1] + c) * shape[2] + h) * shape[3] + w];
  }
};

inline Tensor randomTensor(std::vector<int64_t> shape, std::mt19937 &rng,
                           float lo = -1.0f, float hi = 1.0f) {
  Tensor t(std::move(shape));
  std::uniform_real_distribution<float> dist(lo, hi);
  for (float &v : t.data)
    v = dist(rng);
  return t;
}

/// Unravels a flat offset into an ONNX index.
inline std::vector<int64_t> unravel(size_t flat,
                                    const std::vector<int64_t> &shape) {
  std::vector<int64_t> idx(shape.size());
  for (size_t i = shape.size(); i-- > 0;) {
    idx[i] = (int64_t)(flat % (size_t)shape[i]);
    flat /= (size_t)shape[i];
  }
  return idx;
}

inline float applyAct(const KernelSpec &spec, float v) {
  switch (spec.activation) {
  case Activation::None:
    return v;
  case Activation::Relu:
    return v > 0 ? v : 0;
  case Activation::Clip:
    return std::fmin(std::fmax(v, spec.clipMin), spec.clipMax);
  case Activation::Sigmoid:
    return 1.0f / (1.0f + std::exp(-v));
  case Activation::HardSigmoid:
    return std::fmax(0.0f, std::fmin(1.0f, spec.actAlpha * v + spec.actBeta));
  case Activation::HardSwish:
    return v * std::fmax(0.0f, std::fmin(1.0f, v / 6.0f + 0.5f));
  case Activation::LeakyRelu:
    return v < 0 ? spec.actAlpha * v : v;
  case Activation::Silu:
    return (float)(v / (1.0 + std::exp(-(double)v)));
  case Activation::Tanh:
    return (float)std::tanh((double)v);
  case Activation::Softplus:
    return (float)std::log1p(std::exp((double)v));
  case Activation::Mish:
    return (float)(v * std::tanh(std::log1p(std::exp((double)v))));
  case Activation::Elu:
    return v < 0 ? (float)(spec.actAlpha * std::expm1((double)v)) : v;
  case Activation::Selu:
    return (float)(spec.actBeta *
                   (v <= 0 ? spec.actAlpha * std::expm1((double)v) : v));
  }
  return v;
}

/// NCHW -> channel-blocked [N, C/16, H, W, 16] (kernels/ActivationLayout.h),
/// element by element: the kernels' layout contract, independently of them.
inline Tensor toChannelBlocked(const Tensor &x) {
  Tensor b(blockedActivationShape(x.shape));
  const int64_t B = kActivationBlock;
  for (int64_t n = 0; n < x.shape[0]; ++n)
    for (int64_t c = 0; c < x.shape[1]; ++c)
      for (int64_t h = 0; h < x.shape[2]; ++h)
        for (int64_t w = 0; w < x.shape[3]; ++w)
          b.at({n, c / B, h, w, c % B}) = x.at4(n, c, h, w);
  return b;
}

/// Channel-blocked -> NCHW (the inverse of toChannelBlocked).
inline Tensor fromChannelBlocked(const Tensor &b) {
  const int64_t B = kActivationBlock;
  Tensor x({b.shape[0], b.shape[1] * B, b.shape[2], b.shape[3]});
  for (int64_t n = 0; n < x.shape[0]; ++n)
    for (int64_t c = 0; c < x.shape[1]; ++c)
      for (int64_t h = 0; h < x.shape[2]; ++h)
        for (int64_t w = 0; w < x.shape[3]; ++w)
          x.at4(n, c, h, w) = b.at({n, c / B, h, w, c % B});
  return x;
}

/// Kernel argument i (OIHW weights) packed in blocks of `block` output
/// channels (ConvWeightLayout.h), as the kernelizer does; the spec's shape
/// for it updated.
inline void packWeightArgument(KernelSpec &spec, std::vector<Tensor> &args,
                               size_t i, int64_t block) {
  Tensor packed(packedConvWeightShape(args[i].shape, block));
  packed.data = packConvWeights(args[i].data, args[i].shape, block);
  ASSERT_EQ(packed.data.size(), packed.numel());
  args[i] = std::move(packed);
  spec.inputShapes[i] = args[i].shape;
}

/// A Halide target with AVX2's 8-lane vectors and 16 registers: the
/// schedules of that register file, tested on AVX-512 hosts too (where
/// the host target would pick the 32-register ones); check
/// hostRunsAvx2() first.
inline const char *const kAvx2Target = "x86-64-linux-avx-avx2-f16c-fma-sse41";

/// A Halide target with AVX-512's 16-lane vectors and 32 registers (the
/// schedules `--target=x86-64-linux-avx512` compiles); check
/// hostRunsAvx512() first.
inline const char *const kAvx512Target =
    "x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41";

/// kAvx512Target tuned for AMD Zen 4 (AVX-512 on 256-bit units: the
/// schedules for half-rate wide vectors); check hostRunsAvx512() first.
inline const char *const kZen4Avx512Target =
    "x86-64-linux-tune_znver4-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41";

/// Whether the host can run code scheduled for kAvx512Target.
inline bool hostRunsAvx512() {
  Halide::Target host = Halide::get_host_target();
  return host.has_feature(Halide::Target::AVX512_Skylake);
}

/// Whether the host can run code scheduled for kAvx2Target.
inline bool hostRunsAvx2() {
  Halide::Target host = Halide::get_host_target();
  return host.has_feature(Halide::Target::AVX2) &&
         host.has_feature(Halide::Target::FMA);
}

/// JIT-compiles the spec for the host and runs it on `inputs` (given in
/// their buffer layouts; a channel-blocked output comes back blocked).
/// `outputOverInput` >= 0: the kernel writes its output over that input
/// (same buffer, as the arena plan does for KernelSpec::residualInPlace).
/// `targetName` (a Halide target string) schedules for that target instead
/// of the host's, e.g. AVX2's 8-lane vectors and 16 registers on an AVX-512
/// host; the caller checks that the host can run it.
inline Tensor runJit(const KernelSpec &spec, const std::vector<Tensor> &inputs,
                     int outputOverInput = -1,
                     const std::string &targetName = "") {
  BuiltPipeline built;
  std::string error;
  Halide::Target target = targetName.empty()
                              ? Halide::get_jit_target_from_environment()
                              : Halide::Target(targetName);
  if (!buildPipeline(spec, target, built, error)) {
    ADD_FAILURE() << error;
    return Tensor();
  }
  Tensor out(spec.blockedOutput ? blockedActivationShape(spec.outputShape)
                                : spec.outputShape);
  // NaN everywhere first: an output element the schedule never writes
  // fails the comparison instead of passing as a zero.
  std::fill(out.data.begin(), out.data.end(),
            std::numeric_limits<float>::quiet_NaN());
  if (outputOverInput >= 0) {
    const Tensor &shared = inputs[outputOverInput];
    if (shared.shape != out.shape) {
      ADD_FAILURE() << "the shared input's shape differs from the output's";
      return Tensor();
    }
    out.data = shared.data;
  }
  std::vector<Halide::Buffer<float>> keep;
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::vector<int> sizes(inputs[i].shape.rbegin(), inputs[i].shape.rend());
    float *data = (int)i == outputOverInput
                      ? out.data.data()
                      : const_cast<float *>(inputs[i].data.data());
    keep.emplace_back(data, sizes);
    built.inputs[i].set(keep.back());
  }
  std::vector<int> sizes(out.shape.rbegin(), out.shape.rend());
  Halide::Buffer<float> outBuf(out.data.data(), sizes);
  built.pipeline.realize(outBuf, target);
  return out;
}

/// Lowers `spec`'s kernel for `targetName` (empty: the host) and calls
/// `visit` with every lowered function (each parallel loop's body is a
/// function of its own, its task index the second argument); false (and a
/// test failure) when the spec does not build.
inline bool forEachLoweredFunction(
    const KernelSpec &spec, const std::string &targetName,
    const std::function<void(const Halide::Internal::LoweredFunc &)> &visit) {
  BuiltPipeline built;
  std::string error;
  Halide::Target t = targetName.empty() ? Halide::get_host_target()
                                        : Halide::Target(targetName);
  if (!buildPipeline(spec, t, built, error)) {
    ADD_FAILURE() << error;
    return false;
  }
  Halide::Module m = built.pipeline.compile_to_module(
      built.arguments, spec.name, t.with_feature(Halide::Target::NoRuntime));
  for (const Halide::Internal::LoweredFunc &f : m.functions())
    visit(f);
  return true;
}

/// Runs `visitor` over every lowered function body of `spec`'s kernel (as
/// forEachLoweredFunction), to inspect the generated statement.
inline bool visitLoweredKernel(const KernelSpec &spec,
                               const std::string &targetName,
                               Halide::Internal::IRVisitor &visitor) {
  return forEachLoweredFunction(
      spec, targetName,
      [&](const Halide::Internal::LoweredFunc &f) { f.body.accept(&visitor); });
}

/// Loops over a task's output rows (a loop named ...yi) that `spec`'s
/// kernel, lowered for `targetName`, runs inside a branch on its task
/// index alone: tasks split off as a parallel loop's prologue or epilogue,
/// whose inner loops Halide no longer partitions (parallelTasks,
/// compiler/halide/schedules/Schedule.h). -1 when the spec does not build.
inline int rowLoopsInTaskBranches(const KernelSpec &spec,
                                  const std::string &targetName) {
  using namespace Halide::Internal;
  struct VariableNames : IRVisitor {
    using IRVisitor::visit;
    std::set<std::string> names;
    void visit(const Variable *op) override { names.insert(op->name); }
  };
  struct Find : IRVisitor {
    using IRVisitor::visit;
    std::set<std::string> fromTask; // the task index and lets of it alone
    int branches = 0, rowLoops = 0;
    bool onTaskAlone(const Halide::Expr &e) const {
      VariableNames v;
      e.accept(&v);
      if (v.names.empty())
        return false;
      for (const std::string &n : v.names)
        if (!fromTask.count(n))
          return false;
      return true;
    }
    void visit(const LetStmt *op) override {
      if (onTaskAlone(op->value))
        fromTask.insert(op->name);
      IRVisitor::visit(op);
    }
    void visit(const IfThenElse *op) override {
      bool onTask = onTaskAlone(op->condition);
      branches += onTask;
      IRVisitor::visit(op);
      branches -= onTask;
    }
    void visit(const For *op) override {
      const std::string &n = op->name;
      if (branches > 0 && n.size() > 3 &&
          (n.compare(n.size() - 3, 3, ".yi") == 0 ||
           n.find(".yi.") != std::string::npos))
        ++rowLoops;
      IRVisitor::visit(op);
    }
  } find;
  bool built =
      forEachLoweredFunction(spec, targetName, [&](const LoweredFunc &f) {
        if (f.name.find("par_for") == std::string::npos || f.args.size() < 2)
          return;
        find.fromTask = {f.args[1].name};
        f.body.accept(&find);
      });
  return built ? find.rowLoops : -1;
}

/// buildPipeline must reject `spec` with a message containing `expected`.
inline void expectSpecError(const KernelSpec &spec,
                            const std::string &expected) {
  BuiltPipeline built;
  std::string error;
  EXPECT_FALSE(buildPipeline(spec, Halide::get_host_target(), built, error));
  EXPECT_NE(error.find(expected), std::string::npos) << error;
}

/// |got - want| <= 1e-4 + 1e-3 |want| everywhere (an infinity must match
/// exactly: an empty max-pool window is -inf); reports the first misses.
inline void expectClose(const Tensor &got, const Tensor &want) {
  ASSERT_EQ(got.shape, want.shape);
  int reported = 0, bad = 0;
  for (size_t i = 0; i < want.data.size(); ++i) {
    float g = got.data[i], w = want.data[i];
    // The tolerance of an infinite want is infinite: compare those exactly.
    bool ok = std::isinf(w) || std::isinf(g)
                  ? g == w
                  : std::fabs(g - w) <= 1e-4f + 1e-3f * std::fabs(w);
    if (!ok) {
      ++bad;
      if (reported++ < 5)
        ADD_FAILURE() << "element " << i << ": got " << g << ", want " << w;
    }
  }
  EXPECT_EQ(bad, 0) << "of " << want.data.size() << " elements";
}

} // namespace kiln::test

#endif // KILN_TESTS_HALIDE_TESTUTIL_H
