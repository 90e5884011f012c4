//===- ConvTransposeTest.cpp - ConvTranspose against a scatter reference --===//

#include "tests/halide/TestUtil.h"

namespace kiln::test {
namespace {

struct ConvTransposeCase {
  int64_t N = 1, C = 4, H = 5, W = 6, M = 3, KH = 3, KW = 3;
  int64_t sh = 2, sw = 2, dh = 1, dw = 1;
  int64_t pt = 0, pl = 0, pb = 0, pr = 0, oph = 0, opw = 0;
  int64_t groups = 1;
  bool bias = true;
  Activation act = Activation::None;
  float actAlpha = 0;
};

/// The definition read forwards: every input cell adds its weighted
/// window into the full (uncropped) output, which is then cropped by the
/// pads (output_padding cells past it get only the bias).
Tensor referenceConvTranspose(const ConvTransposeCase &c,
                              const std::vector<Tensor> &in,
                              const KernelSpec &spec) {
  const Tensor &x = in[0], &w = in[1];
  int64_t OH = spec.outputShape[2], OW = spec.outputShape[3];
  int64_t Cg = c.C / c.groups, Mg = c.M / c.groups;
  std::vector<double> acc(c.N * c.M * OH * OW, 0.0);
  auto at = [&](int64_t n, int64_t m, int64_t y, int64_t x) -> double & {
    return acc[((n * c.M + m) * OH + y) * OW + x];
  };
  for (int64_t n = 0; n < c.N; ++n)
    for (int64_t ci = 0; ci < c.C; ++ci)
      for (int64_t iy = 0; iy < c.H; ++iy)
        for (int64_t ix = 0; ix < c.W; ++ix)
          for (int64_t mg = 0; mg < Mg; ++mg)
            for (int64_t ky = 0; ky < c.KH; ++ky)
              for (int64_t kx = 0; kx < c.KW; ++kx) {
                int64_t y = iy * c.sh + ky * c.dh - c.pt;
                int64_t xo = ix * c.sw + kx * c.dw - c.pl;
                if (y < 0 || y >= OH || xo < 0 || xo >= OW)
                  continue;
                int64_t m = (ci / Cg) * Mg + mg;
                at(n, m, y, xo) +=
                    (double)x.at4(n, ci, iy, ix) * w.at4(ci, mg, ky, kx);
              }
  Tensor y(spec.outputShape);
  for (int64_t n = 0; n < c.N; ++n)
    for (int64_t m = 0; m < c.M; ++m)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox)
          y.at4(n, m, oy, ox) = applyAct(
              spec, (float)(at(n, m, oy, ox) + (c.bias ? in[2].data[m] : 0)));
  return y;
}

void runConvTranspose(const ConvTransposeCase &c, unsigned seed) {
  KernelSpec spec;
  spec.kind = KernelKind::ConvTranspose2D;
  spec.name = "conv_transpose_test";
  spec.kernel = {c.KH, c.KW};
  spec.strides = {c.sh, c.sw};
  spec.dilations = {c.dh, c.dw};
  spec.pads = {c.pt, c.pl, c.pb, c.pr};
  spec.groups = c.groups;
  spec.hasBias = c.bias;
  spec.activation = c.act;
  spec.actAlpha = c.actAlpha;
  int64_t OH = c.sh * (c.H - 1) + c.oph + (c.KH - 1) * c.dh + 1 - c.pt - c.pb;
  int64_t OW = c.sw * (c.W - 1) + c.opw + (c.KW - 1) * c.dw + 1 - c.pl - c.pr;
  spec.outputShape = {c.N, c.M, OH, OW};
  spec.inputShapes = {{c.N, c.C, c.H, c.W},
                      {c.C, c.M / c.groups, c.KH, c.KW}};
  if (c.bias)
    spec.inputShapes.push_back({c.M});
  std::mt19937 rng(seed);
  std::vector<Tensor> in;
  for (const auto &s : spec.inputShapes)
    in.push_back(randomTensor(s, rng));
  expectClose(runJit(spec, in), referenceConvTranspose(c, in, spec));
}

TEST(HalideConvTranspose, Stride2Kernel3) { runConvTranspose({}, 1); }

TEST(HalideConvTranspose, UNetUpKernel2Stride2) {
  ConvTransposeCase c;
  c.C = 16, c.M = 8, c.H = 7, c.W = 9, c.KH = c.KW = 2;
  c.act = Activation::Relu;
  runConvTranspose(c, 2);
}

TEST(HalideConvTranspose, PadsOutputPaddingDilationGroups) {
  ConvTransposeCase c;
  c.N = 2, c.C = 6, c.M = 4, c.groups = 2;
  c.sh = 3, c.sw = 2, c.dh = 2, c.dw = 1;
  c.pt = 1, c.pl = 2, c.pb = 0, c.pr = 1, c.oph = 1, c.opw = 1;
  c.act = Activation::LeakyRelu, c.actAlpha = 0.1f;
  runConvTranspose(c, 3);
}

TEST(HalideConvTranspose, Stride1NoBias) {
  ConvTransposeCase c;
  c.sh = c.sw = 1, c.bias = false, c.pt = c.pl = c.pb = c.pr = 1;
  runConvTranspose(c, 4);
}

} // namespace
} // namespace kiln::test
