//===- kernel_bench.cpp - Single-kernel Conv2D micro-benchmark ------------===//
//
// JIT-compiles one Conv2D KernelSpec per realistic ResNet-50 / MobileNet
// shape for the host, runs it single-threaded and prints the median time
// and best time, GFLOP/s (2 * MACs / median time) and its share of a given
// FMA peak (benchmarks/peak_probe.cpp), plus the median process CPU time:
// on a shared machine the wall time includes time the kernel was not
// running, the CPU time does not (--cpu bases GFLOP/s on it instead).
//
//   kiln-kernel-bench [--peak GFLOPS] [--runs N] [--filter SUBSTR] [--oihw]
//                     [--cpu] [--asm PREFIX] [--block B] [--winograd]
//                     [--threads N] [--compare-block B] [--cold-weights]
//                     [--blocked]
//
// --asm writes PREFIX<n>.s and PREFIX<n>.stmt (Halide's assembly and lowered
// statement) for the n-th benchmarked kernel, to check the inner loops.
//
// Dense convs read their weights pre-packed like the kernelizer stores them
// (compiler/kernels/ConvWeightLayout.h); --oihw keeps plain OIHW weights,
// --block B forces blocks of B for dense convs (8: pixel vectors, 16:
// channel vectors).
//
// --compare-block B also times each dense conv with weight blocks of B (8:
// pixel vectors, 16: channel vectors), interleaved run by run with the
// kernelizer's choice.
//
// --blocked also times each channel-vector conv (weight blocks of 16) with
// channel-blocked activations (compiler/kernels/ActivationLayout.h): the
// output, and the input where the conv reads it in place (unpadded).
//
// --cold-weights evicts the weights (and bias) from every cache level
// (clflush) before each timed run, as inside a network, where a layer's
// weights were last touched one inference ago: the gap between the two
// rows is what the kernel loses to fetching its weights.
//
// --winograd also times each dense 3x3 stride-1 conv as Winograd F(2x2, 3x3)
// and F(4x4, 3x3) (compiler/kernels/WinogradLayout.h), interleaved with the
// direct conv run by run so machine noise hits all variants alike; GFLOP/s
// always counts the direct convolution's FLOPs (2 * MACs), so the rows are
// comparable ("effective" GFLOP/s for Winograd). The `rule` column marks
// the variant the kernelizer's rule (winogradTileFor) picks.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/KernelCompiler.h"
#include "compiler/halide/PipelineBuilder.h"
#include "compiler/halide/RunThreads.h"
#include "compiler/kernels/ActivationLayout.h"
#include "compiler/kernels/ConvWeightLayout.h"
#include "compiler/kernels/PointwiseFlattening.h"
#include "compiler/kernels/WinogradLayout.h"

#include <algorithm>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

using namespace kiln;

