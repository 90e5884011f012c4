//===- peak_probe.cpp - Single-core fp32 FMA peak -------------------------===//
//
// Runs many independent FMA chains (enough to hide FMA latency on both FMA
// ports) over the widest vector the compiler targets (-march=native) and
// prints GFLOP/s = 2 * lanes * FMAs / time, the per-core roofline the kernel
// benchmark divides by: the best of many short runs. It also prints their
// median, the share of that peak this core gave right then: on a shared VM
// another tenant can take the core's FMA ports for a while (seen on a Xeon:
// 50 ms windows at 74-167 GFLOP/s in such phases against 166-172 calm), and
// run_bench.py reports the median before and after its runs.
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <chrono>
#include <cstdio>

#if defined(__AVX512F__)
#include <immintrin.h>
typedef __m512 vec;
static const int kLanes = 16;
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define VSET(x) _mm512_set1_ps(x)
static float vsum(vec v) { return _mm512_reduce_add_ps(v); }
#elif defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
typedef __m256 vec;
static const int kLanes = 8;
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define VSET(x) _mm256_set1_ps(x)
static float vsum(vec v) {
  float t[8];
  _mm256_storeu_ps(t, v);
  return t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
}
#elif defined(__ARM_NEON)
#include <arm_neon.h>
typedef float32x4_t vec;
static const int kLanes = 4;
// acc + a * b: fmla accumulates into its first operand (with acc * a + b,
// as on x86, every FMA needed two register moves and GCC spilled the chains).
#define VFMA(a, b, c) vfmaq_f32(a, b, c)
#define VSET(x) vdupq_n_f32(x)
static float vsum(vec v) { return vaddvq_f32(v); }
#else
#error "peak_probe needs AVX2+FMA, AVX-512 or NEON"
#endif

// An empty asm that "changes" a vector register, so the compiler cannot
// fold the chains into fewer FMAs: "v" names an x86 vector register, "w"
// an AArch64 SIMD one.
#if defined(__ARM_NEON)
#define KEEP_IN_REGISTER(x) "+w"(x)
#else
#define KEEP_IN_REGISTER(x) "+v"(x)
#endif

// Independent chains: at least latency (4) x FMA ports (2) plus a margin,
// and every chain in a register with the two operands beside it. More
// chains than registers spill: with 24 on AVX2's 16 ymm registers, 10
// chains went through memory and the probe read 83-87 GFLOP/s on a Zen 3
// core that sustains ~100 (sessions 16-21 divided by that low peak).
#if defined(__AVX512F__) || defined(__ARM_NEON)
constexpr int kChains = 24; // of 32 vector registers
#else
constexpr int kChains = 12; // of 16 ymm registers
#endif

int main() {
  vec acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = VSET(0.001f * i);
  vec a = VSET(0.999999f), b = VSET(1e-7f);
  // Short repetitions, best of many: on a shared machine a long run measures
  // the scheduler's share, not the core.
  const long iters = 200'000;
  constexpr int reps = 300;
  // A plain array: no allocating call inside the timed loop's region, around
  // which the chains would be saved and reloaded (test_peak_probe.py).
  double rates[reps];
  for (int rep = 0; rep < reps; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 24 // >= kChains: fully unrolled
      for (int i = 0; i < kChains; ++i)
        acc[i] = VFMA(acc[i], a, b);
      __asm__ volatile("" : KEEP_IN_REGISTER(a));
    }
    auto t1 = std::chrono::steady_clock::now();
    double s = std::chrono::duration<double>(t1 - t0).count();
    rates[rep] = 2.0 * kLanes * kChains * iters / s * 1e-9;
  }
  std::sort(rates, rates + reps);
  double best = rates[reps - 1], median = rates[reps / 2];
  float sink = 0;
  for (int i = 0; i < kChains; ++i)
    sink += vsum(acc[i]);
  printf("lanes %d, chains %d: peak %.1f GFLOP/s (best of %d short runs; "
         "median %.1f; checksum %g)\n",
         kLanes, kChains, best, reps, median, sink);
  return 0;
}
