//===- ParallelCodegen.cpp - Kernel codegen in worker processes -----------===//
#include "compiler/driver/ParallelCodegen.h"

#include "compiler/halide/KernelCompiler.h"

#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace kiln {
namespace {

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool compileHere(const std::vector<KernelSpec> &specs,
                 const ParallelCodegenOptions &options, std::string &error) {
  CodegenOptions cg;
  cg.target = options.target;
  cg.outDir = options.outDir;
  cg.emitStmt = options.emitStmt;
  cg.emitRuntime = false;
  std::vector<std::string> objects;
  return compileKernels(specs, cg, objects, error);
}

} // namespace

bool compileKernelsInParallel(const std::vector<KernelSpec> &specs,
                              const ParallelCodegenOptions &options,
                              std::string &error) {
  size_t workers = std::min<size_t>(std::max(options.jobs, 1), specs.size());
  if (workers <= 1)
    return specs.empty() || compileHere(specs, options, error);

  // Round-robin keeps similar kernels (a network's repeated stages) spread.
  std::vector<std::vector<KernelSpec>> shares(workers);
  for (size_t i = 0; i < specs.size(); ++i)
    shares[i % workers].push_back(specs[i]);

  std::vector<pid_t> pids;
  std::vector<std::string> logs;
  for (size_t w = 0; w < workers; ++w) {
    std::string specFile =
        options.outDir + "/worker" + std::to_string(w) + ".specs";
    std::string log = options.outDir + "/worker" + std::to_string(w) + ".log";
    std::ofstream(specFile) << serializeSpecs(shares[w]);
    std::vector<std::string> argv = {"/proc/self/exe", "internal-codegen",
                                     "--target=" + options.target,
                                     "--out-dir=" + options.outDir};
    if (options.emitStmt)
      argv.push_back("--stmt");
    argv.push_back(specFile);
    std::vector<char *> cargv;
    for (std::string &a : argv)
      cargv.push_back(a.data());
    cargv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid;
    int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(),
                         environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      error = "cannot start a codegen worker";
      for (pid_t p : pids)
        waitpid(p, nullptr, 0);
      return false;
    }
    pids.push_back(pid);
    logs.push_back(log);
  }
  bool ok = true;
  for (size_t w = 0; w < pids.size(); ++w) {
    int status = 0;
    waitpid(pids[w], &status, 0);
    if (ok && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
      ok = false;
      error = readFile(logs[w]);
      while (!error.empty() && error.back() == '\n')
        error.pop_back();
      if (error.empty())
        error = "codegen worker " + std::to_string(w) + " failed";
    }
  }
  return ok;
}

int runCodegenWorker(const std::vector<std::string> &args) {
  ParallelCodegenOptions options;
  std::string specFile;
  for (const std::string &a : args) {
    if (a.rfind("--target=", 0) == 0)
      options.target = a.substr(9);
    else if (a.rfind("--out-dir=", 0) == 0)
      options.outDir = a.substr(10);
    else if (a == "--stmt")
      options.emitStmt = true;
    else
      specFile = a;
  }
  std::vector<KernelSpec> specs;
  std::string error;
  if (specFile.empty() || options.outDir.empty() || options.target.empty()) {
    std::fprintf(stderr, "internal-codegen: needs --target, --out-dir and a "
                         "spec file\n");
    return 2;
  }
  if (!parseSpecs(readFile(specFile), specs, error) ||
      !compileHere(specs, options, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  return 0;
}

} // namespace kiln