namespace {

struct ConvShape {
  const char *label;
  int64_t C, H, W, M, K, stride, pad, groups;
};

// ResNet-50 layers plus MobileNetV2-style depthwise ones.
const ConvShape kShapes[] = {
    {"3x3 64->64 56x56", 64, 56, 56, 64, 3, 1, 1, 1},
    {"3x3 128->128 28x28", 128, 28, 28, 128, 3, 1, 1, 1},
    {"3x3 256->256 14x14", 256, 14, 14, 256, 3, 1, 1, 1},
    {"3x3 512->512 7x7", 512, 7, 7, 512, 3, 1, 1, 1},
    {"3x3 64->192 56x56 (GoogLeNet)", 64, 56, 56, 192, 3, 1, 1, 1},
    {"3x3 96->128 28x28 (GoogLeNet)", 96, 28, 28, 128, 3, 1, 1, 1},
    {"3x3 128->192 28x28 (GoogLeNet)", 128, 28, 28, 192, 3, 1, 1, 1},
    {"3x3 112->224 14x14 (GoogLeNet)", 112, 14, 14, 224, 3, 1, 1, 1},
    {"3x3 160->320 7x7 (GoogLeNet)", 160, 7, 7, 320, 3, 1, 1, 1},
    {"5x5 16->32 28x28 (GoogLeNet)", 16, 28, 28, 32, 5, 1, 2, 1},
    {"5x5 32->96 28x28 (GoogLeNet)", 32, 28, 28, 96, 5, 1, 2, 1},
    {"5x5 16->48 14x14 (GoogLeNet)", 16, 14, 14, 48, 5, 1, 2, 1},
    {"5x5 32->128 14x14 (GoogLeNet)", 32, 14, 14, 128, 5, 1, 2, 1},
    {"5x5 48->128 7x7 (GoogLeNet)", 48, 7, 7, 128, 5, 1, 2, 1},
    {"3x3 s2 128->128 56x56", 128, 56, 56, 128, 3, 2, 1, 1},
    {"3x3 s2 256->256 28x28", 256, 28, 28, 256, 3, 2, 1, 1},
    {"3x3 s2 512->512 14x14", 512, 14, 14, 512, 3, 2, 1, 1},
    {"1x1 256->64 56x56", 256, 56, 56, 64, 1, 1, 0, 1},
    {"1x1 64->256 56x56", 64, 56, 56, 256, 1, 1, 0, 1},
    {"1x1 64->64 56x56", 64, 56, 56, 64, 1, 1, 0, 1},
    {"1x1 s2 256->512 56x56", 256, 56, 56, 512, 1, 2, 0, 1},
    {"1x1 128->512 28x28", 128, 28, 28, 512, 1, 1, 0, 1},
    {"1x1 512->128 28x28", 512, 28, 28, 128, 1, 1, 0, 1},
    {"1x1 1024->256 14x14", 1024, 14, 14, 256, 1, 1, 0, 1},
    {"1x1 2048->512 7x7", 2048, 7, 7, 512, 1, 1, 0, 1},
    {"1x1 64->384 14x14 (MobileNetV2)", 64, 14, 14, 384, 1, 1, 0, 1},
    {"1x1 96->576 14x14 (MobileNetV2)", 96, 14, 14, 576, 1, 1, 0, 1},
    {"1x1 256->1024 14x14", 256, 14, 14, 1024, 1, 1, 0, 1},
    {"1x1 480->192 14x14 (GoogLeNet)", 480, 14, 14, 192, 1, 1, 0, 1},
    {"1x1 512->112 14x14 (GoogLeNet)", 512, 14, 14, 112, 1, 1, 0, 1},
    {"1x1 832->256 7x7 (GoogLeNet)", 832, 7, 7, 256, 1, 1, 0, 1},
    {"1x1 160->960 7x7 (MobileNetV2)", 160, 7, 7, 960, 1, 1, 0, 1},
    {"1x1 320->1280 7x7 (MobileNetV2)", 320, 7, 7, 1280, 1, 1, 0, 1},
    {"1x1 s2 512->1024 28x28", 512, 28, 28, 1024, 1, 2, 0, 1},
    {"stem 7x7 s2 3->64 224x224", 3, 224, 224, 64, 7, 2, 3, 1},
    {"stem 3x3 s2 3->32 224x224 (MobileNetV2)", 3, 224, 224, 32, 3, 2, 1, 1},
    {"stem 3x3 s2 3->24 224x224 (ShuffleNetV2)", 3, 224, 224, 24, 3, 2, 1, 1},
    {"dw 3x3 32ch 112x112", 32, 112, 112, 32, 3, 1, 1, 32},
    {"dw 3x3 s2 96ch 112x112", 96, 112, 112, 96, 3, 2, 1, 96},
    {"dw 3x3 144ch 56x56", 144, 56, 56, 144, 3, 1, 1, 144},
    {"dw 3x3 192ch 28x28", 192, 28, 28, 192, 3, 1, 1, 192},
    {"dw 3x3 576ch 14x14", 576, 14, 14, 576, 3, 1, 1, 576},
    {"dw 5x5 240ch 28x28", 240, 28, 28, 240, 5, 1, 2, 240},
    {"dw 3x3 960ch 7x7", 960, 7, 7, 960, 3, 1, 1, 960},
};

KernelSpec specFor(const ConvShape &s, bool packWeights, int64_t block) {
  KernelSpec spec;
  spec.kind = KernelKind::Conv2D;
  spec.name = "bench_conv";
  spec.kernel = {s.K, s.K};
  spec.strides = {s.stride, s.stride};
  spec.pads = {s.pad, s.pad, s.pad, s.pad};
  spec.groups = s.groups;
  spec.hasBias = true;
  spec.activation = Activation::Relu;
  int64_t OH = (s.H + 2 * s.pad - s.K) / s.stride + 1;
  int64_t OW = (s.W + 2 * s.pad - s.K) / s.stride + 1;
  spec.inputShapes = {
      {1, s.C, s.H, s.W}, {s.M, s.C / s.groups, s.K, s.K}, {s.M}};
  spec.outputShape = {1, s.M, OH, OW};
  // As the kernelizer does for constant weights (the values are random
  // either way, so there is nothing to rearrange).
  if (packWeights)
    spec.weightBlock =
        block >= 0 ? block
                   : convWeightBlockFor(s.M, s.C / s.groups, s.groups, OH * OW,
                                        s.K * s.K, s.stride != 1);
  if (spec.weightBlock)
    spec.inputShapes[1] =
        packedConvWeightShape(spec.inputShapes[1], spec.weightBlock);
  // As the kernelizer views 1x1 stride-1 convs: images as single rows.
  if (flattensPointwiseConv(spec))
    flattenPointwiseConv(spec);
  return spec;
}

/// One way to run a shape: the direct conv or a Winograd variant.
struct Variant {
  std::string label;
  KernelSpec spec;
  BuiltPipeline built;
  std::vector<Halide::Buffer<float>> inputs;
  std::vector<double> times, cpuTimes;
  Halide::Buffer<float> out;
  bool picked = false;
};

double macs(const ConvShape &s, const KernelSpec &spec) {
  const auto &y = spec.outputShape;
  return (double)y[0] * y[1] * y[2] * y[3] * (s.C / s.groups) * s.K * s.K;
}

/// Evicts a buffer from every cache level (x86: clflush per line).
void evictFromCaches(const Halide::Buffer<float> &b) {
#if defined(__x86_64__)
  const char *p = reinterpret_cast<const char *>(b.data());
  size_t bytes = b.size_in_bytes();
  for (size_t i = 0; i < bytes; i += 64)
    _mm_clflush(p + i);
  _mm_mfence();
#else
  (void)b;
#endif
}

double cpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

Halide::Buffer<float> randomBuffer(const std::vector<int64_t> &onnxShape,
                                   std::mt19937 &rng) {
  std::vector<int> sizes(onnxShape.rbegin(), onnxShape.rend());
  Halide::Buffer<float> b(sizes);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  b.for_each_value([&](float &v) { v = dist(rng); });
  return b;
}

} // namespace

