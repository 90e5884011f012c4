//===- SpreadPrefetchesTest.cpp - One prefetch per step, spread over tiles
//-===//
//
// A reduction over 64 weights in chunks of 16, 8 register tiles per chunk,
// each step prefetching its weight one chunk ahead (the direct convs' shape
// in CpuSchedule.cpp). After the pass, step s of a chunk must be prefetched
// by exactly one tile, tile s * 8 / 16, as an L2 prefetch.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/SpreadPrefetches.h"
#include "compiler/halide/PrefetchStrideFix.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace kiln {
namespace {

using namespace Halide;
using namespace Halide::Internal;

struct GuardedPrefetch {
  Expr condition;
  /// The enclosing For loops, held so they outlive the lowered module.
  std::vector<Stmt> loops;
  int locality = -1;
};

/// Each llvm.prefetch with the guard right around it (inside the innermost
/// loop that is not a per-line prefetch loop) and its enclosing loops.
class FindPrefetches : public IRVisitor {
  using IRVisitor::visit;
  std::vector<Stmt> loops;
  size_t bodyLoops = 0; // Loops that are not per-line prefetch loops.
  std::vector<std::pair<Expr, size_t>> guards;

  void visit(const For *op) override {
    bool body = !starts_with(op->name, "prefetch_");
    loops.push_back(Stmt(op));
    bodyLoops += body;
    IRVisitor::visit(op);
    bodyLoops -= body;
    loops.pop_back();
  }

  void visit(const IfThenElse *op) override {
    op->condition.accept(this);
    guards.push_back({op->condition, bodyLoops});
    op->then_case.accept(this);
    guards.pop_back();
    if (op->else_case.defined())
      op->else_case.accept(this);
  }

  void visit(const Call *op) override {
    IRVisitor::visit(op);
    if (op->is_intrinsic(Call::prefetch))
      ++halidePrefetches;
    if (op->name != "llvm.prefetch.p0" || op->args.size() != 4)
      return;
    GuardedPrefetch p;
    if (!guards.empty() && guards.back().second == bodyLoops)
      p.condition = guards.back().first;
    p.loops = loops;
    p.locality = (int)as_const_int(op->args[2]).value_or(-1);
    found.push_back(p);
  }

public:
  std::vector<GuardedPrefetch> found;
  int halidePrefetches = 0;
};

const For *loopEndingWith(const std::vector<Stmt> &loops,
                          const std::string &suffix) {
  for (const Stmt &s : loops)
    if (const For *l = s.as<For>(); l && ends_with(l->name, suffix))
      return l;
  return nullptr;
}

/// `out` lowered with the stride fix and the pass (tile loops:
/// `tileLoops`), and the prefetches found in it.
FindPrefetches lowerWithPass(Func out, ImageParam w,
                             const std::vector<std::string> &tileLoops) {
  Pipeline p(out);
  addPrefetchStrideFix(p);
  addSpreadPrefetches(p, tileLoops);
  Module m = p.compile_to_module({w}, "spread_prefetch",
                                 Target("x86-64-linux-avx2-no_runtime"));
  FindPrefetches finder;
  for (const LoweredFunc &f : m.functions())
    f.body.accept(&finder);
  return finder;
}

/// `out` lowered with the pass (tile loops: `tileLoop`) must hold one
/// guarded L2 prefetch, whose step loop (name ending `stepSuffix`, `steps`
/// long) is shared out among the `tiles` iterations of the tile loop: step
/// s by tile s * tiles / steps alone.
void expectEachStepOnce(Func out, ImageParam w, const std::string &tileLoop,
                        const std::string &stepSuffix, int tiles, int steps) {
  FindPrefetches finder = lowerWithPass(out, w, {tileLoop});
  EXPECT_EQ(finder.halidePrefetches, 0);
  ASSERT_EQ(finder.found.size(), 1u);
  const GuardedPrefetch &pf = finder.found[0];
  EXPECT_EQ(pf.locality, 2);
  ASSERT_TRUE(pf.condition.defined()) << "the prefetch is not guarded";
  const For *tile = loopEndingWith(pf.loops, tileLoop);
  const For *step = loopEndingWith(pf.loops, stepSuffix);
  ASSERT_TRUE(tile && step);
  ASSERT_EQ(as_const_int(tile->extent).value_or(-1), tiles);
  ASSERT_EQ(as_const_int(step->extent).value_or(-1), steps);
  for (int s = 0; s < steps; ++s) {
    int owners = 0;
    for (int t = 0; t < tiles; ++t) {
      Expr c = substitute(tile->name, tile->min + t, pf.condition);
      c = simplify(substitute(step->name, step->min + s, c));
      ASSERT_TRUE(is_const(c)) << c;
      if (is_const_one(c)) {
        ++owners;
        EXPECT_EQ(t, s * tiles / steps) << "step " << s;
      }
    }
    EXPECT_EQ(owners, 1) << "step " << s;
  }
}

TEST(SpreadPrefetches, EachStepOnceSpreadOverTiles) {
  ImageParam w(Float(32), 1, "w");
  Func acc("acc");
  Var x("x"), xo("xo"), xi("xi");
  RDom r(0, 64, "r");
  RVar ro("ro"), ri("ri");
  acc(x) = 0.0f;
  acc(x) += w(r) * cast<float>(x);
  acc.bound(x, 0, 64);
  acc.update()
      .split(x, xo, xi, 8)
      .split(r, ro, ri, 16)
      .reorder(xi, ri, xo, ro)
      .prefetch(w, ri, ri, 16, PrefetchBoundStrategy::NonFaulting);
  expectEachStepOnce(acc, w, ".x.xo", ".ri", 8, 16);
}

// Tiles named in full: the consumer's loop around a Func computed per
// tile (CpuSchedule.cpp's unchunked channel-tile 1x1s: the accumulator per
// register tile of the output's rows, each step prefetching the next
// channel tile). 64 steps over 8 tiles of the consumer.
TEST(SpreadPrefetches, FullNamedTileLoopsOfTheConsumer) {
  ImageParam w(Float(32), 1, "w");
  Func acc("acc"), out("out");
  Var x("x"), xo("xo"), xi("xi");
  RDom r(0, 64, "r");
  acc(x) = 0.0f;
  acc(x) += w(r) * cast<float>(x);
  out(x) = acc(x) + 1.0f;
  out.bound(x, 0, 64).split(x, xo, xi, 8);
  acc.compute_at(out, xo);
  acc.update().prefetch(w, r, r, 64, PrefetchBoundStrategy::NonFaulting);
  // The Func's own name: Halide makes a reused name unique ("out$2").
  std::string tileLoop = out.name() + ".s0.x.xo";
  expectEachStepOnce(out, w, tileLoop, ".r$x", 8, 64);
}

TEST(SpreadPrefetches, WithoutTileLoopsOnlyL2) {
  ImageParam w(Float(32), 1, "w");
  Func g("g");
  Var x("x");
  g(x) = w(x) * 2.0f;
  g.bound(x, 0, 256);
  g.prefetch(w, x, x, 64, PrefetchBoundStrategy::NonFaulting);
  FindPrefetches finder = lowerWithPass(g, w, {".x.xo"});
  EXPECT_EQ(finder.halidePrefetches, 0);
  ASSERT_FALSE(finder.found.empty());
  for (const GuardedPrefetch &pf : finder.found) {
    EXPECT_EQ(pf.locality, 2);
    EXPECT_FALSE(pf.condition.defined()) << pf.condition;
  }
}

} // namespace
} // namespace kiln
