//===- Driver.cpp - The kiln compilation pipeline -------------------------===//
#include "compiler/driver/Driver.h"

#include "compiler/driver/KernelCache.h"
#include "compiler/driver/ParallelCodegen.h"
#include "compiler/halide/KernelCompiler.h"
#include "compiler/kernelize/Kernelize.h"
#include "compiler/link/GlueWriter.h"
#include "compiler/link/Toolchain.h"
#include "compiler/onnx/OnnxImporter.h"
#include "compiler/passes/PassPipeline.h"
#include "compiler/report/FusionAnalysis.h"
#include "compiler/report/GraphDot.h"
#include "compiler/report/PassDumpInstrumentation.h"
#include "compiler/report/ProfileRun.h"
#include "compiler/report/ReportBuilder.h"
#include "compiler/support/TextFile.h"
#include "dialects/kiln/KilnDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "runtime/kiln_runtime_paths.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <iostream>
#include <iterator>

namespace fs = std::filesystem;

namespace kiln {
namespace {

class PhaseTimer {
public:
  explicit PhaseTimer(bool quiet) : quiet(quiet) {}
  void done(const char *phase) {
    auto now = std::chrono::steady_clock::now();
    double s = std::chrono::duration<double>(now - last).count();
    last = now;
    if (!quiet)
      std::fprintf(stderr, "kiln: %-9s %7.2f s\n", phase, s);
  }
  double total() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  }

private:
  bool quiet;
  std::chrono::steady_clock::time_point start =
                                            std::chrono::steady_clock::now(),
                                        last = start;
};

int fail(const std::string &message) {
  std::fprintf(stderr, "kiln: error: %s\n", message.c_str());
  return 1;
}

void loadDialects(mlir::MLIRContext &context) {
  context.loadDialect<KilnDialect, mlir::func::FuncDialect>();
}

std::string printModule(mlir::ModuleOp module) {
  return printModuleForDump(module);
}

void warn(const std::string &message) {
  std::fprintf(stderr, "kiln: warning: %s\n", message.c_str());
}

/// Kernel calls timed per layer in the report's profiling run.
constexpr int kProfileRepeat = 5;

/// Default C prefix: the output's file name without "lib" and extensions.
std::string defaultName(const std::string &outputPath) {
  std::string stem = fs::path(outputPath).filename().string();
  if (stem.rfind("lib", 0) == 0 && stem.size() > 3)
    stem = stem.substr(3);
  stem = stem.substr(0, stem.find('.'));
  return toCIdentifier(stem.empty() ? "model" : stem);
}

} // namespace

bool parsePhase(const std::string &name, Phase &phase) {
  static const std::pair<const char *, Phase> phases[] = {
      {"import", Phase::Import},       {"optimize", Phase::Optimize},
      {"kernelize", Phase::Kernelize}, {"codegen", Phase::Codegen},
      {"link", Phase::Link}};
  for (auto [n, p] : phases)
    if (name == n) {
      phase = p;
      return true;
    }
  return false;
}

int importModel(const std::string &inputPath, const InputShapes &shapes) {
  mlir::MLIRContext context;
  loadDialects(context);
  std::string error;
  auto module = importOnnxFile(context, inputPath, error, shapes);
  if (!module)
    return fail(error);
  // Printed in full (weights included) so the output parses again, e.g. as
  // input of kiln-opt.
  module->print(llvm::outs());
  llvm::outs() << "\n";
  return 0;
}

