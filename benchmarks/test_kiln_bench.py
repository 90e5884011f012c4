#!/usr/bin/env python3
# ===- test_kiln_bench.py - `kiln bench` on small compiled test models ----=== #
#
#   test_kiln_bench.py --kiln BIN --models-dir DIR --workdir W
#
# Compiles the democnn test model to an executable and a shared library and
# multi_io (two inputs) to an executable, then checks `kiln bench`: the text
# report's format; the --json line's fields against the per-run times it
# carries (count, min, max, median and nearest-rank p90 recomputed here);
# threads / runs / warm-up echoed; the arena size equal to what the
# executable's --info prints; --input with the model's own input file; the
# executable's --times file (run directly) against its printed latency; and
# the errors (missing file, static library, bad counts, wrong input shape).
# No timing thresholds: only that times are positive, finite and consistent.
#
# ===----------------------------------------------------------------------=== #

import functools
import json
import math
import os
import re
import sys

import check_util
from check_util import check, finish, fresh_workdir, tool_test_args

# A tool that fails to run here makes every later check moot.
run = functools.partial(check_util.run, fatal=True)


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def check_json(r, kind, threads, runs, warmup, label):
    t = r["times_ms"]
    check(r["kind"] == kind, f"{label}: kind {r['kind']} != {kind}")
    check(r["threads"] == threads and r["runs"] == runs and r["warmup"] == warmup,
          f"{label}: threads/runs/warmup echoed as {r['threads']}/{r['runs']}/{r['warmup']}")
    check(len(t) == runs, f"{label}: {len(t)} times for {runs} runs")
    check(all(isinstance(x, (int, float)) and math.isfinite(x) and x > 0 for x in t),
          f"{label}: non-positive or non-finite time in {t}")
    s = sorted(t)
    p90 = s[max(math.ceil(0.9 * len(s)), 1) - 1]
    for key, want in (("min_ms", s[0]), ("max_ms", s[-1]), ("median_ms", median(t)),
                      ("p90_ms", p90), ("mean_ms", sum(t) / len(t))):
        check(abs(r[key] - want) <= 1e-9 * max(1.0, want), f"{label}: {key} {r[key]} != {want}")
    check(r["min_ms"] <= r["median_ms"] <= r["p90_ms"] <= r["max_ms"],
          f"{label}: min <= median <= p90 <= max violated: {r}")
    check(isinstance(r["arena_bytes"], int) and r["arena_bytes"] > 0,
          f"{label}: arena_bytes {r['arena_bytes']}")
    check(r["model"] != "", f"{label}: empty model name")


