//===- PrefetchStrideFixTest.cpp - Prefetch lines of a float box ----------===//
//
// A row of 64 floats (256 bytes, 4 cache lines) prefetched one row ahead:
// the lowered prefetch loop must step 16 floats (64 bytes) a line. Without
// the fix Halide 21 steps 64 floats, fetching lines 0, 4, 8 and 12 of a box
// of 4 (checked too, so a Halide that fixes it upstream makes this test
// fail instead of the pass then stepping 4 floats a line).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/PrefetchStrideFix.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace kiln {
namespace {

using namespace Halide;
using namespace Halide::Internal;

/// Each prefetch inside a per-line split loop: the loop's extent and the
/// element offset's step from one line to the next.
struct PrefetchLoop {
  int64_t lines = -1, step = -1;
};

class FindPrefetchLoops : public IRVisitor {
  using IRVisitor::visit;
  std::vector<const For *> loops;

  void visit(const For *op) override {
    loops.push_back(op);
    IRVisitor::visit(op);
    loops.pop_back();
  }

  void visit(const Call *op) override {
    IRVisitor::visit(op);
    if (!op->is_intrinsic(Call::prefetch) || loops.empty())
      return;
    const For *loop = loops.back();
    if (loop->name.rfind("prefetch_split_", 0) != 0)
      return;
    Expr offset = op->args[1];
    Expr at0 = substitute(loop->name, Expr(0), offset);
    Expr at1 = substitute(loop->name, Expr(1), offset);
    std::optional<int64_t> step = as_const_int(simplify(at1 - at0));
    std::optional<int64_t> lines = as_const_int(simplify(loop->extent));
    found.push_back({lines.value_or(-1), step.value_or(-1)});
  }

public:
  std::vector<PrefetchLoop> found;
};

std::vector<PrefetchLoop> lowerRowPrefetch(bool withFix) {
  ImageParam in(Float(32), 2, "in");
  Func g("g");
  Var x("x"), y("y");
  g(x, y) = in(x, y) * 2.0f;
  g.bound(x, 0, 64).bound(y, 0, 8);
  g.prefetch(in, y, y, 1, PrefetchBoundStrategy::NonFaulting);
  Pipeline p(g);
  if (withFix)
    addPrefetchStrideFix(p);
  Module m = p.compile_to_module({in}, "row_prefetch",
                                 Target("x86-64-linux-avx2-no_runtime"));
  FindPrefetchLoops finder;
  for (const LoweredFunc &f : m.functions())
    f.body.accept(&finder);
  return finder.found;
}

TEST(PrefetchStrideFix, StepsOneCacheLineOfFloats) {
  std::vector<PrefetchLoop> fixed = lowerRowPrefetch(true);
  ASSERT_EQ(fixed.size(), 1u);
  EXPECT_EQ(fixed[0].lines, 4);
  EXPECT_EQ(fixed[0].step, 16);
}

TEST(PrefetchStrideFix, HalideStepsBytesAsElements) {
  std::vector<PrefetchLoop> unfixed = lowerRowPrefetch(false);
  ASSERT_EQ(unfixed.size(), 1u);
  EXPECT_EQ(unfixed[0].lines, 4);
  EXPECT_EQ(unfixed[0].step, 64)
      << "Halide's prefetch split changed: PrefetchStrideFix would now "
         "divide a correct step";
}

} // namespace
} // namespace kiln
