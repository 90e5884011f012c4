#!/usr/bin/env python3
# ===- bench_common.py - Shared pieces of the Kiln CPU benchmarks ---------=== #
#
# Used by run_bench.py and fusion_bench.py: locating the build and the zoo,
# compiling a model with kiln (skipped when the artifact is newer than kiln and
# the model and was built with the same flags), timing engines INTERLEAVED
# (rounds of a block of runs per engine, engine order rotating per round, so
# machine drift hits every engine alike), the FMA peak probe, and the output
# comparison (|got - want| <= atol + rtol * |want|, as the e2e tests).
#
# Engines:
#   KilnEngine  - `kiln bench --json` on a compiled executable (the runtime's
#                 own timing loop; per-run times come back)
#   OrtEngine   - onnxruntime 1.30, CPUExecutionProvider, intra_op = N,
#                 inter_op = 1, ORT_SEQUENTIAL, full graph optimizations
#   OpenVinoEngine - OpenVINO CPU plugin, INFERENCE_NUM_THREADS = N,
#                 PERFORMANCE_HINT = LATENCY, INFERENCE_PRECISION_HINT = f32
#                 (on AMX / avx512_bf16 CPUs its default would be bf16)
#
# ===----------------------------------------------------------------------=== #

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RTOL = 1e-3
ATOL = 1e-4


def log(msg):
    print(msg, flush=True)


def run(cmd, quiet=False, **kw):
    cmd = [str(c) for c in cmd]
    if not quiet:
        log("$ " + " ".join(cmd))
    p = subprocess.run(cmd, text=True, capture_output=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"command failed (exit {p.returncode}): {' '.join(cmd)}\n"
                           f"{(p.stdout + p.stderr)[-2000:]}")
    return p.stdout


def find_build(arg):
    """The build folder: --build, else the first of build, build-bench that has bin/kiln."""
    cands = [Path(arg)] if arg else [ROOT / "build", ROOT / "build-bench"]
    for c in cands:
        if (c / "bin" / "kiln").exists():
            return c.resolve()
    raise SystemExit(f"no bin/kiln under {', '.join(map(str, cands))}: build first "
                     "(./dev.sh build, or cmake --build <dir> --target kiln kiln_zoo_models)")


def find_model(build, name):
    d = build / "models" / "zoo" / name
    if not (d / "model.onnx").exists():
        raise SystemExit(f"{d}/model.onnx is missing: build the zoo first "
                         f"(cmake --build {build} --target kiln_zoo_models)")
    return d


def machine_info():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "nproc": os.cpu_count(),
            "loadavg_start": list(os.getloadavg()),
            "date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def probe_core(build):
    """(peak, median) GFLOP/s of benchmarks/peak_probe.cpp's short runs: the
    single-core fp32 FMA peak of this machine, and what the core gave right
    now (a median well below the peak: another tenant on the core)."""
    exe = build / "bench" / "peak_probe"
    exe.parent.mkdir(parents=True, exist_ok=True)
    src = ROOT / "benchmarks" / "peak_probe.cpp"
    if not exe.exists() or exe.stat().st_mtime < src.stat().st_mtime:
        run(["c++", "-O2", "-march=native", src, "-o", exe])
    out = run([exe])
    log(out.strip())
    peak = float(re.search(r"peak ([0-9.]+) GFLOP/s", out).group(1))
    return peak, float(re.search(r"median ([0-9.]+)", out).group(1))


def model_macs(kiln, model):
    """Total MACs of the ONNX model (`kiln stats --json`)."""
    stats = json.loads(run([kiln, "stats", model, "--json"], quiet=True))
    return int(stats["total"]["macs"])


