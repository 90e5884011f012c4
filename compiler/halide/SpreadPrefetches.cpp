//===- SpreadPrefetches.cpp - Prefetches shared out among register tiles --===//

#include "compiler/halide/SpreadPrefetches.h"

namespace kiln {

using namespace Halide;
using namespace Halide::Internal;

namespace {

/// The Func a lowered loop belongs to ("f.s1.px.pxo" -> "f").
std::string loopFunc(const std::string &loop) {
  return loop.substr(0, loop.find('.'));
}

class SpreadPrefetchesPass : public IRMutator {
  using IRMutator::visit;
  std::vector<std::string> suffixes;
  std::vector<const For *> loops; // Enclosing non-prefetch loops.
  bool inPrefetch = false;

  bool isTileLoop(const For *loop, const std::string &func) const {
    for (const std::string &s : suffixes) {
      // A full loop name (no leading '.'): that loop, of any Func.
      if (!starts_with(s, ".") && loop->name == s)
        return true;
      if (loopFunc(loop->name) == func && ends_with(loop->name, s))
        return true;
    }
    return false;
  }

  /// `s` (a prefetch, or the per-line loops around one) issued only by
  /// the tile that owns the current step of the innermost enclosing loop.
  Stmt guard(Stmt s) const {
    if (loops.empty())
      return s;
    const For *step = loops.back();
    std::string func = loopFunc(step->name);
    Expr tile = 0, tiles = 1;
    for (const For *loop : loops)
      if (loop != step && isTileLoop(loop, func)) {
        tile = tile * loop->extent +
               (Variable::make(Int(32), loop->name) - loop->min);
        tiles = tiles * loop->extent;
      }
    if (is_const_one(tiles))
      return s;
    Expr index = Variable::make(Int(32), step->name) - step->min;
    return IfThenElse::make(simplify(tile == index * tiles / step->extent), s);
  }

  Stmt visit(const For *op) override {
    if (starts_with(op->name, "prefetch_")) {
      if (inPrefetch)
        return IRMutator::visit(op);
      inPrefetch = true;
      Stmt s = IRMutator::visit(op);
      inPrefetch = false;
      return guard(s);
    }
    loops.push_back(op);
    Stmt s = IRMutator::visit(op);
    loops.pop_back();
    return s;
  }

  Stmt visit(const Evaluate *op) override {
    const Call *call = op->value.as<Call>();
    Stmt s = IRMutator::visit(op);
    // A one-line prefetch has no per-line loop around it.
    if (call && call->is_intrinsic(Call::prefetch) && !inPrefetch)
      return guard(s);
    return s;
  }

  Expr visit(const Call *op) override {
    if (!op->is_intrinsic(Call::prefetch) || op->args.size() < 2)
      return IRMutator::visit(op);
    // (base, element offset, ...): the box is already one line here
    // (Halide's SplitPrefetch); read, locality 2 (L2), data cache.
    Expr bytes = make_const(UInt(64), op->type.bytes());
    Expr address =
        Reinterpret::make(Handle(), Reinterpret::make(UInt(64), op->args[0]) +
                                        cast(UInt(64), op->args[1]) * bytes);
    return Call::make(Int(32), "llvm.prefetch.p0", {address, 0, 2, 1},
                      Call::Extern);
  }

public:
  explicit SpreadPrefetchesPass(std::vector<std::string> s)
      : suffixes(std::move(s)) {}
};

} // namespace

void addSpreadPrefetches(Pipeline &pipeline,
                         const std::vector<std::string> &tileLoopSuffixes) {
  pipeline.add_custom_lowering_pass(new SpreadPrefetchesPass(tileLoopSuffixes));
}

} // namespace kiln
