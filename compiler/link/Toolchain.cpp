//===- Toolchain.cpp - Target C compiler, archiver and linking ------------===//
#include "compiler/link/Toolchain.h"

#include "runtime/kiln_runtime_paths.h"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace kiln {

std::optional<Toolchain> Toolchain::forTarget(const std::string &target,
                                              std::string &error) {
  Toolchain tc;
  bool arm64 = target.rfind("arm-64", 0) == 0;
#if defined(__aarch64__)
  bool native = arm64 || target == "host";
#else
  bool native = !arm64;
#endif
  if (native) {
    tc.cc = "cc";
    tc.ar = "ar";
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

bool linkArtifact(const LinkJob &job, std::string &error) {
  const std::string rt = KILN_RUNTIME_SOURCE_DIR;
  static const char *const librarySources[] = KILN_RUNTIME_LIBRARY_SOURCES;
  static const char *const mainSources[] = KILN_RUNTIME_MAIN_SOURCES;
  static const char *const linkLibs[] = KILN_RUNTIME_LINK_LIBS;
  std::vector<std::string> sources = {job.modelSource, job.weightsAsm};
  for (const char *src : librarySources)
    sources.push_back(rt + "/" + src);
  if (job.emit == EmitKind::Executable)
    for (const char *src : mainSources)
      sources.push_back(rt + "/" + src);
  std::vector<std::string> objects;
  for (size_t i = 0; i < sources.size(); ++i) {
    std::string obj = job.workDir + "/c" + std::to_string(i) + ".o";
    if (!run({job.toolchain.cc, "-c", "-O2", "-fPIC", KILN_RUNTIME_C_STD,
              "-I" + rt, "-I" + rt + "/main",
              "-I" + std::string(KILN_HALIDE_INCLUDE_DIR), sources[i], "-o",
              obj},
             error))
      return false;
    objects.push_back(obj);
  }
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
  cmd.insert(cmd.end(), objects.begin(), objects.end());
  for (const char *lib : linkLibs)
    cmd.push_back(lib);
  return run(cmd, error);
}

} // namespace kiln
