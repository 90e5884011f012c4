//===- BenchCommand.cpp - The `kiln bench` command ------------------------===//
//
// Times what `kiln compile` produced:
//  * an executable: runs it once with --info (model name, inputs, arena) and
//    once with --warmup W --repeat N --threads T --times FILE.json, so the
//    timing loop is the runtime's own (runtime/main/kiln_main.c) and the
//    per-run times come back for the median and p90;
//  * a shared library (--emit=shared, *.so): dlopen()s it, finds the model
//    descriptor <name>_model and times kiln_model_run through the C API of
//    runtime/kiln.h, resolved from the library itself.
// Without --input the inputs are seeded uniform [-1, 1) noise of the right
// shape (latency of a CNN does not depend on the values).
//
//===----------------------------------------------------------------------===//
#include "tools/kiln/BenchCommand.h"

#include "runtime/kiln.h"
#include "runtime/kiln_model_desc.h"
#include "runtime/main/npy.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace kiln {

const char *const kBenchUsage =
    "  bench ARTIFACT              time a compiled model: warm-up runs, then\n"
    "                              N timed runs; prints median, p90, min,\n"
    "                              max, mean (ms), threads, arena size.\n"
    "                              ARTIFACT: an executable (--emit=exe) or\n"
    "                              a shared library (--emit=shared, *.so)\n"
    "      --threads N     kernel worker threads (default 1)\n"
    "      --runs N        timed runs (default 20)\n"
    "      --warmup N      untimed runs first (default 3)\n"
    "      --input FILE.npy | NAME=FILE.npy\n"
    "                      input data (repeatable; default: seeded noise)\n"
    "      --name NAME     symbol prefix of a shared library's model\n"
    "                      (default: file name without lib and .so)\n"
    "      --json          one JSON line instead of the text report\n";

namespace {

struct BenchOptions {
  std::string artifact;
  int threads = 1;
  int runs = 20;
  int warmup = 3;
  std::vector<std::string> inputs;
  std::string name;
  bool json = false;
};

/// One input or output of the model, as the artifact describes it.
struct TensorShape {
  std::string name;
  std::vector<int64_t> dims;
  size_t count() const {
    size_t n = 1;
    for (int64_t d : dims)
      n *= (size_t)d;
    return n;
  }
};

struct BenchResult {
  std::string kind; // "exe" | "shared"
  std::string model;
  size_t arenaBytes = 0;
  std::vector<double> timesMs; // in run order
};

int fail(const std::string &message) {
  std::fprintf(stderr, "kiln: error: %s\n", message.c_str());
  return 1;
}

int usage(const std::string &message) {
  std::fprintf(stderr, "kiln: error: %s\n(run 'kiln help' for usage)\n",
               message.c_str());
  return 2;
}

bool parseCount(const std::string &flag, const std::string &text, int min,
                int &out, std::string &error) {
  char *end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end || v < min || v > 1000000) {
    error = flag + " needs an integer from " + std::to_string(min) +
            " to 1000000, got '" + text + "'";
    return false;
  }
  out = (int)v;
  return true;
}

/// Returns 0 to run the benchmark, kHelpShown after printing the usage
/// (--help), else the exit code after printing the error.
constexpr int kHelpShown = -1;
int parseOptions(const std::vector<std::string> &args, BenchOptions &opt) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--json") {
      opt.json = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      std::fputs(kBenchUsage, stdout);
      return kHelpShown;
    }
    std::string flag = a, value;
    bool hasValue = false;
    size_t eq = a.find('=');
    if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
      flag = a.substr(0, eq);
      value = a.substr(eq + 1);
      hasValue = true;
    }
    bool known = flag == "--threads" || flag == "--runs" ||
                 flag == "--warmup" || flag == "--input" || flag == "--name";
    if (!known) {
      if (!a.empty() && a[0] == '-')
        return usage("unknown bench option '" + a + "'");
      if (!opt.artifact.empty())
        return usage("more than one artifact ('" + opt.artifact + "' and '" +
                     a + "')");
      opt.artifact = a;
      continue;
    }
    if (!hasValue) {
      if (i + 1 >= args.size())
        return usage("option '" + a + "' needs a value");
      value = args[++i];
    }
    std::string error;
    if (flag == "--threads" && !parseCount(flag, value, 1, opt.threads, error))
      return usage(error);
    if (flag == "--runs" && !parseCount(flag, value, 1, opt.runs, error))
      return usage(error);
    if (flag == "--warmup" && !parseCount(flag, value, 0, opt.warmup, error))
      return usage(error);
    if (flag == "--input")
      opt.inputs.push_back(value);
    if (flag == "--name")
      opt.name = value;
  }
  if (opt.artifact.empty())
    return usage("bench needs an artifact (what 'kiln compile' produced)");
  return 0;
}