int main(int argc, char **argv) {
  double peak = 0;
  int runs = 20;
  std::string filter;
  bool packWeights = true, useCpuTime = false, winograd = false;
  bool coldWeights = false, blocked = false;
  std::string asmPrefix;
  int64_t compareBlock = 0;
  int64_t block = -1;
  std::string threads = "1";
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--peak") && i + 1 < argc)
      peak = atof(argv[++i]);
    else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
      runs = std::max(1, atoi(argv[++i]));
    else if (!strcmp(argv[i], "--filter") && i + 1 < argc)
      filter = argv[++i];
    else if (!strcmp(argv[i], "--oihw"))
      packWeights = false;
    else if (!strcmp(argv[i], "--cpu"))
      useCpuTime = true;
    else if (!strcmp(argv[i], "--asm") && i + 1 < argc)
      asmPrefix = argv[++i];
    else if (!strcmp(argv[i], "--block") && i + 1 < argc)
      block = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--compare-block") && i + 1 < argc)
      compareBlock = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--blocked"))
      blocked = true;
    else if (!strcmp(argv[i], "--cold-weights"))
      coldWeights = true;
    else if (!strcmp(argv[i], "--winograd"))
      winograd = true;
    else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = std::to_string(std::max(1, atoi(argv[++i])));
    else {
      fprintf(stderr,
              "usage: %s [--peak GFLOPS] [--runs N] [--filter S] [--oihw] "
              "[--cpu] [--asm PREFIX] [--block B] [--winograd] [--threads N] "
              "[--compare-block B] [--cold-weights] [--blocked]\n",
              argv[0]);
      return 2;
    }
  }
  // One thread by default: the comparison is per-core efficiency (--threads
  // N checks how a kernel scales; % of peak is then of one core's peak).
  setenv("HL_NUM_THREADS", threads.c_str(), 1);
  // Kernels that split by the run's thread count (RunThreads.h) see N too.
  kiln::setJitRunThreads(atoi(threads.c_str()));
  Halide::Target target = Halide::get_jit_target_from_environment();
  printf("target %s, %d runs, median, %s%s weights, %s thread(s)\n",
         target.to_string().c_str(), runs, coldWeights ? "cold " : "",
         packWeights ? "packed" : "OIHW", threads.c_str());
  printf("%-32s %9s %9s %9s %9s %7s\n", "kernel", "median ms", "best ms",
         "cpu ms", "GFLOP/s", "%peak");
  std::mt19937 rng(1);
  int benchmarked = 0;
  for (const ConvShape &s : kShapes) {
    if (!filter.empty() &&
        std::string(s.label).find(filter) == std::string::npos)
      continue;
    // The direct conv, then (--winograd) its Winograd variants.
    std::vector<Variant> variants(1);
    variants[0].label = s.label;
    variants[0].spec = specFor(s, packWeights, s.groups == 1 ? block : -1);
    int64_t ruleTile = 0;
    if (winograd && packWeights &&
        winogradApplies(s.groups, {s.K, s.K}, {s.stride, s.stride}, {1, 1},
                        {s.pad, s.pad, s.pad, s.pad})) {
      const auto &y = variants[0].spec.outputShape;
      ruleTile =
          winogradTileFor(s.C, s.M, y[2], y[3], s.K,
                          vectorRegistersOf(target.to_string()), s.stride);
      for (int64_t tile : {2, 4}) {
        if (!winogradTransformExists(tile, s.K, s.stride))
          continue;
        Variant v;
        v.label = std::string("  winograd F(") + std::to_string(tile) + "," +
                  std::to_string(s.K) + ")";
        v.spec = variants[0].spec;
        v.spec.weightBlock = kWinogradBlock;
        v.spec.winogradTile = tile;
        v.spec.inputShapes[1] =
            winogradWeightShape(s.M, s.C, tile, s.K, s.stride);
        v.picked = tile == ruleTile;
        variants.push_back(v);
      }
    }
    variants[0].picked = winograd && ruleTile == 0;
    if (compareBlock && s.groups == 1 && packWeights) {
      Variant v;
      v.label = "  weight block " + std::to_string(compareBlock);
      v.spec = specFor(s, packWeights, compareBlock);
      variants.push_back(v);
    }
    const KernelSpec &direct = variants[0].spec;
    if (blocked && direct.weightBlock == kConvChannelVectorBlock &&
        blockableActivation(direct.outputShape)) {
      Variant v;
      v.label = "  channel-blocked";
      v.spec = direct;
      v.spec.blockedOutput = true;
      bool unpadded = direct.pads == std::vector<int64_t>{0, 0, 0, 0};
      if (unpadded && blockableActivation(direct.inputShapes[0]))
        v.spec.blockedInputs = 1;
      variants.push_back(v);
    }
    for (Variant &v : variants) {
      std::string error;
      if (!buildPipeline(v.spec, target, v.built, error)) {
        fprintf(stderr, "%s\n", error.c_str());
        return 1;
      }
      for (size_t i = 0; i < v.spec.inputShapes.size(); ++i) {
        const auto &shape = v.spec.inputShapes[i];
        v.inputs.push_back(randomBuffer(
            v.spec.inputBlocked(i) ? blockedActivationShape(shape) : shape,
            rng));
        v.built.inputs[i].set(v.inputs.back());
      }
      if (!asmPrefix.empty()) {
        std::string base = asmPrefix + std::to_string(benchmarked);
        v.built.pipeline.compile_to_assembly(base + ".s", v.built.arguments,
                                             "bench_conv", target);
        v.built.pipeline.compile_to_lowered_stmt(
            base + ".stmt", v.built.arguments, Halide::StmtOutputFormat::Text,
            target);
      }
      ++benchmarked;
      v.built.pipeline.compile_jit(target);
      std::vector<int64_t> outShape =
          v.spec.blockedOutput ? blockedActivationShape(v.spec.outputShape)
                               : v.spec.outputShape;
      std::vector<int> outSizes(outShape.rbegin(), outShape.rend());
      v.out = Halide::Buffer<float>(outSizes);
      v.built.pipeline.realize(v.out, target); // Warm-up (and first-touch).
    }
    // Interleaved: run r of every variant before run r + 1 of any.
    for (int r = 0; r < runs; ++r)
      for (Variant &v : variants) {
        if (coldWeights)
          for (size_t i = 1; i < v.inputs.size(); ++i)
            evictFromCaches(v.inputs[i]);
        double c0 = cpuSeconds();
        auto t0 = std::chrono::steady_clock::now();
        v.built.pipeline.realize(v.out, target);
        auto t1 = std::chrono::steady_clock::now();
        v.cpuTimes.push_back(cpuSeconds() - c0);
        v.times.push_back(std::chrono::duration<double>(t1 - t0).count());
      }
    for (Variant &v : variants) {
      std::sort(v.times.begin(), v.times.end());
      std::sort(v.cpuTimes.begin(), v.cpuTimes.end());
      double t = v.times[v.times.size() / 2], best = v.times.front();
      double cpu = v.cpuTimes[v.cpuTimes.size() / 2];
      // Direct-convolution FLOPs for every variant.
      double gflops =
          2 * macs(s, variants[0].spec) / (useCpuTime ? cpu : t) * 1e-9;
      printf("%-32s %9.3f %9.3f %9.3f %9.1f", v.label.c_str(), t * 1e3,
             best * 1e3, cpu * 1e3, gflops);
      if (peak > 0)
        printf(" %6.1f%%", 100 * gflops / peak);
      else
        printf(" %7s", "-");
      printf("%s\n", v.picked ? "  <- rule" : "");
    }
    fflush(stdout);
  }
  return 0;
}
