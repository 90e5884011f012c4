//===- Toolchain.cpp - Target C compiler, archiver and linking ------------===//
#include "compiler/link/Toolchain.h"

#include "compiler/support/Hash.h"
#include "runtime/kiln_runtime_paths.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace fs = std::filesystem;

namespace kiln {

/// Whether an executable `name` is in one of $PATH's folders.
static bool onPath(const std::string &name) {
  const char *path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && access((dir + "/" + name).c_str(), X_OK) == 0)
      return true;
  return false;
}

std::optional<Toolchain> Toolchain::forTarget(const std::string &target,
                                              std::string &error) {
  Toolchain tc;
  bool arm64 = target.rfind("arm-64", 0) == 0;
#if defined(__aarch64__)
  bool native = arm64 || target == "host";
#else
  bool native = !arm64;
#endif
  tc.machine = arm64 ? ElfMachine::AArch64 : ElfMachine::X86_64;
  if (native) {
    tc.cc = "cc";
    tc.ar = "ar";
    for (const char *ld : {"lld", "gold"})
      if (onPath(std::string("ld.") + ld)) {
        tc.linker = ld;
        break;
      }
  } else if (arm64) {
    tc.cc = "aarch64-linux-gnu-gcc";
    tc.ar = "aarch64-linux-gnu-ar";
  } else {
    error = "no C toolchain known for target '" + target + "'";
    return std::nullopt;
  }
  if (const char *cc = std::getenv("KILN_CC"))
    tc.cc = cc;
  if (const char *ar = std::getenv("KILN_AR"))
    tc.ar = ar;
  if (const char *ld = std::getenv("KILN_LD"))
    tc.linker = ld;
  return tc;
}

int runCommand(const std::vector<std::string> &argv, std::string &output) {
  output.clear();
  int pipefd[2];
  if (pipe(pipefd) != 0)
    return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
  posix_spawn_file_actions_addclose(&actions, pipefd[0]);
  std::vector<char *> args;
  for (const std::string &a : argv)
    args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipefd[1]);
  if (rc != 0) {
    close(pipefd[0]);
    output = "cannot run '" + argv[0] + "'";
    return -1;
  }
  char buf[4096];
  ssize_t n;
  while ((n = read(pipefd[0], buf, sizeof buf)) > 0)
    output.append(buf, (size_t)n);
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool run(const std::vector<std::string> &argv, std::string &error) {
  std::string output;
  int rc = runCommand(argv, output);
  if (rc == 0)
    return true;
  error = "command failed (exit " + std::to_string(rc) + "):";
  for (const std::string &a : argv)
    error += " " + a;
  if (!output.empty())
    error += "\n" + output;
  return false;
}

/// Content of every file under the runtime folder and the compiler's path:
/// what the compiled runtime objects depend on.
static std::string runtimeFingerprint(const std::string &cc) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(KILN_RUNTIME_SOURCE_DIR, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file())
      files.push_back(it->path().string());
  std::sort(files.begin(), files.end());
  uint64_t h = fnv1a(cc);
  for (const std::string &f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    h = fnv1a(f + "\n" + ss.str(), h);
  }
  return hexDigits(h, 16);
}

bool linkArtifact(const LinkJob &job, std::string &error) {
  const std::string rt = KILN_RUNTIME_SOURCE_DIR;
  static const char *const librarySources[] = KILN_RUNTIME_LIBRARY_SOURCES;
  static const char *const mainSources[] = KILN_RUNTIME_MAIN_SOURCES;
  static const char *const linkLibs[] = KILN_RUNTIME_LINK_LIBS;
  // The weights object is pure I/O: write it while cc compiles the glue.
  std::string weightsObject = job.workDir + "/weights.o", weightsError;
  std::thread weightsWriter([&] {
    writeElfDataObject(weightsObject, job.toolchain.machine, job.weightsSymbol,
                       job.weights, job.weightsBytes, weightsError);
  });
  struct JoinOnReturn { // an early error return still joins the writer
    std::thread &t;
    ~JoinOnReturn() {
      if (t.joinable())
        t.join();
    }
  } joinWeights{weightsWriter};

  std::vector<std::string> sources = {job.modelSource};
  for (const char *src : librarySources)
    sources.push_back(rt + "/" + src);
  if (job.emit == EmitKind::Executable)
    for (const char *src : mainSources)
      sources.push_back(rt + "/" + src);
  std::vector<std::string> objects;
  std::string fingerprint =
      job.objectCacheDir.empty() ? "" : runtimeFingerprint(job.toolchain.cc);
  for (size_t i = 0; i < sources.size(); ++i) {
    std::string obj = job.workDir + "/c" + std::to_string(i) + ".o";
    std::vector<std::string> cmd = {
        job.toolchain.cc, "-c", "-O2", "-fPIC", KILN_RUNTIME_C_STD,
        "-I" + rt, "-I" + rt + "/main",
        "-I" + std::string(KILN_HALIDE_INCLUDE_DIR), sources[i], "-o", obj};
    // The model's glue differs every time; the runtime sources only when
    // the runtime changes.
    bool cacheable = i >= 1 && !fingerprint.empty();
    std::string cached;
    if (cacheable) {
      std::string text;
      for (const std::string &a : cmd)
        if (a != obj)
          text += a + "\n";
      cached = job.objectCacheDir + "/" +
               fs::path(sources[i]).stem().string() + "-" +
               hexDigits(fnv1a(text, fnv1a(fingerprint)), 16) + ".o";
      std::error_code ec;
      if (fs::copy_file(cached, obj, fs::copy_options::overwrite_existing,
                        ec)) {
        objects.push_back(obj);
        continue;
      }
    }
    if (!run(cmd, error))
      return false;
    if (cacheable) {
      std::error_code ec;
      fs::create_directories(job.objectCacheDir, ec);
      std::string tmp = cached + ".tmp" + std::to_string(getpid());
      fs::copy_file(obj, tmp, fs::copy_options::overwrite_existing, ec);
      if (!ec)
        fs::rename(tmp, cached, ec);
    }
    objects.push_back(obj);
  }
  weightsWriter.join();
  if (!weightsError.empty()) {
    error = weightsError;
    return false;
  }
  objects.push_back(weightsObject);
  objects.insert(objects.end(), job.kernelObjects.begin(),
                 job.kernelObjects.end());
  std::remove(job.output.c_str());
  std::vector<std::string> cmd;
  switch (job.emit) {
  case EmitKind::StaticLibrary:
    cmd = {job.toolchain.ar, "rcs", job.output};
    cmd.insert(cmd.end(), objects.begin(), objects.end());
    return run(cmd, error);
  case EmitKind::SharedLibrary:
    cmd = {job.toolchain.cc, "-shared", "-o", job.output};
    break;
  case EmitKind::Executable:
    cmd = {job.toolchain.cc, "-o", job.output};
    break;
  }
  if (!job.toolchain.linker.empty())
    cmd.push_back("-fuse-ld=" + job.toolchain.linker);
  cmd.insert(cmd.end(), objects.begin(), objects.end());
  for (const char *lib : linkLibs)
    cmd.push_back(lib);
  return run(cmd, error);
}

} // namespace kiln