/// Seeded noise for input `index` (the same values on every bench run).
std::vector<float> noiseInput(size_t count, size_t index) {
  std::mt19937 rng(1234 + (unsigned)index);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> data(count);
  for (float &x : data)
    x = dist(rng);
  return data;
}

std::string readFileText(const std::string &path) {
  auto buf = llvm::MemoryBuffer::getFile(path);
  return buf ? (*buf)->getBuffer().str() : std::string();
}

//===-- Executables -------------------------------------------------------===//

/// Runs `exe args...` with stdout+stderr into `logPath`; returns the exit
/// code (or -1 with `error` set when it could not run / crashed).
int runProcess(const std::string &exe, const std::vector<std::string> &args,
               const std::string &logPath, std::string &error) {
  std::vector<llvm::StringRef> argv = {exe};
  for (const std::string &a : args)
    argv.push_back(a);
  std::optional<llvm::StringRef> redirects[] = {
      std::nullopt, llvm::StringRef(logPath), llvm::StringRef(logPath)};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(exe, argv, std::nullopt, redirects,
                                     /*SecondsToWait=*/3600, 0, &message);
  if (rc < 0)
    error = message.empty() ? "could not run it" : message;
  return rc;
}

std::string logTail(const std::string &logPath) {
  std::string log = readFileText(logPath);
  if (log.size() > 800)
    log = "..." + log.substr(log.size() - 800);
  while (!log.empty() && (log.back() == '\n' || log.back() == ' '))
    log.pop_back();
  return log;
}

/// Parses the `--info` text of kiln_main.c: "model NAME: ...", lines
/// "  input NAME: float32 (d0, d1) (N bytes)", "  activation arena: N bytes".
bool parseInfo(const std::string &text, BenchResult &result,
               std::vector<TensorShape> &inputs, std::string &error) {
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(text).split(lines, '\n');
  for (llvm::StringRef line : lines) {
    llvm::StringRef l = line.trim();
    if (l.consume_front("model ")) {
      result.model = l.split(": ").first.str();
    } else if (l.consume_front("activation arena: ")) {
      unsigned long long bytes = 0;
      if (!l.split(' ').first.getAsInteger(10, bytes))
        result.arenaBytes = (size_t)bytes;
    } else if (l.consume_front("input ")) {
      auto [name, rest] = l.rsplit(": float32 ");
      size_t open = rest.find('('), close = rest.find(')');
      if (rest.empty() || open == llvm::StringRef::npos ||
          close == llvm::StringRef::npos) {
        error = "cannot parse the --info line '" + line.str() + "'";
        return false;
      }
      TensorShape t;
      t.name = name.str();
      llvm::SmallVector<llvm::StringRef> dims;
      rest.slice(open + 1, close).split(dims, ',', -1, /*KeepEmpty=*/false);
      for (llvm::StringRef d : dims) {
        long long v = 0;
        if (d.trim().getAsInteger(10, v) || v < 0) {
          error = "cannot parse the shape in --info line '" + line.str() + "'";
          return false;
        }
        t.dims.push_back(v);
      }
      inputs.push_back(std::move(t));
    }
  }
  if (result.model.empty()) {
    error = "its --info output does not look like a Kiln executable's";
    return false;
  }
  return true;
}

