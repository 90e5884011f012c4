//===- StatsFormat.cpp - Print ModelStats as a table or JSON --------------===//
#include "compiler/analysis/StatsFormat.h"

#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cstdio>

namespace kiln {
namespace {

/// llvm::json asserts on invalid UTF-8 (assertions stay on in release
/// builds), so names from the model are repaired first.
std::string jsonSafe(llvm::StringRef s) {
  return llvm::json::isUTF8(s) ? s.str() : llvm::json::fixUTF8(s);
}

/// Node names in the table: control characters would break the columns.
std::string printable(llvm::StringRef s) {
  std::string out;
  for (char c : s)
    out += (unsigned char)c < 0x20 || c == 0x7f ? '?' : c;
  return out.empty() ? "-" : out;
}

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s.empty() ? "scalar" : s;
}

/// A size as "n" when both sides agree, else "a x b".
std::string squareText(int64_t a, int64_t b) {
  return a == b ? std::to_string(a)
                : std::to_string(a) + "x" + std::to_string(b);
}

std::string ratioText(double ratio) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f (%.1fx fewer)", ratio, 1.0 / ratio);
  return buf;
}

} // namespace

std::string withThousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string withUnit(int64_t value) {
  static const char *units[] = {"k", "M", "G", "T"};
  double v = (double)value;
  if (v < 1000 && v > -1000)
    return std::to_string(value);
  int u = -1;
  while ((v >= 1000 || v <= -1000) && u < 3) {
    v /= 1000;
    ++u;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f %s", v, units[u]);
  return buf;
}

void printStatsTable(const ModelStats &stats, llvm::StringRef model,
                     llvm::raw_ostream &os) {
  if (!model.empty())
    os << "model: " << printable(model) << "\n";
  os << "batch: " << stats.batch
     << (stats.batch > 1 ? " (MAC counts include the batch)" : "") << "\n\n";

  struct Row {
    std::string cells[8];
  };
  std::vector<Row> rows;
  rows.push_back(
      {{"#", "layer", "op", "kind", "output", "params", "bn stats", "MACs"}});
  for (size_t i = 0; i < stats.layers.size(); ++i) {
    const LayerStats &l = stats.layers[i];
    rows.push_back(
        {{std::to_string(i), printable(l.name), l.op,
          l.convKind.empty() ? "" : l.convKind, shapeText(l.outputShape),
          withThousands(l.params), l.bnStats ? withThousands(l.bnStats) : "",
          withThousands(l.macs)}});
  }
  size_t width[8] = {};
  for (const Row &r : rows)
    for (int c = 0; c < 8; ++c)
      width[c] = std::max(width[c], r.cells[c].size());
  // Numbers right-aligned, text left-aligned.
  const bool right[8] = {true, false, false, false, false, true, true, true};
  for (const Row &r : rows) {
    std::string line;
    for (int c = 0; c < 8; ++c) {
      std::string pad(width[c] - r.cells[c].size(), ' ');
      line += c ? "  " : "";
      line += right[c] ? pad + r.cells[c] : r.cells[c] + pad;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    os << line << "\n";
  }

  if (stats.total.separablePairs > 0) {
    os << "\ndepthwise separable pairs (n_C channels, N filters, f x f "
          "kernel, n_out x n_out output):\n"
          "  standard conv = N*n_out^2*f^2*n_C, separable = "
          "n_C*n_out^2*(f^2+N), ratio = 1/N + 1/f^2\n";
    for (const LayerStats &l : stats.layers) {
      if (!l.separable)
        continue;
      const SeparableStats &s = *l.separable;
      os << "  " << printable(l.name) << " -> " << printable(s.pointwiseName)
         << ": n_C=" << s.nC << " N=" << s.n << " f=" << squareText(s.kh, s.kw)
         << " n_out=" << squareText(s.oh, s.ow)
         << (s.batch > 1 ? " batch=" + std::to_string(s.batch) : "")
         << "  standard " << withThousands(s.standardMacs) << "  separable "
         << withThousands(s.separableMacs) << "  ratio " << ratioText(s.ratio)
         << "\n";
    }
  }

  // "25,557,032 (25.56 M; note)"; the unit only where it says something.
  auto count = [](int64_t v, const std::string &note) {
    std::string inner = v >= 1000 ? withUnit(v) : "";
    if (!note.empty())
      inner += (inner.empty() ? "" : "; ") + note;
    return withThousands(v) + (inner.empty() ? "" : " (" + inner + ")");
  };
  const StatsTotals &t = stats.total;
  os << "\ntotal: " << stats.layers.size() << " layers\n"
     << "  params " << count(t.params, "weights, biases, BN gamma/beta") << "\n"
     << "  params with BN running mean/var " << count(t.paramsWithBnStats, "")
     << "\n"
     << "  MACs " << count(t.macs, "")
     << (stats.batch > 1 ? " for a batch of " + std::to_string(stats.batch)
                         : "")
     << "\n";
}

void printStatsJson(const ModelStats &stats, llvm::StringRef model,
                    llvm::raw_ostream &os) {
  // Compact: one line per model, easy to pipe into jq or grep.
  llvm::json::OStream j(os);
  j.object([&] {
    j.attribute("model", jsonSafe(model));
    j.attribute("batch", stats.batch);
    j.attribute("macs_include_batch", true);
    j.attributeArray("layers", [&] {
      for (size_t i = 0; i < stats.layers.size(); ++i) {
        const LayerStats &l = stats.layers[i];
        j.object([&] {
          j.attribute("index", (int64_t)i);
          j.attribute("name", jsonSafe(l.name));
          j.attribute("op", l.op);
          if (!l.convKind.empty())
            j.attribute("kind", l.convKind);
          j.attributeArray("output_shape", [&] {
            for (int64_t d : l.outputShape)
              j.value(d);
          });
          j.attribute("output_elements", l.outputElements);
          j.attribute("params", l.params);
          j.attribute("bn_stats", l.bnStats);
          j.attribute("macs", l.macs);
          if (!l.separable)
            return;
          const SeparableStats &s = *l.separable;
          j.attributeObject("separable", [&] {
            j.attribute("depthwise", jsonSafe(l.name));
            j.attribute("pointwise", jsonSafe(s.pointwiseName));
            j.attribute("n_c", s.nC);
            j.attribute("n", s.n);
            j.attribute("f", s.kh == s.kw ? llvm::json::Value(s.kh) : nullptr);
            j.attribute("n_out",
                        s.oh == s.ow ? llvm::json::Value(s.oh) : nullptr);
            j.attribute("kh", s.kh);
            j.attribute("kw", s.kw);
            j.attribute("oh", s.oh);
            j.attribute("ow", s.ow);
            j.attribute("batch", s.batch);
            j.attribute("standard_macs", s.standardMacs);
            j.attribute("separable_macs", s.separableMacs);
            j.attribute("ratio", s.ratio);
          });
        });
      }
    });
    const StatsTotals &t = stats.total;
    j.attributeObject("total", [&] {
      j.attribute("params", t.params);
      j.attribute("bn_stats", t.bnStats);
      j.attribute("params_with_bn_stats", t.paramsWithBnStats);
      j.attribute("macs", t.macs);
      j.attribute("separable_pairs", t.separablePairs);
      j.attribute("layers", (int64_t)stats.layers.size());
    });
  });
  os << "\n";
}

} // namespace kiln
