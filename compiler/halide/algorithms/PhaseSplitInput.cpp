//===- PhaseSplitInput.cpp - Padded input as flat rows per stride phase ---===//
//
// The input view the flat-pixel convolutions read (see Algorithms.h,
// PhaseSplitInput): the padded input split into sh x sw phase planes, each
// row-major with pitch Wph, so output pixel q = oy * Wph + ox reads tap
// (kx, ky) at element q + (ty / sh) * Wph + tx / sw of phase
// (ty % sh) * sw + tx % sw, where (tx, ty) = (kx * dw, ky * dh): one dense
// vector load at a constant offset per tap for any stride, padding and
// image width.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

namespace kiln {

using namespace Halide;

namespace {

/// The split's geometry: strides, dilations and the phase rows' pitch.
PhaseSplitInput splitGeometry(int64_t W, const Window2D &win) {
  PhaseSplitInput s;
  s.sh = win.sh;
  s.sw = win.sw;
  s.dh = win.dh;
  s.dw = win.dw;
  int64_t Wp = W + win.padLeft + win.padRight;
  s.rowPitch = (Wp + s.sw - 1) / s.sw;
  return s;
}

} // namespace

PhaseSplitInput phaseSplitInput(const Func &in, int64_t W, int64_t H,
                                const Window2D &win, bool alwaysCopy) {
  PhaseSplitInput s = splitGeometry(W, win);
  bool padded = win.padTop || win.padLeft || win.padBottom || win.padRight;
  s.materialize = alwaysCopy || padded || s.sh * s.sw > 1;
  Var i("i"), p("p"), c("c"), b("b");
  s.flat = Func("x_flat");
  int pitch = (int)s.rowPitch;
  if (s.materialize) {
    // Computed once per call (or per tile) by the schedule: one pass over
    // the part of the input the taps read. Zero outside the image through
    // a boundary condition, whose conditions Halide marks likely: loop
    // partitioning then peels the border vectors off a row and the interior
    // ones are dense loads (a hand-written select + clamp was a gather per
    // vector: MobileNetV2's 7x7 separable kernels 0.23 -> 0.18 ms).
    Expr col = (i % pitch) * (int)s.sw + p % (int)s.sw - (int)win.padLeft;
    Expr row = (i / pitch) * (int)s.sh + p / (int)s.sw - (int)win.padTop;
    Func bounded = BoundaryConditions::constant_exterior(
        in, 0.0f, {{0, (int)W}, {0, (int)H}});
    s.flat(i, p, c, b) = bounded(col, row, c, b);
  } else {
    // Unpadded stride 1: inlined; the dense strides make
    // (i % W) + (i / W) * W simplify back to i, a plain input load.
    s.flat(i, p, c, b) = in(i % (int)W, i / (int)W, c, b);
  }
  return s;
}

PhaseSplitInput phaseSplitBlockedInput(const ImageParam &in, int64_t W,
                                       int64_t H, const Window2D &win) {
  PhaseSplitInput s = splitGeometry(W, win);
  s.materialize = true;
  s.blocked = true;
  Var k("k"), i("i"), p("p"), cb("cb"), b("b");
  int pitch = (int)s.rowPitch;
  Expr col = (i % pitch) * (int)s.sw + p % (int)s.sw - (int)win.padLeft;
  Expr row = (i / pitch) * (int)s.sh + p / (int)s.sw - (int)win.padTop;
  Func bounded = padSpatialBlocked(in, W, H, 0.0f, "x_bounded_blocked");
  s.flat = Func("x_flat_blocked");
  s.flat(k, i, p, cb, b) = bounded(k, col, row, cb, b);
  return s;
}

Expr PhaseSplitInput::tapOffset(Expr kx, Expr ky) const {
  Expr tx = kx * (int)dw, ty = ky * (int)dh;
  return (ty / (int)sh) * (int)rowPitch + tx / (int)sw;
}

Expr PhaseSplitInput::tapPhase(Expr kx, Expr ky) const {
  Expr tx = kx * (int)dw, ty = ky * (int)dh;
  return (ty % (int)sh) * (int)sw + tx % (int)sw;
}

int64_t PhaseSplitInput::vecExtent(int64_t OH, int64_t OW) const {
  return (OH - 1) * rowPitch + OW;
}

} // namespace kiln