int benchExecutable(const BenchOptions &opt, BenchResult &result) {
  result.kind = "exe";
  std::string exe = opt.artifact;
  if (!llvm::sys::fs::can_execute(exe))
    return fail(exe + ": not an executable file");
  llvm::SmallString<128> tmp;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("kiln-bench", tmp))
    return fail("cannot create a temporary folder: " + ec.message());
  std::string work = tmp.str().str();
  auto cleanup = [&] { llvm::sys::fs::remove_directories(work); };
  std::string log = work + "/info.txt", error;

  int rc = runProcess(exe, {"--info"}, log, error);
  std::vector<TensorShape> inputs;
  if (rc != 0 || !parseInfo(readFileText(log), result, inputs, error)) {
    std::string tail = rc != 0 ? logTail(log) : "";
    cleanup();
    return fail(exe + " --info failed" +
                (rc > 0 ? " (exit " + std::to_string(rc) + ")" : "") +
                (error.empty() ? "" : ": " + error) +
                (tail.empty() ? "" : "\n" + tail));
  }

  std::vector<std::string> args;
  for (const std::string &in : opt.inputs)
    args.insert(args.end(), {"--input", in});
  if (opt.inputs.empty()) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::string path = work + "/input_" + std::to_string(i) + ".npy";
      std::vector<float> data = noiseInput(inputs[i].count(), i);
      char err[512];
      if (kiln_npy_write(path.c_str(), data.data(),
                         (int32_t)inputs[i].dims.size(), inputs[i].dims.data(),
                         err, sizeof err)) {
        cleanup();
        return fail(err);
      }
      args.insert(args.end(), {"--input", inputs[i].name + "=" + path});
    }
  }
  std::string timesPath = work + "/times.json";
  args.insert(args.end(), {"--threads", std::to_string(opt.threads), "--repeat",
                           std::to_string(opt.runs), "--warmup",
                           std::to_string(opt.warmup), "--times", timesPath});
  log = work + "/run.txt"; // a fresh file: redirects do not truncate
  rc = runProcess(exe, args, log, error);
  if (rc != 0) {
    std::string tail = logTail(log);
    cleanup();
    return fail(exe + " failed" +
                (rc > 0 ? " (exit " + std::to_string(rc) + ")" : "") +
                (error.empty() ? "" : ": " + error) +
                (tail.empty() ? "" : "\n" + tail));
  }
  std::string text = readFileText(timesPath);
  cleanup();
  auto parsed = llvm::json::parse(text);
  if (!parsed)
    return fail(exe + " wrote no valid --times JSON (" +
                llvm::toString(parsed.takeError()) +
                "); was it built by an older kiln?");
  const llvm::json::Array *times =
      parsed->getAsObject() ? parsed->getAsObject()->getArray("times_ms")
                            : nullptr;
  if (!times || times->size() != (size_t)opt.runs)
    return fail(exe + ": its --times JSON has no 'times_ms' array of " +
                std::to_string(opt.runs) + " runs");
  for (const llvm::json::Value &v : *times) {
    std::optional<double> ms = v.getAsNumber();
    if (!ms)
      return fail(exe + ": a non-number in its --times JSON");
    result.timesMs.push_back(*ms);
  }
  return 0;
}

//===-- Shared libraries --------------------------------------------------===//

/// The C API of runtime/kiln.h, resolved from the loaded library.
struct KilnApi {
  decltype(&kiln_model_create) create = nullptr;
  decltype(&kiln_model_destroy) destroy = nullptr;
  decltype(&kiln_model_run) run = nullptr;
  decltype(&kiln_model_set_threads) setThreads = nullptr;
  decltype(&kiln_model_last_error) lastError = nullptr;
};

std::string defaultSymbolPrefix(const std::string &path) {
  std::string stem = llvm::sys::path::filename(path).str();
  size_t dot = stem.find(".so");
  if (dot != std::string::npos)
    stem = stem.substr(0, dot);
  if (stem.rfind("lib", 0) == 0 && stem.size() > 3)
    stem = stem.substr(3);
  return stem;
}