int compileModel(const CompileOptions &opt) {
  PhaseTimer timer(opt.quiet);
  std::string error;
  EmitKind emit;
  if (opt.emit == "exe")
    emit = EmitKind::Executable;
  else if (opt.emit == "static")
    emit = EmitKind::StaticLibrary;
  else if (opt.emit == "shared")
    emit = EmitKind::SharedLibrary;
  else
    return fail("--emit must be exe, static or shared (got '" + opt.emit +
                "')");
  std::string halideTarget;
  if (!resolveTarget(opt.target, halideTarget, error))
    return fail(error);
  auto toolchain = Toolchain::forTarget(opt.target, error);
  if (!toolchain)
    return fail(error);
  if (opt.outputPath.empty() && opt.stopAfter >= Phase::Codegen)
    return fail("no output file: pass -o OUT");
  if (!opt.outputPath.empty() && opt.stopAfter >= Phase::Link) {
    // Checked before the work: a missing folder would otherwise surface
    // as the linker's error after the whole compile.
    fs::path dir = fs::absolute(opt.outputPath).parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
      return fail("cannot write '" + opt.outputPath + "': folder '" +
                  dir.string() + "' does not exist");
    if (fs::is_directory(opt.outputPath, ec))
      return fail("cannot write '" + opt.outputPath + "': it is a folder");
  }
  if (!opt.dumpDir.empty()) {
    std::error_code ec;
    fs::create_directories(opt.dumpDir, ec);
    if (ec)
      return fail("cannot create dump folder '" + opt.dumpDir + "'");
  }
  auto dump = [&](const std::string &file, const std::string &text) {
    if (!opt.dumpDir.empty())
      writeTextFile(opt.dumpDir + "/" + file, text, error);
  };

  // import ------------------------------------------------------------------
  mlir::MLIRContext context;
  loadDialects(context);
  auto module = importOnnxFile(context, opt.inputPath, error, opt.inputShapes);
  if (!module)
    return fail(error);
  timer.done("import");
  dump("00-import.mlir", printModule(*module));
  // The report compares the imported IR with the optimized one.
  mlir::OwningOpRef<mlir::ModuleOp> imported;
  if (!opt.dumpDir.empty())
    imported = module->clone();
  if (opt.stopAfter == Phase::Import) {
    llvm::outs() << printModule(*module) << "\n";
    return 0;
  }

  // optimize ----------------------------------------------------------------
  KilnPipelineOptions pipeline;
  pipeline.fuse = opt.fuse;
  for (const std::string &pass : opt.disabledPasses)
    if (!disableKilnPass(pipeline, pass))
      return fail("unknown pass '" + pass + "' to disable (known: " +
                  kilnOptionalPassNames() + ")");
  mlir::PassManager pm(&context);
  buildKilnOptimizationPipeline(pm, pipeline);
  // --dump: the IR after every pass, numbered, and what each changed.
  std::vector<PassReport> passReports;
  PassDumpInstrumentation *passDumps = nullptr;
  if (!opt.dumpDir.empty()) {
    auto instrumentation = std::make_unique<PassDumpInstrumentation>(
        opt.dumpDir + "/passes", "passes", passReports);
    passDumps = instrumentation.get();
    pm.addInstrumentation(std::move(instrumentation));
  }
  if (mlir::failed(pm.run(*module)))
    return fail(opt.inputPath + ": optimization failed" +
                (passDumps ? " (IR after each pass in " + opt.dumpDir +
                                 "/passes)"
                           : ""));
  if (passDumps && !passDumps->writeError().empty())
    warn(passDumps->writeError());
  timer.done("optimize");
  dump("01-optimize.mlir", printModule(*module));
  if (!opt.dumpDir.empty()) {
    // The fused graph, and its SVG when Graphviz is installed.
    auto groups = inferFusionGroups(*imported, *module);
    std::string dotPath = opt.dumpDir + "/fused-graph.dot", why;
    dump("fused-graph.dot", fusedGraphDot(*module, groups));
    if (!renderDotToSvg(dotPath, opt.dumpDir + "/fused-graph.svg", why) &&
        !opt.quiet)
      warn(why);
  }
  if (opt.stopAfter == Phase::Optimize) {
    llvm::outs() << printModule(*module) << "\n";
    return 0;
  }

  // kernelize ---------------------------------------------------------------
  std::string name = opt.name.empty() ? defaultName(opt.outputPath)
                                      : toCIdentifier(opt.name);
  KernelizeOptions kernelizeOptions;
  kernelizeOptions.convAlgorithm = opt.convAlgorithm;
  kernelizeOptions.layout = opt.layout;
  if (opt.layout == ActivationLayoutMode::Auto)
    kernelizeOptions.layout = channelBlockedByDefault(halideTarget)
                                  ? ActivationLayoutMode::Blocked
                                  : ActivationLayoutMode::Nchw;
  kernelizeOptions.vectorRegisters = vectorRegistersOf(halideTarget);
  kernelizeOptions.halfRateVectors = halfRateWideVectorsOf(halideTarget);
  kernelizeOptions.zeroSkipPointwise =
      opt.zeroSkip && zeroSkipPointwiseSupported(halideTarget);
  auto plan = kernelizeModule(*module, name, error, kernelizeOptions);
  if (!plan)
    return fail(opt.inputPath + ": " + error);
  // Identical kernels (same kind, shapes and attributes) are generated once:
  // ResNet-style networks repeat the same block many times.
  std::vector<KernelSpec> specs;
  // Kernels are named after their content, so a name is also a cache key.
  std::set<std::string> seen;
  for (KernelCall &call : plan->calls) {
    call.spec.name = contentKernelName(call.spec);
    if (seen.insert(call.spec.name).second)
      specs.push_back(call.spec);
  }
  timer.done("kernelize");
  dump("02-kernels.txt", serializeSpecs(specs));

  // The report: written now, and again with times once the executable ran.
  ModelReport report;
  bool haveReport = false;
  auto writeReport = [&](const std::string &profileNote) {
    if (!haveReport)
      return;
    if (!report.profiled)
      report.profileNote = profileNote;
    std::ifstream in(opt.dumpDir + "/fused-graph.svg", std::ios::binary);
    if (in)
      report.graphSvg.assign(std::istreambuf_iterator<char>(in),
                             std::istreambuf_iterator<char>());
    std::string why;
    if (!writeReportFiles(opt.dumpDir, report, why))
      warn("report: " + why);
  };
  if (!opt.dumpDir.empty()) {
    ReportInputs in;
    in.modelPath = opt.inputPath;
    in.target = opt.target;
    in.halideTarget = halideTarget;
    in.imported = *imported;
    in.optimized = *module;
    in.plan = &*plan;
    in.distinctKernels = specs.size();
    in.passes = passReports;
    std::string why;
    haveReport = buildModelReport(in, report, why);
    if (!haveReport)
      warn("no report: " + why);
  }
  if (opt.stopAfter == Phase::Kernelize) {
    writeReport("stopped after kernelize (--compile-to): nothing to run");
    std::cout << serializeSpecs(specs);
    return 0;
  }

  // codegen -----------------------------------------------------------------
  std::string pattern =
      (fs::temp_directory_path() / "kiln-XXXXXX").string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data()))
    return fail("cannot create a temporary folder");
  std::string work = buf.data();
  struct Cleanup {
    std::string dir;
    bool keep;
    ~Cleanup() {
      std::error_code ec;
      if (!keep)
        fs::remove_all(dir, ec);
    }
  } cleanup{work, opt.keepTemps};
  if (opt.keepTemps && !opt.quiet)
    std::fprintf(stderr, "kiln: keeping temporary files in %s\n",
                 work.c_str());

  // Kernels come from the cache where possible; the misses are compiled in
  // worker processes while this one compiles the Halide runtime. A dump
  // wants every kernel's lowered statement, so it bypasses the cache.
  KernelCache cache = KernelCache::open(opt.useCache && opt.dumpDir.empty());
  std::vector<std::string> objects;
  std::vector<KernelSpec> misses;
  std::vector<std::string> missKeys;
  for (const KernelSpec &spec : specs) {
    std::string object = work + "/" + spec.name + ".o";
    std::string key = cache.key(spec.name, halideTarget);
    if (!cache.fetch(key, object)) {
      misses.push_back(spec);
      missKeys.push_back(key);
    }
    objects.push_back(object);
  }
  int jobs = opt.jobs > 0 ? opt.jobs
                          : (int)std::max(1u, std::thread::hardware_concurrency());
  if (!opt.quiet)
    std::fprintf(stderr,
                 "kiln: codegen   %zu kernels (%zu cached) for %s, %d "
                 "worker(s)\n",
                 specs.size(), specs.size() - misses.size(), opt.target.c_str(),
                 std::min<int>(jobs, std::max<size_t>(misses.size(), 1)));
  ParallelCodegenOptions pcg;
  pcg.target = opt.target;
  pcg.outDir = work;
  pcg.emitStmt = !opt.dumpDir.empty();
  pcg.jobs = jobs;
  std::string runtimeObject = work + "/halide_runtime.o";
  std::string runtimeKey = cache.key("halide_runtime", halideTarget);
  std::string runtimeError;
  std::thread runtimeThread([&] {
    if (cache.fetch(runtimeKey, runtimeObject))
      return;
    CodegenOptions cg;
    cg.target = opt.target;
    cg.outDir = work;
    std::vector<std::string> produced;
    if (compileKernels({}, cg, produced, runtimeError))
      cache.store(runtimeKey, runtimeObject);
  });
  bool kernelsOk = compileKernelsInParallel(misses, pcg, error);
  runtimeThread.join();
  if (!kernelsOk)
    return fail(opt.inputPath + ": code generation failed: " + error);
  if (!runtimeError.empty())
    return fail("code generation failed: " + runtimeError);
  for (size_t i = 0; i < misses.size(); ++i)
    cache.store(missKeys[i], work + "/" + misses[i].name + ".o");
  objects.push_back(runtimeObject);
  if (!opt.dumpDir.empty())
    for (const KernelSpec &spec : specs) {
      std::error_code ec;
      fs::copy_file(work + "/" + spec.name + ".stmt",
                    opt.dumpDir + "/" + spec.name + ".stmt",
                    fs::copy_options::overwrite_existing, ec);
    }
  timer.done("codegen");
  if (opt.stopAfter == Phase::Codegen) {
    writeReport("stopped after codegen (--compile-to): nothing to run");
    return 0;
  }

  // link --------------------------------------------------------------------
  LinkJob job;
  job.toolchain = *toolchain;
  job.emit = emit;
  job.workDir = work;
  job.output = opt.outputPath;
  job.kernelObjects = objects;
  if (cache.enabled())
    job.objectCacheDir = cache.directory() + "/runtime";
  job.modelSource = work + "/model.c";
  job.weights = plan->weights.data();
  job.weightsBytes = plan->weights.size() * sizeof(float);
  job.weightsSymbol = plan->name + "_weights";
  std::string source =
      writeModelSource(*plan, emit == EmitKind::Executable);
  dump("03-model.c", source);
  if (!writeTextFile(job.modelSource, source, error))
    return fail(error);
  if (!linkArtifact(job, error))
    return fail("link failed: " + error);
  if (emit != EmitKind::Executable) {
    fs::path header = fs::path(opt.outputPath).parent_path() / (name + ".h");
    fs::path api = fs::path(opt.outputPath).parent_path() / "kiln.h";
    std::error_code ec;
    fs::copy_file(std::string(KILN_RUNTIME_SOURCE_DIR) + "/kiln.h", api,
                  fs::copy_options::overwrite_existing, ec);
    if (ec || !writeTextFile(header.string(), writeModelHeader(*plan), error))
      return fail("cannot write the header beside '" + opt.outputPath + "'");
  }
  timer.done("link");
  if (haveReport) {
    // Measure each kernel call: one run of the executable with --profile.
    std::string why;
    KernelProfile profile;
    if (emit != EmitKind::Executable)
      why = "--emit=" + opt.emit + " builds no executable to run";
    else if (targetRunsOnHost(opt.target, why) &&
             profileExecutable(fs::absolute(opt.outputPath).string(), *plan,
                               work, kProfileRepeat, profile, why)) {
      applyProfile(profile, report);
      report.profileNote = "kernel calls timed with CLOCK_MONOTONIC in the "
                           "emitted executable on seeded random inputs "
                           "(--repeat " +
                           std::to_string(kProfileRepeat) + " --profile)";
    } else if (!opt.quiet) {
      warn("no layer times in the report: " + why);
    }
    writeReport(why);
    timer.done("profile");
  }
  if (!opt.quiet)
    std::fprintf(stderr,
                 "kiln: wrote %s (%zu kernels, %zu distinct, arena %.1f KiB, "
                 "weights %.1f KiB) in %.2f s\n",
                 opt.outputPath.c_str(), plan->calls.size(), specs.size(),
                 plan->arenaBytes / 1024.0, job.weightsBytes / 1024.0,
                 timer.total());
  return 0;
}

} // namespace kiln
