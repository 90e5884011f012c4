//===- kiln.cpp - The kiln command-line tool ------------------------------===//
//
//   kiln compile MODEL.onnx -o OUT [--target=T] [--emit=exe|static|shared]
//   kiln import MODEL.onnx          (print the imported kiln IR)
//   kiln stats MODEL.onnx [--json]  (parameters, MACs, separable costs)
//   kiln bench ARTIFACT [--threads N] [--runs N] [--json]  (latency)
//
//===----------------------------------------------------------------------===//
#include "compiler/analysis/StatsCommand.h"
#include "compiler/driver/Driver.h"
#include "compiler/driver/ParallelCodegen.h"
#include "compiler/passes/PassPipeline.h"
#include "tools/kiln/BenchCommand.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

const char *kUsage =
    "usage: kiln <command> [options]\n"
    "\n"
    "commands:\n"
    "  compile MODEL.onnx -o OUT   compile a model to a native artifact\n"
    "      --target=T      host (default), x86-64-linux-avx2,\n"
    "                      x86-64-linux-avx512, arm-64-linux, or a Halide\n"
    "                      target string\n"
    "      --emit=KIND     exe (default): OUT runs as\n"
    "                        OUT --input x.npy --output y.npy\n"
    "                      static | shared: OUT is a .a / .so; a C header\n"
    "                        <name>.h and kiln.h are written beside it\n"
    "      --name=NAME     C prefix of the model's symbols (default: OUT's\n"
    "                      file name without lib and extension)\n"
    "      --compile-to=P  stop after phase P: import, optimize, kernelize,\n"
    "                      codegen, link (default)\n"
    "      --dump=DIR      write what each phase produced into DIR: the IR\n"
    "                      after import, after each pass (passes/NN-*.mlir)\n"
    "                      and after optimize, fused-graph.dot (+ .svg with\n"
    "                      Graphviz), kernel specs, Halide .stmt, model.c,\n"
    "                      and report.json / report.html (per-layer MACs,\n"
    "                      bytes, fusion, pass summary; times from one\n"
    "                      profiled run of a host executable)\n"
    "      --keep-temps    keep the temporary build folder\n"
    "      -j N, --jobs=N  codegen worker processes (default: one per core)\n"
    "      --no-cache      compile every kernel, ignoring the kernel cache\n"
    "                      ($KILN_CACHE_DIR, default ~/.cache/kiln; off\n"
    "                      disables it)\n"
    "      --no-fuse       skip the fusion passes (only canonicalize + CSE)\n"
    "      --conv-algorithm=auto|direct\n"
    "                      auto (default): dense 3x3 stride-1 convs on\n"
    "                      large enough images use Winograd F(4x4, 3x3),\n"
    "                      5x5 ones F(2x2, 5x5); direct: every conv is\n"
    "                      a direct convolution\n"
    "      --zero-skip=on|off\n"
    "                      on: on x86 with AVX2, separable convs whose\n"
    "                      depthwise stage ends in a ReLU skip its zero\n"
    "                      outputs in the 1x1 stage; off (default): dense\n"
    "      --layout=auto|blocked|nchw\n"
    "                      blocked: tensors between channel-vector kernels\n"
    "                      are stored channel-blocked (NCHW16c) and\n"
    "                      inverted residual blocks run on channel vectors;\n"
    "                      nchw: every tensor NCHW; auto (default): blocked\n"
    "                      on x86 with AVX2 or AVX-512, nchw on others\n"
    "      --disable-pass=NAME\n"
    "                      skip one optimization pass (repeatable):\n"
    "                      fold-pad, fold-batch-norm, fuse-activation,\n"
    "                      fuse-residual-add, fuse-depthwise-pointwise,\n"
    "                      fuse-inverted-residual\n"
    "      -q, --quiet     no progress or timings\n"
    "      --input-shape=NAME=DIMS\n"
    "                      compile graph input NAME for shape DIMS, e.g.\n"
    "                      input=1x3x224x224 (repeatable; DIMS alone for a\n"
    "                      model with one input): gives the dims a model\n"
    "                      leaves dynamic (\"N\", \"batch\"), or replaces\n"
    "                      its declared ones (same rank)\n"
    "  import MODEL.onnx           print the model as kiln dialect IR\n"
    "      --input-shape=NAME=DIMS as for compile\n"
    "  stats MODEL.onnx            per layer and in total: parameters, MACs,\n"
    "                              output size, and for each depthwise +\n"
    "                              pointwise pair the standard conv's cost\n"
    "      --json          one JSON object (layers, total) instead of a table\n"
    "      --input-shape=NAME=DIMS as for compile\n";