def compile_model(kiln, model, out, flags=(), dump=None):
    """kiln compile MODEL -o OUT [flags] [--dump DIR]; reuses an up-to-date OUT.

    Returns (artifact path, compile seconds or 0.0 when reused)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stamp = out.with_name(out.name + ".flags")
    want = json.dumps({"flags": list(flags), "dump": str(dump) if dump else None})
    newest_input = max(Path(kiln).stat().st_mtime, Path(model).stat().st_mtime)
    fresh = (out.exists() and stamp.exists() and stamp.read_text() == want
             and out.stat().st_mtime > newest_input
             and (dump is None or (Path(dump) / "report.json").exists()))
    if fresh:
        log(f"  reusing {out} (newer than kiln and the model)")
        return out, 0.0
    cmd = [kiln, "compile", model, "-o", out, "--target=host", "--emit=exe", "-q", *flags]
    if dump:
        cmd.append(f"--dump={dump}")
    t0 = time.time()
    run(cmd)
    stamp.write_text(want)
    return out, time.time() - t0


def compare(got, want, rtol=RTOL, atol=ATOL):
    """(ok, max abs diff, number of elements out of tolerance)."""
    g = np.asarray(got, np.float64)
    w = np.asarray(want, np.float64)
    if g.shape != w.shape:
        return False, float("inf"), int(w.size)
    diff = np.abs(g - w)
    bad = int(np.count_nonzero(~(diff <= atol + rtol * np.abs(w))))
    return bad == 0, float(diff.max()) if diff.size else 0.0, bad


def paired_round_ratio(times_a, times_b, runs):
    """Median over rounds of (a's median / b's median in that round): the
    engines' times as `interleaved` returns them, `runs` timed runs a round.
    A slow phase of the machine that spans a round slows both engines in it
    and cancels from that round's ratio (the ratio of the overall medians
    mixes rounds from different phases)."""
    if runs < 1 or len(times_a) != len(times_b) or len(times_a) % runs:
        raise ValueError(f"paired_round_ratio: {len(times_a)} and {len(times_b)} "
                         f"times are not whole rounds of {runs}")
    ratios = []
    for i in range(0, len(times_a), runs):
        a = summarize(times_a[i:i + runs])["median_ms"]
        b = summarize(times_b[i:i + runs])["median_ms"]
        ratios.append(a / b)
    return summarize(ratios)["median_ms"]


def summarize(times):
    t = sorted(times)
    n = len(t)
    median = t[n // 2] if n % 2 else 0.5 * (t[n // 2 - 1] + t[n // 2])
    p90 = t[max(int(np.ceil(0.9 * n)), 1) - 1]  # nearest rank, as kiln bench
    return {"median_ms": median, "p90_ms": p90, "min_ms": t[0], "runs": n}


# --- Engines --------------------------------------------------------------- #

class KilnEngine:
    engine = "kiln"

    def __init__(self, kiln, exe, threads, input_npy, label="kiln"):
        self.kiln, self.exe, self.threads, self.input = kiln, exe, threads, input_npy
        self.label = label
        self.arena_bytes = None

    def block(self, runs, warmup):
        out = run([self.kiln, "bench", self.exe, "--json", "--threads", self.threads,
                   "--runs", runs, "--warmup", warmup, "--input", self.input], quiet=True)
        r = json.loads(out.strip().splitlines()[-1])
        self.arena_bytes = r["arena_bytes"]
        return r["times_ms"]

    def output(self, workdir):
        path = Path(workdir) / f"{self.label}_out.npy"
        run([self.exe, "--input", self.input, "--output", path, "--threads", self.threads],
            quiet=True)
        return np.load(path)


class _PyEngine:
    def block(self, runs, warmup):
        for _ in range(warmup):
            self._run()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            self._run()
            times.append((time.perf_counter() - t0) * 1e3)
        return times


def ort_session_options(threads):
    """The peer's settings everywhere: N intra-op threads, one inter-op
    thread, sequential execution, all graph optimizations."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return so


class OrtEngine(_PyEngine):
    engine = label = "onnxruntime"

    def __init__(self, model, threads, x):
        import onnxruntime as ort
        so = ort_session_options(threads)
        self.sess = ort.InferenceSession(str(model), so, providers=["CPUExecutionProvider"])
        self.feed = {self.sess.get_inputs()[0].name: x}
        self.version = ort.__version__

    def _run(self):
        return self.sess.run(None, self.feed)

    def output(self, workdir=None):
        return self._run()[0]


class OpenVinoEngine(_PyEngine):
    engine = label = "openvino"

    def __init__(self, model, threads, x):
        import openvino as ov
        core = ov.Core()
        self.compiled = core.compile_model(str(model), "CPU", {
            "INFERENCE_NUM_THREADS": threads,
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_PRECISION_HINT": "f32",
        })
        self.req = self.compiled.create_infer_request()
        self.x = x
        self.version = ov.__version__.split("-")[0]

    def _run(self):
        return self.req.infer({0: self.x})

    def output(self, workdir=None):
        return np.array(self._run()[self.compiled.output(0)])


def interleaved(engines, rounds, runs, warmup):
    """Times every engine in `rounds` rounds; each round runs a block of
    `warmup` untimed + `runs` timed runs per engine, the engine order rotating
    by one each round. Returns {label: [ms, ...]} with all timed runs."""
    times = {e.label: [] for e in engines}
    for r in range(rounds):
        order = engines[r % len(engines):] + engines[:r % len(engines)]
        for e in order:
            times[e.label] += e.block(runs, warmup)
    return times


def write_json(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n")
    log(f"wrote {path}")


def fmt_table(header, rows):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


if __name__ == "__main__":
    sys.exit("bench_common.py is a module; run run_bench.py or fusion_bench.py")