def main():
    args = tool_test_args()
    work = fresh_workdir(args.workdir)
    kiln = args.kiln
    demo = os.path.join(args.models_dir, "democnn")
    exe = os.path.join(work, "net")
    lib = os.path.join(work, "libdemo.so")
    static = os.path.join(work, "libdemo.a")
    multi = os.path.join(work, "multi")
    run([kiln, "compile", os.path.join(demo, "model.onnx"), "-o", exe, "-q"])
    run([kiln, "compile", os.path.join(demo, "model.onnx"), "-o", lib, "--emit=shared", "-q"])
    run([kiln, "compile", os.path.join(demo, "model.onnx"), "-o", static, "--emit=static",
         "-q"])
    run([kiln, "compile", os.path.join(args.models_dir, "multi_io", "model.onnx"), "-o", multi,
         "-q"])
    x = os.path.join(demo, "input_0.npy")

    # The text report.
    p = run([kiln, "bench", exe, "--runs", 7, "--warmup", 2])
    print(p.stdout)
    check(re.search(r"^kiln bench: model '[^']+' \(executable .*net\)$", p.stdout, re.M),
          "text: header line")
    check(re.search(r"^  threads 1, 2 warm-up \+ 7 timed runs$", p.stdout, re.M),
          "text: threads/runs line")
    m = re.search(r"^  median ([0-9.]+) ms, p90 ([0-9.]+) ms, min ([0-9.]+) ms, "
                  r"max ([0-9.]+) ms, mean ([0-9.]+) ms$", p.stdout, re.M)
    check(m is not None, "text: times line")
    if m:
        med, p90, mn, mx, _ = map(float, m.groups())
        check(0 < mn <= med <= p90 <= mx, f"text: min <= median <= p90 <= max: {m.groups()}")
    a = re.search(r"^  activation arena ([0-9]+) bytes$", p.stdout, re.M)
    check(a is not None, "text: arena line")

    # The arena is the one the executable reports.
    info = run([exe, "--info"]).stdout
    ai = re.search(r"activation arena: ([0-9]+) bytes", info)
    check(ai is not None, f"--info prints the activation arena: {info}")
    if a and ai:
        check(a.group(1) == ai.group(1), f"arena {a.group(1)} != --info's {ai.group(1)}")

    # JSON, executable: noise inputs, then the model's own input, 2 threads.
    for extra, threads in (([], 1), (["--input", x], 2)):
        p = run([kiln, "bench", exe, "--json", "--runs", 9, "--warmup", 1,
                 "--threads", threads, *extra])
        lines = p.stdout.strip().splitlines()
        check(len(lines) == 1, f"--json prints one line, got {lines}")
        check_json(json.loads(lines[-1]), "exe", threads, 9, 1, f"exe json {extra}")

    # JSON, shared library (dlopen + kiln.h): the same model, same arena.
    for extra in ([], ["--input", x]):
        p = run([kiln, "bench", lib, "--json", "--runs", 6, "--warmup", 0, *extra])
        r = json.loads(p.stdout.strip().splitlines()[-1])
        check_json(r, "shared", 1, 6, 0, f"shared json {extra}")
        if ai:
            check(r["arena_bytes"] == int(ai.group(1)),
                  f"shared arena {r['arena_bytes']} != the executable's {ai.group(1)}")

    # Two inputs: noise for both.
    r = json.loads(run([kiln, "bench", multi, "--json", "--runs", 3]).stdout)
    check_json(r, "exe", 1, 3, 3, "multi_io json")

    # The executable's own --times (what kiln bench reads) vs its latency line.
    tpath = os.path.join(work, "times.json")
    out = run([exe, "--input", x, "--repeat", 5, "--warmup", 0, "--times", tpath]).stdout
    t = json.load(open(tpath))
    check(t["runs"] == 5 and t["warmup_runs"] == 0 and len(t["times_ms"]) == 5,
          f"--times file: {t}")
    lat = re.search(r"latency: ([0-9.]+) ms \(median of 5 runs after 0 warm-ups", out)
    check(lat is not None, f"latency line with --warmup 0: {out}")
    if lat:
        check(abs(float(lat.group(1)) - median(t["times_ms"])) <= 0.0015,
              f"printed median {lat.group(1)} != median of --times {median(t['times_ms'])}")

    # Errors: clear messages, exit 1 (failures) or 2 (usage).
    for cmd, rc, text in (
            ([kiln, "bench", os.path.join(work, "missing")], 1, "no such file"),
            ([kiln, "bench", static], 1, "static library cannot be run"),
            ([kiln, "bench", exe, "--runs", 0], 2, "--runs needs an integer from 1"),
            ([kiln, "bench", exe, "--threads", "x"], 2, "--threads needs an integer"),
            ([kiln, "bench", exe, "--bogus"], 2, "unknown bench option '--bogus'"),
            ([kiln, "bench"], 2, "bench needs an artifact"),
            ([kiln, "bench", exe, "--input", os.path.join(args.models_dir, "multi_io",
                                                          "input_0.npy")], 1, "does not match"),
            ([kiln, "bench", lib, "--name", "nope"], 1, "no model descriptor 'nope_model'"),
    ):
        p = run(cmd, expect_rc=None)
        check(p.returncode == rc and text in p.stderr,
              f"{' '.join(map(str, cmd[1:]))}: want exit {rc} and '{text}', got exit "
              f"{p.returncode}: {p.stderr.strip()}")

    # --help prints the bench usage to stdout and exits 0.
    p = run([kiln, "bench", "--help"], expect_rc=0)
    check("--threads N" in p.stdout and "--runs N" in p.stdout,
          f"kiln bench --help: no usage on stdout: {p.stdout!r}")

    # A failing run's message is that run's output only (not the --info run's).
    p = run([kiln, "bench", exe, "--input", os.path.join(args.models_dir, "multi_io",
                                                         "input_0.npy")], expect_rc=1)
    check("activation arena" not in p.stderr, f"failure message mixes in --info: {p.stderr}")

    return finish("kiln bench")


if __name__ == "__main__":
    sys.exit(main())