// Printed after kUsage and kiln::kBenchUsage.
const char *kUsageHelp = "  help                        this text\n";

int usageError(const std::string &message) {
  std::fprintf(stderr, "kiln: error: %s\n(run 'kiln help' for usage)\n",
               message.c_str());
  return 2;
}

/// Reads one --input-shape value into `shapes`; returns an exit code (0:
/// fine) after a usage error.
int addInputShape(const std::string &value, kiln::InputShapes &shapes) {
  kiln::InputShape shape;
  std::string error;
  if (!kiln::parseInputShape(value, shape, error))
    return usageError("--input-shape " + error);
  for (const kiln::InputShape &s : shapes)
    if (s.name == shape.name)
      return usageError("--input-shape given twice for " +
                        (shape.name.empty() ? std::string("the input")
                                            : "'" + shape.name + "'"));
  shapes.push_back(shape);
  return 0;
}

/// Matches "--flag=value" or "--flag value"; advances i for the latter.
bool takeValue(const std::vector<std::string> &args, size_t &i,
               const std::string &flag, std::string &value, bool &missing) {
  const std::string &a = args[i];
  if (a.rfind(flag + "=", 0) == 0) {
    value = a.substr(flag.size() + 1);
    return true;
  }
  if (a == flag) {
    if (i + 1 >= args.size()) {
      missing = true;
      return true;
    }
    value = args[++i];
    return true;
  }
  return false;
}

int runCompile(const std::vector<std::string> &args) {
  kiln::CompileOptions opt;
  std::string phase;
  kiln::KilnPipelineOptions unusedPipeline; // only validates --disable-pass
  for (size_t i = 0; i < args.size(); ++i) {
    bool missing = false;
    std::string v;
    const std::string &a = args[i];
    if (takeValue(args, i, "-o", v, missing) ||
        takeValue(args, i, "--output", v, missing)) {
      opt.outputPath = v;
    } else if (takeValue(args, i, "--target", v, missing)) {
      opt.target = v;
    } else if (takeValue(args, i, "--emit", v, missing)) {
      opt.emit = v;
    } else if (takeValue(args, i, "--name", v, missing)) {
      opt.name = v;
    } else if (takeValue(args, i, "--compile-to", v, missing)) {
      phase = v;
    } else if (takeValue(args, i, "--dump", v, missing)) {
      opt.dumpDir = v;
    } else if (takeValue(args, i, "--disable-pass", v, missing)) {
      if (!missing && !kiln::disableKilnPass(unusedPipeline, v))
        return usageError("unknown pass '" + v + "' for --disable-pass (" +
                          kiln::kilnOptionalPassNames() + ")");
      opt.disabledPasses.push_back(v);
    } else if (a == "--no-fuse") {
      opt.fuse = false;
    } else if (takeValue(args, i, "--conv-algorithm", v, missing)) {
      if (v == "auto")
        opt.convAlgorithm = kiln::ConvAlgorithm::Auto;
      else if (v == "direct")
        opt.convAlgorithm = kiln::ConvAlgorithm::Direct;
      else if (!missing)
        return usageError("--conv-algorithm must be auto or direct, got '" +
                          v + "'");
    } else if (takeValue(args, i, "--zero-skip", v, missing)) {
      if (v == "on" || v == "off")
        opt.zeroSkip = v == "on";
      else if (!missing)
        return usageError("--zero-skip must be on or off, got '" + v + "'");
    } else if (takeValue(args, i, "--layout", v, missing)) {
      if (v == "auto")
        opt.layout = kiln::ActivationLayoutMode::Auto;
      else if (v == "blocked")
        opt.layout = kiln::ActivationLayoutMode::Blocked;
      else if (v == "nchw")
        opt.layout = kiln::ActivationLayoutMode::Nchw;
      else if (!missing)
        return usageError("--layout must be auto, blocked or nchw, got '" + v +
                          "'");
    } else if (takeValue(args, i, "-j", v, missing) ||
               takeValue(args, i, "--jobs", v, missing)) {
      if (!missing) {
        char *end = nullptr;
        long jobs = std::strtol(v.c_str(), &end, 10);
        if (v.empty() || *end || jobs < 1 || jobs > 256)
          return usageError("--jobs needs a number from 1 to 256, got '" + v +
                            "'");
        opt.jobs = (int)jobs;
      }
    } else if (takeValue(args, i, "--input-shape", v, missing)) {
      if (!missing)
        if (int rc = addInputShape(v, opt.inputShapes))
          return rc;
    } else if (a == "--no-cache") {
      opt.useCache = false;
    } else if (a == "--keep-temps") {
      opt.keepTemps = true;
    } else if (a == "-q" || a == "--quiet") {
      opt.quiet = true;
    } else if (!a.empty() && a[0] == '-') {
      return usageError("unknown option '" + a + "'");
    } else if (opt.inputPath.empty()) {
      opt.inputPath = a;
    } else {
      return usageError("more than one model file ('" + opt.inputPath +
                        "' and '" + a + "')");
    }
    if (missing)
      return usageError("option '" + a + "' needs a value");
  }
  if (opt.inputPath.empty())
    return usageError("compile needs a model file");
  if (!phase.empty() && !kiln::parsePhase(phase, opt.stopAfter))
    return usageError("unknown phase '" + phase +
                      "' (import, optimize, kernelize, codegen, link)");
  return kiln::compileModel(opt);
}

