//===- KernelCompiler.cpp - Kernel specs to object files ------------------===//
//
// Each kernel object is built with no_runtime so an artifact links exactly
// one Halide runtime: halide_runtime.o, compiled once for the same target.
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/KernelCompiler.h"

#include "compiler/halide/PipelineBuilder.h"

#include "Halide.h"

#include <cctype>
#include <filesystem>
#include <set>

namespace kiln {

namespace {

bool isCIdentifier(const std::string &name) {
  if (name.empty() || std::isdigit((unsigned char)name[0]))
    return false;
  for (char c : name)
    if (!std::isalnum((unsigned char)c) && c != '_')
      return false;
  return true;
}

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Checks names before any work: they become C symbols and file names.
bool checkNames(const std::vector<KernelSpec> &specs, std::string &error) {
  std::set<std::string> seen;
  for (const KernelSpec &spec : specs) {
    if (!isCIdentifier(spec.name)) {
      error = "kernel '" + spec.name + "': name is not a C identifier";
      return false;
    }
    // halide_* would collide with the runtime's symbols and its object.
    if (spec.name.rfind("halide_", 0) == 0) {
      error = "kernel '" + spec.name +
              "': names starting with halide_ are "
              "reserved for the Halide runtime";
      return false;
    }
    // Each object also defines <name>_argv, <name>_metadata and
    // <name>_par_for_*; keep those from colliding with another kernel.
    if (endsWith(spec.name, "_argv") || endsWith(spec.name, "_metadata") ||
        spec.name.find("_par_for_") != std::string::npos) {
      error = "kernel '" + spec.name +
              "': names ending in _argv or _metadata or containing "
              "_par_for_ are reserved for Halide's helper symbols";
      return false;
    }
    if (!seen.insert(spec.name).second) {
      error = "kernel '" + spec.name + "': name used by two kernels";
      return false;
    }
  }
  return true;
}

} // namespace

bool compileKernels(const std::vector<KernelSpec> &specs,
                    const CodegenOptions &options,
                    std::vector<std::string> &objectFiles, std::string &error) {
  std::string targetString;
  if (!resolveTarget(options.target, targetString, error))
    return false;
  if (options.outDir.empty()) {
    error = "no output directory given";
    return false;
  }
  if (!checkNames(specs, error))
    return false;
  std::error_code ec;
  std::filesystem::create_directories(options.outDir, ec);
  if (ec) {
    error = "cannot create output directory '" + options.outDir +
            "': " + ec.message();
    return false;
  }
  std::filesystem::path dir(options.outDir);

  Halide::Target runtimeTarget;
  try {
    runtimeTarget =
        Halide::Target(targetString).without_feature(Halide::Target::NoRuntime);
  } catch (const Halide::Error &e) {
    error = "target '" + targetString + "': " + e.what();
    return false;
  }
  Halide::Target kernelTarget =
      runtimeTarget.with_feature(Halide::Target::NoRuntime);

  for (const KernelSpec &spec : specs) {
    BuiltPipeline built;
    if (!buildPipeline(spec, kernelTarget, built, error))
      return false;
    std::string object = (dir / (spec.name + ".o")).string();
    std::map<Halide::OutputFileType, std::string> outputs{
        {Halide::OutputFileType::object, object}};
    if (options.emitStmt)
      outputs[Halide::OutputFileType::stmt] =
          (dir / (spec.name + ".stmt")).string();
    try {
      built.pipeline.compile_to(outputs, built.arguments, spec.name,
                                kernelTarget);
    } catch (const Halide::Error &e) {
      error = "kernel '" + spec.name + "' (" + kernelKindName(spec.kind) +
              "): Halide: " + e.what();
      return false;
    }
    objectFiles.push_back(object);
  }

  if (!options.emitRuntime)
    return true;
  std::string runtime = (dir / "halide_runtime.o").string();
  try {
    Halide::compile_standalone_runtime(runtime, runtimeTarget);
  } catch (const Halide::Error &e) {
    error = std::string("Halide runtime: ") + e.what();
    return false;
  }
  objectFiles.push_back(runtime);
  return true;
}

} // namespace kiln