int benchShared(const BenchOptions &opt, BenchResult &result) {
  result.kind = "shared";
  const std::string &path = opt.artifact;
  // DEEPBIND: the library's own Halide runtime, not one this process has.
  void *lib = dlopen(path.find('/') == std::string::npos ? ("./" + path).c_str()
                                                         : path.c_str(),
                     RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
  if (!lib)
    return fail(path + ": cannot load: " + dlerror());
  std::string prefix = opt.name.empty() ? defaultSymbolPrefix(path) : opt.name;
  auto *desc = (const kiln_model_desc *)dlsym(lib, (prefix + "_model").c_str());
  if (!desc)
    return fail(path + ": no model descriptor '" + prefix +
                "_model' (pass the C prefix the model was compiled with, "
                "--name NAME)");
  KilnApi api;
  api.create = (decltype(api.create))dlsym(lib, "kiln_model_create");
  api.destroy = (decltype(api.destroy))dlsym(lib, "kiln_model_destroy");
  api.run = (decltype(api.run))dlsym(lib, "kiln_model_run");
  api.setThreads =
      (decltype(api.setThreads))dlsym(lib, "kiln_model_set_threads");
  api.lastError = (decltype(api.lastError))dlsym(lib, "kiln_model_last_error");
  if (!api.create || !api.destroy || !api.run || !api.setThreads ||
      !api.lastError)
    return fail(path + ": does not export the Kiln runtime C API (kiln.h)");

  kiln_model *model = nullptr;
  if (api.create(desc, &model) != KILN_OK)
    return fail(path + ": " + api.lastError(nullptr));
  result.model = desc->name ? desc->name : prefix;
  result.arenaBytes = desc->arena_bytes;
  std::vector<std::vector<float>> inputData(desc->num_inputs);
  std::vector<const void *> inPtrs(desc->num_inputs);
  std::vector<size_t> inBytes(desc->num_inputs);
  std::vector<bool> given(desc->num_inputs, false);
  auto finish = [&](int rc) {
    api.destroy(model);
    return rc;
  };
  for (const std::string &arg : opt.inputs) {
    size_t index = desc->num_inputs; // unresolved
    std::string file = arg;
    size_t eq = arg.find('=');
    for (size_t i = 0; eq != std::string::npos && i < desc->num_inputs; ++i)
      if (arg.substr(0, eq) == desc->inputs[i].name) {
        index = i;
        file = arg.substr(eq + 1);
      }
    if (index == desc->num_inputs && desc->num_inputs == 1)
      index = 0;
    if (index == desc->num_inputs)
      return finish(fail("--input " + arg +
                         ": use NAME=FILE.npy with NAME a model input"));
    kiln_npy_array a;
    char err[512];
    if (kiln_npy_read(file.c_str(), &a, err, sizeof err))
      return finish(fail(err));
    const kiln_tensor_info &t = desc->inputs[index];
    bool same = a.rank == t.rank;
    for (int32_t d = 0; same && d < t.rank; ++d)
      same = a.shape[d] == t.dims[d];
    if (same)
      inputData[index].assign(a.data, a.data + a.count);
    kiln_npy_free(&a);
    if (!same)
      return finish(fail(file + ": shape does not match input '" +
                         std::string(t.name) + "'"));
    given[index] = true;
  }
  for (size_t i = 0; i < desc->num_inputs; ++i) {
    const kiln_tensor_info &t = desc->inputs[i];
    if (!given[i]) {
      if (!opt.inputs.empty())
        return finish(
            fail("no --input for model input '" + std::string(t.name) + "'"));
      inputData[i] = noiseInput(t.byte_size / sizeof(float), i);
    }
    inPtrs[i] = inputData[i].data();
    inBytes[i] = t.byte_size;
  }
  std::vector<std::vector<float>> outputData(desc->num_outputs);
  std::vector<void *> outPtrs(desc->num_outputs);
  std::vector<size_t> outBytes(desc->num_outputs);
  for (size_t i = 0; i < desc->num_outputs; ++i) {
    outputData[i].resize(desc->outputs[i].byte_size / sizeof(float) + 1);
    outPtrs[i] = outputData[i].data();
    outBytes[i] = desc->outputs[i].byte_size;
  }
  if (api.setThreads(model, opt.threads) != KILN_OK)
    return finish(fail(path + ": " + api.lastError(model)));
  for (int r = -opt.warmup; r < opt.runs; ++r) {
    auto start = std::chrono::steady_clock::now();
    kiln_status st = api.run(model, inPtrs.data(), inBytes.data(),
                             outPtrs.data(), outBytes.data());
    auto stop = std::chrono::steady_clock::now();
    if (st != KILN_OK)
      return finish(fail(path + ": " + api.lastError(model)));
    if (r >= 0)
      result.timesMs.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
  }
  // The library stays loaded: its Halide thread pool may still hold threads.
  return finish(0);
}

//===-- Report ------------------------------------------------------------===//

struct Summary {
  double median, p90, min, max, mean;
};

Summary summarize(std::vector<double> t) {
  std::sort(t.begin(), t.end());
  size_t n = t.size();
  Summary s;
  s.median = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
  // Nearest rank: the smallest time >= 90 % of the runs.
  size_t rank = (size_t)std::ceil(0.9 * (double)n);
  s.p90 = t[std::max<size_t>(rank, 1) - 1];
  s.min = t.front();
  s.max = t.back();
  double sum = 0;
  for (double x : t)
    sum += x;
  s.mean = sum / (double)n;
  return s;
}

void report(const BenchOptions &opt, const BenchResult &r) {
  Summary s = summarize(r.timesMs);
  if (opt.json) {
    llvm::json::Array times;
    for (double t : r.timesMs)
      times.push_back(t);
    llvm::json::Object o{{"artifact", opt.artifact},
                         {"kind", r.kind},
                         {"model", r.model},
                         {"threads", opt.threads},
                         {"warmup", opt.warmup},
                         {"runs", opt.runs},
                         {"median_ms", s.median},
                         {"p90_ms", s.p90},
                         {"min_ms", s.min},
                         {"max_ms", s.max},
                         {"mean_ms", s.mean},
                         {"arena_bytes", (int64_t)r.arenaBytes},
                         {"times_ms", std::move(times)}};
    llvm::outs() << llvm::json::Value(std::move(o)) << "\n";
    return;
  }
  llvm::outs() << llvm::format(
      "kiln bench: model '%s' (%s %s)\n"
      "  threads %d, %d warm-up + %d timed runs\n"
      "  median %.3f ms, p90 %.3f ms, min %.3f ms, max %.3f ms, mean %.3f "
      "ms\n"
      "  activation arena %zu bytes\n",
      r.model.c_str(), r.kind == "exe" ? "executable" : "shared library",
      opt.artifact.c_str(), opt.threads, opt.warmup, opt.runs, s.median, s.p90,
      s.min, s.max, s.mean, r.arenaBytes);
}

} // namespace

int runBenchCommand(const std::vector<std::string> &args) {
  BenchOptions opt;
  if (int rc = parseOptions(args, opt))
    return rc == kHelpShown ? 0 : rc;
  if (!llvm::sys::fs::exists(opt.artifact))
    return fail(opt.artifact + ": no such file");
  llvm::StringRef file = llvm::sys::path::filename(opt.artifact);
  if (file.ends_with(".a"))
    return fail(opt.artifact +
                ": a static library cannot be run; bench an executable "
                "(--emit=exe) or a shared library (--emit=shared)");
  BenchResult result;
  bool shared = file.ends_with(".so") || file.contains(".so.");
  int rc = shared ? benchShared(opt, result) : benchExecutable(opt, result);
  if (rc)
    return rc;
  report(opt, result);
  return 0;
}

} // namespace kiln