/// `kiln stats` and `kiln import`: one model file, `--input-shape`s and, for
/// stats, `--json`. Returns an exit code (0: parsed).
int parseModelArgs(const std::vector<std::string> &args, const char *command,
                   bool allowJson, std::string &inputPath, bool &json,
                   kiln::InputShapes &shapes) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    bool missing = false;
    std::string v;
    if (takeValue(args, i, "--input-shape", v, missing)) {
      if (missing)
        return usageError("option '" + a + "' needs a value");
      if (int rc = addInputShape(v, shapes))
        return rc;
    } else if (allowJson && a == "--json")
      json = true;
    else if (!a.empty() && a[0] == '-')
      return usageError("unknown option '" + a + "'");
    else if (inputPath.empty())
      inputPath = a;
    else
      return usageError("more than one model file ('" + inputPath + "' and '" +
                        a + "')");
  }
  if (inputPath.empty())
    return usageError(std::string(command) + " needs a model file");
  return 0;
}

int runStats(const std::vector<std::string> &args) {
  std::string inputPath;
  bool json = false;
  kiln::InputShapes shapes;
  if (int rc = parseModelArgs(args, "stats", true, inputPath, json, shapes))
    return rc;
  return kiln::printModelStats(inputPath, json, shapes);
}

int runImport(const std::vector<std::string> &args) {
  std::string inputPath;
  bool json = false;
  kiln::InputShapes shapes;
  if (int rc = parseModelArgs(args, "import", false, inputPath, json, shapes))
    return rc;
  return kiln::importModel(inputPath, shapes);
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty())
    return usageError("no command given");
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kUsage, stdout);
    std::fputs(kiln::kBenchUsage, stdout);
    std::fputs(kUsageHelp, stdout);
    return 0;
  }
  if (command == "compile")
    return runCompile(args);
  if (command == "stats")
    return runStats(args);
  if (command == "bench")
    return kiln::runBenchCommand(args);
  if (command == "internal-codegen") // worker of `kiln compile`
    return kiln::runCodegenWorker(args);
  if (command == "import")
    return runImport(args);
  return usageError("unknown command '" + command + "'");
}
